"""Isolation of two typeforms module objects made from the same .so.

Used by tests/e2e/isolation.py, which calls check_isolation(m1, m2) and
check_isolation(m2, m1). The module's C code makes no instances itself, so
this checks that each module has its own types, built-in bases included.
"""


def check_isolation(m1, m2):
    for name in ("Amp", "Sealed", "Words", "Stack", "Node", "Leaf", "Token"):
        T1, T2 = getattr(m1, name), getattr(m2, name)
        assert T1 is not T2 and not issubclass(T1, T2), name
    assert m1.Words.__base__ is str and m1.Stack.__base__ is list
    assert m1.Leaf.__base__ is m1.Node and m1.Leaf.__base__ is not m2.Node
    leaf = m1.Leaf()
    assert isinstance(leaf, m1.Node) and not isinstance(leaf, m2.Node)
    assert not isinstance(m2.Words("a"), m1.Words)
