"""A scripted LSP client for the tests: JSON-RPC over a child's stdio."""
from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from pathlib import Path


def uri(path: Path | str) -> str:
    return Path(path).resolve().as_uri()


class Client:
    def __init__(self, exe: str, *args: str, cwd: Path | str | None = None):
        self.proc = subprocess.Popen([exe, "lsp", *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
        self.messages: queue.Queue = queue.Queue()
        self.seen: list[dict] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            body = out.read(length)
            self.messages.put(json.loads(body))

    def send_raw(self, body: bytes):
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send(self, message: dict):
        self.send_raw(json.dumps(message).encode())

    def notify(self, method: str, params: dict | None = None):
        self.send({"jsonrpc": "2.0", "method": method, "params": params or {}})

    def request(self, method: str, params: dict | None = None, timeout: float = 60) -> dict:
        self.next_id += 1
        ident = self.next_id
        self.send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params or {}})
        return self.wait(lambda m: m.get("id") == ident and "method" not in m, timeout)

    def wait(self, predicate, timeout: float = 60) -> dict:
        for m in self.seen:
            if predicate(m):
                self.seen.remove(m)
                return m
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no matching message")
            m = self.messages.get(timeout=left)
            if m is None:
                raise EOFError("the server closed its output: " +
                               self.proc.stderr.read().decode(errors="replace"))
            if predicate(m):
                return m
            self.seen.append(m)

    def diagnostics(self, file_uri: str, version: int | None = None, timeout: float = 60,
                    with_port: bool = False) -> list[dict]:
        """The next publishDiagnostics for the URI (at the version, and once
        the port's quick fixes are known when `with_port`)."""
        def match(m):
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            p = m["params"]
            if p["uri"] != file_uri or (version is not None and p.get("version") != version):
                return False
            if with_port:
                return all("quick fix" in d["message"] or "no fix offered" in d["message"]
                           or not d.get("data", {}).get("fixable") for d in p["diagnostics"]) \
                    and not any("(fixable)" in d["message"] for d in p["diagnostics"])
            return True
        return self.wait(match, timeout)["params"]["diagnostics"]

    def initialize(self, root: Path, options: dict | None = None, utf8: bool = False) -> dict:
        caps = {"general": {"positionEncodings": ["utf-8", "utf-16"] if utf8 else ["utf-16"]}}
        result = self.request("initialize", {"processId": None, "rootUri": uri(root),
                                             "capabilities": caps,
                                             "initializationOptions": options or {}})
        self.notify("initialized")
        return result

    def open(self, path: Path, text: str | None = None, version: int = 1) -> str:
        text = path.read_text() if text is None else text
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri(path), "languageId": "c", "version": version, "text": text}})
        return uri(path)

    def close(self) -> int:
        try:
            self.request("shutdown", timeout=30)
            self.notify("exit")
            return self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


def offset(text: str, position: dict) -> int:
    """Offset in `text` of an LSP position counted in UTF-16 code units."""
    lines = text.split("\n")
    before = sum(len(l) + 1 for l in lines[:position["line"]])
    line = lines[position["line"]] if position["line"] < len(lines) else ""
    units = 0
    for i, ch in enumerate(line):
        if units >= position["character"]:
            return before + i
        units += 2 if ord(ch) > 0xFFFF else 1
    return before + len(line)


def apply_edits(text: str, edits: list[dict]) -> str:
    spans = sorted(((offset(text, e["range"]["start"]), offset(text, e["range"]["end"]),
                     e["newText"]) for e in edits), key=lambda s: (s[0], s[1]))
    out, at = [], 0
    for begin, end, new in spans:
        assert begin >= at, "overlapping edits"
        out.append(text[at:begin])
        out.append(new)
        at = end
    out.append(text[at:])
    return "".join(out)
