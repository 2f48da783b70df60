"""`abi3port lsp` through a scripted client (tests/e2e/lsp_client.py).

Every message of docs/lsp.md: initialize (position encodings, options),
diagnostics of the open buffer's current text (unsaved changes too) and of
its headers, quick fixes equal to what `port --only` writes for the same
change groups, the source action equal to `port --in-place`, and a server
that survives malformed JSON, unknown methods and files that do not parse,
and honours shutdown and exit.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lsp_client import Client, apply_edits, uri
from test_port import MODULE_DIRS, port

VECTOR2D = next(m for m in MODULE_DIRS if m.name == "vector2d")


@pytest.fixture
def work(tmp_path) -> Path:
    dest = tmp_path / "vector2d"
    shutil.copytree(VECTOR2D, dest)
    return dest


@pytest.fixture
def client(abi3port, work):
    c = Client(abi3port, "--target", "3.10", "--state", "global", cwd=work)
    yield c
    if c.proc.poll() is None:
        c.proc.kill()


def check_json(abi3port, path: Path, target: str = "3.10") -> list[dict]:
    proc = subprocess.run([abi3port, "check", "--target", target, "--format", "json", str(path),
                           "--"], capture_output=True, text=True, cwd=path.parent)
    return json.loads(proc.stdout)["findings"]


def port_only(abi3port, source: Path, tmp_path: Path, ids: list[str] | None, name: str) -> str:
    copy = tmp_path / name
    shutil.copytree(source.parent, copy)
    args = [abi3port, "port", "--target", "3.10", "--state", "global", "--in-place",
            str(copy / source.name), "--"]
    if ids is not None:
        args[2:2] = ["--only", ",".join(ids)]
    proc = subprocess.run(args, capture_output=True, text=True, cwd=copy)
    assert proc.returncode in (0, 1), proc.stderr
    return (copy / source.name).read_text()


def report_changes(abi3port, source: Path) -> list[dict]:
    report = source.parent / "report.json"
    subprocess.run([abi3port, "port", "--target", "3.10", "--state", "global", "--report",
                    str(report), "--report-format", "json", str(source), "--"],
                   capture_output=True, text=True, cwd=source.parent)
    changes = json.loads(report.read_text())["changes"]
    report.unlink()
    return changes


def closure(changes: list[dict], ident: str) -> list[str]:
    by_id = {c["id"]: c for c in changes}
    out, work = [], [ident]
    while work:
        i = work.pop()
        if i not in out:
            out.append(i)
            work.extend(by_id[i]["depends_on"])
    return out


def test_initialize_negotiates_the_position_encoding(abi3port, work):
    for offered, expected in ((False, "utf-16"), (True, "utf-8")):
        c = Client(abi3port, cwd=work)
        result = c.initialize(work, utf8=offered)["result"]
        assert result["capabilities"]["positionEncoding"] == expected
        assert result["serverInfo"]["name"] == "abi3port"
        assert set(result["capabilities"]["codeActionProvider"]["codeActionKinds"]) == {
            "quickfix", "source"}
        assert c.close() == 0


def test_diagnostics_are_check_findings_of_the_buffer(abi3port, client, work):
    client.initialize(work)
    source = work / "vector2d.c"
    u = client.open(source)
    diags = client.diagnostics(u)
    expected = check_json(abi3port, source)
    got = sorted((d["code"], d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1)
                 for d in diags)
    want = sorted((f["rule"], f["line"], f["column"]) for f in expected
                  if f["file"] == str(source.resolve()))
    assert got == want
    for d in diags:
        assert d["source"] == "abi3port" and d["severity"] == 2
        assert d["codeDescription"]["href"].endswith(f"rules/{d['code']}.md")


def test_unsaved_changes_are_parsed_and_quick_fixes_follow_them(abi3port, client, work):
    client.initialize(work)
    source = work / "vector2d.c"
    text = source.read_text()
    u = client.open(source)
    client.diagnostics(u)
    marker = "static PyObject *\nvector_from_doubles"
    added = ("static PyObject *\nfirst_item(PyObject *list)\n{\n"
             "    return PyList_GET_ITEM(list, 0);\n}\n\n")
    edited = text.replace(marker, added + marker, 1)
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": u, "version": 2},
        "contentChanges": [{"text": edited}]})
    diags = client.diagnostics(u, version=2, with_port=True)
    line = edited[:edited.index("PyList_GET_ITEM")].count("\n")
    site = [d for d in diags if d["range"]["start"]["line"] == line]
    assert site and site[0]["code"] == "checked-calls", diags
    assert source.read_text() == text, "the file on disk changed"
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": u}, "range": site[0]["range"],
        "context": {"diagnostics": [site[0]]}})["result"]
    fixes = [a for a in actions if a["kind"] == "quickfix"]
    assert len(fixes) == 1, actions
    (change,) = fixes[0]["edit"]["documentChanges"]
    assert change["textDocument"] == {"uri": u, "version": 2}
    fixed = apply_edits(edited, change["edits"])
    assert "return PyList_GetItem(list, 0);" in fixed
    assert fixed.count("PyList_GET_ITEM") == edited.count("PyList_GET_ITEM") - 1
    assert fixed == edited.replace("return PyList_GET_ITEM(list, 0);",
                                   "return PyList_GetItem(list, 0);")


def test_quick_fixes_equal_port_only_of_their_change(abi3port, client, work, tmp_path):
    client.initialize(work)
    source = work / "vector2d.c"
    text = source.read_text()
    u = client.open(source)
    diags = client.diagnostics(u, with_port=True)
    changes = report_changes(abi3port, source)
    by_rule = {d["code"]: d for d in diags if d.get("data", {}).get("changeId")}
    for rule in ("checked-calls", "static-type-object"):
        d = by_rule[rule]
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": u}, "range": d["range"],
            "context": {"diagnostics": [d]}})["result"]
        fix = next(a for a in actions if a["kind"] == "quickfix"
                   and d["data"]["changeId"] in a["title"])
        edits = [e for c in fix["edit"]["documentChanges"] for e in c["edits"]]
        ids = closure(changes, d["data"]["changeId"])
        expected = port_only(abi3port, source, tmp_path, ids, f"only-{rule}")
        assert apply_edits(text, edits) == expected, rule
    source_actions = [a for a in client.request("textDocument/codeAction", {
        "textDocument": {"uri": u}, "range": {"start": {"line": 0, "character": 0},
                                              "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": []}})["result"] if a["kind"] == "source"]
    assert len(source_actions) == 1
    edits = [e for c in source_actions[0]["edit"]["documentChanges"] for e in c["edits"]]
    assert apply_edits(text, edits) == port_only(abi3port, source, tmp_path, None, "all")


def test_headers_of_the_unit_get_their_diagnostics(abi3port, client, tmp_path):
    ext = tmp_path / "withheader"
    ext.mkdir()
    (ext / "helpers.h").write_text(
        "#include <Python.h>\nstatic inline double first(PyObject *t)\n"
        "{\n    return PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(t, 0));\n}\n")
    (ext / "mod.c").write_text(
        '#include "helpers.h"\nstatic PyObject *f(PyObject *s, PyObject *t)\n'
        "{\n    return PyFloat_FromDouble(first(t));\n}\n")
    client.initialize(ext)
    client.open(ext / "mod.c")
    header = client.diagnostics(uri(ext / "helpers.h"))
    assert sorted(d["code"] for d in header) == ["checked-calls", "checked-calls"]
    assert {d["range"]["start"]["line"] for d in header} == {3}


def test_a_file_that_does_not_parse_gets_a_diagnostic_and_the_server_lives(abi3port, client, work):
    client.initialize(work)
    bad = work / "broken.c"
    bad.write_text("#include <Python.h>\nint f( {\n")
    diags = client.diagnostics(client.open(bad))
    assert len(diags) == 1 and diags[0]["severity"] == 1
    assert "does not parse" in diags[0]["message"]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri(bad)}, "range": diags[0]["range"],
        "context": {"diagnostics": diags}})
    assert actions["result"] == []
    assert client.close() == 0


def test_malformed_messages_and_unknown_methods_get_errors(abi3port, client, work):
    early = client.request("textDocument/codeAction", {})
    assert early["error"]["code"] == -32002
    client.initialize(work)
    client.send_raw(b"{not json")
    error = client.wait(lambda m: "error" in m and m.get("id") is None)
    assert error["error"]["code"] == -32700
    unknown = client.request("textDocument/hover", {})
    assert unknown["error"]["code"] == -32601
    client.notify("$/someNotification", {})
    client.open(work / "vector2d.c")
    assert client.diagnostics(uri(work / "vector2d.c"))
    assert client.request("shutdown")["result"] is None
    after = client.request("textDocument/codeAction", {})
    assert after["error"]["code"] == -32600
    client.notify("exit")
    assert client.proc.wait(timeout=30) == 0


def test_exit_without_shutdown_is_status_1(abi3port, work):
    c = Client(abi3port, cwd=work)
    c.initialize(work)
    c.notify("exit")
    assert c.proc.wait(timeout=30) == 1


@pytest.mark.parametrize("module,target,state", [("vector2d", "3.10", "global"),
                                                 ("seqtools", "3.11", "module")])
def test_every_quick_fix_one_by_one_builds_and_behaves_as_port(abi3port, tmp_path, module,
                                                               target, state):
    import build_ext
    module_dir = next(m for m in MODULE_DIRS if m.name == module)
    work = tmp_path / "lsp" / module
    shutil.copytree(module_dir, work)
    source = work / f"{module}.c"
    c = Client(abi3port, "--target", target, "--state", state, cwd=work)
    try:
        c.initialize(work)
        u = c.open(source)
        text, version, applied = source.read_text(), 1, []
        for _ in range(80):
            diags = c.diagnostics(u, version=version, with_port=True)
            fixable = [d for d in diags if d.get("data", {}).get("changeId")]
            if not fixable:
                break
            d = fixable[0]
            actions = c.request("textDocument/codeAction", {
                "textDocument": {"uri": u}, "range": d["range"],
                "context": {"diagnostics": [d]}})["result"]
            fix = next(a for a in actions if a["kind"] == "quickfix")
            (change,) = [ch for ch in fix["edit"]["documentChanges"]
                         if ch["textDocument"]["uri"] == u]
            assert change["textDocument"]["version"] == version
            text = apply_edits(text, change["edits"])
            applied.append(d["data"]["changeId"])
            version += 1
            c.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": version},
                                                "contentChanges": [{"text": text}]})
        else:
            pytest.fail(f"quick fixes do not converge: {applied}")
        assert applied
    finally:
        c.close()
    source.write_text(text)
    # The file built from the quick fixes behaves as port --in-place's.
    expected = tmp_path / "port" / module
    shutil.copytree(module_dir, expected)
    proc = port(abi3port, expected, target, "--state", state, "--in-place")
    assert proc.returncode == 0, proc.stderr
    for tree, label in ((work, "quick fixes"), (expected, "port")):
        limited = "define Py_LIMITED_API" in (tree / f"{module}.c").read_text()
        built = build_ext.build(tree, tmp_path / f"so-{label}",
                                limited_api=target if limited else None, werror=True)
        assert built.ok, label + built.stderr
        behaviour = build_ext.run_behaviour_test(tree, tmp_path / f"so-{label}")
        assert behaviour.returncode == 0, label + behaviour.stdout + behaviour.stderr
    assert "define Py_LIMITED_API" in text, "the quick fixes did not finish the port"
