"""Behaviour of cxxbox, identical before and after a port."""
import pytest

import cxxbox


def test_box_holds_its_value():
    box = cxxbox.Box(3)
    assert box.get() == 3
    assert repr(box) == "Box(3)"
    assert cxxbox.Box().get() == 0
    assert cxxbox.Box(value=7).get() == 7


def test_negative_value_raises_the_module_error():
    with pytest.raises(cxxbox.Error, match="must not be negative"):
        cxxbox.Box(-1)
    assert issubclass(cxxbox.Error, ValueError)


def test_take_and_its_error():
    box = cxxbox.Box(5)
    assert box.take(2) == 3
    with pytest.raises(cxxbox.Error, match="cannot take 4"):
        box.take(4)
    with pytest.raises(TypeError):
        box.take("x")


def test_subclass_defined_in_python():
    class Named(cxxbox.Box):
        pass

    box = Named(4)
    assert box.get() == 4 and box.take(1) == 3
    with pytest.raises(cxxbox.Error):
        Named(-2)
    assert cxxbox.total([box, cxxbox.Box(2)]) == 5


def test_total_checks_its_items():
    assert cxxbox.total([]) == 0
    assert cxxbox.total(cxxbox.Box(i) for i in range(4)) == 6
    with pytest.raises(TypeError, match="expects Box objects"):
        cxxbox.total([cxxbox.Box(1), 2])


def test_type_properties():
    assert cxxbox.Box.__name__ == "Box"
    assert cxxbox.Box.__module__ == "cxxbox"
    assert cxxbox.Box.__doc__.startswith("Box(value=0)")


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
