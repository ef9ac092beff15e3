#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A worked example for judge authors: run one solution on one test under
sandbox(1) and turn the JSON report into a verdict.

    judge_example.py SANDBOX POLICY INPUT EXPECTED [--cpu SEC] [--memory SIZE] -- CMD...

prints one line, e.g. "AC 12 ms 1436 KiB" or "TLE 1004 ms 1200 KiB", and
exits 0 (the verdict itself is the result; a judging failure exits 2).

Verdicts: AC accepted, WA wrong answer, TLE time limit (CPU or wall),
MLE memory limit, OLE output limit, RE runtime error (non-zero exit, a
signal, a forbidden call or too many processes), IE internal error (the
sandbox could not run the solution).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

# status in the report -> verdict. "exited" is decided by comparing output.
VERDICTS = {
    "cpu_time_limit": "TLE",
    "wall_time_limit": "TLE",
    "memory_limit": "MLE",
    "output_limit": "OLE",
    "signaled": "RE",
    "violation": "RE",
    "process_limit": "RE",
    "error": "IE",
}


def same_answer(out_path, expected_path):
    """Token-wise comparison: whitespace differences are not wrong answers."""
    with open(out_path, "rb") as out, open(expected_path, "rb") as exp:
        return out.read().split() == exp.read().split()


def run(args):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.txt")
        report = os.path.join(tmp, "report.json")
        cmd = [args.sandbox, "--quiet", "--policy", args.policy, "--report", report,
               "--stdin", args.input, "--stdout", out, "--stderr", os.devnull,
               "--cpu-time", args.cpu, "--wall-time", str(3 * float(args.cpu)),
               "--memory", args.memory, "--output", "16M", "--processes", "1"]
        if os.geteuid() == 0:
            # The output file and the report are opened by the sandbox before
            # it drops privileges: user nobody needs write access to nothing.
            cmd += ["--user", "65534", "--group", "65534"]
        subprocess.run(cmd + ["--"] + args.command, check=False)
        with open(report) as f:
            r = json.load(f)
        status = r["status"]
        if status == "exited" and r["exit_code"] != 0:
            verdict = "RE"
        elif status == "exited":
            verdict = "AC" if same_answer(out, args.expected) else "WA"
        else:
            verdict = VERDICTS[status]
        detail = ""
        if status == "violation":
            detail = " " + r["violation"]["text"]
        elif status == "error":
            detail = " " + r["error"]
        print(f"{verdict} {r['cpu_time_ms']} ms {r['memory_peak_kb']} KiB{detail}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("sandbox")
    p.add_argument("policy")
    p.add_argument("input")
    p.add_argument("expected")
    p.add_argument("--cpu", default="1", help="CPU seconds (default 1)")
    p.add_argument("--memory", default="256M", help="memory limit (default 256M)")
    p.add_argument("command", nargs="+", help="the solution and its arguments, after --")
    args = p.parse_args()
    try:
        run(args)
    except (OSError, ValueError, KeyError) as e:
        print(f"IE {e}")
        sys.exit(2)


if __name__ == "__main__":
    main()
