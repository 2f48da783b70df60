"""Behaviour tests for the dtparts extension module (the datetime C API)."""
import datetime as dt

import dtparts


def raises(exc_type, func, *args, match=None):
    try:
        func(*args)
    except exc_type as exc:
        if match is not None:
            assert match in str(exc), f"{match!r} not in {str(exc)!r}"
        return exc
    raise AssertionError(f"{exc_type.__name__} not raised")


class Shifted(dt.date):
    """A subclass whose `year` property lies: the C field is still read."""

    @property
    def year(self):
        return 1


class Zone(dt.tzinfo):
    pass


def test_parts():
    assert dtparts.parts(dt.date(2024, 2, 29)) == ("date", 2024, 2, 29)
    assert dtparts.parts(dt.datetime(1999, 12, 31, 23, 59, 58, 123456)) == (
        "datetime", 1999, 12, 31, 23, 59, 58, 123456)
    assert dtparts.parts(dt.time(7, 8, 9, 10)) == ("time", 7, 8, 9, 10)
    assert dtparts.parts(dt.timedelta(days=-1, seconds=5)) == ("timedelta", -1, 5, 0)
    assert dtparts.parts(Shifted(2020, 5, 6)) == ("date", 2020, 5, 6)
    raises(dtparts.Error, dtparts.parts, "2020-01-01", match="needs a date")


def test_exact():
    assert dtparts.exact(dt.datetime(2000, 1, 1)) == "datetime"
    assert dtparts.exact(dt.date(2000, 1, 1)) == "date"
    assert dtparts.exact(Shifted(2000, 1, 1)) is None
    assert dtparts.exact(Zone()) == "tzinfo"
    assert dtparts.exact(dt.timezone.utc) == "tzinfo"
    assert dtparts.exact(dt.timedelta(1)) == "timedelta-like"
    assert dtparts.exact(3) is None


def test_build():
    assert dtparts.build(2001, 2, 3) == dt.date(2001, 2, 3)
    assert type(dtparts.build(2001, 2, 3)) is dt.date
    assert dtparts.build(2001, 2, 3, 4, 5, 6, 7) == dt.datetime(2001, 2, 3, 4, 5, 6, 7)
    raises(ValueError, dtparts.build, 2001, 13, 1, match="month must be in 1..12")
    raises(ValueError, dtparts.build, 2001, 2, 30)
    raises(ValueError, dtparts.build, 2001, 2, 3, 25, match="hour must be in 0..23")


def test_at_utc_and_utc():
    value = dtparts.at_utc(2010, 10, 10)
    assert value == dt.datetime(2010, 10, 10, tzinfo=dt.timezone.utc)
    assert value.tzinfo is dt.timezone.utc
    assert dtparts.utc() is dt.timezone.utc


def test_span_and_clock():
    assert dtparts.span(1, 90000, 1500000) == dt.timedelta(days=2, seconds=3601, microseconds=500000)
    assert dtparts.span(0, -1, 0) == dt.timedelta(seconds=-1)
    raises(OverflowError, dtparts.span, 1000000000, 0, 0, match="days=1000000000")
    assert dtparts.clock(1, 2, 3, 4) == dt.time(1, 2, 3, 4)
    raises(ValueError, dtparts.clock, 24, 0, 0, 0)


def test_from_timestamp():
    assert dtparts.from_timestamp(0, dt.timezone.utc) == dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    assert dtparts.from_timestamp(86400.5, dt.timezone.utc).microsecond == 500000
    raises(TypeError, dtparts.from_timestamp, "x")
    raises(TypeError, dtparts.from_timestamp)


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
