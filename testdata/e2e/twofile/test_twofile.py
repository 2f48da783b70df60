"""Behaviour tests for the twofile extension module."""
import contextlib

import twofile
from twofile import Counter


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


class Doubling(Counter):
    def double(self):
        self.value *= 2
        return self.value


def test_counter_basics():
    c = Counter(5, step=2)
    assert (c.value, c.step) == (5, 2)
    assert repr(c) == "twofile.Counter(value=5, step=2)"
    assert c.increment() == 7
    assert c.increment(3) == 13
    c.reset()
    assert c.value == 0
    c.value = 40
    assert c.value == 40
    with raises(AttributeError):
        c.step = 3
    with raises(ValueError, "must not be negative"):
        c.increment(-1)
    with raises(ValueError, "step must not be zero"):
        Counter(0, 0)
    with raises(TypeError):
        Counter("1")


def test_counter_iteration():
    assert list(Counter(0, 3, limit=10)) == [0, 3, 6, 9]
    assert list(Counter(5, -2, limit=0)) == [5, 3, 1]
    c = Counter(1)
    assert iter(c) is c
    assert [next(c) for _ in range(3)] == [1, 2, 3]
    assert c.value == 4


def test_make_counters():
    counters = twofile.make_counters(3, 10, 5)
    assert [c.value for c in counters] == [10, 11, 12]
    assert all(type(c) is Counter and c.step == 5 for c in counters)
    assert counters[0].increment() == 15
    assert twofile.make_counters(0) == []
    with raises(ValueError, "count must not be negative"):
        twofile.make_counters(-1)
    with raises(ValueError, "step must not be zero"):
        twofile.make_counters(1, 0, 0)


def test_total():
    assert twofile.total(twofile.make_counters(4)) == 0 + 1 + 2 + 3
    assert twofile.total(Counter(v) for v in (5, 6)) == 11
    assert twofile.total([]) == 0
    with raises(TypeError, "total() expects twofile.Counter objects, got 'int'"):
        twofile.total([Counter(1), 2])
    with raises(TypeError):
        twofile.total(7)


def test_subclass_and_type_checks():
    d = Doubling(3)
    assert d.double() == 6
    assert repr(d) == "Doubling(value=6, step=1)"
    assert twofile.total([d, Counter(1)]) == 7
    assert twofile.is_counter(d) is True
    assert twofile.is_counter(d, exact=True) is False
    assert twofile.is_counter(Counter(), exact=True) is True
    assert twofile.is_counter(3) is False


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
