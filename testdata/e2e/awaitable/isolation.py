"""Isolation of two awaitable module objects made from the same .so.

The C code type-checks with Py_TYPE(obj) == &Ready_Type in result_of();
the await iterator type (_AwaitIter, not a module attribute) must be per
module too.  Used by tests/e2e/isolation.py, which calls
check_isolation(m1, m2) and check_isolation(m2, m1).
"""


def drive(awaitable):
    """Run an awaitable to completion without an event loop; its result."""
    it = awaitable.__await__()
    while True:
        try:
            next(it)
        except StopIteration as stop:
            return stop.value


def check_isolation(m1, m2):
    assert m1.Ready is not m2.Ready and m1.ARange is not m2.ARange
    assert not issubclass(m1.Ready, m2.Ready) and not issubclass(m1.ARange, m2.ARange)
    # The hidden await iterator type is per module, and shared by m1's Ready
    # and ARange.
    it1 = type(m1.Ready(0).__await__())
    assert it1 is not type(m2.Ready(0).__await__())
    assert type(m1.ARange(0, 1).__anext__()) is it1

    # m1's objects work with m1's functions and protocols.
    assert drive(m1.Ready("v", yields=2)) == "v"
    assert drive(m1.ARange(5, 9, 2).__anext__()) == 5
    assert m1.result_of(m1.Ready(7)) == 7

    # m1.result_of() rejects m2.Ready (exact type check): TypeError.
    try:
        m1.result_of(m2.Ready(7))
    except TypeError:
        pass
    else:
        raise AssertionError("m1.result_of() accepted an m2 Ready")
