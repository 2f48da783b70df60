"""Behaviour tests for the runslots extension module."""
import contextlib
import gc

import runslots
from runslots import Error, Pair, Plain, Sub


@contextlib.contextmanager
def raises(exc_type, match=None):
    """Minimal stand-in for pytest.raises (keeps this file dependency-free)."""
    try:
        yield
    except exc_type as exc:
        if match is not None:
            assert match in str(exc), f"{match!r} not in {str(exc)!r}"
    else:
        raise AssertionError(f"{exc_type.__name__} not raised")


def test_plain_is_instantiable_with_object_new():
    p = Plain()
    assert p.hit() == 1 and p.hit() == 2
    assert repr(p) == "<Plain hits=2>"  # tp_repr chosen by a call
    assert Plain.__base__ is object
    with raises(TypeError):
        Plain(1)  # object.__new__ with arguments and no __init__


def test_plain_became_subclassable_in_code():
    class Mine(Plain):
        pass

    m = Mine()
    assert isinstance(m, Plain) and m.hit() == 1
    assert Plain.__flags__ & (1 << 10)  # Py_TPFLAGS_BASETYPE


def test_sub_has_its_base_set_in_code():
    assert Sub.__base__ is Plain
    s = Sub()
    assert isinstance(s, Plain) and s.hit() == 1
    assert repr(s) == "<Plain hits=1>"
    with raises(TypeError):
        class Again(Sub):  # Sub itself is not a base type
            pass


def test_error_is_a_value_error():
    assert issubclass(Error, ValueError) and Error.__base__ is ValueError
    with raises(Error, "bad"):
        runslots.raise_error("bad")
    try:
        runslots.raise_error(3)
    except ValueError as exc:
        assert type(exc) is Error and exc.args == (3,)
    e = Error("x", 1)
    assert e.args == ("x", 1) and isinstance(e, ValueError)

    class MyError(Error):
        pass

    assert issubclass(MyError, ValueError)


def test_pair_uses_the_copied_slots():
    p = Pair((1, 2))
    assert isinstance(p, tuple) and p == (1, 2) and p.first() == 1
    assert repr(p).startswith("<runslots.Pair object at 0x")
    assert Pair.__base__ is tuple
    with raises(IndexError, "empty pair"):
        Pair().first()
    with raises(TypeError):
        class MorePairs(Pair):  # no Py_TPFLAGS_BASETYPE
            pass


def test_types_keep_their_module_and_names():
    for t, name in ((Plain, "Plain"), (Sub, "Sub"), (Error, "Error"), (Pair, "Pair")):
        assert t.__module__ == "runslots", t
        assert t.__name__ == name and t.__qualname__ == name
    assert Plain.__doc__ == "A plain object."


def test_instances_are_freed():
    for _ in range(3):
        objects = [Plain(), Sub(), Pair((1,)), Error("x")]
        del objects
        gc.collect()


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
