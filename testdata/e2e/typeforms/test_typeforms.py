"""Behaviour tests for the typeforms extension module."""
import contextlib
import gc
import sys

import typeforms
from typeforms import Amp, Leaf, Node, Sealed, Stack, Token, Words


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


def test_amp_slots_written_with_address_of():
    a = Amp(3)
    assert repr(a) == "Amp(3)"
    assert str(a) == "Amp(3)"  # no tp_str: str() falls back to repr
    assert repr(Amp()) == "Amp(0)"


def test_sealed_cannot_be_instantiated():
    with raises(TypeError, "cannot create 'typeforms.Sealed' instances"):
        Sealed()


def test_str_subclass_inherits_str_new():
    w = Words("a b  c")
    assert isinstance(w, str) and w == "a b  c"
    assert w.count_words() == 3
    assert type(w) is Words


def test_list_subclass_with_base_set_in_init():
    s = Stack([1, 2, 3])
    assert isinstance(s, list) and Stack.__base__ is list
    assert s.top() == 3
    s.append(4)
    assert s.top() == 4
    with raises(IndexError, "empty stack"):
        Stack().top()


def test_leaf_dealloc_ends_in_node_dealloc():
    marker = object()
    before = sys.getrefcount(marker)
    leaf = Leaf()
    leaf.x, leaf.y = marker, marker
    assert isinstance(leaf, Node)
    del leaf
    gc.collect()
    assert sys.getrefcount(marker) == before
    for tp in (Node, Leaf, Token, Amp, Words, Stack):
        if tp is Words:
            make = lambda: Words("x y")  # noqa: E731
        elif tp is Stack:
            make = lambda: Stack([1])  # noqa: E731
        else:
            make = tp
        gc.collect()
        refs = sys.getrefcount(tp)
        for _ in range(100):
            make()
        gc.collect()
        assert sys.getrefcount(tp) == refs, tp


def test_module_of_the_types():
    for tp in (Amp, Sealed, Words, Stack, Node, Leaf, Token):
        assert tp.__module__ == "typeforms", tp


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
