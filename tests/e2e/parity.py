"""Describe the types of an extension module as Python sees them, as JSON.

    python parity.py MODULE            -> JSON on stdout
    python parity.py MODULE --refcounts -> also checks that creating and
                                           freeing instances keeps each
                                           type's reference count

Run against the full-API build and the ported .abi3.so; the two
descriptions must be equal (test_port.py). Only observable behaviour is
recorded: names, doc, whether the type can be subclassed, instantiated,
modified, weakly referenced, and its GC and base-type flags.
"""
from __future__ import annotations

import gc
import importlib
import json
import sys
import weakref

BASETYPE = 1 << 10
HAVE_GC = 1 << 14


def outcome(action):
    try:
        action()
    except Exception as exc:  # noqa: BLE001 - the exception type is the datum
        return type(exc).__name__
    return "ok"


def describe(module):
    types = {name: obj for name, obj in vars(module).items()
             if isinstance(obj, type) and obj.__module__ == module.__name__
             and not issubclass(obj, BaseException)}
    out = {}
    for name, tp in sorted(types.items()):
        info = {
            "__name__": tp.__name__,
            "__qualname__": tp.__qualname__,
            "__module__": tp.__module__,
            "__doc__": tp.__doc__,
            "basetype": bool(tp.__flags__ & BASETYPE),
            "gc": bool(tp.__flags__ & HAVE_GC),
            "subclass": outcome(lambda: type("Sub", (tp,), {})),
            "instantiate": outcome(tp),
        }

        def set_attribute():
            tp.abi3port_probe = 1
            del tp.abi3port_probe
        info["set_type_attribute"] = outcome(set_attribute)
        try:
            instance = tp()
        except Exception:  # noqa: BLE001
            instance = None
        if instance is not None:
            info["repr_prefix"] = repr(instance).split("(")[0].split(" ")[0]
            info["weakref"] = outcome(lambda: weakref.ref(instance))
        out[name] = info
    return out


def check_refcounts(module):
    """Instances own a reference to a heap type; freeing them returns it."""
    problems = []
    for name, tp in sorted(vars(module).items()):
        if not isinstance(tp, type) or tp.__module__ != module.__name__:
            continue
        try:
            tp()
        except Exception:  # noqa: BLE001
            continue
        gc.collect()
        before = sys.getrefcount(tp)
        for _ in range(1000):
            obj = tp()
            del obj
        gc.collect()
        after = sys.getrefcount(tp)
        if after != before:
            problems.append(f"{name}: refcount {before} -> {after}")
    return problems


def main():
    module = importlib.import_module(sys.argv[1])
    if "--refcounts" in sys.argv:
        problems = check_refcounts(module)
        print("\n".join(problems) or "refcounts unchanged")
        sys.exit(1 if problems else 0)
    print(json.dumps(describe(module), indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
