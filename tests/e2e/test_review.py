"""Incremental review: the patch series, change ids, --skip/--only, fixes YAML.

On copies of every testdata extension, each in a fresh git checkout:
  * `port --patches DIR` writes a series `git am` applies in order to the
    unmodified tree; after every patch the module builds under the full API
    with -Wall -Wextra -Werror (the originals build so) and passes its
    behaviour test; the last tree equals what `port --in-place` writes, and
    the report equals the report without --patches;
  * `port --export-fixes FILE`, applied by Debian's clang-apply-replacements-19,
    gives byte for byte the `--in-place` result;
  * change ids are the same across runs and after an unrelated edit;
  * `--skip` of a static type's conversion refuses exactly that change and
    its dependants, and the port still builds and behaves.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import build_ext
from test_port import MODULE_DIRS, RELEASE_PYTHON, port

APPLY_REPLACEMENTS = "/usr/bin/clang-apply-replacements-19"
GIT = ["git", "-c", "user.name=abi3port test", "-c", "user.email=test@abi3port.invalid",
       "-c", "commit.gpgsign=false"]


def checkout(module_dir: Path, where: Path) -> Path:
    """A git repository holding a copy of the module, committed."""
    work = where / module_dir.name
    shutil.copytree(module_dir, work)
    subprocess.run([*GIT, "init", "-q"], cwd=work, check=True)
    subprocess.run([*GIT, "add", "."], cwd=work, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "original"], cwd=work, check=True)
    return work


def sources(work: Path) -> dict[str, str]:
    meta = build_ext.load_module_json(work)
    return {s: (work / s).read_text() for s in meta["sources"]} | {
        p.name: p.read_text() for p in work.glob("*.h")}


def in_place(abi3port, module_dir: Path, tmp_path: Path, target: str, *extra: str):
    work = tmp_path / "in-place" / module_dir.name
    shutil.copytree(module_dir, work)
    report = tmp_path / "in-place-report.json"
    proc = port(abi3port, work, target, "--in-place", "--report", str(report),
                "--report-format", "json", *extra)
    assert proc.returncode in (0, 1), proc.stderr
    return sources(work), json.loads(report.read_text())


def relative(items: list[dict], work: Path) -> list[dict]:
    """The items with the checkout's path left out (the copies differ)."""
    text = json.dumps(items).replace(str(work.resolve()) + "/", "")
    return json.loads(text)


def build_and_behave(work: Path, out: Path) -> str | None:
    built = build_ext.build(work, out, werror=True)
    if not built.ok:
        return "build: " + built.stderr
    behaviour = build_ext.run_behaviour_test(work, out, python=RELEASE_PYTHON)
    if behaviour.returncode != 0:
        return "behaviour: " + behaviour.stdout + behaviour.stderr
    return None


@pytest.mark.parametrize("module_dir", MODULE_DIRS, ids=[m.name for m in MODULE_DIRS])
def test_patch_series_applies_and_every_step_builds_and_behaves(abi3port, module_dir, tmp_path):
    work = checkout(module_dir, tmp_path / "series")
    patches = tmp_path / "patches"
    report = tmp_path / "series-report.json"
    proc = port(abi3port, work, "3.11", "--patches", str(patches), "--report", str(report),
                "--report-format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stdout.strip(), "no patch written"
    series = sorted(patches.glob("*.patch"))
    assert [p.name for p in series] == [Path(line).name for line in proc.stdout.split()]
    assert sources(work) == sources(module_dir), "--patches edited the sources"
    for number, patch in enumerate(series, 1):
        assert patch.name.startswith(f"{number:04d}-")
        applied = subprocess.run([*GIT, "am", "-q", str(patch)], cwd=work,
                                 capture_output=True, text=True)
        assert applied.returncode == 0, f"{patch.name}: {applied.stdout}{applied.stderr}"
        problem = build_and_behave(work, tmp_path / f"step{number}")
        assert problem is None, f"after {patch.name}: {problem}"
    expected, expected_report = in_place(abi3port, module_dir, tmp_path, "3.11")
    assert sources(work) == expected, "the series does not end where --in-place does"
    got_report = json.loads(report.read_text())
    in_place_dir = tmp_path / "in-place" / module_dir.name
    assert relative(got_report["findings"], work) == relative(expected_report["findings"],
                                                              in_place_dir)
    assert relative(got_report["changes"], work) == relative(expected_report["changes"],
                                                             in_place_dir)
    log = subprocess.run([*GIT, "log", "--format=%s%n%b"], cwd=work, capture_output=True,
                         text=True, check=True).stdout
    for change in got_report["changes"]:
        assert change["id"] in log, f"{change['id']} is in no commit message"


@pytest.mark.parametrize("module_dir", MODULE_DIRS, ids=[m.name for m in MODULE_DIRS])
def test_export_fixes_applied_by_clang_apply_replacements_equal_in_place(
        abi3port, module_dir, tmp_path):
    assert Path(APPLY_REPLACEMENTS).exists(), "clang-tools-19 is not installed"
    work = tmp_path / "fixes" / module_dir.name
    shutil.copytree(module_dir, work)
    fixes_dir = tmp_path / "yaml"
    fixes_dir.mkdir()
    proc = port(abi3port, work, "3.11", "--export-fixes", str(fixes_dir / "fixes.yaml"))
    assert proc.returncode in (0, 1), proc.stderr
    assert sources(work) == sources(module_dir), "--export-fixes without --in-place edited"
    applied = subprocess.run([APPLY_REPLACEMENTS, str(fixes_dir)], capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    expected, _ = in_place(abi3port, module_dir, tmp_path, "3.11")
    assert sources(work) == expected


def changes_of(abi3port, work: Path, target: str, *extra: str) -> tuple[dict, subprocess.CompletedProcess]:
    report = work.parent / f"{work.name}-report.json"
    proc = port(abi3port, work, target, "--report", str(report), "--report-format", "json",
                *extra)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(report.read_text()), proc


VECTOR2D = next(m for m in MODULE_DIRS if m.name == "vector2d")


def test_change_ids_survive_a_second_run_and_an_unrelated_edit(abi3port, tmp_path):
    work = tmp_path / "vector2d"
    shutil.copytree(VECTOR2D, work)
    first, _ = changes_of(abi3port, work, "3.10", "--state", "global")
    again, _ = changes_of(abi3port, work, "3.10", "--state", "global")
    assert first["changes"] == again["changes"]
    source = work / "vector2d.c"
    source.write_text("/* a comment a maintainer added */\n\n" + source.read_text())
    edited, _ = changes_of(abi3port, work, "3.10", "--state", "global")
    assert [c["id"] for c in edited["changes"]] == [c["id"] for c in first["changes"]]
    assert len({c["id"] for c in first["changes"]}) == len(first["changes"])


def test_skip_a_type_conversion_refuses_it_and_its_dependants(abi3port, tmp_path):
    work = tmp_path / "vector2d"
    shutil.copytree(VECTOR2D, work)
    full, _ = changes_of(abi3port, work, "3.10", "--state", "global")
    types = [c for c in full["changes"] if c["rule"] == "static-type-object"
             and "convert the static type" in c["summary"]]
    assert types, json.dumps(full["changes"], indent=1)
    refused = types[0]["id"]
    dependants = {c["id"] for c in full["changes"] if refused in c["depends_on"]}
    skipped, proc = changes_of(abi3port, work, "3.10", "--state", "global", "--skip", refused,
                               "--in-place")
    ids = {c["id"] for c in skipped["changes"]}
    assert refused not in ids and not (dependants & ids)
    kept = {c["id"] for c in full["changes"]} - {refused} - dependants
    # What neither is the type nor depends on it stays, with the same id
    # (the type-creation code, the helpers only it used and Py_LIMITED_API,
    # which the type's sites now block, go with it).
    others = {c["id"] for c in full["changes"] if c["id"] in kept and
              "create the converted types" not in c["summary"] and
              c["rule"] != "limited-api-macro"}
    assert others - ids <= {c["id"] for c in full["changes"] if c.get("depends_on_any")}
    messages = [f["message"] for f in skipped["findings"]]
    assert any(f"change {refused} not applied (--skip)" in m for m in messages), messages
    for d in dependants:
        assert any(f"change {d} not applied (depends on" in m for m in messages), messages
    assert "static PyTypeObject Vector_Type = {" in (work / "vector2d.c").read_text()
    problem = build_and_behave(work, tmp_path / "skipped")
    assert problem is None, problem


def test_unknown_change_id_is_an_error(abi3port, tmp_path):
    work = tmp_path / "vector2d"
    shutil.copytree(VECTOR2D, work)
    proc = port(abi3port, work, "3.11", "--skip", "checked-calls-00000000")
    assert proc.returncode == 2
    assert "no change has the id 'checked-calls-00000000'" in proc.stderr


def test_check_sarif_has_fixes_on_fixable_results(abi3port, tmp_path):
    work = tmp_path / "vector2d"
    shutil.copytree(VECTOR2D, work)
    proc = subprocess.run([abi3port, "check", "--target", "3.11", "--format", "sarif",
                           str(work / "vector2d.c")], capture_output=True, text=True, cwd=work)
    assert proc.returncode == 1, proc.stderr
    sarif = json.loads(proc.stdout)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    fixable = [r for r in results if r["properties"]["fixable"]]
    assert fixable
    text = (work / "vector2d.c").read_text()
    with_fixes = [r for r in fixable if "fixes" in r]
    assert len(with_fixes) >= len(fixable) * 0.8, [r["message"] for r in fixable if "fixes" not in r]
    for r in with_fixes:
        for fix in r["fixes"]:
            assert fix["description"]["text"]
            for change in fix["artifactChanges"]:
                assert change["artifactLocation"]["uri"].startswith("file://")
                for rep in change["replacements"]:
                    region = rep["deletedRegion"]
                    assert 0 <= region["charOffset"] <= len(text.encode())
                    assert region["charLength"] >= 0
                    assert isinstance(rep["insertedContent"]["text"], str)


def test_check_export_fixes_equals_port_export_fixes(abi3port, tmp_path):
    work = tmp_path / "vector2d"
    shutil.copytree(VECTOR2D, work)
    from_port, from_check = tmp_path / "port.yaml", tmp_path / "check.yaml"
    proc = port(abi3port, work, "3.11", "--export-fixes", str(from_port))
    assert proc.returncode in (0, 1), proc.stderr
    meta = build_ext.load_module_json(work)
    checked = subprocess.run(
        [abi3port, "check", "--target", "3.11", "--export-fixes", str(from_check),
         *[str(work / s) for s in meta["sources"]], "--", "-std=gnu11", f"-I{work}"],
        capture_output=True, text=True, cwd=work)
    assert checked.returncode == 1, checked.stderr
    assert from_check.read_text() == from_port.read_text()


def test_patches_and_in_place_exclude_each_other(abi3port, tmp_path):
    work = tmp_path / "vector2d"
    shutil.copytree(VECTOR2D, work)
    proc = port(abi3port, work, "3.11", "--patches", str(tmp_path / "p"), "--in-place")
    assert proc.returncode == 2
    assert "--patches and --in-place exclude each other" in proc.stderr
    assert sources(work) == sources(VECTOR2D)
