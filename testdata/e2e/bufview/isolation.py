"""Isolation of two bufview module objects made from the same .so.

The only type check in the C code, Py_TYPE(init) == &ByteBuf_Type in
ByteBuf(init), is a fast path: a foreign ByteBuf is copied through the
buffer protocol instead, with the same result, so the rejection itself is
not observable; the copy must still be right and be an m1.ByteBuf.  The
module functions take any buffer by design.  Used by
tests/e2e/isolation.py, which calls check_isolation(m1, m2) and
check_isolation(m2, m1).
"""


def check_isolation(m1, m2):
    B1, B2 = m1.ByteBuf, m2.ByteBuf
    assert B1 is not B2 and not issubclass(B1, B2)

    # m1's ByteBuf works with m1's functions; copies of it are m1 ByteBufs.
    b1 = B1(b"\x01\x02")
    m1.xor_inplace(b1, 0xFF)
    assert bytes(b1) == b"\xfe\xfd" and m1.byte_sum(b1) == 0xFE + 0xFD
    copy = B1(b1)
    assert type(copy) is B1 and bytes(copy) == b"\xfe\xfd"

    # An m2 ByteBuf given to m1.ByteBuf(): not an m1 ByteBuf, copied through
    # the buffer protocol (export released again); the copy is an m1.ByteBuf.
    b2 = B2(b"abc")
    assert not isinstance(b2, B1)
    copy = B1(b2)
    assert type(copy) is B1 and bytes(copy) == b"abc" and b2.exports == 0

    # m1.ByteBuf's method descriptors refuse an m2 instance as self.
    try:
        B1.tobytes(b2)
    except TypeError:
        pass
    else:
        raise AssertionError("m1.ByteBuf.tobytes accepted an m2 ByteBuf")
