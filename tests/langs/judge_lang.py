#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""One language judged end to end, as an online judge runs it.

    judge_lang.py LANG [--repeat N] [--keep]

tests/langs/LANG/spec.json says which tools the language needs, the shipped
policy its solutions run under, how to compile (under the judge-compile
policy, as the unprivileged user 65534, writing only its own directory) and
how to run. The programs beside it are the cases:

    aplusb        reads "2 3", prints 5                 -> exited 0, "5"
    loop          an infinite loop, --cpu-time 1        -> cpu_time_limit
    alloc         512 MiB touched, --memory 256M        -> memory_limit
    panic         an uncaught exception / panic / abort -> the runtime's own
                                                           exit code or signal
    write_passwd  opens /etc/passwd for writing         -> violation, call named
    socket        creates an AF_INET socket             -> violation, call named
    exec_sh       runs /bin/sh                          -> violation, call named
    fits          (where the language has one) 100 MiB   -> exited 0, "fits ..."
                  live and 1 GiB of garbage, --memory 256M:
                  the runtime's flags keep it under the limit

Spec keys besides the obvious: compile (argv per program: {name}, {Name},
{src}) or compile_once (one argv for all, {srcs} the sources: javac,
kotlinc); compile_policy (default judge-compile); run_env, compile_env,
run_flags, compile_flags (more sandbox flags for the compile, e.g. a
--ro-bind); runtime_error (the report fields the panic case must have);
CASE_calls (the calls a violation case may name); files (more to copy);
ac_also (more A+B programs that must get AC, e.g. Java's
java.nio input); stale_check (true: after a TLE, as the user, as root and under
--isolation landlock, A+B still gets AC, and no runtime state file of the
solution's user is left in the host's /tmp or /dev/shm).

Exit status: 0 all passed, 1 a case failed, 77 (meson's skip) when a tool of
the language is missing or the test does not run as root (--user needs it).
Environment (set by meson): SBX_BIN, SBX_SOURCE.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

BIN = os.environ["SBX_BIN"]
SRC = os.environ["SBX_SOURCE"]
NOBODY = 65534
# The limits of the runs: a judge's usual ones.
LIMITS = ["--memory", "256M", "--cpu-time", "2", "--wall-time", "20", "--processes", "64"]
# What the cases expect besides the spec's own entries.
VIOLATION_CALLS = {
    "write_passwd": ["open", "openat"],
    "socket": ["socket"],
    "exec_sh": ["execve"],
}

# Every key a spec may have: a misspelt one (exec_calls for exec_sh_calls)
# would be ignored and its case judged by the default, so it is a failure.
SPEC_KEYS = {"language", "tools", "policy", "ext", "compile", "compile_once", "compile_policy",
             "compile_env", "compile_flags", "run", "run_env", "run_flags", "runtime_error",
             "files", "ac_also", "stale_check", "vars"} | {c + "_calls" for c in VIOLATION_CALLS}

failures = []


def fail(what):
    failures.append(what)
    print("FAIL: " + what, flush=True)


def fill(words, name, spec, names=()):
    """The argv |words| for program |name|: {name}, {Name} (first letter
    upper case: Kotlin's class AplusbKt), {src}, and the word {srcs}, every
    program's source (compile_once)."""
    out = []
    for w in words:
        if w == "{srcs}":
            out += [n + "." + spec["ext"] for n in names]
            continue
        out.append(w.format(name=name, Name=name[:1].upper() + name[1:], src=name + "." + spec["ext"],
                            **spec.get("vars", {})))
    return out


def sandbox(args, cwd, stdin_text=None, timeout=300):
    """Run the sandbox; return (exit status, stdout, stderr, report dict)."""
    fd, report = tempfile.mkstemp(prefix="report-", suffix=".json")
    os.close(fd)
    try:
        p = subprocess.run([BIN, "--quiet", "--report", report] + args, cwd=cwd,
                           input=(stdin_text or "").encode(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
        try:
            with open(report) as f:
                rep = json.load(f)
        except (OSError, ValueError):
            rep = {}
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), rep
    finally:
        os.unlink(report)


def describe(rep, err):
    v = rep.get("violation") or {}
    return "status %s exit %s signal %s violation %s; stderr: %s" % (
        rep.get("status"), rep.get("exit_code"), rep.get("signal_name"), v.get("text"),
        err.strip()[-600:])


def compile_all(spec, names, work):
    """Compile each program under judge-compile, as the solution's user; or,
    with compile_once, all of them in one compiler run (javac, kotlinc and mcs
    start a runtime that takes seconds: once instead of seven times)."""
    if not spec.get("compile") and not spec.get("compile_once"):
        return True
    env = ["--env", "HOME=/tmp", "--env", "PATH=/usr/bin:/bin"]
    for k, v in spec.get("compile_env", {}).items():
        env += ["--env", "%s=%s" % (k, v)]
    ok = True
    if spec.get("compile_once"):
        cmds = [("all", fill(spec["compile_once"], "", spec, names))]
    else:
        cmds = [(name, fill(spec["compile"], name, spec)) for name in names]
    for name, cmd in cmds:
        st, out, err, rep = sandbox(["-p", spec.get("compile_policy", "judge-compile"), "--user", str(NOBODY), "--group", str(NOBODY)]
                                    + spec.get("compile_flags", []) + env + ["--"] + cmd, cwd=work)
        if st != 0:
            fail("compile %s: %s %s" % (name, describe(rep, err), out[-300:]))
            ok = False
    return ok


def compile_confined(spec, here):
    """The compiler writes only where the view lets it: the same compile of
    aplusb, as the same user, in a directory that user owns but shown
    read-only (--workdir ro), must fail and leave the directory as it was."""
    if not spec.get("compile") and not spec.get("compile_once"):
        return
    ro = tempfile.mkdtemp(prefix="judge-ro-")
    try:
        src = "aplusb." + spec["ext"]
        shutil.copy(os.path.join(here, src), ro)
        os.chmod(ro, 0o755)
        os.chown(ro, NOBODY, NOBODY)
        if spec.get("compile_once"):
            cmd = fill(spec["compile_once"], "", spec, ["aplusb"])
        else:
            cmd = fill(spec["compile"], "aplusb", spec)
        st, out, err, rep = sandbox(["-p", spec.get("compile_policy", "judge-compile"), "--workdir", "ro",
                                     "--user", str(NOBODY), "--group", str(NOBODY),
                                     "--env", "HOME=/tmp", "--env", "PATH=/usr/bin:/bin"]
                                    + spec.get("compile_flags", []) + ["--"] + cmd, cwd=ro)
        left = sorted(os.listdir(ro))
        # The compiler itself must have failed (exited non-zero, or killed for
        # a write), not the sandbox before it ran (status "error"): that
        # would leave the directory as it was too.
        if st == 0 or left != [src] or rep.get("status") not in ("exited", "violation"):
            fail("compile in a read-only working directory: wanted the compiler to fail and "
                 "only %s left, got exit %d and %s: %s" % (src, st, left, describe(rep, err)))
    finally:
        shutil.rmtree(ro, ignore_errors=True)


def run_case(spec, name, work, extra=(), stdin_text="", user=True):
    args = ["-p", spec["policy"]] + LIMITS + spec.get("run_flags", []) + list(extra)
    if user:
        args += ["--user", str(NOBODY), "--group", str(NOBODY)]
    for k, v in spec.get("run_env", {}).items():
        args += ["--env", "%s=%s" % (k, v)]
    return sandbox(args + ["--"] + fill(spec["run"], name, spec), cwd=work, stdin_text=stdin_text)


def check_cases(spec, work):
    # AC, as the solution's user and as root; the spec's other A+B programs
    # (ac_also: another way of reading input) as the user.
    for name, user in [("aplusb", True), ("aplusb", False)] + [(n, True) for n in spec.get("ac_also", [])]:
        st, out, err, rep = run_case(spec, name, work, stdin_text="2 3\n", user=user)
        who = "user %d" % NOBODY if user else "root"
        if rep.get("status") != "exited" or rep.get("exit_code") != 0 or out.strip() != "5":
            fail("%s (%s): wanted exited 0 and 5, got %r: %s" % (name, who, out[-200:], describe(rep, err)))

    st, out, err, rep = run_case(spec, "loop", work, extra=["--cpu-time", "1"])
    if rep.get("status") != "cpu_time_limit":
        fail("loop: wanted cpu_time_limit: " + describe(rep, err))

    st, out, err, rep = run_case(spec, "alloc", work)
    if rep.get("status") != "memory_limit":
        fail("alloc: wanted memory_limit: " + describe(rep, err))

    if "fits" in spec["names"]:
        st, out, err, rep = run_case(spec, "fits", work)
        if rep.get("status") != "exited" or rep.get("exit_code") != 0 or not out.startswith("fits "):
            fail("fits: wanted exited 0 and 'fits ...' (peak %s KiB): %s"
                 % (rep.get("memory_peak_kb"), describe(rep, err)))

    want = spec["runtime_error"]
    st, out, err, rep = run_case(spec, "panic", work)
    got = {k: rep.get(k) for k in want}
    if got != want:
        fail("panic: wanted %s: %s" % (want, describe(rep, err)))

    for case, calls in VIOLATION_CALLS.items():
        calls = spec.get(case + "_calls", calls)
        st, out, err, rep = run_case(spec, case, work)
        v = rep.get("violation") or {}
        if rep.get("status") != "violation" or v.get("syscall") not in calls:
            fail("%s: wanted a violation at %s: %s" % (case, " or ".join(calls), describe(rep, err)))
        elif st != 200:
            fail("%s: exit status %d, wanted 200" % (case, st))


# Where a runtime keeps state between runs when nothing stops it: the JVM's
# /tmp/hsperfdata_USER/PID, mono's /dev/shm/mono.PID, ~/.mono, ~/.wapi.
# Only those names and the solution's user's own entries count: other tests
# may be making their own files in /tmp meanwhile.
HOST_STATE_DIRS = ["/tmp", "/dev/shm", "/tmp/hsperfdata_nobody", "/tmp/hsperfdata_root"]
RUNTIME_STATE = re.compile(r"^(hsperfdata_|mono\.|\.mono|\.wapi|\.java_pid|\.attach_pid|[0-9]+$)")


def host_state():
    """Runtime state files of the solution's user in the host's /tmp and /dev/shm."""
    found = set()
    for d in HOST_STATE_DIRS:
        try:
            names = os.listdir(d)
        except OSError:
            continue
        for n in names:
            try:
                if RUNTIME_STATE.match(n) and os.lstat(os.path.join(d, n)).st_uid == NOBODY:
                    found.add(os.path.join(d, n))
            except OSError:
                pass
    return found


def stale_check(spec, work):
    """A run killed for TLE leaves nothing that fails a later one: after the
    loop case is killed (as the user, as root, and under --isolation landlock,
    where /tmp is the host's), A+B still gets AC, and no file of the solution's
    user appeared in the host's /tmp or /dev/shm."""
    before = host_state()
    for extra, user, what in (([], True, "user %d" % NOBODY), ([], False, "root"),
                              (["--isolation", "landlock"], True, "landlock")):
        st, out, err, rep = run_case(spec, "loop", work, extra=extra + ["--cpu-time", "1"], user=user)
        if rep.get("status") != "cpu_time_limit":
            fail("stale (%s): loop: wanted cpu_time_limit: %s" % (what, describe(rep, err)))
        st, out, err, rep = run_case(spec, "aplusb", work, extra=extra, stdin_text="2 3\n", user=user)
        if rep.get("status") != "exited" or rep.get("exit_code") != 0 or out.strip() != "5":
            fail("stale (%s): aplusb after a TLE: wanted exited 0 and 5, got %r: %s"
                 % (what, out[-200:], describe(rep, err)))
    left = sorted(host_state() - before)
    if left:
        fail("stale: the runs left %s in the host's /tmp or /dev/shm" % " ".join(left))


def listed(names):
    """--listed NAME...: every language directory (one with a spec.json) is
    among NAMES, meson's judge_languages, so none is left untested unseen."""
    langs = os.path.join(SRC, "tests", "langs")
    dirs = sorted(d for d in os.listdir(langs) if os.path.exists(os.path.join(langs, d, "spec.json")))
    unlisted = [d for d in dirs if d not in names]
    unknown = [n for n in names if n not in dirs]
    for d in unlisted:
        print("FAIL: tests/langs/%s has a spec.json but is not in judge_languages (tests/meson.build)" % d)
    for n in unknown:
        print("FAIL: judge_languages names %s, which has no tests/langs/%s/spec.json" % (n, n))
    print("%d language directories, %d listed" % (len(dirs), len(names)))
    return 1 if unlisted or unknown else 0


def main():
    if sys.argv[1] == "--listed":
        return listed(sys.argv[2:])
    lang = sys.argv[1]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    here = os.path.join(SRC, "tests", "langs", lang)
    with open(os.path.join(here, "spec.json")) as f:
        spec = json.load(f)
    unknown = sorted(set(spec) - SPEC_KEYS)
    if unknown:
        print("FAIL: %s: unknown keys %s (judge_lang.py's SPEC_KEYS lists the known ones)"
              % (os.path.join(here, "spec.json"), ", ".join(unknown)))
        return 1
    missing = [t for t in spec["tools"] if not os.access(t, os.X_OK)]
    if missing:
        print("SKIP: %s: not installed: %s (.ci/setup.sh installs it)" % (spec["language"], " ".join(missing)))
        return 77
    if os.geteuid() != 0:
        print("SKIP: the cases run as user %d: --user needs root" % NOBODY)
        return 77
    names = ["aplusb", "loop", "alloc", "panic"] + list(VIOLATION_CALLS)
    if os.path.exists(os.path.join(here, "fits." + spec["ext"])):
        names.append("fits")
    names += spec.get("ac_also", [])
    spec["names"] = names
    work = tempfile.mkdtemp(prefix="judge-%s-" % lang)
    try:
        os.chmod(work, 0o755)
        for name in names:
            shutil.copy(os.path.join(here, name + "." + spec["ext"]), work)
        for extra in spec.get("files", []):
            shutil.copy(os.path.join(here, extra), work)
        os.chown(work, NOBODY, NOBODY)
        compile_confined(spec, here)
        if compile_all(spec, names, work):
            os.chown(work, 0, 0)  # the solution's directory is not its to change
            for i in range(repeat):
                check_cases(spec, work)
                if spec.get("stale_check"):
                    stale_check(spec, work)
                if repeat > 1:
                    print("round %d: %d failures so far" % (i + 1, len(failures)), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%s: %d failed" % (spec["language"], len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
