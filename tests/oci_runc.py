#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Differential test: seccomp profiles under `sandbox -p PROFILE` and under runc.

For each profile in tests/data/oci, the static probe (tests/progs/oci_probe.c)
makes the raw system calls of tests/data/oci/calls.txt twice: once in a
rootless runc container whose linux.seccomp is the profile as Docker or
Podman would hand it to runc, once under the sandbox given the original
file. The two tables of results must be equal, except rows listed in
INTENDED below with the reason.

A call that kills the probe (a KILL or TRAP action, a call of an
architecture the filter does not allow) is shown as `killed` and the probe is
started again at the next row. A profile the sandbox refuses shows every row
as `refused`, with the sandbox's first error line.

runc never runs as root here: it runs as uid/gid 65534 (nobody), rootless,
with a user namespace mapping the container's root to 65534, its state and
XDG_RUNTIME_DIR in a temporary directory that user owns, and no cgroup.

Environment (set by tests/meson.build): SBX_BIN (the sandbox), OCI_PROBE
(the probe), OCI_DATA (tests/data/oci). Exit status: 0 when the tables
agree, 1 on any difference not in INTENDED, 77 (skipped) when runc is
missing, this is not root, or rootless runc cannot start a container.

    tests/oci_runc.py                 run every profile, print the differences
    tests/oci_runc.py --show PROFILE  print one profile's two tables side by side
    tests/oci_runc.py --profile NAME  run only these profiles (repeatable)

Summary line: `oci-runc: N profiles, M rows, K differ, J intended`: M rows
compared in all, K of them differ, J of those K are intended differences.
"""

import argparse
import errno
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP = 77
NOBODY = 65534
# runc reports a container's death by a signal as 128 + the signal: SIGSYS.
RUNC_SIGSYS = 128 + 31
SBX_VIOLATION = 200
SBX_ERROR = 125
RUN_TIMEOUT = 30

# The profiles, in the order they run. Each is a file in OCI_DATA.
PROFILES = [
    "docker-default",
    "docker-v0.2.3",
    "podman-default",
    "runc-test1",
    "runc-test2",
    "edge-same-index-or",
    "edge-overlap",
    "edge-newer-calls",
    "edge-errno",
    "edge-actions",
    "edge-i386",
]

# Intended differences: (profile, row pattern) -> reason. The profile is a
# name from PROFILES or "*"; the pattern is an fnmatch pattern over the row's
# call as written in calls.txt, without its comment ("x86_64 clone3 0 0",
# "i386 *", "*"). Every difference not matched here fails the test. A
# profile that one side refuses is covered only by (that profile, "*").
LOW_HALF = ("32-bit argument compared on its low half: the kernel reads an int there "
            "(docs/policy.md, Intended differences from runc)")
INTENDED = {
    ("*", "* clone3 *"): "built-in rule: clone3 fails with ENOSYS (libc falls back to clone)",
    ("*", "x86_64 personality 0x100000008"): LOW_HALF,
    ("*", "x86_64 process_vm_readv 0x100000064 *"): LOW_HALF,
}

# The capabilities the program gets: none, in the sandbox and (as set below)
# in the runc container, so the profiles' includes/excludes are evaluated
# against this set.
CAPABILITIES = []
# What Docker and Podman call this machine in includes/excludes "arches".
NATIVE_ARCH = "amd64"
NATIVE_SCMP_ARCH = "SCMP_ARCH_X86_64"

ROW_RE = re.compile(r"^(\d+) (\S+) (\S+) -> (\S+)$")


def fail(msg):
    print("oci-runc: " + msg, file=sys.stderr)
    sys.exit(1)


def skip(msg):
    print("oci-runc: skipped: " + msg)
    sys.exit(SKIP)


# ---------------------------------------------------------------------------
# The call table


def read_rows(path):
    """The rows of the call table, as the probe numbers them: "ABI NAME ARGS"."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split("#", 1)[0].split()
            if fields:
                rows.append(" ".join(fields))
    return rows


# ---------------------------------------------------------------------------
# Profile conversion: what Docker (moby profiles/seccomp/seccomp_linux.go) and
# Podman (containers/common pkg/seccomp/seccomp_linux.go) do to their profile
# format before it reaches runc as linux.seccomp in config.json.

# Keys only the Docker/Podman format has; a profile with none of them is a
# runtime-spec profile and goes to runc as it is.
DOCKER_TOP_KEYS = {"archMap", "defaultErrno"}
DOCKER_ENTRY_KEYS = {"name", "includes", "excludes", "comment", "errno"}


def is_docker_format(profile):
    if DOCKER_TOP_KEYS & profile.keys():
        return True
    return any(DOCKER_ENTRY_KEYS & entry.keys() for entry in profile.get("syscalls") or [])


def kernel_version():
    parts = re.match(r"(\d+)\.(\d+)", os.uname().release)
    return (int(parts.group(1)), int(parts.group(2)))


def kernel_at_least(text):
    m = re.match(r"^(\d+)\.(\d+)", text)
    if not m:
        raise ValueError("bad minKernel %r" % text)
    return kernel_version() >= (int(m.group(1)), int(m.group(2)))


def errno_number(value, default):
    """Podman's errno names ("EPERM") and numbers as strings, to numbers."""
    if value in (None, ""):
        return default
    if isinstance(value, int):
        return value
    if value.isdigit():
        return int(value)
    if not hasattr(errno, value):
        raise ValueError("unknown errno %s" % value)
    return getattr(errno, value)


def entry_applies(entry):
    """Docker's and Podman's includes/excludes, on this machine."""
    exc = entry.get("excludes") or {}
    inc = entry.get("includes") or {}
    if NATIVE_ARCH in (exc.get("arches") or []):
        return False
    if any(cap in CAPABILITIES for cap in exc.get("caps") or []):
        return False
    if exc.get("minKernel") and kernel_at_least(exc["minKernel"]):
        return False
    if inc.get("arches") and NATIVE_ARCH not in inc["arches"]:
        return False
    if any(cap not in CAPABILITIES for cap in inc.get("caps") or []):
        return False
    if inc.get("minKernel") and not kernel_at_least(inc["minKernel"]):
        return False
    return True


def to_runtime_spec(profile):
    """linux.seccomp for config.json: (object, a note on what was done)."""
    if not is_docker_format(profile):
        return profile, "runtime-spec profile, given to runc as it is"
    if profile.get("architectures") and profile.get("archMap"):
        raise ValueError("both architectures and archMap")
    out = {"defaultAction": profile["defaultAction"]}
    arches = list(profile.get("architectures") or [])
    for entry in profile.get("archMap") or []:
        if entry.get("architecture") == NATIVE_SCMP_ARCH:
            arches += [entry["architecture"]] + list(entry.get("subArchitectures") or [])
            break
    if arches:
        out["architectures"] = arches
    ret = errno_number(profile.get("defaultErrno"), profile.get("defaultErrnoRet"))
    if ret is not None:
        out["defaultErrnoRet"] = ret
    for key in ("flags", "listenerPath", "listenerMetadata"):
        if profile.get(key):
            out[key] = profile[key]
    calls = []
    total = 0
    for entry in profile.get("syscalls") or []:
        total += 1
        if entry.get("name") and entry.get("names"):
            raise ValueError("both name and names in one entry")
        if not entry_applies(entry):
            continue
        call = {
            "names": [entry["name"]] if entry.get("name") else list(entry.get("names") or []),
            "action": entry["action"],
        }
        ret = errno_number(entry.get("errno"), entry.get("errnoRet"))
        if ret is not None:
            call["errnoRet"] = ret
        args = []
        for arg in entry.get("args") or []:
            args.append({
                "index": arg["index"],
                "value": arg.get("value", 0),
                "valueTwo": arg.get("valueTwo", 0),
                "op": arg["op"],
            })
        if args:
            call["args"] = args
        calls.append(call)
    out["syscalls"] = calls
    return out, "Docker/Podman format: %d of %d entries kept, architectures %s" % (
        len(calls), total, ",".join(a.replace("SCMP_ARCH_", "") for a in arches) or "native")


# ---------------------------------------------------------------------------
# Running the probe


def collect(runner, run_once, nrows):
    """Run the probe from row 0; restart it after each row that ends it.

    run_once(start) -> (returncode, stdout, stderr). Returns (results,
    refusal): results has one entry a row; refusal is None, or the line that
    says why nothing ran at all.
    """
    results = [None] * nrows
    start = 0
    while start < nrows:
        rc, out, err = run_once(start)
        last = start - 1
        ended = False
        for line in out.splitlines():
            if line == "END":
                ended = True
                continue
            m = ROW_RE.match(line)
            if m and int(m.group(1)) < nrows:
                results[int(m.group(1))] = m.group(4)
                last = max(last, int(m.group(1)))
        if ended:
            break
        if last < start:
            refusal = runner.refusal(rc, err)
            if refusal:
                return [None] * nrows, refusal
        row = last + 1
        if row >= nrows:
            break
        results[row] = runner.label(rc)
        start = row + 1
    return results, None


class Runner:
    """What one side's exit statuses mean: killed by the filter, or never started."""
    name = ""
    killed_status = None
    failed_status = ()

    def label(self, rc):
        if rc == self.killed_status:
            return "killed"
        if rc is None:
            return "timeout"
        if rc < 0:
            return "signal%d" % -rc
        return "exit%d" % rc

    def refusal(self, rc, err):
        if rc in self.failed_status:
            lines = [line for line in err.splitlines() if line.strip()]
            errors = [line for line in lines if "warning:" not in line]
            first = (errors or lines or ["exit status %d" % rc])[0].strip()
            # runc logs as logrus does: time="..." level=error msg="..."
            m = re.search(r'msg="((?:[^"\\]|\\.)*)"', first)
            if m:
                first = m.group(1).replace('\\"', '"')
            return "%s: refused: %s" % (self.name, first)
        return None


class Sandbox(Runner):
    name = "sandbox"
    killed_status = SBX_VIOLATION
    failed_status = (SBX_ERROR,)

    def __init__(self, sbx, workdir):
        self.sbx = sbx
        self.workdir = workdir
        self.stderr = ""

    def run(self, profile_path, nrows):
        def once(start):
            cmd = [self.sbx, "-q", "--workdir", "ro", "-p", profile_path, "--", "./oci_probe"]
            if start:
                cmd += ["--from", str(start)]
            cmd.append("calls.txt")
            try:
                p = subprocess.run(cmd, cwd=self.workdir, stdin=subprocess.DEVNULL,
                                   capture_output=True, text=True, timeout=RUN_TIMEOUT)
            except subprocess.TimeoutExpired as e:
                return None, e.stdout or "", e.stderr or ""
            if not self.stderr:
                self.stderr = p.stderr
            return p.returncode, p.stdout, p.stderr
        self.stderr = ""
        return collect(self, once, nrows)


class Runc(Runner):
    name = "runc"
    killed_status = RUNC_SIGSYS
    failed_status = (1,)

    def __init__(self, top):
        self.top = top
        self.bundle = os.path.join(top, "bundle")
        self.state = os.path.join(top, "state")
        self.xdg = os.path.join(top, "xdg")
        self.count = 0
        self.config = None
        self.stderr = ""

    def as_nobody(self, args, timeout=RUN_TIMEOUT):
        """Run ARGS as uid/gid 65534 with no supplementary groups: never as root."""
        env = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
               "XDG_RUNTIME_DIR": self.xdg, "HOME": self.top}
        # Pipes for all three: runc gives its stdio to the container's root,
        # which /dev/null or a root-owned descriptor would not allow.
        p = subprocess.Popen(args, cwd=self.top, env=env, user=NOBODY, group=NOBODY,
                             extra_groups=[], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        try:
            out, err = p.communicate("", timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            return None, out, err
        return p.returncode, out, err

    def spec(self, seccomp, args):
        """config.json: runc's rootless spec, trimmed to what the probe needs."""
        if self.config is None:
            rc, _, err = self.as_nobody(["runc", "spec", "--rootless", "--bundle", self.bundle])
            if rc != 0:
                raise RuntimeError("runc spec --rootless: " + err.strip())
            with open(os.path.join(self.bundle, "config.json"), encoding="utf-8") as f:
                self.config = json.load(f)
            proc = self.config["process"]
            proc["terminal"] = False
            proc["env"] = ["PATH=/"]
            proc["capabilities"] = {k: list(CAPABILITIES) for k in
                                    ("bounding", "effective", "permitted", "ambient")}
            linux = self.config["linux"]
            linux["uidMappings"] = [{"containerID": 0, "hostID": NOBODY, "size": 1}]
            linux["gidMappings"] = [{"containerID": 0, "hostID": NOBODY, "size": 1}]
            # No /sys and no cgroup mount: nothing of the machine's cgroups.
            self.config["mounts"] = [m for m in self.config["mounts"]
                                     if m["destination"] in ("/proc", "/dev")]
            linux.pop("resources", None)
            linux.pop("cgroupsPath", None)
        self.config["process"]["args"] = args
        if seccomp is None:
            self.config["linux"].pop("seccomp", None)
        else:
            self.config["linux"]["seccomp"] = seccomp
        path = os.path.join(self.bundle, "config.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.config, f, indent=1)
        os.chown(path, NOBODY, NOBODY)

    def start(self, seccomp, args):
        self.count += 1
        cid = "oci-runc-%d-%d" % (os.getpid(), self.count)
        self.spec(seccomp, args)
        try:
            return self.as_nobody(["runc", "--root", self.state, "run", "--bundle", self.bundle,
                                   cid])
        finally:
            self.as_nobody(["runc", "--root", self.state, "delete", "-f", cid])

    def run(self, seccomp, nrows):
        def once(start):
            args = ["/oci_probe"] + (["--from", str(start)] if start else []) + ["/calls.txt"]
            rc, out, err = self.start(seccomp, args)
            if not self.stderr:
                self.stderr = err
            return rc, out, err
        self.stderr = ""
        return collect(self, once, nrows)


def make_tree(probe, calls):
    """A temporary tree owned by 65534: bundle/rootfs with the probe and the table."""
    top = tempfile.mkdtemp(prefix="oci-runc.")
    os.chmod(top, 0o755)
    rootfs = os.path.join(top, "bundle", "rootfs")
    os.makedirs(rootfs)
    for d in ("state", "xdg"):
        os.mkdir(os.path.join(top, d), 0o700)
    shutil.copy(probe, os.path.join(rootfs, "oci_probe"))
    shutil.copy(calls, os.path.join(rootfs, "calls.txt"))
    os.chmod(os.path.join(rootfs, "oci_probe"), 0o755)
    os.chmod(os.path.join(rootfs, "calls.txt"), 0o644)
    with open(os.path.join(rootfs, "empty.txt"), "w", encoding="utf-8"):
        pass
    for dirpath, dirnames, filenames in os.walk(top):
        os.chown(dirpath, NOBODY, NOBODY)
        for name in filenames:
            os.chown(os.path.join(dirpath, name), NOBODY, NOBODY)
    return top, rootfs


# ---------------------------------------------------------------------------
# Comparison and output


def intended_reason(profile, row, refused):
    """The INTENDED entry that covers this row's difference: (key, reason).

    A profile one side refused differs for that reason alone: only an entry
    naming that very profile with the pattern "*" covers it.
    """
    for (prof, pattern), reason in INTENDED.items():
        if refused and (prof, pattern) != (profile, "*"):
            continue
        if prof in ("*", profile) and fnmatch.fnmatchcase(row, pattern):
            return (prof, pattern), reason
    return None, None


def cell(value):
    return "-" if value is None else value


def compare(profile, rows, runc_res, sbx_res, show, brief):
    """Print the profile's differences (all rows with show, a count with brief).

    Returns (differ, intended, the INTENDED keys used).
    """
    differ = intended = 0
    used = set()
    width = max(len(r) for r in rows)
    lines = []
    for i, row in enumerate(rows):
        a, b = cell(runc_res[i]), cell(sbx_res[i])
        mark = ""
        if a != b:
            differ += 1
            key, reason = intended_reason(profile, row, "refused" in (a, b))
            if key:
                intended += 1
                used.add(key)
                mark = "intended: " + reason
            else:
                mark = "DIFFERS"
        if show or (mark and not brief):
            lines.append("  %4d  %-*s  %-16s %-16s %s" % (i, width, row, a, b, mark))
    if lines:
        print("  %4s  %-*s  %-16s %-16s" % ("row", width, "call", "runc", "sandbox"))
        print("\n".join(lines))
    elif brief and differ:
        print("  (%d rows differ: not listed, --show %s lists them)" % (differ, profile))
    return differ, intended, used


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--show", metavar="PROFILE",
                    help="print this profile's two tables side by side")
    ap.add_argument("--profile", action="append", default=[],
                    help="run only this profile (repeatable)")
    opts = ap.parse_args()

    root = os.path.dirname(HERE)
    sbx = os.environ.get("SBX_BIN") or os.path.join(root, "build", "sandbox")
    probe = os.environ.get("OCI_PROBE") or os.path.join(root, "build", "tests", "oci_probe")
    data = os.environ.get("OCI_DATA") or os.path.join(HERE, "data", "oci")
    sbx, probe, data = (os.path.abspath(p) for p in (sbx, probe, data))
    calls = os.path.join(data, "calls.txt")

    names = list(PROFILES)
    if opts.show:
        names = [opts.show]
    elif opts.profile:
        names = opts.profile
    for name in names:
        if not os.path.exists(os.path.join(data, name + ".json")):
            fail("no profile %s in %s" % (name, data))
    for path, what in ((sbx, "sandbox (SBX_BIN)"), (probe, "probe (OCI_PROBE)")):
        if not os.access(path, os.X_OK):
            fail("no %s at %s" % (what, path))

    if not shutil.which("runc"):
        skip("runc is not installed")
    if os.geteuid() != 0:
        skip("not root (runc runs as uid 65534, set up by root)")

    rows = read_rows(calls)
    top, rootfs = make_tree(probe, calls)
    try:
        runc = Runc(top)
        # The probe itself must work, unfiltered, as that user: else it is
        # broken, which is a failure and no reason to skip.
        rc, out, err = runc.as_nobody([os.path.join(rootfs, "oci_probe"),
                                       os.path.join(rootfs, "empty.txt")])
        if rc != 0 or out.strip() != "END":
            fail("the probe does not run by itself (status %s): %s" % (rc, err.strip()))
        # Can rootless runc start a container here at all?
        try:
            rc, out, err = runc.start(None, ["/oci_probe", "/empty.txt"])
        except (OSError, RuntimeError) as e:
            skip("rootless runc cannot start: %s" % e)
        if rc != 0 or out.strip() != "END":
            skip("rootless runc cannot start a container (status %s): %s"
                 % (rc, (err.strip().splitlines() or ["no message"])[-1]))

        sandbox = Sandbox(sbx, rootfs)
        total = differ = intended = 0
        used = set()
        for name in names:
            path = os.path.join(data, name + ".json")
            with open(path, encoding="utf-8") as f:
                profile = json.load(f)
            try:
                seccomp, note = to_runtime_spec(profile)
            except ValueError as e:
                fail("%s: cannot convert for runc: %s" % (name, e))
            runc_res, runc_refusal = runc.run(seccomp, len(rows))
            sbx_res, sbx_refusal = sandbox.run(path, len(rows))
            if runc_refusal:
                runc_res = ["refused"] * len(rows)
            if sbx_refusal:
                sbx_res = ["refused"] * len(rows)
            print("== %s (%s)" % (name, note))
            for refusal in (runc_refusal, sbx_refusal):
                if refusal:
                    print("  " + refusal)
            if opts.show:
                for who, text in (("runc", runc.stderr), ("sandbox", sandbox.stderr)):
                    for line in text.strip().splitlines()[:20]:
                        print("  %s stderr: %s" % (who, line))
            d, j, u = compare(name, rows, runc_res, sbx_res, bool(opts.show),
                              bool(runc_refusal or sbx_refusal))
            print("  %s: %d rows, %d differ, %d intended" % (name, len(rows), d, j))
            total += len(rows)
            differ += d
            intended += j
            used |= u
        if not opts.show and not opts.profile:
            for key in INTENDED:
                if key not in used:
                    print("note: intended difference %s %r no longer seen" % key)
        print("oci-runc: %d profiles, %d rows, %d differ, %d intended"
              % (len(names), total, differ, intended))
        return 1 if differ > intended else 0
    finally:
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
