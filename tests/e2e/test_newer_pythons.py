"""Ports for 3.12 and later, built and run with the real Python 3.13-3.15.

The code a port writes only for these targets (`Py_mod_multiple_interpreters`
from 3.12, `Py_mod_gil` and `PyType_GetModuleByDef` from 3.13) is compiled
against the headers of each newer version, and the behaviour tests run under
its interpreters. The interpreters come from scripts/get-pythons.sh
(newer_pythons.py); without them these tests skip and say why.

For every testdata module:
  * ported at --target 3.13 (--state module; also 3.12 for modules with
    types), built as NAME.abi3.so
    against the 3.13, 3.14 and 3.15 headers with -Wall -Wextra -Werror,
    linking only stable-ABI symbols at or below the target: it imports under
    `-W error` and passes its behaviour test under the release and the debug
    interpreter of that version;
  * the same build, at 3.13: two module objects loaded from it are isolated
    (tests/e2e/isolation.py) under the release interpreter, and leak nothing
    under the debug one (--leaks);
  * ported at --target 3.11 and built with the 3.11 headers of the machine,
    the .abi3.so imports and passes its behaviour test under 3.13, 3.14 and
    3.15, release and debug (the stable ABI's promise).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build_ext  # noqa: E402
import newer_pythons  # noqa: E402
from test_port import (FULLY_PORTABLE, MODULE_DIRS, STRICT, port,  # noqa: E402
                       stable_abi_symbols, undefined_python_symbols)

# Every module fully ported at 3.11 is fully ported at the later targets.
MODULES = [m for m in MODULE_DIRS if (m.name, "3.11") in FULLY_PORTABLE]
TARGETS = ("3.12", "3.13")


def python_for(version: str) -> newer_pythons.NewerPython:
    found = newer_pythons.find(version)
    if isinstance(found, str):
        pytest.skip(found)
    return found


@pytest.fixture(scope="session")
def ports(abi3port, tmp_path_factory):
    """(module name, target) -> a ported copy, made once."""
    made: dict[tuple[str, str], Path] = {}

    def get(module_dir: Path, target: str) -> Path:
        key = (module_dir.name, target)
        if key not in made:
            work = tmp_path_factory.mktemp(f"{module_dir.name}-{target}") / module_dir.name
            shutil.copytree(module_dir, work)
            report = work.parent / "report.json"
            proc = port(abi3port, work, target, "--state", "module", "--in-place",
                        "--report", str(report), "--report-format", "json")
            assert proc.returncode == 0, proc.stdout + proc.stderr
            findings = json.loads(report.read_text())["findings"]
            assert not [f for f in findings if f["blocker"]], json.dumps(findings, indent=1)
            made[key] = work
        return made[key]

    return get


def build_with(work: Path, out: Path, target: str, python: str, extra: list[str]):
    c = build_ext.load_module_json(work)["language"] == "c"
    result = build_ext.build(work, out, limited_api=target, python=python, werror=True,
                             extra_flags=[*extra, *(STRICT if c else [])])
    assert result.ok, "\n".join(" ".join(c) for c in result.commands) + "\n" + result.stderr
    assert result.so_path.endswith(f"{work.name}.abi3.so")
    return result


def imports_cleanly(python: str, name: str, so_dir: Path, cwd: Path) -> None:
    """`import NAME` under `-W error`: the port adds no warning at import."""
    env = dict(os.environ, PYTHONPATH=str(so_dir), PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([python, "-W", "error", "-c", f"import {name}; print({name}.__file__)"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{python}: " + proc.stdout + proc.stderr
    assert proc.stdout.strip().startswith(str(so_dir)), proc.stdout


def behaves(work: Path, so_dir: Path, python: newer_pythons.NewerPython, tmp: Path) -> None:
    for exe in (python.release, python.debug):
        imports_cleanly(exe, work.name, so_dir, tmp)
        proc = build_ext.run_behaviour_test(work, so_dir, python=exe)
        assert proc.returncode == 0, f"{exe}:\n" + proc.stdout + proc.stderr


# 3.12 differs from 3.13 in how slots and methods of types find the module
# state (no PyType_GetModuleByDef) and in Py_mod_gil; modules of functions
# only differ by the latter, so they are tested at 3.13 only.
CASES = [(m, t, v) for m in MODULES for t in TARGETS for v in newer_pythons.VERSIONS
         if t == "3.13" or build_ext.load_module_json(m)["kind"] == "types"]
IDS = [f"{m.name}-{t}-py{v}" for m, t, v in CASES]


@pytest.mark.parametrize("module_dir,target,version", CASES, ids=IDS)
def test_port_builds_with_newer_headers_and_behaves(ports, module_dir, target, version,
                                                    tmp_path):
    python = python_for(version)
    work = ports(module_dir, target)
    result = build_with(work, tmp_path / "abi3", target, python.release, python.include_flags)
    extra = undefined_python_symbols(result.so_path) - stable_abi_symbols(target)
    assert not extra, f"symbols outside the stable ABI at {target}: {sorted(extra)}"
    behaves(work, tmp_path / "abi3", python, tmp_path)


ISOLATION = [(m, v) for m in MODULES for v in newer_pythons.VERSIONS]


@pytest.mark.parametrize("module_dir,version", ISOLATION,
                         ids=[f"{m.name}-3.13-py{v}" for m, v in ISOLATION])
def test_module_objects_are_isolated_under_newer_python(ports, module_dir, version, tmp_path):
    python = python_for(version)
    work = ports(module_dir, "3.13")
    result = build_with(work, tmp_path / "abi3", "3.13", python.release, python.include_flags)
    for exe, extra in ((python.release, []), (python.debug, ["--leaks"])):
        proc = subprocess.run([exe, str(HERE / "isolation.py"), result.so_path, str(work), *extra],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, f"{exe}:\n" + proc.stdout + proc.stderr


FORWARD = [(m, v) for m in MODULES for v in newer_pythons.VERSIONS]


@pytest.mark.parametrize("module_dir,version", FORWARD,
                         ids=[f"{m.name}-3.11-py{v}" for m, v in FORWARD])
def test_3_11_port_runs_under_newer_python(ports, module_dir, version, tmp_path):
    python = python_for(version)
    work = ports(module_dir, "3.11")
    build_with(work, tmp_path / "abi3", "3.11", build_ext.DEFAULT_PYTHON, [])
    behaves(work, tmp_path / "abi3", python, tmp_path)
