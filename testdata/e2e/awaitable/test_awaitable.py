"""Behaviour tests for the awaitable extension module."""
import asyncio
import contextlib

import awaitable
from awaitable import ARange, Ready


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


def test_ready_await():
    async def main():
        a = await Ready(42)
        b = await Ready((1, 2))       # tuples must not be unpacked
        c = await Ready(None)
        d = await Ready(ValueError("x"), yields=2)
        return a, b, c, d

    a, b, c, d = asyncio.run(main())
    assert a == 42 and b == (1, 2) and c is None
    assert isinstance(d, ValueError) and d.args == ("x",)


def test_ready_attributes_and_repr():
    r = Ready([1], yields=3)
    assert r.value == [1] and r.yields == 3
    assert repr(Ready("v")) == "awaitable.Ready('v')"
    with raises(AttributeError):
        r.value = 2
    with raises(ValueError, "yields must be >= 0"):
        Ready(1, yields=-1)
    with raises(TypeError):
        Ready()


def test_await_protocol_by_hand():
    it = Ready("done", yields=1).__await__()
    assert iter(it) is it
    assert next(it) is None
    with raises(StopIteration):
        next(it)
    it = Ready("done").__await__()
    try:
        next(it)
    except StopIteration as exc:
        assert exc.value == "done"
    else:
        raise AssertionError("StopIteration not raised")
    with raises(StopIteration):
        next(it)   # exhausted iterators stay exhausted


def test_yields_interleave_tasks():
    log = []

    async def worker(name, steps):
        for i in range(steps):
            log.append(f"{name}{i}")
            await Ready(None, yields=1)
        return name

    async def main():
        return await asyncio.gather(worker("a", 2), worker("b", 2))

    assert asyncio.run(main()) == ["a", "b"]
    assert log == ["a0", "b0", "a1", "b1"]


def test_arange_async_for():
    async def collect(*args):
        return [i async for i in ARange(*args)]

    assert asyncio.run(collect(0, 5)) == [0, 1, 2, 3, 4]
    assert asyncio.run(collect(10, 0, -3)) == [10, 7, 4, 1]
    assert asyncio.run(collect(3, 3)) == []


def test_arange_anext_builtin():
    async def main():
        ar = ARange(1, 3)
        assert ar.__aiter__() is ar
        first = await anext(ar)
        second = await ar.__anext__()
        third = await anext(ar, "end")
        try:
            await anext(ar)
        except StopAsyncIteration:
            stopped = True
        else:
            stopped = False
        return first, second, third, stopped

    assert asyncio.run(main()) == (1, 2, "end", True)


def test_arange_errors():
    with raises(ValueError, "must not be zero"):
        ARange(0, 5, 0)
    with raises(TypeError, "takes no keyword arguments"):
        ARange(0, stop=5)
    with raises(TypeError):
        ARange(0, "5")
    with raises(TypeError):
        iter(ARange(0, 1))   # async-only iterable


def test_result_of():
    assert awaitable.result_of(Ready("now")) == "now"

    class SubReady(Ready):
        pass

    sub = SubReady(5)
    assert asyncio.run(_await(sub)) == 5
    with raises(TypeError, "result_of() expected awaitable.Ready, not SubReady"):
        awaitable.result_of(sub)
    with raises(TypeError, "not int"):
        awaitable.result_of(3)


async def _await(obj):
    return await obj


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
