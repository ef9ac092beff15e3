#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Start-up of two or more builds side by side, interleaved.

    bench/compare.py [--reps N] [--runs M] CMD [CMD ...]

Each CMD is a command line (quoted) that starts /bin/true: a sandbox binary
("old/sandbox", run as "old/sandbox -q -- /bin/true") or any other command
given with a trailing "--" ("bwrap --unshare-all ... --", run with /bin/true
appended). Every repetition runs `launch M` of each CMD in turn, so a drift
of the machine hits them alike. Prints per CMD the median and minimum of
the microseconds per run, and the median of its paired difference with the
first CMD (each repetition's pair measured side by side).

Used to measure one change at a time: build the old and the new tree each
into its own directory (git worktree, or git archive) and compare the two
sandbox binaries, with a baseline such as bubblewrap in the same run.
"""
import argparse
import os
import shlex
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def command(spec):
    words = shlex.split(spec)
    if words and words[-1] == "--":
        return words[:-1] + ["/bin/true"]
    return words + ["-q", "--", "/bin/true"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=9)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--launch", default=os.path.join(HERE, "..", "build", "bench", "launch"))
    ap.add_argument("cmds", nargs="+")
    a = ap.parse_args()
    if not os.access(a.launch, os.X_OK):
        sys.exit(f"compare.py: {a.launch} not found: build first (meson compile -C build)")
    times = {c: [] for c in a.cmds}
    for _ in range(a.reps):
        for c in a.cmds:
            out = subprocess.run([a.launch, str(a.runs)] + command(c), capture_output=True,
                                 text=True, check=True).stdout.split()
            times[c].append(float(out[0]))
    base = times[a.cmds[0]]
    for c in a.cmds:
        diff = statistics.median(x - y for x, y in zip(times[c], base))
        print(f"{statistics.median(times[c]):9.1f} us/run  min {min(times[c]):9.1f}  "
              f"vs first {diff:+8.1f}  {c}")


if __name__ == "__main__":
    main()
