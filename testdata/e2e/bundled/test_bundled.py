"""Behaviour tests for the bundled extension module (adler.c inside)."""
import zlib

import bundled


def raises(exc_type, fn, *args, match=None):
    try:
        fn(*args)
    except exc_type as exc:
        if match is not None:
            assert match in str(exc), f"{match!r} not in {str(exc)!r}"
    else:
        raise AssertionError(f"{exc_type.__name__} not raised")


DATA = [b"", b"a", b"abc", bytes(range(256)) * 40, b"\xff" * 6000]


def test_adler32_matches_zlib():
    for data in DATA:
        assert bundled.adler32(data) == zlib.adler32(data)
    raises(TypeError, bundled.adler32, "text")


def test_rotated():
    for data in DATA:
        for k in (0, 1, 7, 100, 5000):
            expect = data[k % len(data):] + data[:k % len(data)] if data else b""
            assert bundled.rotated(data, k) == zlib.adler32(expect)
    raises(bundled.BundledError, bundled.rotated, b"abc", -1, match="negative")


def test_hasher():
    h = bundled.Hasher()
    for data in DATA:
        h.update(data)
    assert h.digest() == zlib.adler32(b"".join(DATA))
    assert h.length == sum(map(len, DATA))
    assert repr(h).startswith("<bundled.Hasher 'adler32' at ")
    named = bundled.Hasher(name="x")
    assert repr(named) == "<bundled.Hasher 'x' at 0 bytes>"
    raises(TypeError, bundled.Hasher, 3)
    raises(TypeError, h.update, 3)
    assert type(h).__module__ == "bundled" and type(h).__name__ == "Hasher"
    assert isinstance(h, bundled.Hasher)


def test_first_item_checksum():
    assert bundled.first_item_checksum([b"abc", 1]) == zlib.adler32(b"abc")
    raises(bundled.BundledError, bundled.first_item_checksum, [])
    raises(bundled.BundledError, bundled.first_item_checksum, (b"abc",))


def test_error_type():
    assert issubclass(bundled.BundledError, Exception)
    assert bundled.BundledError.__module__ == "bundled"


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
