#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The documentation's promises, checked against the real binary:

- docs/judge_example.py maps a run to the verdict a judge expects, for each
  kind of ending (AC, WA, TLE, MLE, OLE, RE, IE);
- every report sandbox writes validates against docs/report.schema.json,
  and the shipped policies against docs/policy.schema.json;
- the "isolation" examples of docs/isolation.md and docs/policy.md load;
- every --log line validates against docs/log.schema.json, and every
  policy --learn writes against docs/policy.schema.json (and --check).

Environment (set by meson): SBX_BIN, SBX_PROGS, SBX_SOURCE.
"""
import json
import os
import subprocess
import sys
import tempfile

import jsonschema
from checklib import check, finish

BIN = os.environ["SBX_BIN"]
PROGS = os.environ["SBX_PROGS"]
SRC = os.environ["SBX_SOURCE"]


def load(path):
    with open(path) as f:
        return json.load(f)


def example_verdicts(tmp):
    script = os.path.join(SRC, "docs", "judge_example.py")
    judge = os.path.join(SRC, "policies", "judge.json")
    allow = os.path.join(tmp, "allow.json")
    with open(allow, "w") as f:
        f.write('{"default": "allow"}')
    inp, right, wrong = (os.path.join(tmp, n) for n in ("in", "right", "wrong"))
    for path, text in ((inp, "3 4\n"), (right, "7 3.0 1\n"), (wrong, "8 3.0 1\n")):
        with open(path, "w") as f:
            f.write(text)
    probe = os.path.join(PROGS, "probe")
    cases = [
        ("AC", judge, right, [os.path.join(PROGS, "sum-c")], []),
        ("WA", judge, wrong, [os.path.join(PROGS, "sum-c")], []),
        ("TLE", allow, right, [probe, "spin"], ["--cpu", "0.5"]),
        ("MLE", allow, right, [probe, "touch-mb", "400"], ["--memory", "64M"]),
        ("OLE", allow, right, [probe, "flood"], []),
        ("RE", judge, right, [probe, "fork-once"], []),
        ("RE", allow, right, [probe, "exit", "3"], []),
        ("RE", allow, right, [probe, "segv"], []),
        ("IE", allow, right, [os.path.join(tmp, "no-such-solution")], []),
    ]
    for want, policy, expected, cmd, extra in cases:
        p = subprocess.run([sys.executable, script, BIN, policy, inp, expected] + extra + ["--"] + cmd,
                           capture_output=True, text=True, timeout=60)
        got = p.stdout.split()[0] if p.stdout.split() else "(nothing)"
        check(got == want, f"judge_example {' '.join(os.path.basename(c) for c in cmd)}: {want} (got {p.stdout.strip()!r})")


def reports_validate(tmp):
    schema = load(os.path.join(SRC, "docs", "report.schema.json"))
    probe = os.path.join(PROGS, "probe")
    pol = os.path.join(tmp, "kill-mkdir.json")
    with open(pol, "w") as f:
        f.write('{"default": "allow", "rules": [{"syscalls": ["mkdir"], "action": "kill"}]}')
    runs = [
        ([], [probe, "exit", "0"]),
        ([], [probe, "segv"]),
        (["-p", pol], [probe, "mkdir", os.path.join(tmp, "d")]),
        (["--cpu-time", "0.2"], [probe, "spin"]),
        (["--wall-time", "0.2"], [probe, "sleep", "5000"]),
        (["--memory", "32M"], [probe, "touch-mb", "200"]),
        (["--output", "1K", "--stdout", os.path.join(tmp, "o")], [probe, "flood"]),
        (["--processes", "1"], [probe, "fork-once"]),
        ([], [os.path.join(tmp, "missing")]),
        (["--isolation", "landlock"] + (["--user", "65534"] if os.geteuid() == 0 else []),
         [probe, "exit", "0"]),
        (["--no-isolation"], [probe, "exit", "0"]),
        (["-c"], [probe, "getppids", "3"]),
        (["--workdir", "none", "--bind", tmp, "/data", "--tmpfs", "/scratch"], [probe, "exit", "0"]),
    ]
    for opts, cmd in runs:
        rep = os.path.join(tmp, "report.json")
        if os.path.exists(rep):
            os.unlink(rep)
        subprocess.run([BIN, "-q", "-r", rep] + opts + ["--"] + cmd, timeout=60,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        r = load(rep)
        try:
            jsonschema.validate(r, schema)
            check(True, f"report of {os.path.basename(cmd[0])} {' '.join(cmd[1:2])} ({r['status']}) matches the schema")
        except jsonschema.ValidationError as e:
            check(False, f"report of {cmd} does not match the schema: {e.message}")
    policy_schema = load(os.path.join(SRC, "docs", "policy.schema.json"))
    for name in sorted(os.listdir(os.path.join(SRC, "policies"))):
        try:
            jsonschema.validate(load(os.path.join(SRC, "policies", name)), policy_schema)
            check(True, f"policies/{name} matches the policy schema")
        except jsonschema.ValidationError as e:
            check(False, f"policies/{name}: {e.message}")
        p = subprocess.run([BIN, "--check", name[:-5]], capture_output=True, text=True)
        check(p.returncode == 0 and p.stdout.endswith(": 0 errors, 0 warnings\n"),
              f"sandbox --check {name[:-5]}: {p.stdout.strip().splitlines()[-1]}")


def isolation_examples_validate(tmp):
    """The "isolation" examples of docs/isolation.md and docs/policy.md load and validate."""
    schema = load(os.path.join(SRC, "docs", "policy.schema.json"))
    found = 0
    for doc in ("isolation.md", "policy.md"):
        with open(os.path.join(SRC, "docs", doc)) as f:
            blocks = f.read().split("```")
        for block in blocks[1::2]:
            body = block[len("json"):] if block.startswith("json") else None
            # A policy's section (a report's "isolation" object has host ids instead).
            if body is None or not body.lstrip().startswith('"isolation"') or "host_uid" in body:
                continue
            found += 1
            text = '{"default": "allow", "network": "off", ' + body.strip() + "}"
            path = os.path.join(tmp, "isolation-example.json")
            with open(path, "w") as f:
                f.write(text)
            try:
                jsonschema.validate(json.loads(text), schema)
                ok = True
            except (jsonschema.ValidationError, json.JSONDecodeError) as e:
                ok = False
                check(False, f"{doc}: isolation example: {getattr(e, 'message', e)}")
            p = subprocess.run([BIN, "--check", path], capture_output=True, text=True)
            check(ok and p.returncode == 0, f"{doc}: the isolation example validates and loads "
                  f"({p.stdout.strip().splitlines()[-1] if p.stdout.strip() else p.stderr.strip()})")
    check(found >= 2, f"{found} isolation examples found in the docs")
    # Refused namespaces: the report says nothing held.
    rep = os.path.join(tmp, "refused.json")
    subprocess.run([os.path.join(PROGS, "probe"), "no-userns", BIN, "-q", "-r", rep, "--", "/bin/true"],
                   timeout=60, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    r = load(rep)
    jsonschema.validate(r, load(os.path.join(SRC, "docs", "report.schema.json")))
    check(r["status"] == "error" and r["isolation"] is None,
          f"refused namespaces: status {r['status']}, isolation {r['isolation']}")


def logs_and_learned_policies_validate(tmp):
    log_schema = load(os.path.join(SRC, "docs", "log.schema.json"))
    policy_schema = load(os.path.join(SRC, "docs", "policy.schema.json"))
    probe = os.path.join(PROGS, "probe")
    pol = os.path.join(tmp, "deny-mkdir.json")
    with open(pol, "w") as f:
        f.write('{"default": "allow", "rules": [{"syscalls": ["mkdir"], "action": "errno", '
                '"errno": "EPERM"}, {"syscalls": ["uname"], "action": "kill"}]}')
    # Each run with the kinds of event it must log.
    runs = [
        (["--trace"], ["/bin/sh", "-c", f"{probe} trace-seq; exit 2"],
         {"syscall", "spawn", "exec", "exit"}),
        (["-p", pol, "--trace=openat"], [probe, "trace-seq", "extra"], {"syscall", "exec", "exit"}),
        (["--wall-time", "0.2"], [probe, "sleep", "5000"], {"exec", "exit", "limit"}),
    ]
    for opts, cmd, want in runs:
        log = os.path.join(tmp, "events.jsonl")
        if os.path.exists(log):
            os.unlink(log)  # a run that never opened it must not pass on the last one's
        subprocess.run([BIN, "-q", "--log", log] + opts + ["--"] + cmd, timeout=60,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bad, kinds = [], set()
        with open(log) as f:
            lines = f.read().splitlines()
        for line in lines:
            try:
                ev = json.loads(line)
                jsonschema.validate(ev, log_schema)
                kinds.add(ev["event"])
            except (json.JSONDecodeError, jsonschema.ValidationError) as e:
                bad.append(f"{line[:120]}: {getattr(e, 'message', e)}")
        check(lines and not bad, f"--log {' '.join(opts)}: {len(lines)} lines ({', '.join(sorted(kinds))}) "
              f"match the log schema{': ' + bad[0] if bad else ''}")
        check(want <= kinds, f"--log {' '.join(opts)}: has {', '.join(sorted(want))} events")
    out = os.path.join(tmp, "learned.json")
    for cmd in ([probe, "trace-seq"], ["/bin/sh", "-c", "ls / | wc -l"]):
        subprocess.run([BIN, "-q", "--learn", out, "--"] + cmd, timeout=60,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            jsonschema.validate(load(out), policy_schema)
            check(True, f"--learn {os.path.basename(cmd[0])} (merged) matches the policy schema")
        except jsonschema.ValidationError as e:
            check(False, f"--learn {cmd}: {e.message}")
        p = subprocess.run([BIN, "--check", out], capture_output=True, text=True)
        check(p.returncode == 0, f"sandbox --check of the learned policy: {p.stdout.strip().splitlines()[-1]}")


def schema_rejects_means_parser_rejects():
    """Whatever the schema rejects, the parser rejects too (the parser knows more)."""
    schema = load(os.path.join(SRC, "docs", "policy.schema.json"))
    data = os.path.join(SRC, "tests", "data")
    files = [os.path.join(data, f) for f in sorted(os.listdir(data)) if f.endswith(".json")]
    files += [os.path.join(data, "schema-bad", f)
              for f in sorted(os.listdir(os.path.join(data, "schema-bad")))]
    rejected = 0
    for path in files:
        try:
            jsonschema.validate(load(path), schema)
            continue
        except (jsonschema.ValidationError, json.JSONDecodeError):
            rejected += 1
        p = subprocess.run([BIN, "--check", path], capture_output=True, text=True)
        check(p.returncode != 0, f"the schema and --check both reject {os.path.relpath(path, data)}")
    check(rejected >= 20, f"{rejected} examples the schema rejects were tried")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        example_verdicts(tmp)
        reports_validate(tmp)
        isolation_examples_validate(tmp)
        logs_and_learned_policies_validate(tmp)
        schema_rejects_means_parser_rejects()
    finish()


if __name__ == "__main__":
    main()
