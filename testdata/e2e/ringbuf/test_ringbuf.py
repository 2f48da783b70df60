"""Behaviour tests for the ringbuf extension module."""
import contextlib
import gc
import weakref

import ringbuf
from ringbuf import RingBuffer


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


def filled(capacity, items):
    rb = RingBuffer(capacity)
    for item in items:
        rb.append(item)
    return rb


def test_construction():
    rb = RingBuffer(3)
    assert len(rb) == 0 and rb.capacity == 3 and rb.full is False
    assert repr(rb) == "<ringbuf.RingBuffer size=0 capacity=3>"
    assert RingBuffer(capacity=2).capacity == 2
    with raises(ValueError, "capacity must be positive, not 0"):
        RingBuffer(0)
    with raises(TypeError):
        RingBuffer("3")
    with raises(AttributeError):
        rb.capacity = 5


def test_append_evicts_oldest():
    rb = RingBuffer(3)
    assert rb.append("a") is None
    rb.append("b")
    rb.append("c")
    assert rb.full is True
    assert rb.append("d") == "a"
    assert list(rb) == ["b", "c", "d"]
    assert len(rb) == 3


def test_pop_and_clear():
    rb = filled(2, [1, 2, 3])
    assert rb.pop() == 2
    assert rb.pop() == 3
    with raises(ringbuf.Error, "pop from empty RingBuffer"):
        rb.pop()
    assert issubclass(ringbuf.Error, Exception)
    rb = filled(4, range(4))
    rb.tag = "kept"
    rb.clear()
    assert len(rb) == 0 and list(rb) == []
    assert rb.tag == "kept"


def test_indexing():
    rb = filled(3, [10, 20, 30, 40])
    assert rb[0] == 20 and rb[2] == 40 and rb[-1] == 40 and rb[-3] == 20
    rb[1] = "x"
    assert list(rb) == [20, "x", 40]
    with raises(IndexError, "RingBuffer index out of range"):
        rb[3]
    with raises(IndexError):
        rb[-4] = 0
    with raises(TypeError, "indices must be integers, not str"):
        rb["0"]
    with raises(TypeError, "does not support item deletion"):
        del rb[0]


def test_contains():
    rb = filled(3, [1, "two", 3.0])
    assert 1 in rb and "two" in rb and 3 in rb
    assert "three" not in rb
    rb.append(4)
    assert 1 not in rb


def test_iteration():
    rb = filled(5, range(7))
    it = iter(rb)
    assert iter(it) is it
    assert it.__length_hint__() == 5
    assert next(it) == 2
    assert list(it) == [3, 4, 5, 6]
    with raises(StopIteration):
        next(it)
    assert type(iter(rb)).__name__ == "RingBufferIter"


def test_iterator_not_instantiable():
    it_type = type(iter(RingBuffer(1)))
    with raises(TypeError):
        it_type()


def test_mutation_during_iteration():
    rb = filled(3, [1, 2])
    it = iter(rb)
    assert next(it) == 1
    rb.append(3)
    with raises(RuntimeError, "mutated during iteration"):
        next(it)
    rb2 = filled(3, [1, 2])
    it2 = iter(rb2)
    rb2[0] = 9  # item replacement is not a structural change
    assert list(it2) == [9, 2]


def test_attributes_and_weakrefs():
    rb = RingBuffer(2)
    rb.name = "events"
    assert rb.name == "events"
    assert rb.__dict__ == {"name": "events"}
    ref = weakref.ref(rb)
    assert ref() is rb
    del rb
    assert ref() is None


def test_reference_cycles_are_collected():
    rb = RingBuffer(2)
    rb.append(rb)
    rb.me = rb
    holder = [rb]
    rb.append(holder)
    ref = weakref.ref(rb)
    it = iter(rb)
    rb.it = it
    del rb, holder, it
    gc.collect()
    assert ref() is None


def test_nested_buffers_are_released():
    # Each buffer holds the next: its dealloc releases the chain (with the
    # trashcan guard in the full-API build; at this depth both builds are fine).
    import gc
    head = None
    for _ in range(1000):
        rb = ringbuf.RingBuffer(1)
        rb.append(head)
        head = rb
    probe = ringbuf.RingBuffer(1)
    import weakref
    ref = weakref.ref(probe)
    head.append(probe)  # evicts the chain's head item, keeps the probe
    del probe, rb
    assert ref() is not None
    del head
    gc.collect()
    assert ref() is None


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
