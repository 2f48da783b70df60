#!/usr/bin/env python3
"""Check that an extension module can be created twice, independently.

Usage::

    python isolation.py PATH_TO_SO MODULE_DIR [--leaks] [--warmup N] [--rounds N]
                        [--tolerance N]

Creates two module objects from the same shared object the way importlib
does, without touching sys.modules (spec_from_file_location +
module_from_spec + exec_module; the name is the file name up to its first
dot), then checks:

  * generically: the two are different objects; each has the same type and
    exception attributes (those whose ``__module__`` is the module's name),
    and no such type is shared between them; every module-level builtin
    function is bound to its own module (``f.__self__``);
  * MODULE_DIR/isolation.py's ``check_isolation(m1, m2)`` and
    ``check_isolation(m2, m1)``: each module rejects the other's instances
    in its own type checks, raises its own exceptions, ...;
  * that both modules, and every type found above, are freed once dropped
    (weak references are dead after gc.collect()).

A single-phase module (PyModule_Create) fails the first check: CPython
initialises it once per process, registers it in sys.modules and hands the
same object back on the second load.

With ``--leaks`` (debug interpreter only: needs sys.gettotalrefcount),
the whole round (create both modules, run every check, drop them, collect)
is repeated ``--warmup`` times, then ``sys.gettotalrefcount()`` and
``sys.getallocatedblocks()`` are compared before and after ``--rounds``
more rounds, minus the cost of the measurement itself (calibrated with an
empty round, as leakcheck.py does); the type attribute cache is cleared
before each count (see collect()).  Each may grow by at most
``--tolerance`` over all rounds; as one measurement can pick up one-off
allocations, a growth over the tolerance is measured once more and the
smaller one is used.  A leak of even one reference or block per round
grows by ``--rounds``, so keep the tolerance below it (defaults: 20
rounds, tolerance 10).

Exit status: 0 isolated (and no leak), 1 a check failed or a leak was
found, 2 usage or environment error.
"""
from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import sys
import traceback
import types
import weakref


class UsageError(Exception):
    """Bad arguments or environment (exit status 2)."""


def module_name(so_path: str) -> str:
    return os.path.basename(so_path).split(".", 1)[0]


def load(name: str, so_path: str) -> types.ModuleType:
    """One new module object from so_path (not put in sys.modules by us)."""
    spec = importlib.util.spec_from_file_location(name, so_path)
    if spec is None or spec.loader is None:
        raise UsageError(f"{so_path}: not loadable as an extension module")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_checks(module_dir: str) -> types.ModuleType:
    path = os.path.join(module_dir, "isolation.py")
    if not os.path.isfile(path):
        raise UsageError(f"{path}: no such file")
    sys.dont_write_bytecode = True      # no __pycache__ in testdata
    spec = importlib.util.spec_from_file_location("_isolation_checks", path)
    checks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checks)
    if not callable(getattr(checks, "check_isolation", None)):
        raise UsageError(f"{path}: defines no check_isolation(m1, m2)")
    return checks


def own_types(module: types.ModuleType) -> dict[str, type]:
    """Type and exception attributes defined by the module itself."""
    return {key: value for key, value in vars(module).items()
            if isinstance(value, type) and value.__module__ == module.__name__}


def generic_problems(name: str, m1: types.ModuleType, m2: types.ModuleType) -> list[str]:
    if m1 is m2:
        hint = ""
        if sys.modules.get(name) is m1:
            hint = (f" (and registered it as sys.modules[{name!r}]: single-phase init,"
                    " PyModule_Create, initialises the module once per process)")
        return ["the second load returned the first module object" + hint]
    problems = []
    t1, t2 = own_types(m1), own_types(m2)
    if t1.keys() != t2.keys():
        problems.append(f"type attributes differ: {sorted(t1)} vs {sorted(t2)}")
    for key in sorted(t1.keys() & t2.keys()):
        if t1[key] is t2[key]:
            problems.append(f"{name}.{key} is the same object in both modules")
    for module in (m1, m2):
        which = "first" if module is m1 else "second"
        for key, value in sorted(vars(module).items()):
            owner = getattr(value, "__self__", None)
            if (isinstance(value, types.BuiltinFunctionType) and owner is not module
                    and getattr(owner, "__name__", None) == name):
                problems.append(f"{name}.{key} of the {which} module is bound to "
                                f"{'the other' if owner in (m1, m2) else 'another'} module")
    return problems


def collect() -> None:
    # CPython 3.11's type attribute cache keeps a strong reference to the
    # name of each cached lookup, and importlib looks up spec.name and
    # spec.origin with new, non-interned strings on every load: without
    # clearing it, up to 4096 such strings stay alive, so allocated blocks
    # grow (while the total refcount does not) until the cache is full.
    sys._clear_type_cache()
    for _ in range(3):
        gc.collect()


def run_round(name: str, so_path: str, checks: types.ModuleType) -> list[str]:
    """Create both modules, check them, drop them: the list of problems."""
    m1 = load(name, so_path)
    m2 = load(name, so_path)
    problems = generic_problems(name, m1, m2)
    if problems:
        return problems
    for label, args in (("m1, m2", (m1, m2)), ("m2, m1", (m2, m1))):
        try:
            checks.check_isolation(*args)
        except Exception:  # noqa: BLE001 - reported with its traceback
            return [f"check_isolation({label}) failed:\n" + traceback.format_exc()]
    del args
    refs = [weakref.ref(m1), weakref.ref(m2)]
    refs += [weakref.ref(t) for m in (m1, m2) for t in own_types(m).values()]
    names = ([f"module {name} #1", f"module {name} #2"]
             + [f"{name}.{k} #{i}" for i, m in ((1, m1), (2, m2)) for k in own_types(m)])
    del m1, m2
    collect()
    return [f"{label} is still alive after both modules were dropped"
            for label, ref in zip(names, refs) if ref() is not None]


def measure(func, rounds: int) -> tuple[int, int]:
    """Growth of (total refcount, allocated blocks) over `rounds` calls."""
    collect()
    refs, blocks = sys.gettotalrefcount(), sys.getallocatedblocks()
    for _ in range(rounds):
        func()
    collect()
    return sys.gettotalrefcount() - refs, sys.getallocatedblocks() - blocks


def check_leaks(name: str, so_path: str, checks, warmup: int, rounds: int,
                tolerance: int) -> list[str]:
    class RoundFailed(Exception):
        pass

    def one_round():
        problems = run_round(name, so_path, checks)
        if problems:
            raise RoundFailed("\n  ".join(problems))

    try:
        for _ in range(warmup):
            one_round()
        baselines = [measure(lambda: None, rounds) for _ in range(3)]
        base = (min(b[0] for b in baselines), min(b[1] for b in baselines))
        growth = tuple(g - b for g, b in zip(measure(one_round, rounds), base))
        if max(growth) > tolerance:
            again = tuple(g - b for g, b in zip(measure(one_round, rounds), base))
            growth = (min(growth[0], again[0]), min(growth[1], again[1]))
    except RoundFailed as exc:
        return [f"a repeated round failed (the first one passed): {exc}"]
    print(f"leaks: {rounds} rounds after {warmup} warm-up: refcount {growth[0]:+d}, "
          f"allocated blocks {growth[1]:+d} (baseline {base[0]:+d}/{base[1]:+d} "
          f"subtracted, tolerance {tolerance})")
    return [f"{what} grew by {value:+d} over {rounds} rounds (tolerance {tolerance})"
            for what, value in zip(("total refcount", "allocated blocks"), growth)
            if value > tolerance]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("so_path", metavar="PATH_TO_SO")
    parser.add_argument("module_dir", metavar="MODULE_DIR")
    parser.add_argument("--leaks", action="store_true",
                        help="also check for reference/memory leaks (debug interpreter)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--tolerance", type=int, default=10)
    args = parser.parse_args(argv)

    so_path = os.path.abspath(args.so_path)
    name = module_name(so_path)
    try:
        if not os.path.isfile(so_path):
            raise UsageError(f"{so_path}: no such file")
        if args.leaks and not hasattr(sys, "gettotalrefcount"):
            raise UsageError("--leaks needs a debug interpreter (sys.gettotalrefcount() "
                             f"is missing in {sys.executable})")
        checks = load_checks(args.module_dir)
        problems = run_round(name, so_path, checks)
        if not problems:
            print(f"isolation: {name} from {so_path}: two module objects, isolated")
            if args.leaks:
                problems = check_leaks(name, so_path, checks, args.warmup, args.rounds,
                                       args.tolerance)
    except UsageError as exc:
        print(f"isolation: error: {exc}", file=sys.stderr)
        return 2
    except Exception:  # noqa: BLE001 - e.g. the module failed to load
        problems = ["unexpected error:\n" + traceback.format_exc()]
    if problems:
        print(f"isolation: FAIL: {name} from {so_path}", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("isolation: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
