# SPDX-License-Identifier: MIT
"""sandbox.run(): results with the report's fields, arguments, errors."""
import errno
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

import pytest

import sandbox
from conftest import SOURCE


def test_true_exits_zero():
    r = sandbox.run(["/bin/true"])
    assert r.status == "exited"
    assert r.exit_code == 0
    assert r["sandbox_exit_code"] == 0
    assert r.as_dict()["status"] == "exited"


def test_fields_are_the_reports(tmp_path):
    """The same fields and shapes as sandbox --report writes, by the schema and by the CLI."""
    jsonschema = pytest.importorskip("jsonschema")
    with open(os.path.join(SOURCE, "docs", "report.schema.json")) as f:
        schema = json.load(f)
    pol = {"default": "allow", "rules": [{"syscalls": ["mkdir"], "action": "kill"}]}
    argv = ["/bin/mkdir", str(tmp_path / "d")]
    r = sandbox.run(argv, policy=pol, cpu_time="2s", memory=64 << 20)
    assert r.status == "violation"
    assert r.violation.syscall in ("mkdir", "mkdirat")
    assert r.limits.memory_bytes == 64 << 20
    assert r.limits.cpu_time_ms == 2000
    jsonschema.validate(r.as_dict(), schema)
    binary = os.environ.get("SBX_BIN")
    if not binary:
        pytest.skip("SBX_BIN not set: no CLI report to compare with")
    polfile, report = tmp_path / "p.json", tmp_path / "r.json"
    polfile.write_text(json.dumps(pol))
    subprocess.run([binary, "-q", "-p", str(polfile), "-r", str(report), "--cpu-time", "2s",
                    "--memory", str(64 << 20), "--"] + argv, check=False)
    cli = json.loads(report.read_text())
    mine = r.as_dict()

    def shape(v):
        if isinstance(v, dict):
            return {k: shape(x) for k, x in v.items()}
        if isinstance(v, list):
            return [shape(x) for x in v]
        return type(v).__name__
    for volatile in ("cpu_time_ms", "wall_time_ms", "memory_peak_kb"):
        mine.pop(volatile)
        cli.pop(volatile)
    # pids and addresses differ; the rest is the same run's
    for key in ("pid", "args"):
        mine["violation"].pop(key)
        cli["violation"].pop(key)
    assert shape(mine) == shape(cli)
    assert mine == cli


def test_streams_are_paths(tmp_path, solution):
    (tmp_path / "in").write_text("3 4\n")
    r = sandbox.run([solution], stdin=tmp_path / "in", stdout=str(tmp_path / "out"),
                    stderr=os.devnull)
    assert r.status == "exited" and r.exit_code == 0
    assert (tmp_path / "out").read_text() == "7\n"


def test_env_exactly(tmp_path):
    out = tmp_path / "env"
    r = sandbox.run(["/usr/bin/env"], env={"A": "1", "B": "two"}, stdout=out)
    assert r.status == "exited"
    assert out.read_text().split() == ["A=1", "B=two"]


def test_policy_object_reused():
    p = sandbox.Policy("judge")
    assert [sandbox.run(["/bin/true"], policy=p).status for _ in range(2)] == ["exited"] * 2


def test_program_not_found_is_a_result():
    r = sandbox.run(["/nonexistent/program"])
    assert r.status == "error"
    assert r.sandbox_exit_code == 127
    assert r.error


@pytest.mark.parametrize("kwargs, kind, message", [
    ({"memory": "12Q"}, ValueError, r"^memory: '12Q' is not a size"),
    ({"memory": -1}, ValueError, r"^memory: "),
    ({"memory": 1.5}, TypeError, r"^memory: expected bytes"),
    ({"stack": "lots"}, ValueError, r"^stack: 'lots' is not a size"),
    ({"output": True}, TypeError, r"^output: "),
    ({"tmp_size": "99999999T"}, ValueError, r"^tmp_size: .* too large"),
    ({"cpu_time": "soon"}, ValueError, r"^cpu_time: 'soon' is not a duration"),
    ({"cpu_time": -1}, ValueError, r"^cpu_time: "),
    ({"cpu_time": 0.0001}, ValueError, r"^cpu_time: .*millisecond"),
    # 2**64 + 384 ms as seconds: wrapped, it was a limit of 384 ms.
    ({"cpu_time": 18446744073709552}, ValueError, r"^cpu_time: .*too long"),
    ({"wall_time": 1e30}, ValueError, r"^wall_time: .*too long"),
    ({"wall_time": [1]}, TypeError, r"^wall_time: "),
    ({"processes": "2"}, TypeError, r"^processes: expected an int"),
    ({"processes": 0}, ValueError, r"^processes: "),
    ({"open_files": 2.0}, TypeError, r"^open_files: "),
    ({"stdin": 3.5}, TypeError, r"^stdin: expected a path"),
    ({"stdout": "a\0b"}, ValueError, r"^stdout: "),
    ({"stderr": ""}, ValueError, r"^stderr: "),
    ({"chdir": ["x"]}, TypeError, r"^chdir: "),
    ({"user": 1.0}, TypeError, r"^user: "),
    ({"env": ["A=1"]}, TypeError, r"^env: "),
    ({"env": {"A=B": "1"}}, ValueError, r"^env\['A=B'\]: "),
    ({"isolation": "chroot"}, ValueError, r"^isolation: 'chroot' is not one of"),
    ({"workdir": "hidden"}, ValueError, r"^workdir: "),
    ({"memory_rlimit": "rss"}, ValueError, r"^memory_rlimit: "),
    ({"verbosity": 3}, ValueError, r"^verbosity: "),
    ({"decisions": "seccomp"}, ValueError, r"^decisions: 'seccomp' is not one of"),
    ({"mounts": [("overlay", "/a")]}, ValueError, r"^mounts\[0\]: "),
    ({"mounts": [("tmpfs", "/t", "big")]}, ValueError, r"^mounts\[0\]\[2\]: "),
    ({"keep_env": "yes"}, TypeError, r"^keep_env: "),
    ({"log_fd": -1}, ValueError, r"^log_fd: "),
    ({"log_fd": 1 << 40}, ValueError, r"^log_fd: "),
    ({"log_fd": 987}, ValueError, r"^log_fd: 987 is not an open"),
    ({"trace": "openat,nosuchcall"}, ValueError, r"^trace: 'openat,nosuchcall' is not"),
    ({"policy": 42}, TypeError, r"^policy: "),
])
def test_bad_arguments_are_named(kwargs, kind, message):
    with pytest.raises(kind, match=message):
        sandbox.run(["/bin/true"], **kwargs)


@pytest.mark.parametrize("argv, kind, message", [
    ("/bin/true", TypeError, r"^argv: .*not one string"),
    ([], ValueError, r"^argv: empty"),
    (["/bin/true", 3], TypeError, r"^argv\[1\]: "),
    (["/bin/true", "a\0"], ValueError, r"^argv\[1\]: "),
    (None, TypeError, r"^argv: "),
])
def test_bad_argv_is_named(argv, kind, message):
    with pytest.raises(kind, match=message):
        sandbox.run(argv)


def test_file_objects_are_refused_with_the_reason(tmp_path):
    with open(tmp_path / "out", "w") as f:
        with pytest.raises(TypeError, match=r"^stdout: expected a path, not a file object"):
            sandbox.run(["/bin/true"], stdout=f)


def test_policy_file_errors_carry_file_line_column(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "default": "allow",\n  "rules": [{"syscalls": ["nosuchcall"], '
                   '"action": "kill"}]\n}\n')
    with pytest.raises(sandbox.PolicyError) as e:
        sandbox.run(["/bin/true"], policy=str(bad))
    assert isinstance(e.value, ValueError)
    assert e.value.errno == errno.EINVAL
    assert re.match(re.escape(str(bad)) + r":3:\d+: rules\[0\]\.syscalls\[0\]: .*nosuchcall",
                    e.value.diagnostics)
    assert str(e.value).startswith(str(bad) + ":3:")


def test_policy_text_and_dict_errors_carry_line_column():
    with pytest.raises(sandbox.PolicyError, match=r"^<policy>:1:\d+: "):
        sandbox.run(["/bin/true"], policy='{"default": "sometimes"}')
    with pytest.raises(sandbox.PolicyError, match=r"^judge-task\.json:\d+:\d+: "):
        sandbox.Policy({"default": "allow", "extra": 1}, name="judge-task.json")
    with pytest.raises(sandbox.PolicyError, match=r"^<policy>:1:\d+: "):
        sandbox.Policy('{"default": ')


def test_missing_policy_file_is_oserror(tmp_path):
    with pytest.raises(FileNotFoundError) as e:
        sandbox.run(["/bin/true"], policy=tmp_path / "none.json")
    assert e.value.errno == errno.ENOENT


def test_supervisor_failure_is_oserror_with_errno(monkeypatch):
    """A failing sbx_run() (-errno; no argument can make one here) is OSError(errno)."""
    monkeypatch.setattr(sandbox._sandbox, "run", lambda *a, **k: (errno.EAGAIN, None))
    with pytest.raises(OSError) as e:
        sandbox.run(["/bin/true"])
    assert e.value.errno == errno.EAGAIN


@pytest.fixture
def shared_dir():
    """A directory the sandbox's own user may read: pytest's are 0700, and a
    bind source is reached as the program's user (a root judge's program is
    the host's nobody)."""
    path = tempfile.mkdtemp(prefix="sbx-py-")
    os.chmod(path, 0o755)
    yield pathlib.Path(path)
    shutil.rmtree(path)


def test_mounts(tmp_path, shared_dir):
    data = shared_dir
    (data / "answer").write_text("42\n")
    out = tmp_path / "out"
    r = sandbox.run(["/bin/sh", "-c", "cat /data/answer; echo x > /scratch/f && cat /scratch/f; "
                     "echo y > /data/new || echo read-only"],
                    mounts=[("ro-bind", data, "/data"), ("tmpfs", "/scratch", "1M")],
                    stdout=out, stderr=os.devnull)
    assert (r.status, r.exit_code) == ("exited", 0), r.error
    assert out.read_text().split() == ["42", "x", "read-only"]
    assert not (data / "new").exists()


def test_limits_reach_the_run():
    r = sandbox.run(["/bin/true"], cpu_time=1.5, wall_time="2500ms", memory="1G", stack="8M",
                    processes=3, output=4096, open_files=64, memory_rlimit="as")
    assert r.limits.as_dict() == {
        "cpu_time_ms": 1500, "wall_time_ms": 2500, "memory_bytes": 1 << 30,
        "stack_bytes": 8 << 20, "processes": 3, "output_bytes": 4096, "open_files": 64,
        "memory_rlimit": "as"}


@pytest.mark.parametrize("decisions, way", [
    ("ptrace", b"decisions: at ptrace stops"),
    ("notify", b"decisions: through a seccomp listener"),
])
def test_decisions_reach_the_run(tmp_path, decisions, way):
    policy = {"default": "allow", "rules": [
        {"syscalls": ["getpgrp"], "action": "errno", "errno": "EPERM", "log": True}]}
    log = tmp_path / "log"
    with open(log, "wb") as f:
        r = sandbox.run(["/bin/sh", "-c", "true"], policy, verbosity="verbose",
                        log_fd=f.fileno(), decisions=decisions)
    assert (r.status, r.exit_code) == ("exited", 0), r.error
    assert way in log.read_bytes()


def test_result_copies_and_pickles():
    import copy
    import pickle
    r = sandbox.run(["/bin/true"])
    for other in (copy.copy(r), copy.deepcopy(r), pickle.loads(pickle.dumps(r))):
        assert other == r and other.status == "exited"
    with pytest.raises(AttributeError, match="no field 'nosuch'"):
        r.nosuch
    with pytest.raises(AttributeError):
        r.status = "tampered"
