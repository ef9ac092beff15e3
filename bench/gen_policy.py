#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write a policy with N argument rules, to measure how loading grows.

    bench/gen_policy.py N [--shape spread|one] [--base default|none] > p.json

Every rule is an `==` test on one argument, each with a value of its own, so
no rule shadows another and the loader, the linter and the filter compiler
all see N distinct rules:

- spread: the rules go round a handful of calls (ioctl's request,
  fcntl's command, openat's flags, socket's domain, ...), as a large
  hand-written or generated allow-list would;
- one: every rule is for ioctl, the worst case for a filter compiler that
  keeps one tree per call.

With --base default the policy extends the shipped default policy, so
`sandbox -p p.json -- /bin/true` runs; with none the default is "allow".
"""
import argparse
import json
import sys

# (call, argument index): arguments the filter can compare in the kernel.
SPREAD = [("ioctl", 1), ("fcntl", 1), ("openat", 2), ("socket", 0),
          ("prctl", 0), ("setsockopt", 2), ("getsockopt", 2), ("madvise", 2)]


def rules(n, shape):
    calls = SPREAD if shape == "spread" else [("ioctl", 1)]
    out = []
    for i in range(n):
        call, index = calls[i % len(calls)]
        value = 0x10000 + i // len(calls)
        out.append({"syscalls": [call], "action": "errno",
                    "args": [{"index": index, "op": "==", "value": value}]})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of argument rules")
    ap.add_argument("--shape", choices=("spread", "one"), default="spread")
    ap.add_argument("--base", choices=("default", "none"), default="default")
    args = ap.parse_args()
    pol = {"version": 1}
    if args.base == "default":
        pol["extends"] = "default"
    else:
        pol["default"] = "allow"
    pol["rules"] = rules(args.n, args.shape)
    # One rule a line, compact (150,000 rules in 13 MB): the shape of a
    # generated policy, and line numbers that say which rule a message is
    # about.
    sys.stdout.write('{"version": 1, ')
    for key in ("extends", "default"):
        if key in pol:
            sys.stdout.write(f'"{key}": {json.dumps(pol[key])}, ')
    sys.stdout.write('"rules": [\n')
    sys.stdout.write(",\n".join(json.dumps(r, separators=(",", ":")) for r in pol["rules"]))
    sys.stdout.write("\n]}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
