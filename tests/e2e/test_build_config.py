"""`port --build-config`: the project's build makes an abi3 wheel.

For each backend (setuptools, scikit-build-core, meson-python), a project
around testdata/e2e/vector2d is ported at 3.11; its wheel, built with pip
from the pinned backends in build/venv (scripts/test.sh), must be tagged
cp311-abi3, pass `abi3port verify`, and pass the behaviour test under 3.11
and, when scripts/get-pythons.sh set it up, 3.15. Must-not-fire: a port that
keeps the full API leaves the build alone (and says why); a computed
argument and an unknown backend are report sites.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import build_ext
import newer_pythons
from test_port import RELEASE_PYTHON, port
from test_verify import VECTOR2D, abi3audit

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("ABI3PORT_VENV") or ROOT / "build" / "venv")
TEXTOPS = VECTOR2D.parent / "textops"

PROJECT = '[project]\nname = "vector2d"\nversion = "1.0"\n'
BACKENDS = {
    "setuptools": {
        "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n'
                          'build-backend = "setuptools.build_meta"\n',
        "setup.py": 'from setuptools import Extension, setup\n\n'
                    'setup(\n    name="vector2d",\n    version="1.0",\n'
                    '    ext_modules=[Extension("vector2d", sources=["vector2d.c"])],\n)\n',
    },
    "scikit-build-core": {
        "pyproject.toml": '[build-system]\nrequires = ["scikit-build-core"]\n'
                          'build-backend = "scikit_build_core.build"\n\n' + PROJECT,
        "CMakeLists.txt": "cmake_minimum_required(VERSION 3.26)\nproject(vector2d C)\n"
                          "find_package(Python COMPONENTS Interpreter Development.Module "
                          "Development.SABIModule REQUIRED)\n"
                          "python_add_library(vector2d MODULE WITH_SOABI vector2d.c)\n"
                          "install(TARGETS vector2d DESTINATION .)\n",
    },
    "meson-python": {
        "pyproject.toml": '[build-system]\nrequires = ["meson-python"]\n'
                          'build-backend = "mesonpy"\n\n' + PROJECT,
        "meson.build": "project('vector2d', 'c')\n"
                       "py = import('python').find_installation(pure: false)\n"
                       "py.extension_module('vector2d', 'vector2d.c', install: true)\n",
    },
}
EXPECTED = {
    "setuptools": ("setup.py", ['py_limited_api=True', '("Py_LIMITED_API", "0x030B0000")',
                                '"bdist_wheel": {"py_limited_api": "cp311"}']),
    "scikit-build-core": ("CMakeLists.txt", ["MODULE USE_SABI 3.11 WITH_SOABI"]),
    "meson-python": ("meson.build", ["install: true, limited_api: '3.11'"]),
}


def project(tmp_path: Path, backend: str, module=VECTOR2D) -> Path:
    work = tmp_path / backend / module.name
    shutil.copytree(module, work)
    for name, text in BACKENDS[backend].items():
        (work / name).write_text(text)
    return work


def report_of(abi3port, work: Path, target: str, *extra: str) -> tuple[subprocess.CompletedProcess, dict]:
    report = work.parent / "report.json"
    proc = port(abi3port, work, target, "--report", str(report), "--report-format", "json",
                *extra)
    assert proc.returncode in (0, 1), proc.stderr
    return proc, json.loads(report.read_text())


def interpreters() -> list[str]:
    found = [RELEASE_PYTHON]
    newest = newer_pythons.find("3.15")
    if not isinstance(newest, str):
        found.append(newest.release)
    return found


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_the_ported_build_makes_an_abi3_wheel_that_works(abi3port, tmp_path, backend):
    python = VENV / "bin" / "python"
    assert python.exists(), f"no build venv at {VENV} (scripts/test.sh sets it up)"
    work = project(tmp_path, backend)
    proc, report = report_of(abi3port, work, "3.11", "--in-place")
    assert proc.returncode == 0, report["findings"]
    edited, needles = EXPECTED[backend]
    text = (work / edited).read_text()
    for needle in needles:
        assert needle in text, text
    if backend != "setuptools":
        key = "wheel.py-api" if backend == "scikit-build-core" else "limited-api"
        assert key in (work / "pyproject.toml").read_text()
    again = port(abi3port, work, "3.11")
    assert again.stdout == "", "the build configuration is not idempotent"
    env = dict(os.environ, PATH=f"{VENV / 'bin'}:{os.environ['PATH']}")
    built = subprocess.run([str(python), "-m", "pip", "wheel", "-q", "--no-build-isolation",
                            "--no-deps", "-w", str(tmp_path / "dist"), str(work)],
                           capture_output=True, text=True, env=env, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    assert wheel.name.endswith("-cp311-abi3-linux_x86_64.whl"), wheel.name
    pythons = interpreters()
    verified = subprocess.run([abi3port, "verify", "--target", "3.11", str(wheel),
                               *[a for p in pythons for a in ("--python", p)]],
                              capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    theirs = abi3audit(wheel)  # and abi3audit agrees
    assert theirs["is_abi3"] and theirs["non_abi3_symbols"] == [], theirs
    assert theirs["is_abi3_baseline_compatible"], theirs
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(unpacked)
    for exe in pythons:
        behaviour = build_ext.run_behaviour_test(work, unpacked, python=exe)
        assert behaviour.returncode == 0, exe + behaviour.stdout + behaviour.stderr


def test_a_port_that_keeps_the_full_api_leaves_the_build_alone(abi3port, tmp_path):
    work = project(tmp_path, "setuptools", module=TEXTOPS)
    (work / "setup.py").write_text(BACKENDS["setuptools"]["setup.py"].replace(
        "vector2d", "textops"))
    before = (work / "setup.py").read_text()
    proc, report = report_of(abi3port, work, "3.8", "--in-place")
    assert (work / "setup.py").read_text() == before
    sites = [f for f in report["findings"] if f["rule"] == "build-config"]
    assert sites and "left as it is" in sites[0]["message"], report["findings"]


def test_what_is_not_understood_is_a_report_site(abi3port, tmp_path):
    work = project(tmp_path, "setuptools")
    (work / "setup.py").write_text(
        "from distutils.command.build_ext import build_ext\n"
        "from setuptools import Extension, setup\n\nKW = dict(sources=['vector2d.c'])\n"
        "setup(name='vector2d', ext_modules=[Extension('vector2d', **KW)])\n")
    (work / "pyproject.toml").write_text('[build-system]\nbuild-backend = "hatchling.build"\n')
    proc, report = report_of(abi3port, work, "3.11")
    messages = [f["message"] for f in report["findings"] if f["rule"] == "build-config"]
    assert any("Extension(**...) is not read" in m for m in messages), messages
    assert any("build backend 'hatchling.build' is not known" in m for m in messages), messages
    assert any("build_ext comes from distutils" in m for m in messages), messages
    assert "+++ b/setup.py" in proc.stdout  # setup() itself still gets its options
    assert "Extension('vector2d', **KW)" in proc.stdout.split("+++ b/setup.py")[1]


def test_no_build_config_leaves_the_build_alone(abi3port, tmp_path):
    work = project(tmp_path, "meson-python")
    proc, _ = report_of(abi3port, work, "3.11", "--no-build-config")
    assert "meson.build" not in proc.stdout and "pyproject.toml" not in proc.stdout


def test_setuptools_extensions_in_pyproject_are_a_report_site(abi3port, tmp_path):
    work = project(tmp_path, "setuptools")
    (work / "setup.py").unlink()
    (work / "pyproject.toml").write_text(
        BACKENDS["setuptools"]["pyproject.toml"] + PROJECT +
        '\n[[tool.setuptools.ext-modules]]\nname = "vector2d"\nsources = ["vector2d.c"]\n')
    proc, report = report_of(abi3port, work, "3.11")
    messages = [f["message"] for f in report["findings"] if f["rule"] == "build-config"]
    assert any("[[tool.setuptools.ext-modules]]" in m for m in messages), messages
    assert "pyproject.toml" not in proc.stdout
