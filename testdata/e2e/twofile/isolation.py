"""Isolation of two twofile module objects made from the same .so.

The C code type-checks with PyObject_TypeCheck(obj, &Counter_Type) in
total() and is_counter(), and Py_TYPE(obj) == &Counter_Type in
is_counter(exact=True).  Used by tests/e2e/isolation.py, which calls
check_isolation(m1, m2) and check_isolation(m2, m1).
"""


def check_isolation(m1, m2):
    C1, C2 = m1.Counter, m2.Counter
    assert C1 is not C2 and not issubclass(C1, C2)

    # m1's functions make m1.Counter objects and accept them, and instances
    # of a Python subclass of m1.Counter.
    class Sub1(C1):
        pass
    made = m1.make_counters(2, 5)
    assert all(type(c) is C1 for c in made), "make_counters() did not make m1 Counters"
    assert m1.total(made + [C1(3), Sub1(4)]) == 5 + 6 + 3 + 4
    assert m1.is_counter(C1()) and m1.is_counter(Sub1())
    assert m1.is_counter(C1(), exact=True) and not m1.is_counter(Sub1(), exact=True)
    assert made[0].increment() == 6 and list(C1(0, 2, limit=5)) == [0, 2, 4]

    # m1's type checks reject m2's counters, and subclasses of m2.Counter.
    class Sub2(C2):
        pass
    for other in (C2(1), Sub2(1), m2.make_counters(1)[0]):
        assert not isinstance(other, C1)
        # total() raises TypeError for a foreign counter.
        try:
            m1.total([C1(1), other])
        except TypeError:
            pass
        else:
            raise AssertionError("m1.total() accepted an m2 Counter")
        # is_counter() says no, exact or not.
        assert m1.is_counter(other) is False
        assert m1.is_counter(other, exact=True) is False
        # m1.Counter's method descriptors refuse an m2 instance as self.
        try:
            C1.increment(other)
        except TypeError:
            pass
        else:
            raise AssertionError("m1.Counter.increment accepted an m2 Counter")
