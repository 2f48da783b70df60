#!/usr/bin/env python3
"""Reference leak check for an extension module's behaviour tests.

Usage (needs a debug interpreter, i.e. one with sys.gettotalrefcount)::

    python3.11d leakcheck.py MODULE_NAME TEST_FILE [--warmup N] [--runs N] [--tolerance N]

The extension must be importable (e.g. via PYTHONPATH).  Every ``test_*``
function of TEST_FILE is run ``--warmup`` times to populate caches, then
``sys.gettotalrefcount()`` is compared before and after ``--runs`` more
calls (minus the cost of the measurement itself, calibrated with a no-op
function).  A test leaks if the growth exceeds ``--tolerance``; because a
single measurement can pick up one-off allocations, a test over the
tolerance is measured once more and the smaller growth is used.
Exit status: 0 clean, 1 leaks found, 2 usage/environment error.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import sys


def load_tests(path: str):
    spec = importlib.util.spec_from_file_location("_leakcheck_tests", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return [(name, obj) for name, obj in sorted(vars(module).items())
            if name.startswith("test_") and callable(obj)]


def measure(func, runs: int) -> int:
    gc.collect()
    gc.collect()
    before = sys.gettotalrefcount()
    for _ in range(runs):
        func()
    gc.collect()
    gc.collect()
    after = sys.gettotalrefcount()
    return after - before


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module_name")
    parser.add_argument("test_file")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--tolerance", type=int, default=10)
    args = parser.parse_args(argv)

    if not hasattr(sys, "gettotalrefcount"):
        print("leakcheck: sys.gettotalrefcount() missing; use a debug interpreter",
              file=sys.stderr)
        return 2

    module = importlib.import_module(args.module_name)
    print(f"module {args.module_name} from {getattr(module, '__file__', '?')}")
    tests = load_tests(args.test_file)
    if not tests:
        print(f"leakcheck: no test_* functions in {args.test_file}", file=sys.stderr)
        return 2

    # The measurement itself accounts for a couple of references; calibrate
    # with a no-op so that the reported growth is attributable to the test.
    baseline = min(measure(lambda: None, args.runs) for _ in range(3))
    print(f"baseline {baseline:+d} (subtracted)")

    leaks = 0
    for name, func in tests:
        for _ in range(args.warmup):
            func()
        growth = measure(func, args.runs) - baseline
        if growth > args.tolerance:
            growth = min(growth, measure(func, args.runs) - baseline)
        status = "ok" if growth <= args.tolerance else "LEAK"
        leaks += status == "LEAK"
        print(f"{status:4} {name}: refcount growth {growth:+d} over {args.runs} runs "
              f"(tolerance {args.tolerance})")
    print(f"{len(tests) - leaks} clean, {leaks} leaking")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
