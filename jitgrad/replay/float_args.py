"""Python float and int arguments as tape inputs (torch.compile's "automatic dynamic").

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

Int arguments (exactly `int`, not bool) take the same path, as 0-d float64
tensors: an int that only scales tensors (`x * n`, `x / n`) becomes a tape
input; one that sets a shape, a loop count, an index or a dim can't be a
float tensor (TypeError, a guard on its value, a different result), so the
check fails and the function's ints stay constants (`Family.ints_static`:
its floats then form families per int value, as without this). Ints past
`INT_EXACT` in magnitude always record by value (a float32 operand rounds
such an int differently from the float64 stand-in).
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from ..functional import functions as F
from ..tensors.tensor import Tensor
from .recording import _Static, _struct_key, _tensor_key

_F64 = D.float64
MAX_ATTEMPTS = 2        # failed validations before a family stays specialised
INT_EXACT = 2 ** 24     # ints up to this magnitude are exact in float32 and float64
FLOATS = (float,)
NUMBERS = (float, int)  # (classes compared with `is`: bool and subclasses stay constants)


class Family:
    """What a compiled function knows about one family of signatures (equal
    but for the values of their float arguments)."""
    __slots__ = ("key", "values", "dynamic", "attempts", "failed", "reason", "ints_static")

    def __init__(self, key: tuple, values: list[float]) -> None:
        self.key = key                   # the last specialised signature with a replay tape
        self.values = values             # its float arguments, in argument order
        self.dynamic: frozenset[int] | None = None   # positions replayed as tape inputs
        self.attempts = 0
        self.failed = False
        self.reason = ""
        self.ints_static = False         # ints failed as tape inputs: float-only families


class RngState:
    """jitgrad's default generator as it is now, to undo the draws of a
    generic recording that raised (its specialised recording draws them)."""

    def __init__(self) -> None:
        self.real = getattr(F.RNG.np, "_real", F.RNG.np)
        self.state = self.real.bit_generator.state

    def restore(self) -> None:
        self.real.bit_generator.state = self.state


def floats(struct: Any, out: list, kinds: tuple = FLOATS) -> list:
    """The number arguments of an argument tree whose class is one of
    `kinds` (exactly: not a subclass or bool), in traversal order."""
    c = struct.__class__
    if c is _Static:
        if struct.value.__class__ in kinds:
            out.append(struct.value)
    elif c is not int:
        for item in struct[1]:
            floats(item[1] if struct[0] is dict else item, out, kinds)
    return out


def has_ints(struct: Any) -> bool:
    """Whether an argument tree has int arguments (exactly `int`)."""
    return any(v.__class__ is int for v in floats(struct, [], NUMBERS))


def exact(values: list, dynamic: frozenset[int]) -> bool:
    """Whether the ints at `dynamic` positions are exact as float64 and
    float32 stand-ins (else the call records by value)."""
    return all(values[p].__class__ is not int or -INT_EXACT <= values[p] <= INT_EXACT for p in dynamic)


def _replace(struct: Any, dynamic: frozenset[int] | None, n_leaves: int, counter: list[int],
             kinds: tuple = FLOATS) -> Any:
    """struct with the number arguments (classes `kinds`) at `dynamic`
    positions (all when None) turned into leaf indices n_leaves, n_leaves + 1, ..."""
    c = struct.__class__
    if c is _Static:
        if struct.value.__class__ in kinds:
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
        return (kind, tuple((k, _replace(v, dynamic, n_leaves, counter, kinds)) for k, v in items))
    return (kind, tuple(_replace(s, dynamic, n_leaves, counter, kinds) for s in items))


def _aliases(leaves: list) -> tuple:
    """Which tensor arguments are the same tensor (as recording._signature:
    such a call's tape has one slot for them)."""
    ids = [id(t) for t in leaves]
    if len(set(ids)) == len(ids):
        return ()
    first: dict = {}
    return (tuple(first.setdefault(i, k) for k, i in enumerate(ids)),)


def family_key(struct: Any, leaves: list, kinds: tuple = FLOATS) -> tuple:
    """The signature with the values of its number arguments (classes
    `kinds`) left out (their classes kept: a float and an int argument are
    different families)."""
    g = _replace(struct, None, len(leaves), [0, 0], kinds)
    types = tuple(v.__class__ for v in floats(struct, [], kinds))
    return ("family", kinds, _struct_key(g), types) + tuple(_tensor_key(t) for t in leaves) + _aliases(leaves)


def generic(struct: Any, leaves: list, dynamic: frozenset[int],
            values: list, kinds: tuple = FLOATS) -> tuple[tuple, Any, list]:
    """(key, argument tree, leaves) of a call whose numbers (classes `kinds`)
    at `dynamic` positions are 0-d float64 tensors holding `values` (all its
    numbers of those classes)."""
    g = _replace(struct, dynamic, len(leaves), [0, 0], kinds)
    order = sorted(dynamic)
    extra = [wrap(values[p]) for p in order]
    gleaves = list(leaves) + extra
    types = tuple(values[p].__class__ for p in order)
    key = ("dynamic", _struct_key(g), types) + tuple(_tensor_key(t) for t in gleaves) + _aliases(leaves)
    return key, g, gleaves


def positional_floats(struct: Any, kinds: tuple = FLOATS) -> tuple[int, ...] | None:
    """The positions of the number arguments (classes `kinds`) of a call
    made only of positional tensors and such numbers (the form `fast_key`
    reads without flattening), or None for any other call."""
    (_, args), (_, kw) = struct[1]
    if kw:
        return None
    pos = []
    for i, a in enumerate(args):
        if a.__class__ is _Static:
            if a.value.__class__ not in kinds:
                return None
            pos.append(i)
        elif a.__class__ is not int:
            return None
    return tuple(pos)


def fast_key(args: tuple) -> tuple | None:
    """(lookup key, tensors, numbers) of a call made only of positional
    tensors (no argument twice), floats and ints up to INT_EXACT, else None."""
    tensors = []
    floats_ = []
    pos: list = []
    for i, a in enumerate(args):
        c = a.__class__
        if c is Tensor:
            tensors.append(a)
        elif c is float:
            floats_.append(a)
            pos.append(i)
        elif c is int and -INT_EXACT <= a <= INT_EXACT:
            floats_.append(a)
            pos.append((i, int))
        else:
            return None
    if len(tensors) > 1 and len(set(map(id, tensors))) != len(tensors):
        return None
    return (len(args), tuple(pos)) + tuple(_tensor_key(t) for t in tensors), tensors, floats_


def wrap(value: float) -> Tensor:
    """A float (or int) argument as the 0-d float64 tensor its generic tape
    reads (marked: `pow_guards` knows it for a number)."""
    t = Tensor._wrap(np.array(float(value)), _F64)
    t._number_arg = True
    return t


def is_number(t: Tensor) -> bool:
    """Whether t is a number argument's stand-in (`wrap`)."""
    return t.__dict__.get("_number_arg", False)


def _number_only(rec: np.ndarray, meta: np.ndarray, S: int, slots: list[int], others: list[tuple[int, int]],
                 host_n: np.ndarray) -> np.ndarray:
    """Per slot: whether it depends on number stand-ins (`slots`) and on no
    other input (`others`: (slot, n))."""
    num = np.zeros(S, np.uint8)
    num[np.asarray(slots, np.int64)] = 1
    other = np.zeros(S, np.uint8)
    for slot, n in others:
        other[slot:slot + max(n, 1)] = 1
    if len(rec):
        K.dependence(rec, meta, num, host_n)
        K.dependence(rec, meta, other, host_n)
    return (num != 0) & (other == 0)


def promotion(rec: np.ndarray, meta: np.ndarray, sdt: np.ndarray, slots: list[int],
              others: list[tuple[int, int]], host_n: np.ndarray) -> str:
    """Why a generic recording's dtypes are not its numbers' ('' if they
    are): a value computed from number arguments alone is a Python number
    in eager mode, which never promotes a tensor, but a 0-d float64 tensor
    here: with a 0-d float32 tensor or an int/bool result it computes in
    float64 (`sdt`: build's per-slot dtypes after classify, 1 float64, 2
    float32), rounding differently even where the final dtype agrees."""
    if not slots or not len(rec):
        return ""
    only = _number_only(rec, meta, sdt.size, slots, others, host_n)
    intlike = np.zeros(sdt.size, bool)
    for r in np.nonzero((rec[:, 0] >= K.NONDIFF_BASE) & (rec[:, 0] < K.N_ELEMENTWISE)
                        & (rec[:, 0] != K.TO_FLOAT32) & (rec[:, 0] != K.TO_FLOAT64))[0]:
        intlike[rec[r, K.REC_OUT]:rec[r, K.REC_OUT] + rec[r, K.REC_N]] = True
    for r in np.nonzero((rec[:, 0] < K.NONDIFF_BASE) & (rec[:, 4] >= 0))[0]:
        op, out, n, a, b, m = (int(v) for v in rec[r, :6])
        if sdt[out] != 1 or (op == K.POW and m & K.POW_NUMBER):
            continue
        for x, y in ((a, b), (b, a)):
            if only[x] and not only[y] and (sdt[y] == 2 or intlike[y]):
                return ("a value of number arguments met a float32 0-d tensor or an integer tensor (a number "
                        "would not promote it to float64)")
    return ""


def pow_guards(recording: Any, tape: Any, slots: list[int]) -> None:
    """Guards on the exponent and base of every pow of a generic recording
    that reads a number argument (`slots`: the stand-ins' input slots):
    x ** 3 of a Python number is torch's pow(Tensor, Scalar) (its forms:
    x * x * x), not pow() by a tensor 3.0, so the generic tape of x ** n is
    right only at the recorded value (a replay at another value flips the
    guard; validation then keeps the number a constant)."""
    nrec = len(tape.rec) // K.REC_WIDTH
    if not slots or not nrec:
        return
    rec = np.array(tape.rec, np.int64).reshape(-1, K.REC_WIDTH)
    pows = np.nonzero(rec[:, 0] == K.POW)[0]
    if not pows.size:
        return
    dep = np.zeros(len(tape.vals), np.uint8)
    dep[np.asarray(slots, np.int64)] = 1
    host_n = np.zeros((nrec, 2), np.int64)
    for r, h in tape.host.items():
        if hasattr(h, "ashape"):
            host_n[r] = math.prod(h.ashape), math.prod(h.bshape)
    K.dependence(rec, np.array(tape.meta if len(tape.meta) else [0], np.int64), dep, host_n)
    read = []
    for r in pows:
        op, out, n, a, b, m, ia = (int(v) for v in rec[r])
        for slot, one in ((a, m & 1 or n == 1), (b, m & 2 or n == 1)):
            if one and slot >= 0 and dep[slot]:
                read.append(slot)
    if read:
        recording.number_guards(np.unique(np.asarray(read, np.int64)), np.array(tape.vals, np.float64))


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
