"""Isolation of two dtparts module objects made from the same .so.

No types; each module has its own Error and raises it. Used by
tests/e2e/isolation.py, which calls check_isolation(m1, m2) and
check_isolation(m2, m1).
"""
import datetime as dt


def check_isolation(m1, m2):
    assert m1.Error is not m2.Error
    assert not issubclass(m1.Error, m2.Error)
    assert m1.parts(dt.date(2000, 1, 2)) == ("date", 2000, 1, 2)
    try:
        m1.parts(5)
    except Exception as exc:  # noqa: BLE001 - the exception is the result
        assert type(exc) is m1.Error and not isinstance(exc, m2.Error), repr(exc)
    else:
        raise AssertionError("m1.parts(5) raised nothing")
