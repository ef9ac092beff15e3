#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run pytest on the module as built, for meson: exit 0 when every test
passed, 77 (skipped) when none failed and any was skipped, or when this
build's module cannot be loaded (an ASan build whose runtime is not
found), 1 when any failed. In an ASan build pytest runs with the runtime in
LD_PRELOAD, so the extension and the library run sanitized.

    run_pytest.py TESTS [pytest arguments...]

Environment (set by meson): SBX_PY_BUILD, the build directory of python/
(the package is its sandbox/); SBX_SANITIZE, the build's b_sanitize;
SBX_ASAN_RUNTIME, the compiler's shared ASan runtime.
"""
import os
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


def main():
    env = dict(os.environ)
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
        junit = os.path.join(tmp, "junit.xml")
        cmd = [sys.executable, "-m", "pytest", "-v", "-rs", "-p", "no:cacheprovider",
               "--basetemp", os.path.join(tmp, "pytest"), "--junitxml", junit] + sys.argv[1:]
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
