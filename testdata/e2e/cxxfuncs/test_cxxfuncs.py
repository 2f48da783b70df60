"""Behaviour tests for the cxxfuncs extension module."""
import contextlib

import cxxfuncs


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


def test_error_type():
    assert issubclass(cxxfuncs.Error, Exception)
    assert cxxfuncs.Error.__module__ == "cxxfuncs"


def test_zip_lists():
    assert cxxfuncs.zip_lists([1, 2], ["a", "b"]) == [(1, "a"), (2, "b")]
    assert cxxfuncs.zip_lists([], []) == []
    with raises(cxxfuncs.Error, "lengths differ: 2 != 1"):
        cxxfuncs.zip_lists([1, 2], [1])
    with raises(TypeError, "must be list, not tuple"):
        cxxfuncs.zip_lists((1,), [1])


def test_sorted_floats():
    assert cxxfuncs.sorted_floats([3.5, -1, 2]) == (-1.0, 2.0, 3.5)
    assert cxxfuncs.sorted_floats([]) == ()
    with raises(TypeError, "must be list, not set"):
        cxxfuncs.sorted_floats({1.0})
    with raises(TypeError, "must be real number, not str"):
        cxxfuncs.sorted_floats([1.0, "2"])


def test_histogram():
    hist = cxxfuncs.histogram([3, 1, 3, 2, 3, 1])
    assert hist == {1: 2, 2: 1, 3: 3}
    assert list(hist) == [1, 2, 3]
    assert cxxfuncs.histogram(range(0)) == {}
    with raises(cxxfuncs.Error, "item 1 is 'float', not int"):
        cxxfuncs.histogram([1, 2.0])
    with raises(OverflowError):
        cxxfuncs.histogram([1 << 80])
    with raises(TypeError, "must be iterable"):
        cxxfuncs.histogram(None)


def test_swap_pairs():
    assert cxxfuncs.swap_pairs(((1, 2), ("a", "b"))) == ((2, 1), ("b", "a"))
    assert cxxfuncs.swap_pairs(()) == ()
    with raises(cxxfuncs.Error, "item 1 is not a 2-tuple"):
        cxxfuncs.swap_pairs(((1, 2), (1, 2, 3)))
    with raises(TypeError, "must be tuple, not list"):
        cxxfuncs.swap_pairs([(1, 2)])


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
