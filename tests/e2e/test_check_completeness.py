"""`abi3port check` misses nothing: every compile error under the Limited API
lies inside some finding.

For each testdata extension and each target, the sources are compiled with
``-DPy_LIMITED_API=<target>`` against the real headers; every error and every
implicit-declaration / incompatible-pointer warning must fall within the
``line..end_line`` range of a finding in the same file.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build_ext  # noqa: E402

ROOT = HERE.parents[1]
MODULE_DIRS = sorted(p.parent for p in (ROOT / "testdata" / "e2e").glob("*/module.json"))
TARGETS = ["3.8", "3.11"]


def run_check(abi3port: str, module_dir: Path, target: str) -> dict:
    meta = build_ext.load_module_json(module_dir)
    sources = [str(module_dir / s) for s in meta["sources"]]
    std = "-std=c++17" if meta.get("language") == "c++" else "-std=gnu11"
    proc = subprocess.run(
        [abi3port, "check", "--target", target, "--format", "json", *sources,
         "--", std, f"-I{module_dir}"],
        capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def covered(diag, findings) -> bool:
    return any(f["file"] == diag.file and f["line"] <= diag.line <= f["end_line"]
               for f in findings)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("module_dir", MODULE_DIRS, ids=[p.name for p in MODULE_DIRS])
def test_every_limited_api_error_is_a_finding(abi3port, module_dir, target):
    report = run_check(abi3port, module_dir, target)
    diags = build_ext.diagnostics(module_dir, target)
    assert diags, "the full-API module should not build under the Limited API"
    missed = [d for d in diags if not covered(d, report["findings"])]
    assert not missed, "\n".join(
        f"{d.file}:{d.line}:{d.column}: {d.severity}: {d.message}" for d in missed)


@pytest.mark.parametrize("module_dir", MODULE_DIRS, ids=[p.name for p in MODULE_DIRS])
def test_findings_carry_the_documented_fields(abi3port, module_dir):
    report = run_check(abi3port, module_dir, "3.11")
    assert report["target"] == "3.11"
    assert report["findings"]
    for f in report["findings"]:
        for key in ("file", "line", "column", "end_line", "rule", "message",
                    "fixable", "min_version"):
            assert key in f, (key, f)
        assert f["line"] <= f["end_line"]
    files = {f["file"] for f in report["findings"]}
    assert {s["file"] for s in report["files"]} == files
