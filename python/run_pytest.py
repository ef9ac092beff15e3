#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run pytest on the module as built, for meson: exit 0 when every test
passed, 77 (skipped) when none failed and any was skipped, or when this
build's module cannot be loaded by this Python at all (a sanitized build:
the sanitizer's runtime would have to come first in the process), 1 when
any failed.

    run_pytest.py TESTS [pytest arguments...]

Environment (set by meson): SBX_PY_BUILD, the build directory of python/
(the package is its sandbox/); SBX_SANITIZE, the build's b_sanitize.
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def main():
    if os.environ.get("SBX_SANITIZE", "none") != "none":
        print("SKIP: a sanitized extension cannot be loaded into an unsanitized python3 "
              "(the sanitizer runtime must be the first library of the process); "
              "the normal build runs these tests")
        return 77
    try:
        import pytest  # noqa: F401
    except ImportError:
        print("SKIP: pytest is not installed for " + sys.executable + " (python3-pytest)")
        return 77
    env = dict(os.environ)
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
