"""Isolation of two textops module objects made from the same .so.

No types; checks that each module has its own TextError and raises it.
Used by tests/e2e/isolation.py, which calls check_isolation(m1, m2) and
check_isolation(m2, m1).
"""


def check_isolation(m1, m2):
    # Each module has its own TextError class, unrelated to the other's.
    assert m1.TextError is not m2.TextError
    assert not issubclass(m1.TextError, m2.TextError)
    # m1's functions work (including the ones using cached method names).
    assert m1.ascii_upper("ab") == "AB" and m1.normalize(" X ") == "x"
    assert m1.join("-", ["a", "b"]) == "a-b"
    # m1.ascii_upper() raises m1.TextError, which `except m2.TextError`
    # does not catch.
    try:
        try:
            m1.ascii_upper("\u00e9")
        except m2.TextError:
            raise AssertionError("except m2.TextError caught m1's TextError")
    except m1.TextError as exc:
        assert type(exc) is m1.TextError and not isinstance(exc, m2.TextError)
    else:
        raise AssertionError("ascii_upper('\\u00e9') raised nothing")
