#!/usr/bin/python3
"""Benchmark ``abi3port check`` against ``clang -fsyntax-only``.

This is a benchmark, not a test: it never asserts anything about speed. It
times, on the same translation units and with the same compile flags:

* the reference, ``clang-19 -fsyntax-only FLAGS FILE`` (``clang++-19`` for
  C++), one process per file, run serially;
* ``abi3port check --target 3.11 --format json -j 1 FILE... -- FLAGS``, one
  process per module (the way users run it), and one process over all files;
* fixed costs: an empty C file and a file holding only ``#include <Python.h>``
  under clang, the same Python.h-only file under ``abi3port check``, and
  ``abi3port api`` (which only runs the Limited-API header probe).

Every command is run ``--repeat`` times (after ``--warmup`` untimed runs);
repetitions are interleaved across commands so that drift on the machine
spreads evenly, and the median wall time is reported. With ``--callgrind``
(and valgrind installed) it also counts instructions for one representative
file, which is free of scheduling noise.

Output: a Markdown report on stdout; ``--json OUT`` writes the raw numbers.

Usage::

    /usr/bin/python3 bench/bench_check.py [--repeat 5] [--callgrind] [--json OUT]
    /usr/bin/python3 bench/bench_check.py --files a.c b.c --cflags='-I inc -DX=1'

Only the standard library is used.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

REPO = Path(__file__).resolve().parent.parent
DEFAULT_TOOL = REPO / "build" / "abi3port"
DEFAULT_E2E = REPO / "testdata" / "e2e"
PYTHON = "/usr/bin/python3"
CLANG = "/usr/bin/clang-19"
CLANGXX = "/usr/bin/clang++-19"
TARGET = "3.11"
PROBE_NAME = "PyList_GetItem"
STD_FLAGS = {"c": "-std=gnu11", "c++": "-std=c++17"}
CXX_SUFFIXES = {".cc", ".cpp", ".cxx", ".c++", ".C"}
# Functions whose inclusive instruction counts explain where the time goes
# (substrings of callgrind_annotate's function names).
CLANG_PHASES = {
    "dynamic loading": "rtld.c:_dl_start",
    "clang::ParseAST": "clang::ParseAST(",
}
TOOL_PHASES = {
    "dynamic loading": "rtld.c:_dl_start",
    "probe (probeLimitedSurface)": "abi3port::probeLimitedSurface(",
    "check TUs (checkFiles)": "abi3port::checkFiles(",
    "audit AST visitor": "AuditConsumer::HandleTranslationUnit(",
    "audit macro callback (MacroExpands)": "AuditPPCallbacks::MacroExpands(",
}


@dataclass
class Module:
    """A group of sources checked by one abi3port process."""

    name: str
    language: str
    sources: list[Path]
    flags: list[str]

    def lines(self) -> int:
        """Return the line count of the sources, as ``wc -l`` counts it."""
        return sum(path.read_bytes().count(b"\n") for path in self.sources)


@dataclass
class Command:
    """One command line to time, with the exit codes that mean success."""

    key: str
    argv: list[str]
    ok_codes: tuple[int, ...] = (0,)
    samples: list[float] = field(default_factory=list)

    def median(self) -> float:
        """Return the median of the timed samples, in seconds."""
        return statistics.median(self.samples)


def python_include() -> str:
    """Ask /usr/bin/python3 for its C header directory."""
    out = subprocess.run(
        [PYTHON, "-c", "import sysconfig;print(sysconfig.get_path('include'))"],
        check=True, capture_output=True, text=True)
    return out.stdout.strip()


def base_flags(language: str, include: str, directory: Path) -> list[str]:
    """Return the flags both tools get for a source of LANGUAGE in DIRECTORY."""
    return [f"-I{include}", f"-I{directory}", STD_FLAGS[language]]


def discover_modules(e2e: Path, include: str) -> list[Module]:
    """Read every ``*/module.json`` under E2E into Modules."""
    modules = []
    for manifest in sorted(e2e.glob("*/module.json")):
        meta = json.loads(manifest.read_text())
        directory = manifest.parent.resolve()
        language = meta["language"]
        modules.append(Module(
            name=meta.get("name", directory.name),
            language=language,
            sources=[directory / source for source in meta["sources"]],
            flags=base_flags(language, include, directory)))
    return modules


def modules_from_files(files: Sequence[str], cflags: str, include: str) -> list[Module]:
    """Group explicit --files by language into one Module per language.

    Each file gets ``-I`` of its own directory, like the e2e modules; the
    user's --cflags come last so that they can override ``-std``.
    """
    extra = shlex.split(cflags)
    groups: dict[str, list[Path]] = {}
    for name in dict.fromkeys(files):
        path = Path(name).resolve()
        if not path.is_file():
            raise SystemExit(f"bench_check: {name}: no such file")
        language = "c++" if path.suffix in CXX_SUFFIXES else "c"
        groups.setdefault(language, []).append(path)
    modules = []
    for language, paths in groups.items():
        dirs = list(dict.fromkeys(str(path.parent) for path in paths))
        flags = [f"-I{include}", *(f"-I{d}" for d in dirs), STD_FLAGS[language], *extra]
        modules.append(Module(f"files ({language})", language, paths, flags))
    return modules


def clang_command(key: str, language: str, flags: Sequence[str], source: Path) -> Command:
    """Return the reference ``clang -fsyntax-only`` command for one file."""
    compiler = CLANGXX if language == "c++" else CLANG
    return Command(key, [compiler, "-fsyntax-only", *flags, str(source)])


def check_command(key: str, tool: Path, sources: Sequence[Path],
                  flags: Sequence[str]) -> Command:
    """Return the ``abi3port check`` command for SOURCES sharing FLAGS.

    Like every command here it runs in the caller's directory, so relative
    paths in --cflags mean the same to clang and to abi3port.
    """
    argv = [str(tool), "check", "--target", TARGET, "--format", "json", "-j", "1",
            *map(str, sources), "--", *flags]
    return Command(key, argv, ok_codes=(0, 1))


def port_command(key: str, tool: Path, sources: Sequence[Path],
                 flags: Sequence[str], verify: bool = True) -> Command:
    """Return ``abi3port port`` (diff on stdout, nothing written) for SOURCES:
    the target's default state mode (per-module state at 3.11); with
    ``verify=False``, ``--no-verify`` (the cost of self-verification is the
    difference)."""
    argv = [str(tool), "port", "--target", TARGET, "-j", "1", "--report-format", "json",
            "--report", os.devnull, *([] if verify else ["--no-verify"]),
            *map(str, sources), "--", *flags]
    return Command(key, argv, ok_codes=(0, 1))


def check_all_command(modules: Sequence[Module], tool: Path, scratch: Path) -> Command:
    """Return one ``abi3port check`` over every source of every module.

    Flags after ``--`` apply to every file alike, which cannot express C and
    C++ sources with their own -std and -I; so this writes a
    compile_commands.json with each file's exact reference flags and passes
    it with ``-p``.
    """
    database = scratch / "all"
    database.mkdir()
    entries = []
    for module in modules:
        compiler = CLANGXX if module.language == "c++" else CLANG
        for source in module.sources:
            entries.append({"directory": str(Path.cwd()), "file": str(source),
                            "arguments": [compiler, "-fsyntax-only", *module.flags,
                                          str(source)]})
    (database / "compile_commands.json").write_text(json.dumps(entries, indent=1))
    sources = [source for module in modules for source in module.sources]
    argv = [str(tool), "check", "--target", TARGET, "--format", "json", "-j", "1",
            "-p", str(database), *map(str, sources)]
    return Command("check:ALL", argv, ok_codes=(0, 1))


def probe_command(tool: Path, include: str) -> Command:
    """Return ``abi3port api``, which only runs the Limited-API header probe.

    --python-include is passed so that the tool does not start a Python
    interpreter to find the headers (``check`` takes them from -I).
    """
    return Command("probe", [str(tool), "api", "--target", TARGET,
                             "--python-include", include, PROBE_NAME])


def build_commands(modules: Sequence[Module], tool: Path, include: str,
                   scratch: Path) -> dict[str, Command]:
    """Return every command to time, keyed by a stable name.

    Keys: ``clang:<module>:<path>``, ``check:<module>``, ``check:ALL``, and
    the fixed-cost commands ``floor:clang-empty``, ``floor:clang-pythonh``,
    ``floor:check-pythonh`` and ``probe``.
    """
    commands: dict[str, Command] = {}
    for module in modules:
        for source in module.sources:
            key = f"clang:{module.name}:{source}"
            commands[key] = clang_command(key, module.language, module.flags, source)
        key = f"check:{module.name}"
        commands[key] = check_command(key, tool, module.sources, module.flags)
        key = f"port:{module.name}"
        commands[key] = port_command(key, tool, module.sources, module.flags)
        key = f"port-noverify:{module.name}"
        commands[key] = port_command(key, tool, module.sources, module.flags, verify=False)
    commands["check:ALL"] = check_all_command(modules, tool, scratch)

    empty = scratch / "empty.c"
    empty.write_text("")
    pythonh = scratch / "pythonh_only.c"
    pythonh.write_text("#include <Python.h>\n")
    floor_flags = base_flags("c", include, scratch)
    commands["floor:clang-empty"] = clang_command(
        "floor:clang-empty", "c", floor_flags, empty)
    commands["floor:clang-pythonh"] = clang_command(
        "floor:clang-pythonh", "c", floor_flags, pythonh)
    commands["floor:check-pythonh"] = check_command(
        "floor:check-pythonh", tool, [pythonh], floor_flags)
    commands["probe"] = probe_command(tool, include)
    return commands


def run_once(command: Command) -> float:
    """Run COMMAND once and return its wall time in seconds.

    Raises RuntimeError if it exits with a code outside ``ok_codes``.
    """
    start = time.perf_counter()
    proc = subprocess.run(command.argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode not in command.ok_codes:
        raise RuntimeError(
            f"{command.key}: exit {proc.returncode}: {shlex.join(command.argv)}\n"
            + proc.stderr.decode(errors="replace")[-2000:])
    return elapsed


def measure(commands: dict[str, Command], repeat: int, warmup: int) -> None:
    """Time every command REPEAT times after WARMUP untimed rounds.

    Rounds are interleaved (each round runs every command once) so slow
    drift of the machine affects all commands alike.
    """
    for _ in range(warmup):
        for command in commands.values():
            run_once(command)
    for round_no in range(repeat):
        for command in commands.values():
            command.samples.append(run_once(command))
        print(f"bench_check: round {round_no + 1}/{repeat} done", file=sys.stderr)


def annotate_inclusive(out_file: Path, patterns: dict[str, str]) -> dict[str, int]:
    """Return, per label in PATTERNS, the inclusive instructions of a function.

    Each pattern is a substring of a function name as ``callgrind_annotate
    --inclusive=yes`` prints it; the largest matching entry wins (recursive
    '2 entries are smaller). Labels without a match get 0.
    """
    found = dict.fromkeys(patterns, 0)
    if not shutil.which("callgrind_annotate"):
        return found
    proc = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100",
                           str(out_file)], capture_output=True, text=True, check=False)
    for line in proc.stdout.splitlines():
        fields = line.split(None, 2)
        if len(fields) < 3 or not fields[0].replace(",", "").isdigit():
            continue
        count = int(fields[0].replace(",", ""))
        for label, pattern in patterns.items():
            if pattern in fields[2]:
                found[label] = max(found[label], count)
    return found


def callgrind_instructions(argv: Sequence[str], scratch: Path, tag: str,
                           ok_codes: tuple[int, ...],
                           patterns: dict[str, str]) -> dict[str, int]:
    """Run ARGV under callgrind (children too) and count its instructions.

    Returns ``{"total": N, label: N, ...}`` with the inclusive counts of the
    functions in PATTERNS (see annotate_inclusive), summed over processes.
    """
    out_dir = scratch / f"callgrind-{tag}"
    out_dir.mkdir()
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--trace-children=yes",
         f"--callgrind-out-file={out_dir}/callgrind.out.%p", *argv],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode not in ok_codes:
        raise RuntimeError(f"callgrind {tag}: exit {proc.returncode}\n"
                           + proc.stderr.decode(errors="replace")[-2000:])
    counts = {"total": 0, **dict.fromkeys(patterns, 0)}
    for out in sorted(out_dir.iterdir()):
        for line in out.read_text(errors="replace").splitlines():
            if line.startswith(("summary:", "totals:")):
                counts["total"] += int(line.split()[1])
                break
        for label, count in annotate_inclusive(out, patterns).items():
            counts[label] += count
    return counts


def representative(modules: Sequence[Module], name: str | None) -> tuple[Module, Path]:
    """Pick the callgrind file: NAME if given, else the longest C source."""
    candidates = [(module, source) for module in modules for source in module.sources]
    if name:
        for module, source in candidates:
            if source.name == name or str(source) == str(Path(name).resolve()):
                return module, source
        raise SystemExit(f"bench_check: --callgrind-file {name} is not an input")
    c_first = sorted(candidates, key=lambda ms: (ms[0].language != "c",
                                                -ms[1].read_bytes().count(b"\n")))
    return c_first[0]


def run_callgrind(modules: Sequence[Module], commands: dict[str, Command],
                  tool: Path, scratch: Path, name: str | None) -> dict:
    """Count instructions for the representative file and the fixed costs."""
    module, source = representative(modules, name)
    clang = clang_command("cg", module.language, module.flags, source)
    check = check_command("cg", tool, [source], module.flags)
    shown = source.relative_to(REPO) if source.is_relative_to(REPO) else source
    result: dict = {"file": str(shown)}
    for tag, command in [("clang", clang), ("check", check),
                         ("clang-pythonh", commands["floor:clang-pythonh"]),
                         ("check-pythonh", commands["floor:check-pythonh"]),
                         ("probe", commands["probe"])]:
        print(f"bench_check: callgrind {tag}", file=sys.stderr)
        patterns = CLANG_PHASES if tag.startswith("clang") else TOOL_PHASES
        result[tag] = callgrind_instructions(command.argv, scratch, tag,
                                             command.ok_codes, patterns)
    return result


def first_line(argv: Sequence[str]) -> str:
    """Return the first line of ARGV's output, or '' if it cannot run."""
    try:
        out = subprocess.run(argv, capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return (out.stdout or out.stderr).splitlines()[0] if (out.stdout or out.stderr) else ""


def machine_info() -> dict:
    """Describe the machine: core count, CPU model, kernel, tool versions."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "kernel": platform.release(),
        "clang": first_line([CLANG, "--version"]),
        "python": first_line([PYTHON, "--version"]),
        "abi3port_commit": first_line(["git", "-C", str(REPO), "rev-parse", "HEAD"]),
    }


def summarize(modules: Sequence[Module], commands: dict[str, Command]) -> dict:
    """Turn the timed commands into per-module rows, totals and fixed costs.

    A module's clang time is the sum over its files of each file's median.
    """
    rows = []
    for module in modules:
        clang = sum(commands[f"clang:{module.name}:{s}"].median()
                    for s in module.sources)
        check = commands[f"check:{module.name}"].median()
        port = commands[f"port:{module.name}"].median()
        quick = commands[f"port-noverify:{module.name}"].median()
        rows.append({"module": module.name, "language": module.language,
                     "files": len(module.sources), "lines": module.lines(),
                     "clang_s": clang, "check_s": check, "ratio": check / clang,
                     "port_s": port, "port_ratio": port / clang,
                     "port_noverify_s": quick, "port_noverify_ratio": quick / clang})
    clang_total = sum(row["clang_s"] for row in rows)
    check_total = sum(row["check_s"] for row in rows)
    port_total = sum(row["port_s"] for row in rows)
    quick_total = sum(row["port_noverify_s"] for row in rows)
    check_all = commands["check:ALL"].median()
    fixed = {key: commands[key].median()
             for key in ("floor:clang-empty", "floor:clang-pythonh",
                         "floor:check-pythonh", "probe")}
    return {
        "modules": rows,
        "total": {"files": sum(r["files"] for r in rows),
                  "lines": sum(r["lines"] for r in rows),
                  "clang_s": clang_total, "check_s": check_total,
                  "ratio": check_total / clang_total, "port_s": port_total,
                  "port_ratio": port_total / clang_total, "port_noverify_s": quick_total,
                  "port_noverify_ratio": quick_total / clang_total},
        "all_in_one": {"check_s": check_all, "ratio": check_all / clang_total},
        "fixed_s": fixed,
        "samples": {key: command.samples for key, command in commands.items()},
    }


def markdown(summary: dict, repeat: int, callgrind: dict | None) -> str:
    """Render SUMMARY (and CALLGRIND counts, if any) as Markdown."""
    out = [f"Median wall time of {repeat} runs, seconds; `-j 1` everywhere.", "",
           "| module | files | lines | clang -fsyntax-only (s) | abi3port check (s) "
           "| check / clang | abi3port port (s) | port / clang "
           "| port --no-verify (s) | no-verify / clang |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in summary["modules"]:
        out.append(f"| {row['module']} | {row['files']} | {row['lines']} | "
                   f"{row['clang_s']:.3f} | {row['check_s']:.3f} | {row['ratio']:.2f} | "
                   f"{row['port_s']:.3f} | {row['port_ratio']:.2f} | "
                   f"{row['port_noverify_s']:.3f} | {row['port_noverify_ratio']:.2f} |")
    total = summary["total"]
    out.append(f"| **total (one abi3port per module)** | {total['files']} | "
               f"{total['lines']} | {total['clang_s']:.3f} | {total['check_s']:.3f} | "
               f"**{total['ratio']:.2f}** | {total['port_s']:.3f} | "
               f"**{total['port_ratio']:.2f}** | {total['port_noverify_s']:.3f} | "
               f"**{total['port_noverify_ratio']:.2f}** |")
    whole = summary["all_in_one"]
    out.append(f"| **total (one abi3port over all files)** | {total['files']} | "
               f"{total['lines']} | {total['clang_s']:.3f} | {whole['check_s']:.3f} | "
               f"**{whole['ratio']:.2f}** | | | | |")
    fixed = summary["fixed_s"]
    out.append(f"| Python.h-only floor | 1 | 1 | {fixed['floor:clang-pythonh']:.3f} | "
               f"{fixed['floor:check-pythonh']:.3f} | "
               f"{fixed['floor:check-pythonh'] / fixed['floor:clang-pythonh']:.2f} | | | | |")
    out += ["", "Fixed costs (median wall time, seconds):", "",
            "| command | s |", "|---|---:|",
            f"| `clang-19 -fsyntax-only` on an empty C file | "
            f"{fixed['floor:clang-empty']:.3f} |",
            f"| `clang-19 -fsyntax-only` on `#include <Python.h>` | "
            f"{fixed['floor:clang-pythonh']:.3f} |",
            f"| `abi3port check` on `#include <Python.h>` | "
            f"{fixed['floor:check-pythonh']:.3f} |",
            f"| `abi3port api {PROBE_NAME}` (probe only) | {fixed['probe']:.3f} |"]
    if callgrind:
        out += ["", callgrind_markdown(callgrind)]
    return "\n".join(out) + "\n"


def callgrind_markdown(callgrind: dict) -> str:
    """Render the callgrind counts: totals, then where abi3port's go."""
    def total(tag: str) -> int:
        return callgrind[tag]["total"]

    out = [f"Instructions (callgrind, `--trace-children=yes`), file `{callgrind['file']}`:",
           "", "| command | instructions | vs clang on the same input |",
           "|---|---:|---:|",
           f"| clang -fsyntax-only | {total('clang'):,} | 1.00 |",
           f"| abi3port check | {total('check'):,} | "
           f"{total('check') / total('clang'):.2f} |",
           f"| clang -fsyntax-only, Python.h only | {total('clang-pythonh'):,} | 1.00 |",
           f"| abi3port check, Python.h only | {total('check-pythonh'):,} | "
           f"{total('check-pythonh') / total('clang-pythonh'):.2f} |",
           f"| abi3port api (probe only) | {total('probe'):,} | "
           f"{total('probe') / total('clang-pythonh'):.2f} |",
           "", f"Where the instructions go for `{callgrind['file']}` "
           "(inclusive counts; nested rows are part of the row above them):", "",
           "| phase | clang -fsyntax-only | abi3port check |", "|---|---:|---:|"]
    clang, check = callgrind["clang"], callgrind["check"]
    rows = [("whole process", clang["total"], check["total"]),
            ("dynamic loading (ld.so)", clang["dynamic loading"], check["dynamic loading"]),
            ("Limited-API probe (Python.h + structmember.h)", None,
             check["probe (probeLimitedSurface)"]),
            ("the translation unit (clang: ParseAST; abi3port: checkFiles)",
             clang["clang::ParseAST"], check["check TUs (checkFiles)"]),
            ("&nbsp;&nbsp;of which the audit AST visitor", None,
             check["audit AST visitor"]),
            ("&nbsp;&nbsp;of which the audit macro callback", None,
             check["audit macro callback (MacroExpands)"])]
    for label, left, right in rows:
        out.append(f"| {label} | {'–' if left is None else f'{left:,}'} | "
                   f"{'–' if right is None else f'{right:,}'} |")
    return "\n".join(out)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description="Time `abi3port check` against `clang -fsyntax-only`.")
    parser.add_argument("--tool", type=Path, default=DEFAULT_TOOL,
                        help="abi3port binary (default: build/abi3port)")
    parser.add_argument("--e2e", type=Path, default=DEFAULT_E2E,
                        help="directory of */module.json (default: testdata/e2e)")
    parser.add_argument("--files", nargs="+", metavar="F",
                        help="benchmark these sources instead of the e2e modules")
    parser.add_argument("--cflags", default="",
                        help="extra compile flags for --files, one shell-quoted string; "
                             "write --cflags='-I inc -DX' since it starts with '-'")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per command")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs per command")
    parser.add_argument("--callgrind", action="store_true",
                        help="also count instructions with valgrind --tool=callgrind")
    parser.add_argument("--callgrind-file", metavar="F",
                        help="file for --callgrind (default: the longest C source)")
    parser.add_argument("--json", type=Path, metavar="OUT",
                        help="write the machine-readable results here")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.warmup < 0:
        parser.error("--repeat must be >= 1 and --warmup >= 0")
    if args.cflags and not args.files:
        parser.error("--cflags only applies to --files")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the process exit code."""
    args = parse_args(argv)
    tool = args.tool.resolve()
    if not os.access(tool, os.X_OK):
        print(f"bench_check: {tool} is missing: run scripts/build.sh", file=sys.stderr)
        return 2
    include = python_include()
    modules = (modules_from_files(args.files, args.cflags, include) if args.files
               else discover_modules(args.e2e, include))
    if not modules:
        print("bench_check: no inputs", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench_check.") as tmp:
        scratch = Path(tmp)
        commands = build_commands(modules, tool, include, scratch)
        try:
            measure(commands, args.repeat, args.warmup)
            callgrind = None
            if args.callgrind:
                if shutil.which("valgrind"):
                    callgrind = run_callgrind(modules, commands, tool, scratch,
                                              args.callgrind_file)
                else:
                    print("bench_check: valgrind not found; skipping --callgrind",
                          file=sys.stderr)
        except RuntimeError as error:
            print(f"bench_check: {error}", file=sys.stderr)
            return 2
    summary = summarize(modules, commands)
    sys.stdout.write(markdown(summary, args.repeat, callgrind))
    if args.json:
        result = {"machine": machine_info(), "python_include": include,
                  "target": TARGET, "repeat": args.repeat, "warmup": args.warmup,
                  "commands": {key: c.argv for key, c in commands.items()},
                  **summary, "callgrind": callgrind}
        args.json.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
