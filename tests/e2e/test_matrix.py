"""The interpreter matrix: every testdata port, once per target, under every
interpreter at or above the target.

Each module is ported at 3.8 to 3.15 (the target's default state) and built
once per target as NAME.abi3.so: with Debian 12's 3.11 headers up to 3.11,
and above with the headers of the oldest of 3.13-3.15 (scripts/get-pythons.sh)
at or above the target.
`abi3port verify` then runs it under 3.11 (release and debug) and 3.13, 3.14
and 3.15 (release and debug, from scripts/get-pythons.sh). It checks the
imports and the module's behaviour test (`--test`), and under each debug
interpreter that repeated import, use and collection leaves the allocated
blocks flat. A port with module state also has its two module objects checked
for isolation under each release interpreter (tests/e2e/isolation.py). A port
that still has blocking sites is not built; its cells give that reason. At
the end of the run the matrix is printed as a table (conftest.py).
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import build_ext
import newer_pythons
from test_port import DEBUG_PYTHON, HERE, MODULE_DIRS, RELEASE_PYTHON, STRICT, port

TARGETS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15")
NEWER = {v: newer_pythons.find(v) for v in newer_pythons.VERSIONS}


def headers_for(target: str):
    """The oldest newer Python at or above the target: its headers still
    declare what that target's Limited API has (3.15's no longer declare
    PyWeakref_GetObject, which a 3.12 port may keep)."""
    for v, p in NEWER.items():
        if version(v) >= version(target) and not isinstance(p, str):
            return p
    return None
# (column, executable, version)
INTERPRETERS = [("3.11", RELEASE_PYTHON, "3.11"), ("3.11d", DEBUG_PYTHON, "3.11")]
for _v in newer_pythons.VERSIONS:
    _p = newer_pythons.find(_v)
    if not isinstance(_p, str):
        INTERPRETERS += [(_v, _p.release, _v), (_v + "d", _p.debug, _v)]
MISSING = [v for v in newer_pythons.VERSIONS if isinstance(newer_pythons.find(v), str)]

# (module, target) -> {column: cell}
MATRIX: dict[tuple[str, str], dict[str, str]] = {}


def version(v: str) -> tuple[int, int]:
    return tuple(int(x) for x in v.split("."))


def render() -> list[str]:
    """The matrix as a Markdown table."""
    columns = [c for c, _, _ in INTERPRETERS]
    lines = ["| module | target | " + " | ".join(columns) + " |",
             "|---|---|" + "---|" * len(columns)]
    for (module, target), cells in sorted(MATRIX.items(), key=lambda kv: (kv[0][0],
                                                                           version(kv[0][1]))):
        lines.append(f"| {module} | {target} | " +
                     " | ".join(cells.get(c, "-") for c in columns) + " |")
    if MISSING:
        lines.append(f"(Python {', '.join(MISSING)}: {newer_pythons.MISSING})")
    return lines


CASES = [(m, t) for m in MODULE_DIRS for t in TARGETS]


@pytest.mark.parametrize("module_dir,target", CASES, ids=[f"{m.name}-{t}" for m, t in CASES])
def test_port_under_every_interpreter_from_its_target(abi3port, tmp_path, module_dir, target):
    cells = MATRIX.setdefault((module_dir.name, target), {})
    work = tmp_path / module_dir.name
    shutil.copytree(module_dir, work)
    report_path = tmp_path / "report.json"
    proc = port(abi3port, work, target, "--in-place", "--report", str(report_path),
                "--report-format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(report_path.read_text())
    blockers = [f for f in report["findings"] if f["blocker"]]
    columns = [(c, exe) for c, exe, v in INTERPRETERS if version(v) >= version(target)]
    if blockers:
        for c, _ in columns:
            cells[c] = f"blocked ({len(blockers)} sites)"
        return  # a reported reason, not a failure
    headers = {}
    if version(target) > (3, 11):  # the 3.11 headers lack what these targets use
        newer = headers_for(target)
        if newer is None:
            for c, _ in columns:
                cells[c] = "no headers"
            pytest.skip(f"no Python {target} or later: {newer_pythons.MISSING}")
        headers = {"python": newer.release, "extra_flags": [*newer.include_flags, *STRICT]}
    built = build_ext.build(work, tmp_path / "abi3", limited_api=target, werror=False,
                            **(headers or {"extra_flags": STRICT}))
    if not built.ok:
        for c, _ in columns:
            cells[c] = "**build failed**"
        pytest.fail(built.stderr)
    name = build_ext.load_module_json(work)["name"]
    tests = (work / f"test_{name}.py").read_text()
    assert tests.rfind('if __name__ == "__main__":') > tests.rfind("\ndef test_"), \
        "the behaviour test's script runner must come after its last test"
    # the test file as a script (each has a __main__ runner): pytest would
    # start eight times per cell
    test = f"cd {work} && $PYTHON test_{name}.py"
    verified = subprocess.run([abi3port, "verify", "--format", "json", "--target", target,
                               built.so_path, "--test", test,
                               *[a for _, exe in columns for a in ("--python", exe)]],
                              capture_output=True, text=True, timeout=1800)
    checks = json.loads(verified.stdout)["checks"]
    # isolation holds with module state only (single-phase init shares all)
    module_state = any("get_module_state(" in (work / s).read_text()
                       for s in build_ext.load_module_json(work)["sources"])
    failures = []
    for c, exe in columns:
        mine = [k for k in checks if f" under {exe} " in k["subject"]]
        bad = [k for k in mine if not k["ok"]]
        kinds = sorted({k["kind"] for k in mine if k["kind"] in ("import", "test", "leaks")})
        if module_state and not c.endswith("d"):
            iso = subprocess.run([exe, str(HERE / "isolation.py"), built.so_path, str(work)],
                                 capture_output=True, text=True, timeout=300)
            kinds.append("isolation")
            if iso.returncode != 0:
                bad.append({"kind": "isolation", "detail": (iso.stdout + iso.stderr)[-300:]})
        cells[c] = "ok (" + ", ".join(kinds) + ")" if not bad else \
            "**FAIL** (" + ", ".join(sorted({b["kind"] for b in bad})) + ")"
        failures += [f"{c}: {b['kind']}: {b['detail']}" for b in bad]
    assert not failures, "\n".join(failures)
