"""`abi3port lsp` in a real editor: Debian's Neovim, headless, its built-in
LSP client (tests/e2e/nvim/quickfix.lua). It opens a testdata file, waits
for the diagnostics, applies the quick fix at a checked-calls site and at the
static type, saves, and the saved file must equal what `port --only` writes
for those change groups (and what they need).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from test_lsp import VECTOR2D, check_json, closure, port_only, report_changes

NVIM = "/usr/bin/nvim"
SCRIPT = Path(__file__).resolve().parent / "nvim" / "quickfix.lua"


def test_neovim_applies_quick_fixes_as_port_writes_them(abi3port, tmp_path):
    assert Path(NVIM).exists(), "neovim is not installed (scripts/install-deps.sh)"
    work = tmp_path / "vector2d"
    shutil.copytree(VECTOR2D, work)
    source = work / "vector2d.c"
    original = source.read_text()
    changes = report_changes(abi3port, source)
    result_path = tmp_path / "result.json"
    env = dict(os.environ, ABI3PORT=abi3port, SOURCE=str(source), RESULT=str(result_path),
               RULES="checked-calls:PyList_GET_ITEM,static-type-object", XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.run([NVIM, "--headless", "--clean", "-n", "-c", f"luafile {SCRIPT}"],
                          env=env, cwd=work, capture_output=True, text=True, timeout=600)
    assert result_path.exists(), proc.stdout + proc.stderr
    result = json.loads(result_path.read_text())
    assert result["errors"] == [], result
    restored = tmp_path / "original" / "vector2d"
    shutil.copytree(VECTOR2D, restored)
    # The diagnostics Neovim shows are check's findings, where check puts them.
    shown = sorted((d["code"], d["line"] + 1, d["col"] + 1) for d in result["initial"])
    expected = sorted((f["rule"], f["line"], f["column"])
                      for f in check_json(abi3port, restored / "vector2d.c", "3.10")
                      if f["file"] == str((restored / "vector2d.c").resolve()))
    assert shown == expected
    # The saved buffer is what port writes for the two change groups.
    ids: list[str] = []
    for applied in result["applied"]:
        ids += [i for i in closure(changes, applied) if i not in ids]
    assert source.read_text() != original
    assert source.read_text() == port_only(abi3port, restored / "vector2d.c", tmp_path, ids,
                                           "only")
