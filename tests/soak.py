#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Soak: many sandboxed runs, several at once, mixing normal exits, crashes,
policy violations and every limit, and the situations verdicts used to get
wrong: a stderr pipe nobody reads, a caller with SIGALRM blocked, FIFOs
nobody (or somebody) opens, thread churn under --processes, forked
children sharing memory under --memory, a refused call in a loop. Every
run's exit status, report and output are checked; at the end the caller
(this process, a child subreaper, so that whatever a run leaves behind
becomes its child) must hold no more descriptors than it started with, have
no child left (zombie or not), and no process started by any run may still
exist.

    tests/soak.py [--runs N] [--jobs J] [--seed S]

The test command runs the short form (100 runs); the long form is
--runs 1000. Needs SBX_BIN and SBX_PROGS (set by meson test), or give
--sandbox and --progs.
"""
import argparse
import ctypes
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

# name: (sandbox options, probe arguments, exit status, report status, extra check[, mode])
# A probe argument starting with "/" makes it a command of its own. Modes:
# "stalled" (the sandbox's stderr is a pipe nobody reads), "blocked" (the
# caller has SIGALRM blocked), "fifo" (--stdin is a FIFO nobody opens),
# "fifo-fed" (a FIFO a writer opens late), "refusals" (a policy that denies
# getppid with a line).
CASES = {
    "exit-0": ([], ["exit", "0"], 0, "exited", None),
    "exit-3": ([], ["exit", "3"], 3, "exited", None),
    "segv": ([], ["segv"], 128 + 11, "signaled", None),
    "ptrace": ([], ["ptrace-parent"], 200, "violation", "ptrace"),
    "untraced-clone": ([], ["untraced"], 200, "violation", "clone"),
    "io-uring": ([], ["uring-open", "/etc/passwd"], 200, "violation", "io_uring_setup"),
    "cpu": (["--cpu-time", "0.3"], ["spin"], 201, "cpu_time_limit", None),
    "wall-sleep": (["--wall-time", "0.3"], ["sleep", "5000"], 202, "wall_time_limit", None),
    "wall-stopped": (["--wall-time", "0.3"], ["stop-forever"], 202, "wall_time_limit", None),
    "memory": (["--memory", "64M"], ["touch-mb", "200"], 203, "memory_limit", None),
    "output": (["--output", "10K"], ["flood"], 204, "output_limit", "stdout=10240"),
    "process": (["--processes", "1"], ["fork-once"], 205, "process_limit", None),
    "fork-bomb": (["--processes", "8", "--wall-time", "0.4"], ["forkbomb"], 202,
                  "wall_time_limit", "hit=process_limit"),
    "fork-storm": ([], ["fork-storm", "100"], 0, "exited", "out=stormed=1"),
    "orphan": ([], ["orphan", "ESCAPE"], 0, "exited", "out=orphan="),
    "stalled-stderr": (["--wall-time", "0.4"],
                       ["/bin/sh", "-c", "while :; do echo 0123456789abcdef; done >&2"], 202,
                       "wall_time_limit", None, "stalled"),
    "blocked-alarm": (["--wall-time", "0.3"], ["sleep", "5000"], 202, "wall_time_limit", None,
                      "blocked"),
    "fifo-nobody": (["--wall-time", "0.3"], ["/bin/sh", "-c", "cat"], 202, "wall_time_limit",
                    None, "fifo"),
    "fifo-fed": (["--wall-time", "10"], ["/bin/sh", "-c", "cat"], 0, "exited",
                 "out=fed through a fifo", "fifo-fed"),
    "thread-churn": (["--processes", "2"], ["thread-churn", "200"], 0, "exited",
                     "out=thread-churn=200\n"),
    "fork-shared": (["--memory", "400M", "--wall-time", "20"], ["fork-touched", "150", "2", "300"],
                    0, "exited", "peak<300M"),
    "refused-loop": ([], ["getppids", "20000"], 0, "exited", "calls=20000", "refusals"),
}

DENY_GETPPID = {"default": "allow", "rules": [
    {"syscalls": ["getppid"], "action": "errno", "errno": "EPERM", "log": True}]}

# Run the rest of the command line with SIGALRM blocked, as a job runner may.
BLOCK_ALARM = ("import os, signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, "
               "[signal.SIGALRM]); os.execv(sys.argv[1], sys.argv[1:])")


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--sandbox", default=os.environ.get("SBX_BIN"))
    ap.add_argument("--progs", default=os.environ.get("SBX_PROGS"))
    args = ap.parse_args()
    if not args.sandbox or not args.progs:
        ap.error("give --sandbox and --progs (or set SBX_BIN and SBX_PROGS)")
    return args


def open_fds():
    return sorted(int(fd) for fd in os.listdir("/proc/self/fd"))


def children_of_self():
    kids = []
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/children") as f:
                kids += [int(p) for p in f.read().split()]
        except OSError:
            pass
    return kids


def processes_with(token):
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if token.encode() in f.read():
                    found.append(int(entry))
        except OSError:
            pass
    return found


class Soak:
    def __init__(self, args, workdir, token):
        self.args = args
        self.workdir = workdir
        self.token = token
        self.probe = os.path.join(args.progs, "probe")
        self.lock = threading.Lock()
        self.failures = []
        self.counts = {}
        self.deny_policy = os.path.join(workdir, "deny-getppid.json")
        with open(self.deny_policy, "w") as f:
            json.dump(DENY_GETPPID, f)

    def fail(self, run, name, why, proc=None):
        detail = f"run {run} ({name}): {why}"
        if proc is not None:
            detail += f"\n  stderr: {proc.stderr.strip()[-500:]}"
        with self.lock:
            self.failures.append(detail)

    def start(self, cmd, mode, fifo):
        """Run |cmd| as |mode| says; returns (exit status, stderr text)."""
        if mode == "stalled":
            # stderr: a pipe nobody reads, held open until the sandbox ends.
            r, w = os.pipe()
            try:
                proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=w)
                os.close(w)
                w = -1
                status = proc.wait(timeout=60)
            finally:
                if w >= 0:
                    os.close(w)
                os.close(r)
            return status, ""
        if mode == "blocked":
            cmd = [sys.executable, "-c", BLOCK_ALARM] + cmd
        writer = None
        if mode == "fifo-fed":
            def feed():
                # Non-blocking until the sandbox opened its end (60 s at most):
                # a sandbox that never opens it must not hang the soak.
                time.sleep(0.2)
                for _ in range(6000):
                    try:
                        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                        break
                    except OSError:
                        time.sleep(0.01)
                else:
                    return
                os.write(fd, b"fed through a fifo\n")
                os.close(fd)
            writer = threading.Thread(target=feed)
            writer.start()
        try:
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  timeout=60)
        finally:
            if writer:
                writer.join()
        return proc.returncode, proc.stderr

    def one(self, run, name):
        opts, probe_args, want_status, want_verdict, extra, *mode = CASES[name]
        mode = mode[0] if mode else None
        base = os.path.join(self.workdir, f"run{run}")
        report, out, fifo = base + ".json", base + ".out", base + ".fifo"
        probe_args = [a.replace("ESCAPE", base + ".escaped") for a in probe_args]
        cmd = [self.args.sandbox, "-r", report, "--stdout", out] + opts
        if mode in ("fifo", "fifo-fed"):
            os.mkfifo(fifo, 0o600)
            cmd += ["--stdin", fifo]
        if mode == "refusals":
            cmd += ["-p", self.deny_policy]
        if probe_args[0].startswith("/"):
            cmd += ["--"] + probe_args + [self.token]
        else:
            cmd += ["--", self.probe] + probe_args + [self.token]
        try:
            status, err = self.start(cmd, mode, fifo)
        except subprocess.TimeoutExpired:
            self.fail(run, name, "the sandbox did not finish in 60 s")
            return
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + 1

        class Proc:
            stderr = err
        proc = Proc()
        if status != want_status:
            self.fail(run, name, f"exit status {status}, expected {want_status}", proc)
            return
        try:
            with open(report) as f:
                rep = json.load(f)
        except (OSError, ValueError) as e:
            self.fail(run, name, f"no complete report: {e}", proc)
            return
        if rep.get("status") != want_verdict:
            self.fail(run, name, f"verdict {rep.get('status')}, expected {want_verdict}",
                      proc)
            return
        if want_verdict == "violation":
            got = (rep.get("violation") or {}).get("syscall")
            if got != extra:
                self.fail(run, name, f"violation names {got}, expected {extra}", proc)
        elif extra == "stdout=10240":
            size = os.path.getsize(out)
            if size != 10240:
                self.fail(run, name, f"stdout holds {size} bytes, expected 10240", proc)
        elif extra and extra.startswith("out="):
            with open(out) as f:
                if extra[4:] not in f.read():
                    self.fail(run, name, f"stdout lacks {extra[4:]!r}", proc)
        elif extra and extra.startswith("hit="):
            if extra[4:] not in rep.get("limits_hit", []):
                self.fail(run, name, f"limits_hit {rep.get('limits_hit')} lacks {extra[4:]}")
        elif extra == "peak<300M":
            if not 150 * 1024 <= rep.get("memory_peak_kb", 0) < 300 * 1024:
                self.fail(run, name, f"memory_peak_kb {rep.get('memory_peak_kb')}, expected "
                          "150 MiB counted once", proc)
        elif extra == "calls=20000":
            calls = rep.get("calls") or [{}]
            if calls[0].get("count") != 20000 or len(err) > 4096:
                self.fail(run, name, f"calls {calls}, {len(err)} bytes on stderr", proc)
        if mode == "fifo" and rep.get("exit_code") is not None:
            self.fail(run, name, "a program that never started has an exit code", proc)
        for path in (report, out, fifo):
            if os.path.lexists(path):
                os.unlink(path)

    def run(self):
        rng = random.Random(self.args.seed)
        names = sorted(CASES)
        # Every case at least once, then a random mix.
        plan = names + [rng.choice(names) for _ in range(max(0, self.args.runs - len(names)))]
        plan = plan[: self.args.runs]
        rng.shuffle(plan)
        with ThreadPoolExecutor(max_workers=self.args.jobs) as pool:
            futures = [(i, name, pool.submit(self.one, i, name)) for i, name in enumerate(plan)]
            for i, name, fut in futures:
                try:
                    fut.result()
                except Exception as e:  # a bug here must fail the soak, not vanish
                    self.fail(i, name, f"the soak itself failed: {e!r}")


def become_subreaper():
    """Orphans of every run are re-parented to us, not to init: a process a
    run leaves behind then shows up as our child, zombie or not."""
    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_CHILD_SUBREAPER = 36
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def main():
    args = parse_args()
    become_subreaper()
    seed = args.seed if args.seed is not None else int(time.time())
    args.seed = seed
    token = f"soak-token-{os.getpid()}-{seed}"
    fds_before = open_fds()
    workdir = tempfile.mkdtemp(prefix="sbx-soak-")
    start = time.monotonic()
    try:
        soak = Soak(args, workdir, token)
        soak.run()
        # An orphan that escaped would write its file about a second after its run.
        time.sleep(1.5)
        leftovers = sorted(os.listdir(workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.monotonic() - start
    problems = list(soak.failures)
    escaped = [f for f in leftovers if f.endswith(".escaped")]
    if escaped:
        problems.append(f"orphans outlived their runs and wrote: {escaped}")
    stray = processes_with(token)
    if stray:
        problems.append(f"processes still running after the soak: {stray}")
    kids = children_of_self()
    if kids:
        problems.append(f"children left to the caller (zombies or live): {kids}")
    fds_after = open_fds()
    if fds_after != fds_before:
        problems.append(f"descriptors before {fds_before}, after {fds_after}")
    done = sum(soak.counts.values())
    mix = ", ".join(f"{k} {v}" for k, v in sorted(soak.counts.items()))
    print(f"soak: {done} runs, {args.jobs} at a time, seed {seed}, {elapsed:.1f} s")
    print(f"soak: mix: {mix}")
    for p in problems:
        print(f"FAIL: {p}")
    if problems:
        print(f"soak: {len(problems)} problem(s)")
        return 1
    print("soak: every verdict right; no leaked descriptor, child or process")
    return 0


if __name__ == "__main__":
    sys.exit(main())
