"""Isolation of two vector2d module objects made from the same .so.

The C code type-checks operands with Vector_Check (PyObject_TypeCheck, so
subclasses pass) in ==/!=, +, -, and Vector.dot().  Used by
tests/e2e/isolation.py, which calls check_isolation(m1, m2) and
check_isolation(m2, m1).
"""
import operator


def raised(func, *args):
    """The exception func(*args) raises (AssertionError if none)."""
    try:
        func(*args)
    except Exception as exc:  # noqa: BLE001 - the exception is the result
        return exc
    raise AssertionError(f"{func.__name__}{args!r} raised nothing")


def check_isolation(m1, m2):
    V1, V2 = m1.Vector, m2.Vector
    assert V1 is not V2 and not issubclass(V1, V2)

    # m1's vectors, and those of a Python subclass of m1.Vector (no module is
    # attached to that class: the state is found through its MRO), work with
    # m1's operations, which return m1.Vector objects.
    class Sub1(V1):
        pass
    a, s = V1(1, 2), Sub1(3, 4)
    results = {"a + s": a + s, "s - a": s - a, "a * 2": a * 2, "2 * s": 2 * s,
               "s / 2": s / 2, "-s": -s, "s.normalized()": s.normalized(),
               "from_polar": V1.from_polar(1, 0), "from_object": V1.from_object((1, 2))}
    wrong = {k: "other module's Vector" if type(r) is V2 else type(r).__qualname__
             for k, r in results.items() if type(r) is not V1}
    assert not wrong, f"m1 operations that did not return an m1.Vector: {wrong}"
    assert a.dot(s) == 11.0 and s.dot(a) == 11.0
    assert a + s == V1(4, 6) and s == V1(3, 4) and not (s != V1(3, 4))

    # m1's type checks reject m2's vectors, and subclasses of m2.Vector.
    class Sub2(V2):
        pass
    for b in (V2(1, 2), Sub2(1, 2)):
        assert not isinstance(b, V1)
        # dot() raises TypeError.
        assert type(raised(a.dot, b)) is TypeError
        # + and - return NotImplemented on both sides: TypeError.
        for op in (operator.add, operator.sub):
            assert type(raised(op, a, b)) is TypeError
            assert type(raised(op, b, a)) is TypeError
        # == and != return NotImplemented: identity comparison, so unequal.
        assert (a == b) is False and (a != b) is True
        # m1.Vector's method descriptors refuse an m2 instance as self.
        assert type(raised(V1.dot, b, a)) is TypeError
        assert type(raised(V1.normalized, b)) is TypeError
