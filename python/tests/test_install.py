# SPDX-License-Identifier: MIT
"""pip install of the repository into a venv, offline, as README says:
then the installed module (not the build directory's) runs /bin/true.
The copy of the source tree, the venv and pip's build all live in a
temporary directory, removed at the end."""
import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

from conftest import SOURCE


def copy_source(dest):
    """The source tree without build directories and version control."""
    root = os.path.abspath(SOURCE)

    def ignore(directory, names):
        skip = {n for n in names if n in (".git", "__pycache__") or n.startswith(".mesonpy")}
        if os.path.abspath(directory) == root:
            skip |= {n for n in names if n.startswith("build")}
        return skip
    shutil.copytree(root, dest, ignore=ignore, symlinks=True)


def test_pip_install_into_venv(tmp_path):
    if os.environ.get("SBX_PY_PRELOADED"):
        pytest.skip("a sanitized build: the preloaded ASan runtime would reach pip's compilers; "
                    "the normal build runs this test")
    for module, package in (("mesonpy", "python3-mesonpy"), ("pip", "python3-pip")):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed for {sys.executable} ({package})")
    src, venv = tmp_path / "src", tmp_path / "venv"
    copy_source(src)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_"))}
    env["TMPDIR"] = str(tmp_path)
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(venv)], check=True, env=env)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "--no-build-isolation", "--no-index",
                    "--no-cache-dir", str(src)], check=True, env=env, cwd=tmp_path)
    check = ("import sandbox; r = sandbox.run(['/bin/true'], policy='judge'); "
             "print(sandbox.__file__); print(r.status, r.exit_code, r.error)")
    p = subprocess.run([python, "-c", check], env=env, cwd="/", capture_output=True,
                       text=True, check=True)
    where, outcome = p.stdout.splitlines()
    assert where.startswith(str(venv) + os.sep)
    assert outcome == "exited 0 None"
    # the command came with it
    assert os.access(venv / "bin" / "sandbox", os.X_OK)
