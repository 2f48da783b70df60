"""Shared fixtures for the end-to-end tests.

The abi3port binary comes from $ABI3PORT (CTest sets it) or build/abi3port.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def abi3port() -> str:
    exe = os.environ.get("ABI3PORT") or str(ROOT / "build" / "abi3port")
    if not Path(exe).exists():
        pytest.fail(f"abi3port binary not found at {exe}: build it first (scripts/build.sh)")
    return exe
