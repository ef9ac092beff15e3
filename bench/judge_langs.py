#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Start-up time and peak memory of A+B in each judged language, under the
sandbox beside native, interleaved.

    bench/judge_langs.py [--reps N] [--sandbox PATH] [LANG ...]

For each language of tests/langs (all by default; one whose tools are
missing is listed as such), compiles tests/langs/LANG/aplusb natively in a
temp dir with the spec's own compile command, then runs it --reps times
(default 11) natively and under `sandbox -p POLICY` with the judge limits of
tests/langs/judge_lang.py, as user 65534, the two alternating. Prints a
Markdown table: median wall time of a whole run (fork to reap, input "2 3"),
their ratio, and the peak memory: native from wait4()'s ru_maxrss, sandboxed
from the report's memory_peak_kb. Run as root (--user needs it); needs GNU
time (/usr/bin/time, Debian's package "time") and setpriv (util-linux).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LANGS = os.path.join(HERE, "..", "tests", "langs")
LIMITS = ["--memory", "256M", "--cpu-time", "2", "--wall-time", "20", "--processes", "64"]
NOBODY = 65534


def fill(words, spec, names):
    vals = dict(spec.get("vars", {}), name=names[0], Name=names[0][:1].upper() + names[0][1:],
                src=names[0] + "." + spec["ext"],
                srcs=" ".join(n + "." + spec["ext"] for n in names))
    out = []
    for w in words:
        if w == "{srcs}":
            out += [n + "." + spec["ext"] for n in names]
        else:
            out.append(w.format(**vals))
    return out


def run_native(argv, cwd, env, rss_file):
    """One native run as user 65534 under GNU time (its %M: the run's ru_maxrss,
    which a child forked from this Python process would inflate by its size)."""
    wrap = ["/usr/bin/time", "-f", "%M", "-o", rss_file, "/usr/bin/setpriv",
            "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups", "--"]
    t = time.perf_counter()
    p = subprocess.run(wrap + argv, cwd=cwd, env=env, input=b"2 3\n", stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL)
    dt = time.perf_counter() - t
    if p.returncode != 0 or p.stdout.strip() != b"5":
        raise RuntimeError("native run failed (%d): %s" % (p.returncode, " ".join(argv)))
    with open(rss_file) as f:
        return dt, int(f.read().split()[-1])


def run_sandboxed(sandbox, spec, argv, cwd, report):
    args = [sandbox, "-q", "-r", report, "-p", spec["policy"]] + LIMITS + spec.get("run_flags", [])
    args += ["--user", str(NOBODY), "--group", str(NOBODY)]
    for k, v in spec.get("run_env", {}).items():
        args += ["--env", "%s=%s" % (k, v)]
    t = time.perf_counter()
    p = subprocess.run(args + ["--"] + argv, cwd=cwd, input=b"2 3\n", stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL)
    dt = time.perf_counter() - t
    with open(report) as f:
        rep = json.load(f)
    if p.returncode != 0 or p.stdout.strip() != b"5":
        raise RuntimeError("sandboxed run failed: %s %s" % (rep.get("status"), rep.get("violation")))
    return dt, rep["memory_peak_kb"]


def bench_language(lang, sandbox, reps):
    with open(os.path.join(LANGS, lang, "spec.json")) as f:
        spec = json.load(f)
    missing = [t for t in spec["tools"] if not os.access(t, os.X_OK)]
    if missing:
        return "| %s | not installed: %s |" % (spec["language"], " ".join(missing))
    work = tempfile.mkdtemp(prefix="bench-%s-" % lang)
    try:
        os.chmod(work, 0o755)
        shutil.copy(os.path.join(LANGS, lang, "aplusb." + spec["ext"]), work)
        for extra in spec.get("files", []):
            shutil.copy(os.path.join(LANGS, lang, extra), work)
        env = {"PATH": "/usr/bin:/bin", "HOME": work}
        env.update(spec.get("compile_env", {}))
        cmd = spec.get("compile_once") or spec.get("compile")
        if cmd:
            subprocess.run(fill(cmd, spec, ["aplusb"]), cwd=work, env=env, check=True,
                           stdout=subprocess.DEVNULL)
        argv = fill(spec["run"], spec, ["aplusb"])
        renv = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
        renv.update(spec.get("run_env", {}))
        report = os.path.join(work, "report.json")
        nat, sbx, nat_kb, sbx_kb = [], [], [], []
        for _ in range(reps):
            dt, kb = run_native(argv, work, renv, os.path.join(work, "rss"))
            nat.append(dt)
            nat_kb.append(kb)
            dt, kb = run_sandboxed(sandbox, spec, argv, work, report)
            sbx.append(dt)
            sbx_kb.append(kb)
        n, s = statistics.median(nat) * 1000, statistics.median(sbx) * 1000
        return "| %s | %s | %.1f | %.1f | %.2fx | %.1f | %.1f |" % (
            spec["language"], spec["policy"], n, s, s / n,
            statistics.median(nat_kb) / 1024, statistics.median(sbx_kb) / 1024)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=11)
    ap.add_argument("--sandbox", default=os.path.join(HERE, "..", "build", "sandbox"))
    ap.add_argument("langs", nargs="*")
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("judge_langs.py: run as root (the runs use --user %d)" % NOBODY)
    langs = a.langs or sorted(d for d in os.listdir(LANGS)
                              if os.path.exists(os.path.join(LANGS, d, "spec.json")))
    print("| language | policy | native ms | sandbox ms | ratio | native peak MiB | sandbox peak MiB |")
    print("|---|---|---|---|---|---|---|")
    for lang in langs:
        print(bench_language(lang, a.sandbox, a.reps), flush=True)


if __name__ == "__main__":
    main()
