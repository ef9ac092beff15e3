# SPDX-License-Identifier: MIT
"""Shared set-up of the module's tests: where meson put things."""
import os

import pytest

SOURCE = os.environ.get("SBX_SOURCE", os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture
def solution():
    path = os.environ.get("SBX_PY_SOLUTION")
    if not path or not os.access(path, os.X_OK):
        pytest.skip("SBX_PY_SOLUTION (python/tests/solution.c, built by meson) is not set")
    return path
