"""Isolation of two bundled module objects made from the same .so.

Used by tests/e2e/isolation.py, which calls check_isolation(m1, m2) and
check_isolation(m2, m1).
"""


def check_isolation(m1, m2):
    assert m1.Hasher is not m2.Hasher
    assert m1.BundledError is not m2.BundledError
    h = m1.Hasher()
    h.update(b"abc")
    assert h.digest() == m2.adler32(b"abc")
    assert not isinstance(h, m2.Hasher)
    try:
        try:
            m1.rotated(b"abc", -1)
        except m2.BundledError:
            raise AssertionError("except m2.BundledError caught m1's error")
    except m1.BundledError:
        pass
    else:
        raise AssertionError("rotated(b'abc', -1) raised nothing")
