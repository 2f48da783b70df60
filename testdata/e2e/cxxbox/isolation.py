"""cxxbox: two module objects have their own Box type and Error class."""


def check_isolation(m1, m2):
    # total() type-checks its items against its own module's Box.
    assert m1.total([m1.Box(2), m1.Box(3)]) == 5
    try:
        m1.total([m2.Box(1)])
    except TypeError:
        pass
    else:
        raise AssertionError("m1.total accepted an m2.Box")

    # tp_new and methods raise their own module's Error, also for subclasses.
    class Sub(m1.Box):
        pass

    for make in (lambda: m1.Box(-1), lambda: Sub(-1), lambda: m1.Box(1).take(5)):
        try:
            make()
        except m2.Error:
            raise AssertionError("an m1 error was m2's Error")
        except m1.Error:
            pass
        else:
            raise AssertionError("no error raised")

    # A method descriptor of m1.Box refuses an m2 instance.
    try:
        m1.Box.get(m2.Box(1))
    except TypeError:
        pass
    else:
        raise AssertionError("m1.Box.get accepted an m2.Box")
