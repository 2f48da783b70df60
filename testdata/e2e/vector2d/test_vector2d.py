"""Behaviour tests for the vector2d extension module."""
import collections
import contextlib
import copy
import math
import pickle

import vector2d
from vector2d import Vector


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


class Named(Vector):
    """Python subclass adding a label and an attribute dict."""

    def __init__(self, x=0.0, y=0.0, label="p"):
        super().__init__(x, y)
        self.label = label


def test_construction_and_repr():
    v = Vector(1, 2)
    assert (v.x, v.y) == (1.0, 2.0)
    assert Vector().x == 0.0 and Vector(y=3).y == 3.0
    assert repr(v) == "vector2d.Vector(1.0, 2.0)"
    assert Vector.__name__ == "Vector"
    assert Vector.__module__ == "vector2d"
    assert "two dimensional vector" in Vector.__doc__
    with raises(TypeError):
        Vector("a", 2)
    with raises(TypeError):
        Vector(1, 2, 3)


def test_arithmetic():
    a, b = Vector(1, 2), Vector(3, 5)
    assert a + b == Vector(4, 7)
    assert b - a == Vector(2, 3)
    assert a * 2 == Vector(2, 4)
    assert 3 * a == Vector(3, 6)
    assert b / 2 == Vector(1.5, 2.5)
    assert -a == Vector(-1, -2)
    assert abs(Vector(3, 4)) == 5.0
    assert bool(Vector()) is False and bool(a) is True
    with raises(ZeroDivisionError, "vector division by zero"):
        a / 0
    with raises(TypeError, "unsupported operand"):
        a + 1
    with raises(TypeError):
        a * "x"
    with raises(TypeError):
        a * b


def test_sequence_protocol():
    v = Vector(7, 8)
    assert len(v) == 2
    assert v[0] == 7.0 and v[1] == 8.0 and v[-1] == 8.0
    assert list(v) == [7.0, 8.0]
    x, y = v
    assert (x, y) == (7.0, 8.0)
    with raises(IndexError, "Vector index out of range"):
        v[2]


def test_comparison_and_hash():
    assert Vector(1, 2) == Vector(1.0, 2.0)
    assert Vector(1, 2) != Vector(2, 1)
    assert (Vector(1, 2) == (1, 2)) is False
    assert hash(Vector(1, 2)) == hash((1.0, 2.0))
    assert len({Vector(1, 2), Vector(1, 2), Vector(0, 0)}) == 2
    with raises(TypeError):
        Vector(1, 2) < Vector(2, 3)


def test_attributes():
    v = Vector(3, 4)
    assert v.length == 5.0
    assert (v.real, v.imag) == (3.0, 4.0)
    v.x = 6
    v.y = 8.0
    assert v.length == 10.0 and v.real == 6.0
    with raises(AttributeError):
        v.length = 1.0
    with raises(AttributeError):
        v.real = 1.0
    with raises(AttributeError, "cannot delete the y coordinate"):
        del v.y
    with raises(TypeError):
        v.x = "nope"
    with raises(AttributeError):
        v.z = 1


def test_methods():
    assert Vector(1, 2).dot(Vector(3, 4)) == 11.0
    n = Vector(3, 4).normalized()
    assert math.isclose(n.x, 0.6) and math.isclose(n.y, 0.8)
    with raises(ValueError, "zero vector"):
        Vector().normalized()
    with raises(TypeError, "dot() argument must be vector2d.Vector, not tuple"):
        Vector().dot((1, 2))
    p = Vector.from_polar(2, math.pi / 2)
    assert type(p) is Vector
    assert math.isclose(p.x, 0.0, abs_tol=1e-12) and math.isclose(p.y, 2.0)


def test_from_object():
    Point = collections.namedtuple("Point", "x y")
    assert Vector.from_object(Point(1, 2)) == Vector(1, 2)
    assert Vector.from_object([5, 6]) == Vector(5, 6)
    assert Vector.from_object([7.5, -1]) == Vector(7.5, -1)
    assert Vector.from_object((3, 4)) == Vector(3, 4)
    with raises(TypeError, "cannot convert 'int' object to vector2d.Vector"):
        Vector.from_object(3)
    with raises(TypeError, "cannot convert 'list' object"):
        Vector.from_object([1, 2, 3])

    class OnlyX:
        x = 1
    with raises(TypeError, "'OnlyX' object has 'x' but no 'y' attribute"):
        Vector.from_object(OnlyX())


def test_subclass():
    p = Named(1, 2, label="A")
    assert isinstance(p, Vector)
    assert p.label == "A" and p.x == 1.0
    assert repr(p) == "Named(1.0, 2.0)"
    assert type(p + p) is Vector and p + p == Vector(2, 4)
    q = Named.from_polar(1, 0)
    assert type(q) is Named and q.label == "p"
    assert type(Named.from_object((1, 2))) is Named
    assert Vector(1, 1).dot(p) == 3.0


def test_pickle_and_copy():
    v = Vector(1.5, -2.5)
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        w = pickle.loads(pickle.dumps(v, proto))
        assert type(w) is Vector and w == v
    c = copy.copy(v)
    assert c == v and c is not v
    assert v.__reduce__() == (Vector, (1.5, -2.5))


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
