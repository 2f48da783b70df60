"""Isolation of two cxxfuncs module objects made from the same .so.

No types; checks that each module has its own Error and raises it.
Used by tests/e2e/isolation.py, which calls check_isolation(m1, m2) and
check_isolation(m2, m1).
"""


def raised(func, *args):
    """The exception func(*args) raises (AssertionError if none)."""
    try:
        func(*args)
    except Exception as exc:  # noqa: BLE001 - the exception is the result
        return exc
    raise AssertionError(f"{func.__name__}{args!r} raised nothing")


def check_isolation(m1, m2):
    # Each module has its own Error class, unrelated to the other's.
    assert m1.Error is not m2.Error
    assert not issubclass(m1.Error, m2.Error)
    # m1's functions work and raise m1.Error (lengths differ, non-int item,
    # item not a pair), which is not an m2.Error.
    assert m1.zip_lists([1], [2]) == [(1, 2)] and m1.histogram([1, 1]) == {1: 2}
    for exc in (raised(m1.zip_lists, [1, 2], [1]), raised(m1.histogram, [1.0]),
                raised(m1.swap_pairs, ((1, 2, 3),))):
        assert type(exc) is m1.Error, (
            "m2's Error" if type(exc) is m2.Error else repr(exc))
        assert not isinstance(exc, m2.Error)
    # `except m2.Error` does not catch the error raised by m1.zip_lists().
    try:
        try:
            m1.zip_lists([1], [])
        except m2.Error:
            raise AssertionError("except m2.Error caught m1's Error")
    except m1.Error:
        pass
    else:
        raise AssertionError("m1.zip_lists([1], []) raised nothing")
