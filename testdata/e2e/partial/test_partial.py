"""Behaviour tests for the partial extension module (run with -W error too)."""
import partial
from partial import Bare, Base, Conv, Derived


def test_bare_keeps_builtins_module():
    assert Bare.__module__ == "builtins"
    assert Bare.__name__ == "Bare" and repr(Bare) == "<class 'Bare'>"
    assert type(Bare()) is Bare


def test_conv():
    assert Conv.__module__ == "partial"
    assert type(Conv()) is Conv


def test_derived_of_static_base():
    assert Derived.__base__ is Base and Base.__module__ == "builtins"
    assert Derived.__module__ == "partial"
    d = Derived()
    assert isinstance(d, Base) and type(d) is Derived


def test_module():
    assert partial.__doc__ == "A port that stays partial."


def test_zone_from_the_datetime_c_api():
    import datetime as dt
    zone = partial.zone(dt.timedelta(hours=2))
    assert zone == dt.timezone(dt.timedelta(hours=2)) and zone.utcoffset(None).seconds == 7200
    try:
        partial.zone(3)
    except TypeError as exc:
        assert "needs a timedelta" in str(exc)
    else:
        raise AssertionError("TypeError not raised")


def test_describe_keeps_the_stringified_text():
    assert partial.describe(1, 2, 3) == "PyTuple_GET_SIZE(args) = 3"
    assert partial.describe() == "PyTuple_GET_SIZE(args) = 0"


def test_alive():
    assert partial.alive(object()) == "alive: 1"


if __name__ == "__main__":
    import sys
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_") and callable(f)]
    failed = 0
    for name, func in tests:
        try:
            func()
        except Exception as exc:  # noqa: BLE001
            failed += 1
            print(f"FAIL {name}: {exc!r}")
    print(f"{len(tests) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
