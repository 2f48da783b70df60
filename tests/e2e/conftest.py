"""Shared fixtures for the end-to-end tests.

The abi3port binary comes from $ABI3PORT (CTest sets it) or build/abi3port.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def abi3port() -> str:
    exe = os.environ.get("ABI3PORT") or str(ROOT / "build" / "abi3port")
    if not Path(exe).exists():
        pytest.fail(f"abi3port binary not found at {exe}: build it first (scripts/build.sh)")
    return exe


# A run whose only skips are for interpreters that scripts/get-pythons.sh
# could not set up still passes; with $ABI3PORT_SKIP_EXIT_CODE (CTest's
# SKIP_RETURN_CODE) it exits with that code instead, so CTest lists the test
# as skipped, never as passed.
_missing_pythons: list[str] = []


def pytest_runtest_logreport(report):
    from newer_pythons import MISSING
    if report.skipped and MISSING in str(report.longrepr):
        _missing_pythons.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    code = os.environ.get("ABI3PORT_SKIP_EXIT_CODE")
    if code and exitstatus == 0 and _missing_pythons:
        print(f"\n{len(_missing_pythons)} test(s) skipped: interpreters missing "
              "(run scripts/get-pythons.sh)")
        session.exitstatus = int(code)


def pytest_terminal_summary(terminalreporter):
    """The interpreter matrix of test_matrix.py, when it ran."""
    matrix = sys.modules.get("test_matrix")
    if matrix is None or not matrix.MATRIX:
        return
    terminalreporter.write_sep("=", "interpreter matrix (test_matrix.py)")
    for line in matrix.render():
        terminalreporter.write_line(line)
