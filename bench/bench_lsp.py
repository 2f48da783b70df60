#!/usr/bin/python3
"""Latency of `abi3port lsp`: from `didChange` to `publishDiagnostics`.

Builds a file of about 3,000 lines from testdata/e2e/vector2d/vector2d.c
(the module, then copies of its functions under new names), opens it in the
server, and makes N edits (a comment line changed near the middle, as a
keystroke would). For each, it times:
  check  the first publishDiagnostics of the new version (check's findings);
  port   the second one, with the quick fixes (the self-verified port).
It prints the medians and quartiles. Not a test; see docs/benchmark.md.

    bench/bench_lsp.py [--abi3port build/abi3port] [--edits 20]
"""
import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from lsp_client import Client  # noqa: E402


def big_source(lines: int) -> str:
    base = (ROOT / "testdata" / "e2e" / "vector2d" / "vector2d.c").read_text()
    head, sep, tail = base.partition("static PyMethodDef Vector_methods[]")
    # The module's functions, copied under new names before its tables.
    bodies = re.findall(r"\nstatic PyObject \*\n(\w+)(\([^)]*\)\n\{.*?\n\})\n", head, re.S)
    out, n = head, 0
    while out.count("\n") + tail.count("\n") < lines:
        for name, rest in bodies:
            out += f"\nstatic __attribute__((unused)) PyObject *\n{name}_copy{n}{rest}\n"
        n += 1
    return out + sep + tail


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--abi3port", default=str(ROOT / "build" / "abi3port"))
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--lines", type=int, default=3000)
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-lsp-") as tmp:
        source = Path(tmp) / "big.c"
        text = big_source(opts.lines)
        source.write_text(text)
        client = Client(opts.abi3port, "--target", "3.11", cwd=tmp)
        client.initialize(Path(tmp))
        uri = client.open(source, text)
        client.diagnostics(uri, version=1, with_port=True, timeout=600)
        lines = text.split("\n")
        middle = len(lines) // 2
        check, port = [], []
        for version in range(2, opts.edits + 2):
            edited = list(lines)
            edited.insert(middle, f"/* edit {version} */")
            started = time.monotonic()
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": "\n".join(edited)}]})
            client.diagnostics(uri, version=version, timeout=600)
            check.append(time.monotonic() - started)
            client.diagnostics(uri, version=version, with_port=True, timeout=600)
            port.append(time.monotonic() - started)
        client.close()
    n_lines = text.count("\n")
    for name, times in (("check", check), ("port", port)):
        q = statistics.quantiles(times, n=4)
        print(f"{name:5s} didChange -> publishDiagnostics on {n_lines} lines: median "
              f"{statistics.median(times) * 1000:.0f} ms (quartiles {q[0] * 1000:.0f}-"
              f"{q[2] * 1000:.0f} ms, {len(times)} edits; includes the 150 ms debounce)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
