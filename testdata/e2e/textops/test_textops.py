"""Behaviour tests for the textops extension module."""
import contextlib
import gc
import weakref

import textops


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


def _py_fnv1a(s):
    h = 2166136261
    for b in s.encode("utf-8"):
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


class Thing:
    def __repr__(self):
        return "<thing>"


def test_text_error():
    assert issubclass(textops.TextError, Exception)
    assert textops.TextError.__module__ == "textops"
    assert "cannot be processed" in textops.TextError.__doc__


def test_count_char():
    assert textops.count_char("banana", "a") == 3
    assert textops.count_char("h\u00e9llo w\u00f6rld \U0001f600\U0001f600", "\U0001f600") == 2
    assert textops.count_char("", "x") == 0
    with raises(ValueError, "got a string of length 2"):
        textops.count_char("abc", "ab")
    with raises(TypeError):
        textops.count_char(b"abc", "a")


def test_is_palindrome():
    assert textops.is_palindrome("racecar") is True
    assert textops.is_palindrome("") is True
    assert textops.is_palindrome("\u00e9t\u00e9") is True
    assert textops.is_palindrome("abca") is False
    with raises(TypeError, "expected str, not int"):
        textops.is_palindrome(121)


def test_split_words():
    assert textops.split_words("  the quick\tbrown\n fox ") == ["the", "quick", "brown", "fox"]
    assert textops.split_words("") == []
    assert textops.split_words("\u3000a\u2003b") == ["a", "b"]
    with raises(TypeError, "expected str, not bytes"):
        textops.split_words(b"a b")


def test_fnv1a():
    for s in ("", "a", "hello", "gr\u00fc\u00dfe", "\U0001f600"):
        assert textops.fnv1a(s) == _py_fnv1a(s)
    with raises(TypeError, "expected str, not NoneType"):
        textops.fnv1a(None)


def test_ascii_upper():
    assert textops.ascii_upper("Hello, World 42") == "HELLO, WORLD 42"
    assert textops.ascii_upper("") == ""
    with raises(textops.TextError, "non-ASCII character at byte offset 2"):
        textops.ascii_upper("ab\u00e9")
    with raises(TypeError, "expected str, not list"):
        textops.ascii_upper(["a"])


def test_join_and_normalize():
    assert textops.join(", ", ["a", "b", "c"]) == "a, b, c"
    assert textops.join("-", (str(i) for i in range(3))) == "0-1-2"
    with raises(TypeError, "expected str, not int"):
        textops.join(0, ["a"])
    with raises(TypeError):
        textops.join("-", [1, 2])
    assert textops.normalize("  MiXeD Case \n") == "mixed case"
    with raises(TypeError, "expected str, not float"):
        textops.normalize(1.5)


def test_describe():
    assert textops.describe(42) == "int(42)"
    assert textops.describe("x") == "str('x')"
    assert textops.describe(Thing()) == "Thing(<thing>)"
    assert textops.describe(None) == "NoneType(None)"


def test_deref():
    obj = Thing()
    ref = weakref.ref(obj)
    assert textops.deref(ref) is obj
    del obj
    gc.collect()
    assert textops.deref(ref) is None
    with raises(TypeError, "expected a weak reference, not int"):
        textops.deref(1)


def test_max_char():
    assert textops.max_char("") == 0
    assert textops.max_char("abc") == ord("c")
    assert textops.max_char("caf\u00e9") == 0xE9
    assert textops.max_char("a\u20acb") == 0x20AC
    assert textops.max_char("x\U0001F600y") == 0x1F600
    assert textops.max_char("\ud800") == 0xD800
    try:
        textops.max_char(b"abc")
    except TypeError as exc:
        assert "must be str" in str(exc)
    else:
        raise AssertionError("TypeError not raised")


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
