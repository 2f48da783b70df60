"""`abi3port port` end to end, on copies of every testdata extension.

For each module, target and state mode (`--state global` at every target,
`--state module` from 3.10):
  * port it in place; a second `port` prints an empty diff (idempotence);
  * every site the report marks as blocking is a real Limited API compile
    error, and every compile error of the ported code lies in a report site;
  * when nothing blocks, the port builds as NAME.abi3.so with the Limited API
    and -Wall -Wextra -Werror, links only stable-ABI symbols
    at or below the target, imports, and passes its behaviour test under the
    release and the debug interpreter, with no reference leak;
  * with `--state module`, two module objects loaded from the same .abi3.so
    (importlib: spec_from_file_location + module_from_spec + exec_module)
    have distinct types and exceptions, each rejecting the other's instances
    (tests/e2e/isolation.py and testdata/e2e/<module>/isolation.py), and
    dropping both leaks nothing under the debug interpreter; with `--state
    global` the same check fails (single-phase init shares everything).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import re
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build_ext  # noqa: E402

ROOT = HERE.parents[1]
MODULE_DIRS = sorted(p.parent for p in (ROOT / "testdata" / "e2e").glob("*/module.json"))
MANIFEST = ROOT / "transforms" / "api" / "StableAbiManifest.inc"
RELEASE_PYTHON = "/usr/bin/python3"
DEBUG_PYTHON = "/usr/bin/python3.11d"
STRICT = ["-Werror=implicit-function-declaration", "-Werror=incompatible-pointer-types"]
TARGETS = ("3.8", "3.10", "3.11")
# Modules that must port with nothing left for a human, per target. The rest
# keep sites a human must port, all in the report: PyUnicode_AsUTF8 below
# 3.10 (textops), buffers below 3.11 (bufview), PyObject_GenericGetDict below
# 3.10 (ringbuf), slots copied from static built-in types below 3.10 (runslots:
# PyType_GetSlot reads them only from 3.10).
FULLY_PORTABLE = {(m, t) for m in ("awaitable", "bundled", "cxxbox", "cxxfuncs", "dtparts", "seqtools", "twofile",
                                          "typeforms", "vector2d")
                  for t in TARGETS} | {("ringbuf", "3.10"), ("ringbuf", "3.11"),
                                       ("textops", "3.10"), ("textops", "3.11"),
                                       ("bufview", "3.11"),
                                       ("runslots", "3.10"), ("runslots", "3.11")}


def version_tuple(v: str) -> tuple[int, int]:
    major, minor = v.split(".")
    return int(major), int(minor)


def states(target: str) -> tuple[str, ...]:
    return ("global",) if version_tuple(target) < (3, 10) else ("global", "module")


def port(abi3port, module_dir: Path, target: str, *extra: str) -> subprocess.CompletedProcess:
    meta = build_ext.load_module_json(module_dir)
    std = "-std=c++17" if meta["language"] == "c++" else "-std=gnu11"
    return subprocess.run(
        [abi3port, "port", "--target", target, *extra,
         *[str(module_dir / s) for s in meta["sources"]], "--", std, f"-I{module_dir}"],
        capture_output=True, text=True, cwd=module_dir)


@pytest.fixture
def ported(abi3port, tmp_path, request):
    module_dir, target, state = request.param
    work = tmp_path / module_dir.name
    shutil.copytree(module_dir, work)
    proc = port(abi3port, work, target, "--state", state, "--in-place", "--report",
                str(tmp_path / "report.json"), "--report-format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    report["state"] = state
    if state == "module" and (module_dir.name, target) in FULLY_PORTABLE:
        assert not [f for f in report["findings"] if "--state module was not applied" in
                    f["message"]], json.dumps(report["findings"], indent=1)
    return work, target, report


CASES = [(m, t, s) for m in MODULE_DIRS for t in TARGETS for s in states(t)]
IDS = [f"{m.name}-{t}-{s}" for m, t, s in CASES]


@pytest.mark.parametrize("ported", CASES, ids=IDS, indirect=True)
def test_port_is_idempotent(abi3port, ported):
    work, target, report = ported
    again = port(abi3port, work, target, "--state", report["state"])
    assert again.returncode in (0, 1), again.stderr
    assert again.stdout == "", "second port changed the code:\n" + again.stdout


@pytest.mark.parametrize("ported", CASES, ids=IDS, indirect=True)
def test_every_remaining_error_is_a_report_site(ported):
    work, target, report = ported
    sites = report["findings"]
    blockers = [f for f in sites if f["blocker"]]
    diags = build_ext.diagnostics(work, target)
    missed = [d for d in diags
              if not any(f["file"] == d.file and f["line"] <= d.line <= f["end_line"]
                         for f in sites)]
    assert not missed, "\n".join(f"{d.file}:{d.line}: {d.message}" for d in missed)
    if not blockers:
        assert not [d for d in diags if d.severity == "error"]
    if (work.name, target) in FULLY_PORTABLE:
        assert not blockers, json.dumps(blockers, indent=1)


def stable_abi_symbols(target: str) -> set[str]:
    """Exported functions and data of the stable ABI at or below `target`,
    from the table generated from CPython's manifest."""
    want = version_tuple(target)
    names = set()
    for m in re.finditer(r'MANIFEST_ITEM\("(\w+)", (Function|Data), (\d+), (\d+),',
                         MANIFEST.read_text()):
        if (int(m.group(3)), int(m.group(4))) <= want:
            names.add(m.group(1))
    return names


def undefined_python_symbols(so: str) -> set[str]:
    out = subprocess.run(["nm", "-D", "--undefined-only", so], capture_output=True,
                         text=True, check=True).stdout
    names = {line.split()[-1].split("@")[0] for line in out.splitlines() if line.strip()}
    return {n for n in names if n.startswith(("Py", "_Py"))}


FULL = sorted((m, t, s) for m, t in FULLY_PORTABLE for s in states(t))
FULL_CASES = [(ROOT / "testdata" / "e2e" / m, t, s) for m, t, s in FULL]
FULL_IDS = [f"{m}-{t}-{s}" for m, t, s in FULL]


@pytest.mark.parametrize("ported", FULL_CASES, ids=FULL_IDS, indirect=True)
def test_fully_ported_module_builds_imports_and_behaves(ported, tmp_path):
    work, target, report = ported
    assert not [f for f in report["findings"] if f["blocker"]]
    text = "".join((work / s).read_text() for s in build_ext.load_module_json(work)["sources"])
    hexv = build_ext.limited_api_hex(target)
    assert f"#define Py_LIMITED_API {hexv}" in text
    out = tmp_path / "abi3"
    # -Wall -Wextra -Werror: the port itself adds no warning (the STRICT
    # flags are C-only, which -Werror makes an error in C++).
    c = build_ext.load_module_json(work)["language"] == "c"
    result = build_ext.build(work, out, limited_api=target, werror=True,
                             extra_flags=STRICT if c else [])
    assert result.ok, result.stderr
    assert result.so_path.endswith(f"{work.name}.abi3.so")
    extra = undefined_python_symbols(result.so_path) - stable_abi_symbols(target)
    assert not extra, f"symbols outside the stable ABI at {target}: {sorted(extra)}"
    for python in (RELEASE_PYTHON, DEBUG_PYTHON):
        if not Path(python).exists():
            continue
        proc = build_ext.run_behaviour_test(work, out, python=python)
        assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("ported", FULL_CASES, ids=FULL_IDS, indirect=True)
def test_ported_types_look_the_same_from_python(ported, tmp_path):
    """Parity: names, doc, subclassable, instantiable, mutable, weakrefs, flags,
    and instances that return their reference to the (now heap) type."""
    work, target, _ = ported
    module_dir = ROOT / "testdata" / "e2e" / work.name
    full = build_ext.build(module_dir, tmp_path / "full")
    ported_build = build_ext.build(work, tmp_path / "abi3", limited_api=target, werror=False,
                                   extra_flags=STRICT)
    assert full.ok and ported_build.ok, full.stderr + ported_build.stderr

    def describe(so_dir, *extra):
        env = dict(os.environ, PYTHONPATH=str(so_dir), PYTHONDONTWRITEBYTECODE="1")
        return subprocess.run([RELEASE_PYTHON, str(HERE / "parity.py"), work.name, *extra],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    before, after = describe(tmp_path / "full"), describe(tmp_path / "abi3")
    assert before.returncode == 0 and after.returncode == 0, before.stderr + after.stderr
    assert json.loads(after.stdout) == json.loads(before.stdout)
    refcounts = describe(tmp_path / "abi3", "--refcounts")
    assert refcounts.returncode == 0, refcounts.stdout + refcounts.stderr


@pytest.mark.skipif(not Path(DEBUG_PYTHON).exists(), reason="no debug interpreter")
@pytest.mark.parametrize("ported", FULL_CASES, ids=FULL_IDS, indirect=True)
def test_fully_ported_module_does_not_leak(ported, tmp_path):
    work, target, _ = ported
    out = tmp_path / "abi3d"
    result = build_ext.build(work, out, limited_api=target, python=DEBUG_PYTHON, werror=False,
                             extra_flags=STRICT)
    assert result.ok, result.stderr
    env = dict(os.environ, PYTHONPATH=str(out), PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([DEBUG_PYTHON, str(HERE / "leakcheck.py"), work.name,
                           str(work / f"test_{work.name}.py")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert str(out) in proc.stdout


@pytest.mark.parametrize("ported", FULL_CASES, ids=FULL_IDS, indirect=True)
def test_module_objects_are_isolated(ported, tmp_path):
    """Two module objects from one .abi3.so: distinct types and exceptions,
    each rejecting the other's instances; with --state global, shared."""
    work, target, report = ported
    state = report["state"]
    build = build_ext.build(work, tmp_path / "abi3", limited_api=target, werror=False,
                            extra_flags=STRICT)
    assert build.ok, build.stderr
    proc = subprocess.run([RELEASE_PYTHON, str(HERE / "isolation.py"), build.so_path, str(work)],
                          capture_output=True, text=True, timeout=300)
    if state == "global":  # the check can fail: single-phase init shares everything
        assert proc.returncode == 1 and "second load returned the first module" in proc.stdout + \
            proc.stderr, proc.stdout + proc.stderr
        return
    assert proc.returncode == 0, proc.stdout + proc.stderr
    if not Path(DEBUG_PYTHON).exists():
        return
    debug = build_ext.build(work, tmp_path / "abi3d", limited_api=target, python=DEBUG_PYTHON,
                            werror=False, extra_flags=STRICT)
    assert debug.ok, debug.stderr
    leaks = subprocess.run([DEBUG_PYTHON, str(HERE / "isolation.py"), debug.so_path, str(work),
                            "--leaks"], capture_output=True, text=True, timeout=300)
    assert leaks.returncode == 0, leaks.stdout + leaks.stderr


CHECK_CASES = [(m, t) for m in MODULE_DIRS for t in TARGETS]


@pytest.mark.parametrize("module_dir,target", CHECK_CASES,
                         ids=[f"{m.name}-{t}" for m, t in CHECK_CASES])
def test_what_check_calls_fixable_port_fixes(abi3port, module_dir, target, tmp_path):
    """`check`'s `fixable` is a promise about `port`: no such site is left."""
    work = tmp_path / module_dir.name
    shutil.copytree(module_dir, work)
    meta = build_ext.load_module_json(work)
    std = "-std=c++17" if meta["language"] == "c++" else "-std=gnu11"
    sources = [str(work / s) for s in meta["sources"]]
    checked = subprocess.run([abi3port, "check", "--target", target, "--format", "json",
                              *sources, "--", std, f"-I{work}"], capture_output=True, text=True)
    promised = {(f["file"], f["line"], f["column"]) for f in json.loads(checked.stdout)["findings"]
                if f["fixable"]}
    proc = port(abi3port, work, target, "--report", str(tmp_path / "r.json"),
                "--report-format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    left = json.loads((tmp_path / "r.json").read_text())["findings"]
    broken = [f for f in left
              if ((f.get("original") or f)["file"], (f.get("original") or f)["line"],
                  (f.get("original") or f)["column"]) in promised]
    assert not broken, json.dumps(broken, indent=1)


def test_two_modules_ported_in_one_run_each_get_their_state(abi3port, tmp_path):
    """Each file with its own PyInit_* gets its own module_state (bitarray's
    _bitarray.c and _util.c are ported together, for instance)."""
    works = []
    for name in ("seqtools", "textops"):
        work = tmp_path / name
        shutil.copytree(ROOT / "testdata" / "e2e" / name, work)
        works.append(work)
    proc = subprocess.run(
        [abi3port, "port", "--target", "3.11", "--state", "module", "--in-place",
         str(works[0] / "seqtools.c"), str(works[1] / "textops.c"), "--", "-std=gnu11"],
        capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    for work in works:
        text = (work / f"{work.name}.c").read_text()
        assert text.count("} module_state;") == 1, text
        assert f"return PyModuleDef_Init(&{work.name}_module);" in text
        result = build_ext.build(work, tmp_path / f"{work.name}-abi3", limited_api="3.11",
                                 werror=False, extra_flags=STRICT)
        assert result.ok, result.stderr
        behaviour = build_ext.run_behaviour_test(work, tmp_path / f"{work.name}-abi3",
                                                 python=RELEASE_PYTHON)
        assert behaviour.returncode == 0, behaviour.stdout + behaviour.stderr
