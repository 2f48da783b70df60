"""Behaviour tests for the seqtools extension module."""
import contextlib
import zlib

import seqtools


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


def test_module_attributes():
    assert seqtools.MAX_CHUNK == 4096
    assert seqtools.__version__ == "1.2"
    assert issubclass(seqtools.Error, ValueError)
    assert seqtools.Error.__name__ == "Error"
    assert seqtools.Error.__module__ == "seqtools"


def test_fsum():
    assert seqtools.fsum([1.5, 2.5, 3.0]) == 7.0
    assert seqtools.fsum((1, 2, 3)) == 6.0
    assert seqtools.fsum(x / 2 for x in range(4)) == 3.0
    assert seqtools.fsum([]) == 0.0
    with raises(TypeError, "fsum() argument must be iterable"):
        seqtools.fsum(5)
    with raises(TypeError, "str"):
        seqtools.fsum([1.0, "x"])


def test_mean():
    assert seqtools.mean([1, 2, 3, 4]) == 2.5
    assert seqtools.mean(range(5)) == 2.0
    with raises(seqtools.Error, "mean() of empty sequence"):
        seqtools.mean([])
    with raises(ValueError):  # Error subclasses ValueError
        seqtools.mean(())
    with raises(TypeError):
        seqtools.mean([1, None])


def test_reverse_tuple():
    assert seqtools.reverse_tuple((1, 2, 3)) == (3, 2, 1)
    assert seqtools.reverse_tuple(()) == ()
    obj = object()
    assert seqtools.reverse_tuple((obj, None))[1] is obj
    with raises(TypeError, "must be tuple, not list"):
        seqtools.reverse_tuple([1, 2])


def test_pairwise():
    assert seqtools.pairwise([1, 2, 3]) == [(1, 2), (2, 3)]
    assert seqtools.pairwise("abc") == [("a", "b"), ("b", "c")]
    assert seqtools.pairwise([1]) == []
    assert seqtools.pairwise([]) == []
    with raises(TypeError, "pairwise() argument must be iterable"):
        seqtools.pairwise(3.5)


def test_flatten():
    assert seqtools.flatten([[1, 2], (3,), [], [4, [5]]]) == [1, 2, 3, 4, [5]]
    assert seqtools.flatten([]) == []
    with raises(seqtools.Error, "item 1 is not a list or tuple (got 'int')"):
        seqtools.flatten([[1], 2])
    with raises(TypeError, "must be list, not tuple"):
        seqtools.flatten(([1],))


def test_chunk():
    assert seqtools.chunk(range(7), 3) == [(0, 1, 2), (3, 4, 5), (6,)]
    assert seqtools.chunk([], 2) == []
    assert seqtools.chunk("ab", 5) == [("a", "b")]
    with raises(ValueError, "chunk size must be in 1..4096, got 0"):
        seqtools.chunk([1], 0)
    with raises(TypeError):
        seqtools.chunk([1], "2")


def test_checksum():
    for data in (b"", b"hello world", bytes(range(256)) * 50):
        assert seqtools.checksum(data) == zlib.adler32(data)
        assert seqtools.checksum(bytearray(data)) == zlib.adler32(data)
    with raises(TypeError, "expects bytes or bytearray, not 'str'"):
        seqtools.checksum("text")
    with raises(TypeError, "'memoryview'"):
        seqtools.checksum(memoryview(b"x"))


def test_set_size():
    assert seqtools.set_size(set()) == 0
    assert seqtools.set_size(frozenset(range(7))) == 7
    with raises(TypeError, "set_size() argument must be a set"):
        seqtools.set_size([1, 2])


def test_dict_size():
    assert seqtools.dict_size({}) == 0
    assert seqtools.dict_size(dict.fromkeys(range(10))) == 10
    with raises(TypeError, "must be dict, not 'list'"):
        seqtools.dict_size([1, 2])


def test_packed():
    assert seqtools.packed([1, 0, 2, 255, 0, 256 + 3]) == bytes([1, 2, 255, 3])
    assert seqtools.packed([]) == b""
    assert seqtools.packed([0, 0]) == b""
    assert seqtools.packed(range(1, 200)) == bytes(range(1, 200))
    with raises(TypeError):
        seqtools.packed([1, "x"])
    with raises(TypeError, "must be iterable"):
        seqtools.packed(5)


def test_swap_first():
    import sys
    first = object()
    items = [first, 2]
    before = sys.getrefcount(first)
    old = seqtools.swap_first(items, "new")
    assert old is first and items == ["new", 2]
    assert sys.getrefcount(first) == before  # the list's reference moved to `old`
    del old
    assert sys.getrefcount(first) == before - 1
    with raises(IndexError, "empty list"):
        seqtools.swap_first([], 1)
    with raises(TypeError):
        seqtools.swap_first((1,), 1)


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
