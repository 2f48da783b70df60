"""Isolation of two ringbuf module objects made from the same .so.

No argument type checks in the C code: checks that the types (RingBuffer,
its iterator type) and Error are per module, that m1's methods raise
m1.Error, and that m1's method descriptors refuse m2 instances.  Used by
tests/e2e/isolation.py, which calls check_isolation(m1, m2) and
check_isolation(m2, m1).
"""


def check_isolation(m1, m2):
    R1, R2 = m1.RingBuffer, m2.RingBuffer
    assert R1 is not R2 and not issubclass(R1, R2)
    assert m1.Error is not m2.Error and not issubclass(m1.Error, m2.Error)
    # The iterator type (not a module attribute) is per module.
    assert type(iter(R1(1))) is not type(iter(R2(1)))

    # m1's RingBuffer works; an empty pop() raises m1.Error, which
    # `except m2.Error` does not catch.
    rb = R1(2)
    rb.append(1)
    assert list(rb) == [1] and rb.pop() == 1
    try:
        try:
            rb.pop()
        except m2.Error:
            raise AssertionError("except m2.Error caught m1's Error")
    except m1.Error as exc:
        assert type(exc) is m1.Error
    else:
        raise AssertionError("pop() from an empty RingBuffer raised nothing")

    # m1.RingBuffer's method descriptors refuse an m2 instance as self.
    other = R2(1)
    assert not isinstance(other, R1)
    for method, args in ((R1.append, (other, 1)), (R1.pop, (other,))):
        try:
            method(*args)
        except TypeError:
            pass
        else:
            raise AssertionError(f"m1.RingBuffer.{method.__name__} accepted an m2 RingBuffer")
