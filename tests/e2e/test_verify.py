"""`abi3port verify` on builds of the testdata extensions.

* a ported abi3 build passes under every interpreter at or above the target
  (release and debug 3.11, and 3.13-3.15 when scripts/get-pythons.sh set
  them up), with the original build as --baseline and the behaviour test as
  --test;
* a full-API build, a changed type flag and a leaking port are caught;
* sources are compiled under the Limited API;
* on wheels, its verdicts agree with abi3audit's (from PyPI, pinned in
  build/venv by scripts/test.sh), and it names the source line of a symbol.
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
from test_port import DEBUG_PYTHON, MODULE_DIRS, RELEASE_PYTHON, port

ROOT = Path(__file__).resolve().parents[2]
ABI3AUDIT = Path(os.environ.get("ABI3AUDIT") or ROOT / "build" / "venv" / "bin" / "abi3audit")
SEQTOOLS = next(m for m in MODULE_DIRS if m.name == "seqtools")
VECTOR2D = next(m for m in MODULE_DIRS if m.name == "vector2d")


def pythons() -> list[str]:
    found = [RELEASE_PYTHON, DEBUG_PYTHON]
    for version in newer_pythons.VERSIONS:
        p = newer_pythons.find(version)
        if not isinstance(p, str):
            found += [p.release, p.debug]
    return found


def builds(module_dir: Path, tmp_path: Path, target: str = "3.11", edit=None):
    """(original full-API .so, ported abi3 .so, ported source tree)."""
    original = tmp_path / "original" / module_dir.name
    shutil.copytree(module_dir, original)
    full = build_ext.build(original, tmp_path / "full", werror=False)
    assert full.ok, full.stderr
    work = tmp_path / "ported" / module_dir.name
    shutil.copytree(module_dir, work)
    proc = port(abi3port_exe(), work, target, "--in-place")
    assert proc.returncode == 0, proc.stderr
    if edit:
        edit(work)
    abi3 = build_ext.build(work, tmp_path / "abi3", limited_api=target, werror=False)
    assert abi3.ok, abi3.stderr
    return Path(full.so_path), Path(abi3.so_path), work


_EXE: list[str] = []


def abi3port_exe() -> str:
    return _EXE[0]


@pytest.fixture(autouse=True)
def _remember(abi3port):
    _EXE[:] = [abi3port]


def verify(abi3port, *args: str, cwd=None) -> tuple[int, dict]:
    proc = subprocess.run([abi3port, "verify", "--format", "json", *args],
                          capture_output=True, text=True, cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def failed(report: dict, kind: str | None = None) -> list[dict]:
    return [c for c in report["checks"] if not c["ok"] and (kind is None or c["kind"] == kind)]


def python_args(exes: list[str]) -> list[str]:
    return [a for exe in exes for a in ("--python", exe)]


def test_a_ported_build_passes_under_every_python_from_the_target(abi3port, tmp_path):
    full, abi3, work = builds(SEQTOOLS, tmp_path)
    test = f"cd {work} && $PYTHON -m pytest -q -p no:cacheprovider test_seqtools.py"
    exes = pythons()
    rc, report = verify(abi3port, "--target", "3.11", str(abi3), "--baseline", str(full),
                        "--test", test, *python_args(exes))
    assert rc == 0, json.dumps(failed(report), indent=1)
    imported = {c["subject"].split(" under ")[1].split(" ")[0]
                for c in report["checks"] if c["kind"] == "import" and c["ok"]}
    assert imported == set(exes)
    assert [c for c in report["checks"] if c["kind"] == "leaks"], "no debug interpreter ran"
    compared = [c for c in report["checks"] if c["kind"] == "surface" and
                "exposes what the baseline exposes" in c["detail"]]
    assert len(compared) == 2, "the baseline loads under 3.11 release and debug"
    assert len([c for c in report["checks"] if c["kind"] == "test" and c["ok"]]) == len(exes)


def test_a_full_api_build_is_caught_with_the_symbols_and_their_lines(abi3port, tmp_path):
    original = tmp_path / "seqtools"
    shutil.copytree(SEQTOOLS, original)
    full = build_ext.build(original, tmp_path / "full", werror=False)
    rc, report = verify(abi3port, "--target", "3.11", full.so_path, str(original / "seqtools.c"),
                        "--python", RELEASE_PYTHON, "--", "-std=gnu11")
    assert rc == 1
    symbols = failed(report, "symbol")
    assert any("'_PyBytes_Resize' is not in the Stable ABI; used at" in c["detail"] and
               "seqtools.c:" in c["detail"] for c in symbols), symbols
    assert failed(report, "compile"), "the unported source compiles under the Limited API?"


def test_a_symbol_newer_than_the_target_names_its_version(abi3port, tmp_path):
    _, abi3, _ = builds(SEQTOOLS, tmp_path, target="3.11")
    rc, report = verify(abi3port, "--target", "3.8", str(abi3), "--python", RELEASE_PYTHON)
    assert rc == 1
    newer = failed(report, "symbol")
    assert any("'PyModule_AddObjectRef' enters the Stable ABI in 3.10, above the target 3.8"
               in c["detail"] for c in newer), newer
    needs = next(c for c in report["checks"] if c["kind"] == "needs")
    assert "the binary needs 3.10" in needs["detail"] and not needs["ok"]
    assert "PyInit_seqtools" in needs["detail"], "its own export is not an import"


def test_a_changed_type_flag_is_caught(abi3port, tmp_path):
    def drop_basetype(work: Path):
        source = work / "vector2d.c"
        text = source.read_text()
        assert "Py_TPFLAGS_BASETYPE" in text
        source.write_text(text.replace("| Py_TPFLAGS_BASETYPE", "", 1).replace(
            "Py_TPFLAGS_BASETYPE |", "", 1))
    full, abi3, _ = builds(VECTOR2D, tmp_path, edit=drop_basetype)
    rc, report = verify(abi3port, "--target", "3.11", str(abi3), "--baseline", str(full),
                        "--python", RELEASE_PYTHON)
    assert rc == 1
    surface = failed(report, "surface")
    assert surface and "basetype" in surface[0]["detail"], report


def test_a_leaking_port_is_caught_under_the_debug_interpreter(abi3port, tmp_path):
    def leak(work: Path):
        source = work / "seqtools.c"
        text = source.read_text()
        marker = "seqtools_exec(PyObject *m)\n{"
        assert marker in text
        source.write_text(text.replace(marker, marker + "\n    (void)PyList_New(0); (void)PyList_New(0);"
                                       " (void)PyList_New(0); /* a leak */", 1))
    _, abi3, _ = builds(SEQTOOLS, tmp_path, edit=leak)
    rc, report = verify(abi3port, "--target", "3.11", str(abi3), "--python", DEBUG_PYTHON)
    assert rc == 1
    assert failed(report, "leaks"), report
    _, clean, _ = builds(SEQTOOLS, tmp_path / "clean")
    rc, report = verify(abi3port, "--target", "3.11", str(clean), "--python", DEBUG_PYTHON)
    assert rc == 0, failed(report)


def test_sources_compile_under_the_limited_api(abi3port, tmp_path):
    _, _, work = builds(SEQTOOLS, tmp_path)
    rc, report = verify(abi3port, "--target", "3.11", str(work / "seqtools.c"), "--",
                        "-std=gnu11")
    assert rc == 0, failed(report)
    assert [c for c in report["checks"] if c["kind"] == "compile" and c["ok"]]


def make_wheel(path: Path, so: Path, member: str, tag: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(so, member)
        info = "seqtools-1.0.dist-info"
        z.writestr(f"{info}/METADATA", "Metadata-Version: 2.1\nName: seqtools\nVersion: 1.0\n")
        z.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: abi3port-tests\n"
                                    f"Root-Is-Purelib: false\nTag: {tag}\n")
        z.writestr(f"{info}/RECORD", "")
    return path


def abi3audit(wheel: Path) -> dict:
    assert ABI3AUDIT.exists(), f"abi3audit is not installed at {ABI3AUDIT} (scripts/test.sh)"
    proc = subprocess.run([str(ABI3AUDIT), "-R", "-s", str(wheel)], capture_output=True,
                          text=True)
    (result,) = json.loads(proc.stdout)["specs"][str(wheel)]["wheel"]
    return result["result"]


def test_verdicts_on_wheels_agree_with_abi3audit(abi3port, tmp_path):
    full, abi3, _ = builds(SEQTOOLS, tmp_path)
    wheels = {
        "good": make_wheel(tmp_path / "seqtools-1.0-cp311-abi3-linux_x86_64.whl", abi3,
                           "seqtools.abi3.so", "cp311-abi3-linux_x86_64"),
        "full-api": make_wheel(tmp_path / "full-1.0-cp311-abi3-linux_x86_64.whl", full,
                               "seqtools.abi3.so", "cp311-abi3-linux_x86_64"),
        "too-new": make_wheel(tmp_path / "new-1.0-cp38-abi3-linux_x86_64.whl", abi3,
                              "seqtools.abi3.so", "cp38-abi3-linux_x86_64"),
    }
    for label, wheel in wheels.items():
        target = "3.8" if label == "too-new" else "3.11"
        ours_rc, ours = verify(abi3port, "--target", target, str(wheel), "--python",
                               RELEASE_PYTHON)
        theirs = abi3audit(wheel)
        not_stable = sorted(c["detail"].split("'")[1] for c in failed(ours, "symbol")
                            if "is not in the Stable ABI" in c["detail"])
        assert not_stable == sorted(theirs["non_abi3_symbols"]), label
        too_new = sorted(c["detail"].split("'")[1] for c in failed(ours, "symbol")
                         if "enters the Stable ABI" in c["detail"])
        assert bool(too_new) == (not theirs["is_abi3_baseline_compatible"]), label
        assert set(too_new) == set(theirs["future_abi3_objects"]), label
        assert (ours_rc == 0) == (label == "good"), (label, failed(ours))
    # and it says more: the interpreters it imported the wheel's module in
    _, good = verify(abi3port, "--target", "3.11", str(wheels["good"]), "--python",
                     RELEASE_PYTHON)
    assert [c for c in good["checks"] if c["kind"] == "import" and c["ok"]]


def test_a_wheel_with_the_wrong_tag_fails(abi3port, tmp_path):
    _, abi3, _ = builds(SEQTOOLS, tmp_path)
    wheel = make_wheel(tmp_path / "seqtools-1.0-cp311-cp311-linux_x86_64.whl", abi3,
                       "seqtools.abi3.so", "cp311-cp311-linux_x86_64")
    rc, report = verify(abi3port, "--target", "3.11", str(wheel), "--python", RELEASE_PYTHON)
    assert rc == 1
    assert "cp311-abi3" in failed(report, "tag")[0]["detail"]
