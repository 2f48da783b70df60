"""A port that stays partial builds and behaves as the original.

testdata/e2e/partial keeps static types (a tp_name without a dot), readies
types of kinds.c in partial.c (one of them static, in one statement with a
converted one) and has a converted subtype of a static base. The port must
keep each static type's PyType_Ready, ready the static base before creating
its subtype, keep __module__ == 'builtins', and import with no new warning
under -W error.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import build_ext
from test_port import RELEASE_PYTHON, ROOT, port

MODULE = ROOT / "testdata" / "e2e" / "partial"


@pytest.mark.parametrize("target,state", [("3.10", "global"), ("3.11", "module")])
def test_partial_port_behaves_under_w_error(abi3port, tmp_path, target, state):
    work = tmp_path / "partial"
    shutil.copytree(MODULE, work)
    proc = port(abi3port, work, target, "--state", state, "--in-place")
    assert proc.returncode in (0, 1), proc.stderr
    text = (work / "partial.c").read_text()
    assert "static PyTypeObject *Derived_Type;" in text and "Conv_Type = " in text, text
    assert "if (PyType_Ready(&Bare_Type) < 0 || PyType_Ready(Conv_Type) < 0)" in text, text
    assert text.index("if (PyType_Ready(&Base_Type) < 0)") < text.index("Derived_Type = "), text
    assert "static PyTypeObject Base_Type = {" in text
    assert "PyTypeObject Bare_Type = {" in (work / "kinds.c").read_text()
    # A stringified macro argument is left as written; a cast goes into a
    # project macro's argument where the callee is a function (3.11).
    assert "return DESCRIBE(PyTuple_GET_SIZE(args));" in text, text
    cast = "Py_REFCNT((PyObject *)any)" if target == "3.11" else "Py_REFCNT(any)"
    assert f'FORMAT_INTO(buf, "alive: %d", (int)({cast} > 0));' in text, text

    built = build_ext.build(work, tmp_path / "full", werror=True)
    assert built.ok, built.stderr
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "full"), PYTHONDONTWRITEBYTECODE="1")
    imported = subprocess.run([RELEASE_PYTHON, "-W", "error", "-c", "import partial"],
                              cwd=tmp_path, env=env, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    behaviour = build_ext.run_behaviour_test(work, tmp_path / "full", python=RELEASE_PYTHON,
                                             extra_args=["-W", "error"])
    assert behaviour.returncode == 0, behaviour.stdout + behaviour.stderr
