# SPDX-License-Identifier: MIT
"""A C solution judged through the module, by docs/judge_module_example.py:
each verdict a judge gives, from the result's status and figures."""
import importlib.util
import os

import pytest

from conftest import SOURCE


def load_example():
    path = os.path.join(SOURCE, "docs", "judge_module_example.py")
    spec = importlib.util.spec_from_file_location("judge_module_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# input -> (verdict, status); the solution's bugs are keyed on its input (solution.c).
CASES = [
    ("3 4", "AC", "exited"),
    ("-5 4", "WA", "exited"),
    ("-1 0", "TLE", "cpu_time_limit"),
    ("-2 0", "MLE", "memory_limit"),
    ("-3 0", "RE", "signaled"),
    ("-4 0", "RE", "violation"),
]


@pytest.mark.parametrize("test_input, verdict, status", CASES, ids=[c[1] + "-" + c[2] for c in CASES])
def test_verdict(tmp_path, solution, test_input, verdict, status):
    example = load_example()
    a, b = (int(x) for x in test_input.split())
    (tmp_path / "in").write_text(test_input + "\n")
    (tmp_path / "expected").write_text(f"{a + b}\n")
    got, r = example.judge([solution], str(tmp_path / "in"), str(tmp_path / "expected"),
                           cpu="0.5", memory="64M")
    assert (got, r.status) == (verdict, status), r.as_dict()
    if status == "cpu_time_limit":
        assert r.cpu_time_ms >= 500
    elif status == "memory_limit":
        assert r.memory_peak_kb > 64 * 1024
        assert "memory_limit" in r.limits_hit
    elif status == "signaled":
        assert r.signal_name == "SIGSEGV"
    elif status == "violation":
        assert r.violation.syscall in ("fork", "clone", "clone3")
        assert r.violation.text.startswith(r.violation.syscall)
    else:
        assert r.exit_code == 0
