"""Python float arguments as tape inputs (torch.compile's "automatic dynamic").

A compiled function first records a tape per value of a float argument
(exact, the value a constant of the tape). When a second call of the same
signature differs only in float arguments, the function is recorded once
more with those floats passed as 0-d float64 tensors (tape inputs, so every
Python read of them -- `float()`, `math.exp`, comparisons, f-strings -- goes
through the tensor hooks and becomes a guard). That generic tape is kept
only if, replayed at the first call's values, it gives bit for bit what the
first call's specialised tape gives (values, dtypes, shapes, structure, and
gradients for compiled gradients): a function that treats the number as a
number in a way a tensor can't copy (its type, NumPy scalars, float32
promotion of 0-d tensors) fails that check and keeps one tape per value.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes as D
from ..functional import functions as F
from ..tensors.tensor import Tensor
from .recording import _Static, _struct_key, _tensor_key

_F64 = D.float64
MAX_ATTEMPTS = 2        # failed validations before a family stays specialised


class Family:
    """What a compiled function knows about one family of signatures (equal
    but for the values of their float arguments)."""
    __slots__ = ("key", "values", "dynamic", "attempts", "failed", "reason")

    def __init__(self, key: tuple, values: list[float]) -> None:
        self.key = key                   # the last specialised signature with a replay tape
        self.values = values             # its float arguments, in argument order
        self.dynamic: frozenset[int] | None = None   # positions replayed as tape inputs
        self.attempts = 0
        self.failed = False
        self.reason = ""


class RngState:
    """jitgrad's default generator as it is now, to undo the draws of a
    generic recording that raised (its specialised recording draws them)."""

    def __init__(self) -> None:
        self.real = getattr(F.RNG.np, "_real", F.RNG.np)
        self.state = self.real.bit_generator.state

    def restore(self) -> None:
        self.real.bit_generator.state = self.state


def floats(struct: Any, out: list[float]) -> list[float]:
    """The float (exactly `float`, not a subclass or bool) arguments of an
    argument tree, in traversal order."""
    c = struct.__class__
    if c is _Static:
        if struct.value.__class__ is float:
            out.append(struct.value)
    elif c is not int:
        for item in struct[1]:
            floats(item[1] if struct[0] is dict else item, out)
    return out


def _replace(struct: Any, dynamic: frozenset[int] | None, n_leaves: int, counter: list[int]) -> Any:
    """struct with the float arguments at `dynamic` positions (all when None)
    turned into leaf indices n_leaves, n_leaves + 1, ..."""
    c = struct.__class__
    if c is _Static:
        if struct.value.__class__ is float:
            pos = counter[0]
            counter[0] += 1
            if dynamic is None or pos in dynamic:
                counter[1] += 1
                return n_leaves + counter[1] - 1
        return struct
    if c is int:
        return struct
    kind, items = struct
    if kind is dict:
        return (kind, tuple((k, _replace(v, dynamic, n_leaves, counter)) for k, v in items))
    return (kind, tuple(_replace(s, dynamic, n_leaves, counter) for s in items))


def _aliases(leaves: list) -> tuple:
    """Which tensor arguments are the same tensor (as recording._signature:
    such a call's tape has one slot for them)."""
    ids = [id(t) for t in leaves]
    if len(set(ids)) == len(ids):
        return ()
    first: dict = {}
    return (tuple(first.setdefault(i, k) for k, i in enumerate(ids)),)


def family_key(struct: Any, leaves: list) -> tuple:
    """The signature with every float argument's value left out."""
    g = _replace(struct, None, len(leaves), [0, 0])
    return ("family", _struct_key(g)) + tuple(_tensor_key(t) for t in leaves) + _aliases(leaves)


def generic(struct: Any, leaves: list, dynamic: frozenset[int],
            values: list[float]) -> tuple[tuple, Any, list]:
    """(key, argument tree, leaves) of a call whose floats at `dynamic`
    positions are 0-d float64 tensors holding `values` (all its floats)."""
    g = _replace(struct, dynamic, len(leaves), [0, 0])
    extra = [wrap(values[p]) for p in sorted(dynamic)]
    gleaves = list(leaves) + extra
    key = ("dynamic", _struct_key(g)) + tuple(_tensor_key(t) for t in gleaves) + _aliases(leaves)
    return key, g, gleaves


def positional_floats(struct: Any) -> tuple[int, ...] | None:
    """The positions of the float arguments of a call made only of
    positional tensors and floats (the form `fast_key` reads without
    flattening), or None for any other call."""
    (_, args), (_, kw) = struct[1]
    if kw:
        return None
    pos = []
    for i, a in enumerate(args):
        if a.__class__ is _Static:
            if a.value.__class__ is not float:
                return None
            pos.append(i)
        elif a.__class__ is not int:
            return None
    return tuple(pos)


def fast_key(args: tuple) -> tuple | None:
    """(lookup key, tensors, floats) of a call made only of positional
    tensors (no argument twice) and floats, else None."""
    tensors = []
    floats_ = []
    pos = []
    for i, a in enumerate(args):
        c = a.__class__
        if c is Tensor:
            tensors.append(a)
        elif c is float:
            floats_.append(a)
            pos.append(i)
        else:
            return None
    if len(tensors) > 1 and len(set(map(id, tensors))) != len(tensors):
        return None
    return (len(args), tuple(pos)) + tuple(_tensor_key(t) for t in tensors), tensors, floats_


def wrap(value: float) -> Tensor:
    """A float argument as the 0-d float64 tensor its generic tape reads."""
    return Tensor._wrap(np.array(value), _F64)


def same(a: Any, b: Any) -> bool:
    """Whether two results are bit for bit the same (tensors: class, dtype,
    shape, requires_grad, bytes; numbers: type and bits; containers: item by
    item)."""
    if a.__class__ is not b.__class__:
        return False
    if isinstance(a, Tensor):
        if a.dtype is not b.dtype or a.requires_grad != b.requires_grad or tuple(a.shape) != tuple(b.shape):
            return False
        return np.asarray(a._data()).tobytes() == np.asarray(b._data()).tobytes()
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float):
        return np.float64(a).tobytes() == np.float64(b).tobytes()
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    try:
        return bool(a == b)
    except Exception:
        return False


def validate(old: Any, new: Any, leaves: list, gleaves_old: list,
             probe: Callable[[Any, list], Any]) -> str:
    """'' if the generic tape `new`, replayed at the old call's float values
    (`gleaves_old`), gives what the specialised tape `old` gives for the same
    tensors (`leaves`); else why not."""
    if old.mode != "replay":
        return "the function runs eagerly"
    if new.mode != "replay":
        return "the function records eagerly with its float argument as a tensor"
    if new.draws or old.draws:
        return "the function draws random numbers (a check replay would draw them)"
    if (old.captured or old.world is not None) and not old.valid():
        return "the first tape is stale"
    ref = probe(old, leaves)
    if ref.__class__ is int:
        return "the first tape's guards flip for these tensors"
    got = probe(new, gleaves_old)
    if got.__class__ is int:
        return "a guard on the float argument (the function branches on its value)"
    if not same(ref, got):
        return "the results differ when the float is a tensor (its type or dtype matters to the function)"
    return ""
