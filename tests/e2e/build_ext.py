#!/usr/bin/env python3
"""Build, diagnose and test the extension modules under ``testdata/e2e``.

Each module directory contains a ``module.json`` file::

    {"name": "seqtools", "kind": "functions", "language": "c",
     "sources": ["seqtools.c"], "summary": "..."}

plus the sources and a behaviour test ``test_<name>.py``.

The module is importable (``import build_ext``) and also a small CLI::

    build_ext.py build MODULE_DIR OUT_DIR [--limited 3.11] [--python PY]
    build_ext.py diags MODULE_DIR --limited 3.8 [--python PY]
    build_ext.py test  MODULE_DIR SO_DIR [--python PY]

Only the standard library is used.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

DEFAULT_PYTHON = "/usr/bin/python3"
CLANG = "/usr/bin/clang-19"
CLANGXX = "/usr/bin/clang++-19"

WARNING_FLAGS = (
    "-Wall",
    "-Wextra",
    "-Wno-unused-parameter",
    "-Wno-missing-field-initializers",
)
C_STD = "-std=gnu11"
CXX_STD = "-std=c++17"
CXX_SUFFIXES = (".cpp", ".cc", ".cxx", ".C")

# Warnings that are reported by diagnostics() in addition to all errors: an
# implicitly declared function or a pointer/int mix-up is how a missing
# (non-limited) API usually shows up when it is not already an error.
RELEVANT_WARNING_OPTIONS = frozenset({
    "-Wimplicit-function-declaration",
    "-Wimplicit-int",
    "-Wint-conversion",
    "-Wint-to-pointer-cast",
    "-Wpointer-to-int-cast",
    "-Wincompatible-pointer-types",
    "-Wincompatible-pointer-types-discards-qualifiers",
    "-Wincompatible-function-pointer-types",
})

_DIAG_RE = re.compile(
    r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<column>\d+): "
    r"(?P<severity>fatal error|error|warning|note): "
    r"(?P<message>.*?)"
    r"(?: \[(?P<option>-W[^\]]+|-Werror[^\]]*)\])?$"
)


# --------------------------------------------------------------------------
# data types

@dataclass
class BuildResult:
    """Outcome of :func:`build`."""

    ok: bool
    so_path: str | None
    stderr: str
    commands: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class Diagnostic:
    """One compiler diagnostic, with its primary location as printed.

    For a problem inside a macro expansion the primary location is the
    one the compiler chose to print first; the ``notes`` keep the
    "expanded from macro ..." / "in expansion of macro ..." follow-ups.
    """

    file: str
    line: int
    column: int
    severity: str
    message: str
    option: str | None = None
    notes: tuple["Diagnostic", ...] = ()

    def __str__(self) -> str:
        opt = f" [{self.option}]" if self.option else ""
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}{opt}"


# --------------------------------------------------------------------------
# helpers

def load_module_json(module_dir: str | os.PathLike) -> dict:
    """Read and minimally validate ``module_dir/module.json``."""
    path = Path(module_dir) / "module.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    for key in ("name", "kind", "language", "sources"):
        if key not in meta:
            raise ValueError(f"{path}: missing key {key!r}")
    if not meta["sources"]:
        raise ValueError(f"{path}: empty 'sources'")
    return meta


def limited_api_hex(limited_api: int | str) -> str:
    """Normalise ``0x030B0000``, ``"3.11"`` or ``"0x030B0000"`` to ``"0x030B0000"``."""
    if isinstance(limited_api, bool):
        raise TypeError("limited_api must be an int or a version string")
    if isinstance(limited_api, int):
        value = limited_api
    else:
        text = str(limited_api).strip()
        if text.lower().startswith("0x"):
            value = int(text, 16)
        else:
            match = re.fullmatch(r"(\d+)\.(\d+)", text)
            if not match:
                raise ValueError(f"bad limited API version: {limited_api!r}")
            value = (int(match.group(1)) << 24) | (int(match.group(2)) << 16)
    return f"0x{value:08X}"


@functools.lru_cache(maxsize=None)
def _python_config(python: str) -> dict:
    code = (
        "import json, sysconfig; "
        "print(json.dumps({'include': sysconfig.get_paths()['include'], "
        "'ext_suffix': sysconfig.get_config_var('EXT_SUFFIX')}))"
    )
    out = subprocess.run([python, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def python_include_dir(python: str = DEFAULT_PYTHON) -> str:
    """Return the C header directory of *python* (queried via sysconfig)."""
    return _python_config(python)["include"]


def ext_suffix(python: str = DEFAULT_PYTHON) -> str:
    """Return the interpreter's EXT_SUFFIX, e.g. ``.cpython-311-x86_64-linux-gnu.so``."""
    return _python_config(python)["ext_suffix"]


def _is_cxx(source: str) -> bool:
    return source.endswith(CXX_SUFFIXES)


def _compile_flags(module_dir: Path, python: str, source: str) -> list[str]:
    std = CXX_STD if _is_cxx(source) else C_STD
    return [std, f"-I{python_include_dir(python)}", f"-I{module_dir}"]


# --------------------------------------------------------------------------
# build

def build(
    module_dir: str | os.PathLike,
    out_dir: str | os.PathLike,
    limited_api: int | str | None = None,
    python: str = DEFAULT_PYTHON,
    extra_flags: Sequence[str] = (),
    werror: bool = True,
) -> BuildResult:
    """Compile and link the module described by ``module_dir/module.json``.

    The shared object is written to ``out_dir/<name><EXT_SUFFIX>``, or to
    ``out_dir/<name>.abi3.so`` when *limited_api* is given (in which case
    ``-DPy_LIMITED_API=<hex>`` is passed on the command line).
    """
    module_dir = Path(module_dir).resolve()
    out_dir = Path(out_dir).resolve()
    meta = load_module_json(module_dir)
    name = meta["name"]
    sources = [str(module_dir / s) for s in meta["sources"]]
    out_dir.mkdir(parents=True, exist_ok=True)
    obj_dir = out_dir / f"{name}.objs"
    obj_dir.mkdir(exist_ok=True)

    defines: list[str] = []
    if limited_api is not None:
        defines.append(f"-DPy_LIMITED_API={limited_api_hex(limited_api)}")
        so_path = out_dir / f"{name}.abi3.so"
    else:
        so_path = out_dir / f"{name}{ext_suffix(python)}"

    common = ["-fPIC", "-O0", "-g", *WARNING_FLAGS]
    if werror:
        common.append("-Werror")

    commands: list[list[str]] = []
    output: list[str] = []
    objects: list[str] = []
    ok = True
    for src in sources:
        obj = obj_dir / (Path(src).name + ".o")
        compiler = "c++" if _is_cxx(src) else "cc"
        cmd = [compiler, *_compile_flags(module_dir, python, src), *common,
               *defines, *extra_flags, "-c", src, "-o", str(obj)]
        commands.append(cmd)
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=module_dir)
        output.append(proc.stdout + proc.stderr)
        if proc.returncode != 0:
            ok = False
        objects.append(str(obj))

    if ok:
        linker = "c++" if any(_is_cxx(s) for s in sources) else "cc"
        cmd = [linker, "-shared", *objects, "-o", str(so_path)]
        commands.append(cmd)
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=module_dir)
        output.append(proc.stdout + proc.stderr)
        ok = proc.returncode == 0

    return BuildResult(
        ok=ok,
        so_path=str(so_path) if ok else None,
        stderr="".join(output),
        commands=commands,
    )


# --------------------------------------------------------------------------
# diagnostics

def _syntax_compiler(source: str) -> tuple[str, list[str]]:
    """Pick a compiler for -fsyntax-only runs: clang-19 if present, else cc/c++."""
    if Path(CLANG).exists():
        exe = CLANGXX if _is_cxx(source) else CLANG
        return exe, ["-fno-caret-diagnostics", "-fno-color-diagnostics",
                     "-ferror-limit=0", "-fdiagnostics-show-option"]
    exe = "c++" if _is_cxx(source) else "cc"
    return exe, ["-fno-diagnostics-show-caret", "-fdiagnostics-color=never",
                 "-fmax-errors=0", "-fdiagnostics-show-option"]


def _is_relevant(diag: Diagnostic) -> bool:
    if diag.severity in ("error", "fatal error"):
        return True
    if diag.severity != "warning":
        return False
    if diag.option in RELEVANT_WARNING_OPTIONS:
        return True
    message = diag.message.lower()
    return "implicit declaration of function" in message or "incompatible" in message


def parse_diagnostics(output: str, cwd: str | os.PathLike) -> list[Diagnostic]:
    """Parse GCC/Clang style diagnostics; keep errors and relevant warnings.

    Notes that follow a kept diagnostic are attached to it.  Relative file
    names are resolved against *cwd*.
    """
    cwd = Path(cwd)
    result: list[Diagnostic] = []
    current: Diagnostic | None = None
    pending_notes: list[Diagnostic] = []

    def flush() -> None:
        if current is not None:
            result.append(Diagnostic(current.file, current.line, current.column,
                                     current.severity, current.message,
                                     current.option, tuple(pending_notes)))

    for raw in output.splitlines():
        match = _DIAG_RE.match(raw.rstrip())
        if not match:
            continue
        file = match.group("file")
        path = Path(file) if os.path.isabs(file) else cwd / file
        diag = Diagnostic(
            file=os.path.normpath(str(path)),
            line=int(match.group("line")),
            column=int(match.group("column")),
            severity=match.group("severity"),
            message=match.group("message"),
            option=match.group("option"),
        )
        if diag.severity == "note":
            if current is not None:
                pending_notes.append(diag)
            continue
        flush()
        pending_notes = []
        current = diag if _is_relevant(diag) else None
    flush()
    return result


def diagnostics(
    module_dir: str | os.PathLike,
    limited_api: int | str,
    python: str = DEFAULT_PYTHON,
    extra_flags: Sequence[str] = (),
) -> list[Diagnostic]:
    """Syntax-check every source with ``-DPy_LIMITED_API=<hex>``.

    Returns every error, plus warnings about implicit function declarations
    and incompatible pointer/int conversions, with absolute file paths.
    """
    module_dir = Path(module_dir).resolve()
    meta = load_module_json(module_dir)
    define = f"-DPy_LIMITED_API={limited_api_hex(limited_api)}"
    found: list[Diagnostic] = []
    for rel in meta["sources"]:
        src = str(module_dir / rel)
        exe, diag_flags = _syntax_compiler(src)
        cmd = [exe, "-fsyntax-only", *diag_flags, *_compile_flags(module_dir, python, src),
               define, *extra_flags, src]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=module_dir)
        found.extend(parse_diagnostics(proc.stdout + proc.stderr, module_dir))
    return found


# --------------------------------------------------------------------------
# behaviour tests

@functools.lru_cache(maxsize=None)
def has_pytest(python: str) -> bool:
    """True if *python* can import pytest."""
    proc = subprocess.run([python, "-c", "import pytest"], capture_output=True)
    return proc.returncode == 0


def run_behaviour_test(
    module_dir: str | os.PathLike,
    so_dir: str | os.PathLike,
    python: str = DEFAULT_PYTHON,
    timeout: float = 300,
    extra_args: Iterable[str] = (),
) -> subprocess.CompletedProcess:
    """Run ``test_<name>.py`` against the extension found in *so_dir*.

    The test file is copied into a fresh temporary directory which is used
    as the working directory, so the source directory is never on
    ``sys.path``; *so_dir* is put first on ``PYTHONPATH``.  Uses pytest
    if *python* can import it, otherwise runs the file as a script.
    """
    module_dir = Path(module_dir).resolve()
    name = load_module_json(module_dir)["name"]
    test_file = module_dir / f"test_{name}.py"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(Path(so_dir).resolve()), os.environ.get("PYTHONPATH")) if p)
    env["PYTHONDONTWRITEBYTECODE"] = "1"

    with tempfile.TemporaryDirectory(prefix=f"e2e-{name}-") as tmp:
        shutil.copy2(test_file, tmp)
        if has_pytest(python):
            # An empty ini file pins pytest's rootdir to the temp dir.
            Path(tmp, "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
            cmd = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   test_file.name, *extra_args]
        else:
            cmd = [python, test_file.name, *extra_args]
        return subprocess.run(cmd, cwd=tmp, env=env, capture_output=True,
                              text=True, timeout=timeout)


# --------------------------------------------------------------------------
# CLI

def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p_build = sub.add_parser("build", help="compile and link a module")
    p_build.add_argument("module_dir")
    p_build.add_argument("out_dir")
    p_build.add_argument("--limited", metavar="VERSION",
                         help="build against the Limited API (e.g. 3.11 or 0x030B0000)")
    p_build.add_argument("--python", default=DEFAULT_PYTHON)
    p_build.add_argument("--no-werror", action="store_true")

    p_diags = sub.add_parser("diags", help="limited API syntax check (exit 1 if errors)")
    p_diags.add_argument("module_dir")
    p_diags.add_argument("--limited", metavar="VERSION", required=True)
    p_diags.add_argument("--python", default=DEFAULT_PYTHON)
    p_diags.add_argument("--notes", action="store_true", help="also print attached notes")

    p_test = sub.add_parser("test", help="run the module's behaviour test")
    p_test.add_argument("module_dir")
    p_test.add_argument("so_dir")
    p_test.add_argument("--python", default=DEFAULT_PYTHON)

    args = parser.parse_args(argv)

    if args.command == "build":
        res = build(args.module_dir, args.out_dir, limited_api=args.limited,
                    python=args.python, werror=not args.no_werror)
        for cmd in res.commands:
            print("$", " ".join(cmd))
        if res.stderr:
            print(res.stderr, end="", file=sys.stderr)
        print(res.so_path if res.ok else "BUILD FAILED")
        return 0 if res.ok else 1

    if args.command == "diags":
        diags = diagnostics(args.module_dir, args.limited, python=args.python)
        for diag in diags:
            print(diag)
            if args.notes:
                for note in diag.notes:
                    print("   ", note)
        errors = sum(d.severity in ("error", "fatal error") for d in diags)
        print(f"{errors} error(s), {len(diags) - errors} relevant warning(s)")
        return 1 if errors else 0

    proc = run_behaviour_test(args.module_dir, args.so_dir, python=args.python)
    print(proc.stdout, end="")
    print(proc.stderr, end="", file=sys.stderr)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
