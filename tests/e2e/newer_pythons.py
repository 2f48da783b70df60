"""Python 3.13, 3.14 and 3.15 as unpacked by scripts/get-pythons.sh.

The folder is $ABI3PORT_PYTHONS, or build/pythons of the checkout. Each
version X has ROOT = <folder>/X with its headers (-I ROOT/usr/include
-I ROOT/usr/include/pythonX) and the wrappers <folder>/bin/pythonX and
<folder>/bin/pythonXd that run its release and debug interpreters.
"""
from __future__ import annotations

import functools
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = ("3.13", "3.14", "3.15")
# The reason of every skip for a missing interpreter starts with this text
# (conftest.py turns a run that skipped for it into CTest's "skipped").
MISSING = "not set up by scripts/get-pythons.sh"


def folder() -> Path:
    return Path(os.environ.get("ABI3PORT_PYTHONS") or ROOT / "build" / "pythons")


@dataclass(frozen=True)
class NewerPython:
    version: str
    root: Path
    release: str
    debug: str

    @property
    def include_flags(self) -> list[str]:
        """The multiarch pyconfig.h folder; build_ext adds include/pythonX
        from the interpreter itself."""
        return [f"-I{self.root / 'usr' / 'include'}"]


@functools.lru_cache(maxsize=None)
def find(version: str) -> NewerPython | str:
    """The interpreters of `version`, or why they cannot be used."""
    base = folder()
    python = NewerPython(version, base / version, str(base / "bin" / f"python{version}"),
                         str(base / "bin" / f"python{version}d"))
    if not (python.root / "usr" / "include" / f"python{version}" / "Python.h").exists():
        return f"Python {version} {MISSING} in {base} (no headers; see its output)"
    for exe in (python.release, python.debug):
        proc = subprocess.run([exe, "-c", "import sys, pytest; print('%d.%d' % sys.version_info[:2])"],
                              capture_output=True, text=True)
        if proc.returncode != 0 or proc.stdout.strip() != version:
            return f"Python {version} {MISSING} in {base}: {exe} does not run: " + \
                (proc.stderr.strip().splitlines() or ["?"])[-1]
    return python
