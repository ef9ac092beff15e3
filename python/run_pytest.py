#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run pytest on the module as built, for meson: exit 0 when every test
passed, 77 (skipped) when none failed and any was skipped, or when this
build's module cannot be loaded (an ASan build whose runtime is not
found), 1 when any failed. In an ASan build pytest runs with the runtime in
LD_PRELOAD, so the extension and the library run sanitized.

    run_pytest.py [--unprivileged] TESTS [pytest arguments...]

--unprivileged runs pytest as the user nobody (SBX_TEST_USER), as
tests/run-unprivileged.sh runs the integration programs: skipped (77) when
not root, or when there is no such user or no setpriv.

Environment (set by meson): SBX_PY_BUILD, the build directory of python/
(the package is its sandbox/); SBX_SANITIZE, the build's b_sanitize;
SBX_ASAN_RUNTIME, the compiler's shared ASan runtime.
"""
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def sanitizer_env(env):
    """In an ASan build, the runtime preloaded (the extension is sanitized, this
    python3 is not) and Python's objects on malloc, where ASan sees them; None
    when the runtime is not found."""
    runtime = os.environ.get("SBX_ASAN_RUNTIME", "")
    if not os.path.isabs(runtime) or not os.path.exists(runtime):
        return None
    env["LD_PRELOAD"] = " ".join(p for p in (runtime, env.get("LD_PRELOAD")) if p)
    env["PYTHONMALLOC"] = "malloc"
    env["SBX_PY_PRELOADED"] = runtime
    return env


def unprivileged():
    """setpriv's command prefix for the unprivileged user, or a reason to skip."""
    if os.geteuid() != 0:
        return None, "not root; the main run already ran unprivileged"
    name = os.environ.get("SBX_TEST_USER", "nobody")
    try:
        user = pwd.getpwnam(name)
    except KeyError:
        return None, f'no unprivileged user "{name}"'
    if not shutil.which("setpriv"):
        return None, "no setpriv"
    return (["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups",
             "--inh-caps=-all"], user), None


def main():
    env = dict(os.environ)
    args = sys.argv[1:]
    prefix, owner = [], None
    if args[:1] == ["--unprivileged"]:
        args = args[1:]
        found, why = unprivileged()
        if not found:
            print("SKIP: " + why)
            return 77
        prefix, owner = found
    if "address" in os.environ.get("SBX_SANITIZE", "none") and sanitizer_env(env) is None:
        print("SKIP: this build's extension is linked with ASan, whose runtime must be the "
              "first library of the process, and no runtime was found to preload "
              f"(SBX_ASAN_RUNTIME={os.environ.get('SBX_ASAN_RUNTIME', '')!r})")
        return 77
    try:
        import pytest  # noqa: F401
    except ImportError:
        print("SKIP: pytest is not installed for " + sys.executable + " (python3-pytest)")
        return 77
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (os.environ["SBX_PY_BUILD"], os.environ.get("PYTHONPATH")) if p)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    with tempfile.TemporaryDirectory(prefix="sbx-pytest-") as tmp:
        if owner:
            os.chown(tmp, owner.pw_uid, owner.pw_gid)
            env["TMPDIR"] = "/tmp"
        junit = os.path.join(tmp, "junit.xml")
        cmd = prefix + [sys.executable, "-m", "pytest", "-v", "-rs", "-p", "no:cacheprovider",
               "--basetemp", os.path.join(tmp, "pytest"), "--junitxml", junit] + args
        # Not in /tmp: a sandbox's working directory there is hidden by its private /tmp.
        code = subprocess.run(cmd, env=env, cwd=os.environ["SBX_PY_BUILD"]).returncode
        if code != 0:
            return 1
        suite = ET.parse(junit).getroot()
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        skipped = int(suite.get("skipped", "0"))
    if skipped:
        print(f"SKIP: {skipped} test(s) skipped, none failed")
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
