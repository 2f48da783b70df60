"""Behaviour tests for the bufview extension module."""
import contextlib

import bufview
from bufview import ByteBuf


@contextlib.contextmanager
def raises(exc_type, match=None):
    """Minimal stand-in for pytest.raises (keeps this file dependency-free)."""
    try:
        yield
    except exc_type as exc:
        if match is not None:
            assert match in str(exc), f"{match!r} not in {str(exc)!r}"
    else:
        raise AssertionError(f"{exc_type.__name__} not raised")


def test_construction():
    assert bytes(ByteBuf()) == b""
    assert bytes(ByteBuf(4)) == b"\x00" * 4
    assert bytes(ByteBuf(b"abc")) == b"abc"
    assert bytes(ByteBuf(bytearray(b"xy"))) == b"xy"
    original = ByteBuf(b"copy me")
    assert bytes(ByteBuf(original)) == b"copy me"
    assert bytes(ByteBuf(memoryview(b"0123456")[2:5])) == b"234"
    assert len(ByteBuf(10)) == 10
    assert repr(ByteBuf(3)) == "bufview.ByteBuf(size=3)"
    with raises(ValueError, "negative buffer size"):
        ByteBuf(-1)
    with raises(TypeError):
        ByteBuf("text")


def test_memoryview_is_writable_and_shared():
    buf = ByteBuf(b"hello")
    mv = memoryview(buf)
    assert mv.readonly is False
    assert mv.nbytes == 5 and mv.format == "B"
    mv[0] = ord("J")
    assert buf.tobytes() == b"Jello"
    assert bytes(mv[1:3]) == b"el"
    assert mv[::-1].tobytes() == b"olleJ"
    mv.release()


def test_export_counting_blocks_resize():
    buf = ByteBuf(b"abcd")
    assert buf.exports == 0
    mv1 = memoryview(buf)
    mv2 = memoryview(buf)
    assert buf.exports == 2
    with raises(BufferError, "cannot resize ByteBuf while it is exported (2 exports)"):
        buf.resize(10)
    mv1.release()
    with raises(BufferError, "(1 exports)"):
        buf.resize(10)
    mv2.release()
    assert buf.exports == 0
    buf.resize(6)
    assert bytes(buf) == b"abcd\x00\x00"
    buf.resize(2)
    assert bytes(buf) == b"ab"
    with raises(ValueError):
        buf.resize(-5)
    with raises(AttributeError):
        buf.exports = 3


def test_memoryview_context_manager_releases():
    buf = ByteBuf(8)
    with memoryview(buf) as mv:
        sliced = mv[2:4]
        assert buf.exports == 1
        sliced.release()
    assert buf.exports == 0
    buf.resize(0)
    assert len(buf) == 0 and bytes(buf) == b""


def test_fill():
    buf = ByteBuf(3)
    buf.fill(0x41)
    assert bytes(buf) == b"AAA"
    with raises(ValueError, "range(0, 256)"):
        buf.fill(256)


def test_module_functions():
    buf = ByteBuf(b"\x01\x02\x03")
    bufview.xor_inplace(buf, 0xFF)
    assert bytes(buf) == b"\xfe\xfd\xfc"
    ba = bytearray(b"abc")
    bufview.xor_inplace(ba, 0x20)
    assert ba == bytearray(b"ABC")
    with raises(BufferError):
        bufview.xor_inplace(b"readonly", 1)
    assert bufview.byte_sum(b"\x01\x02\xff") == 258
    assert bufview.byte_sum(ByteBuf(b"\x10" * 4)) == 64
    assert buf.exports == 0
    with raises(TypeError, "must support the buffer protocol, not int"):
        bufview.byte_sum(5)


def test_not_subclassable():
    with raises(TypeError, "not an acceptable base type"):
        class Sub(ByteBuf):  # noqa: F841
            pass


def test_type_is_immutable():
    with raises(TypeError):
        ByteBuf.foo = 1
    assert not hasattr(ByteBuf, "foo")
    with raises(AttributeError):
        ByteBuf(1).anything = 2


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
