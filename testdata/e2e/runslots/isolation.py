"""Isolation of two runslots module objects made from the same .so.

Used by tests/e2e/isolation.py, which calls check_isolation(m1, m2) and
check_isolation(m2, m1): each module has its own types, and the bases set
at run time are its own (Sub) or the built-in ones (Error, Pair).
"""


def check_isolation(m1, m2):
    for name in ("Plain", "Sub", "Error", "Pair"):
        T1, T2 = getattr(m1, name), getattr(m2, name)
        assert T1 is not T2 and not issubclass(T1, T2), name
    assert m1.Sub.__base__ is m1.Plain and m1.Sub.__base__ is not m2.Plain
    assert m1.Error.__base__ is ValueError and m1.Pair.__base__ is tuple
    assert not isinstance(m1.Sub(), m2.Plain)
