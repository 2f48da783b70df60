"""End-to-end checks of the test corpus under ``testdata/e2e`` (full API).

For every ``testdata/e2e/*/module.json`` this builds the module against the
full (non-limited) C API with ``-Werror`` and runs its behaviour test under

* the release interpreter ``/usr/bin/python3`` and
* the debug interpreter ``/usr/bin/python3.11d``, using the *same* release
  ``.cpython-311-x86_64-linux-gnu.so`` (Debian's 3.11d is built without
  Py_TRACE_REFS, so release extensions are ABI compatible and it lists that
  suffix in ``importlib.machinery.EXTENSION_SUFFIXES``).

The reference-leak check uses a *separate* build against the debug headers
(``/usr/include/python3.11d``, suffix ``.cpython-311d-x86_64-linux-gnu.so``):
a release build's inline Py_INCREF/Py_DECREF do not update the debug
interpreter's ``_Py_RefTotal``, which would make ``sys.gettotalrefcount()``
meaningless for references taken inside the extension.

Run with ``/usr/bin/python3 -m pytest -q tests/e2e/test_full_api.py``.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build_ext  # noqa: E402

ROOT = HERE.parents[1]
CORPUS = ROOT / "testdata" / "e2e"
MODULE_DIRS = sorted(p.parent for p in CORPUS.glob("*/module.json"))

RELEASE_PYTHON = "/usr/bin/python3"
DEBUG_PYTHON = "/usr/bin/python3.11d"
LEAKCHECK = HERE / "leakcheck.py"

needs_debug_python = pytest.mark.skipif(
    not Path(DEBUG_PYTHON).exists(), reason=f"{DEBUG_PYTHON} not installed")

modules = pytest.mark.parametrize(
    "module_dir", MODULE_DIRS, ids=[p.name for p in MODULE_DIRS])


def _show(proc: subprocess.CompletedProcess) -> str:
    return f"exit status {proc.returncode}\n--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Build (module_dir, python) once per session; returns the so_dir."""
    cache: dict[tuple[Path, str], Path] = {}

    def get(module_dir: Path, python: str = RELEASE_PYTHON) -> Path:
        key = (module_dir, python)
        if key not in cache:
            tag = "debug" if python == DEBUG_PYTHON else "release"
            out = tmp_path_factory.mktemp(f"{module_dir.name}-{tag}")
            res = build_ext.build(module_dir, out, python=python)
            if not res.ok:
                cmds = "\n".join(" ".join(c) for c in res.commands)
                pytest.fail(f"full API build of {module_dir.name} failed:\n{cmds}\n{res.stderr}")
            cache[key] = out
        return cache[key]

    return get


def test_corpus_is_not_empty():
    assert len(MODULE_DIRS) >= 7, MODULE_DIRS


@modules
def test_module_metadata(module_dir):
    meta = json.loads((module_dir / "module.json").read_text())
    assert meta["name"] == module_dir.name
    assert meta["kind"] in ("functions", "types")
    assert meta["language"] in ("c", "c++")
    assert meta.get("summary")
    assert (module_dir / f"test_{meta['name']}.py").is_file()
    text = ""
    for src in meta["sources"]:
        path = module_dir / src
        assert path.is_file(), path
        assert path.suffix == (".cpp" if meta["language"] == "c++" else ".c")
        text += path.read_text()
    for header in module_dir.glob("*.h"):
        text += header.read_text()
    assert "Py_LIMITED_API" not in text
    assert f"PyInit_{meta['name']}" in text
    if meta["kind"] == "functions":
        assert not re.search(r"\bPyTypeObject\s+\w+\s*=", text), "functions module defines a type"


@modules
def test_full_api_build(module_dir, built):
    so_dir = built(module_dir)
    name = module_dir.name
    assert (so_dir / f"{name}{build_ext.ext_suffix(RELEASE_PYTHON)}").is_file()


@modules
def test_behaviour_release(module_dir, built):
    proc = build_ext.run_behaviour_test(module_dir, built(module_dir), python=RELEASE_PYTHON)
    assert proc.returncode == 0, _show(proc)
    assert re.search(r"\d+ passed", proc.stdout), _show(proc)


@needs_debug_python
@modules
def test_behaviour_debug_interpreter(module_dir, built):
    # Same release .so as above, loaded by the debug interpreter.
    proc = build_ext.run_behaviour_test(module_dir, built(module_dir), python=DEBUG_PYTHON)
    assert proc.returncode == 0, _show(proc)
    assert re.search(r"\d+ passed", proc.stdout), _show(proc)


@needs_debug_python
@modules
def test_no_reference_leaks(module_dir, built, tmp_path):
    so_dir = built(module_dir, DEBUG_PYTHON)
    name = module_dir.name
    proc = subprocess.run(
        [DEBUG_PYTHON, str(LEAKCHECK), name, str(module_dir / f"test_{name}.py")],
        cwd=tmp_path, env=_env_with_path(so_dir), capture_output=True, text=True,
        timeout=300)
    print(proc.stdout)
    assert proc.returncode == 0, _show(proc)
    assert str(so_dir) in proc.stdout, "leak check did not load the debug build"


@modules
@pytest.mark.parametrize("version", ["3.8", "3.11"])
def test_limited_api_build_fails(module_dir, version):
    # Sanity check of the corpus: every module genuinely needs porting.
    diags = build_ext.diagnostics(module_dir, version)
    errors = [d for d in diags if d.severity == "error"]
    assert errors, f"{module_dir.name} unexpectedly compiles with Py_LIMITED_API={version}"
    assert all(Path(d.file).is_absolute() for d in diags)


def _env_with_path(so_dir: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(so_dir), os.environ.get("PYTHONPATH")) if p)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env
