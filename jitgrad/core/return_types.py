"""torch.return_types: a function with several results returns a tuple
subclass named after the function (`type(torch.linalg.lstsq(A, B)).__name__`
is 'linalg_lstsq', its module torch.return_types). jitgrad's result classes
(one per field layout) get one subclass per kind from here, so the names
users print read as torch's."""

from __future__ import annotations

MODULE = "jitgrad.return_types"
_SUBCLASSES: dict = {}


def named(base: type, kind: str) -> type:
    """base's subclass named kind (made once): instances are base's, the
    type's name and module are torch's."""
    if base.__module__ == MODULE:       # (already a named subclass)
        return base
    cls = _SUBCLASSES.get((base, kind))
    if cls is None:
        cls = type(kind, (base,), {"__module__": MODULE, "__qualname__": kind})
        _SUBCLASSES[(base, kind)] = cls
    return cls


def rename(kind: str):
    """Class decorator for a result class of one kind (aminmax, frexp)."""
    def apply(cls: type) -> type:
        cls.__name__ = cls.__qualname__ = kind
        cls.__module__ = MODULE
        return cls
    return apply
