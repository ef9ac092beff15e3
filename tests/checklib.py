# SPDX-License-Identifier: MIT
"""What the documentation checks share: one line per check, and the exit.

check(cond, what) prints "ok   WHAT" or "FAIL WHAT" and counts the
failures; finish() prints the count and exits 1 when there was any, else 0.
"""
import sys

_failures = 0


def check(cond, what):
    global _failures
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        _failures += 1


def finish():
    print(f"{_failures} failure(s)")
    sys.exit(1 if _failures else 0)
