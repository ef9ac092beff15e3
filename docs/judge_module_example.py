#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A worked example for judge authors using the Python module: run one
solution on one test with sandbox.run() and turn its result into a verdict
(docs/judge_example.py does the same through sandbox(1) and its report).

    judge_module_example.py INPUT EXPECTED [--cpu SEC] [--memory SIZE] -- CMD...

prints one line, e.g. "AC 12 ms 1436 KiB" or "TLE 1004 ms 1200 KiB", and
exits 0 (the verdict is the result; a judging failure exits 2). Import it
and call judge() to judge from a program.
"""
import argparse
import os
import sys
import tempfile

import sandbox

# status -> verdict. "exited" is decided by the exit code and the output.
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

# Loaded once, shared by every run and every thread.
JUDGE_POLICY = sandbox.Policy("judge")


def same_answer(out_path, expected_path):
    """Token-wise comparison: whitespace differences are not wrong answers."""
    with open(out_path, "rb") as out, open(expected_path, "rb") as exp:
        return out.read().split() == exp.read().split()


def judge(command, input_path, expected_path, cpu="1", memory="256M", policy=JUDGE_POLICY):
    """Run |command| (a list) on one test; return (verdict, result)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.txt")
        extra = {}
        if os.geteuid() == 0:
            # The streams are opened before the privilege drop: nobody needs
            # write access to nothing.
            extra = {"user": 65534, "group": 65534}
        r = sandbox.run(command, policy=policy, stdin=input_path, stdout=out,
                        stderr=os.devnull, cpu_time=cpu, wall_time=3 * float(cpu),
                        memory=memory, output="16M", processes=1, **extra)
        if r.status == "exited" and r.exit_code != 0:
            verdict = "RE"
        elif r.status == "exited":
            verdict = "AC" if same_answer(out, expected_path) else "WA"
        else:
            verdict = VERDICTS[r.status]
        return verdict, r


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("input")
    p.add_argument("expected")
    p.add_argument("--cpu", default="1", help="CPU seconds (default 1)")
    p.add_argument("--memory", default="256M", help="memory limit (default 256M)")
    p.add_argument("command", nargs="+", help="the solution and its arguments, after --")
    args = p.parse_args()
    try:
        verdict, r = judge(args.command, args.input, args.expected, args.cpu, args.memory)
    except (OSError, ValueError) as e:
        print(f"IE {e}")
        sys.exit(2)
    detail = ""
    if r.status == "violation":
        detail = " " + r.violation.text
    elif r.status == "error":
        detail = " " + r.error
    print(f"{verdict} {r.cpu_time_ms} ms {r.memory_peak_kb} KiB{detail}")


if __name__ == "__main__":
    main()
