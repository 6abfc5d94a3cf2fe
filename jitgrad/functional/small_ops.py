"""Fast paths for 0-d tensors and small vectors in the ops scalar-heavy code
uses (optimisers, samplers, physics models): where, clamp with number
bounds, max / min of a small vector (with or without a dim), sum, mean and
logsumexp. Each computes its value from Python floats and appends exactly
the slots, index maps and records of the general path (`elementwise.where`
/ `_record_routes`, `arith._param_unary`, `reductions._extreme` /
`_max_min` / `_sum_scaled` / `logsumexp`), so backward, create_graph, compile replay and
tape files see the same tape; `tests/test_small_fast.py` compares the tape
bytes with the general path's.

Each function returns None when its fast path does not apply (the caller
takes the general path, which also raises torch's errors), and so while
jitgrad.compile records (guards and no-gradient records belong to the
general path), or when the tape is about to be full (the general path
opens a new tape in the middle of its records). `small.ENABLED = False`
turns these off too.
"""
import struct
from array import array as _array
from typing import Optional

import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from ..core import tape as T
from ..core import saved_nodes as SN
from ..core import torch_sum as _TS
from ..tensors import tensor as TT
from ..tensors.tensor import STATE, Tensor
from . import small

_F32, _F64, _BOOL, _I64 = D.float32, D.float64, D.bool_, D.int64
_new = object.__new__
_PACK = T.PACK
_GATHER, _SUM_IDX, _SUM = K.GATHER, K.SUM_IDX, K.SUM
_NEAR_FULL = T.FULL - 64    # past this, the general path (it may switch tapes between its records)
_EXACT_INT = 2 ** 53
_ZERO_IDX = (0).to_bytes(8, "little")
_PAIR = struct.Struct("2q").pack     # a SUM_IDX map: (scale slot, position)
SMALL_MAX = 8               # the largest vector max / min / mean take the paths below


def _compiling() -> bool:
    hook = TT._guard_hook
    return hook is not None and hook.recording()


def _tensor(v, arr, dt) -> Tensor:
    t = _new(Tensor)
    t._v = v
    t._arr = arr
    t.dtype = dt
    t._rg = False
    t._tape = None
    t._slot = -1
    t._name = None
    if TT._INFERENCE_ACTIVE[0] and STATE.ctx.inference:
        t._inf = True       # (an inference tensor: tensors/tensor._init)
    return t


def _open_tape():
    """The thread's open tape, or None when it is near full (general path)."""
    tape = STATE.ctx.tape()
    if tape is None:
        tape = T.current()
    return None if len(tape.vals) > _NEAR_FULL else tape


def _slot_of(tape, t: Tensor) -> int:
    return t._slot if t._tape is tape and not t._bulk else T.slot_of(tape, t)


def _finish(out: Tensor, tape, slot: int, name: str) -> Tensor:
    out._rg = True
    out._tape = tape
    out._slot = slot
    out._name = name
    return out


def _round32(v: float) -> float:
    return _array("f", (v,))[0]


# ----- where ------------------------------------------------------------------

def _where_side(x, dt):
    """(value rounded to dt, tensor or None, raw constant) of a where operand;
    None when the fast path does not apply."""
    if x.__class__ is Tensor:
        if x._v is None or x.dtype is not dt:
            return None
        return x._v, x, x._v
    if x.__class__ is float or x.__class__ is int and -_EXACT_INT <= x <= _EXACT_INT:
        v = float(x)
        if dt is _F32:
            r = _round32(v)
            if r != v and (r - r != 0) and (v - v == 0):
                return None     # a finite number that overflows float32: NumPy's warning (general path)
            v = r
        return v, None, float(x)
    return None


def where_scalars(condition, input, other) -> Optional[Tensor]:
    """where(cond, a, b) of a 0-d bool cond and 0-d float tensors of one
    dtype (or one such tensor and a Python number): the value picked, and
    _record_routes' records: the result's slot, then per operand that
    requires grad a one-element GATHER and a SUM_IDX placing it with scale
    1.0 (picked) or 0.0 (torch's zero gradient), per constant picked its
    value and a SUM_IDX."""
    if condition.__class__ is not Tensor or condition.dtype is not _BOOL or not small.ENABLED:
        return None
    c = condition._v
    if c is None:
        return None
    if input.__class__ is Tensor:
        dt = input.dtype
    elif other.__class__ is Tensor:
        dt = other.dtype
    else:
        return None
    if dt is not _F32 and dt is not _F64:
        return None
    a = _where_side(input, dt)
    b = _where_side(other, dt)
    if a is None or b is None:
        return None
    out = _tensor(a[0] if c else b[0], None, dt)
    ta, tb = a[1], b[1]
    rga = ta is not None and ta._rg
    rgb = tb is not None and tb._rg
    st = STATE.ctx
    if not ((rga or rgb) and st.grad_enabled):
        return out
    if _compiling():
        return None
    tape = st.tape()
    if tape is None:
        tape = T.current()
    vals, rec, meta = tape.vals, tape.rec, tape.meta
    slot = len(vals)
    if slot > _NEAR_FULL:
        return None
    vals.append(out._v)
    for side, picked, rg in ((a, c, rga), (b, not c, rgb)):
        if rg:
            src = side[1]
            s = src._slot if src._tape is tape and not src._bulk else T.slot_of(tape, src)
            g = len(vals)
            vals.append(side[0])
            off = len(meta)
            meta.frombytes(_ZERO_IDX)
            rec.frombytes(_PACK(_GATHER, g, 1, s, -1, 1, off))
            k = g + 1
            vals.append(1.0 if picked else 0.0)
        elif picked:
            g = len(vals)
            vals.append(side[2])
            k = g + 1
            vals.append(1.0)
        else:
            continue
        off = len(meta)
        meta.frombytes(_PAIR(k, 0))
        rec.frombytes(_PACK(_SUM_IDX, slot, 1, g, K.SUM_IDX_PLACE, 1, off))   # each position once, as _record_place
    out._rg = True
    out._tape = tape
    out._slot = slot
    out._name = "WhereBackward0"
    return out


# ----- clamp with number bounds --------------------------------------------------

_INF = float("inf")
_F32_MAX = 3.4028234663852886e38


def clamp_scalar(x, lo, hi, name: str, min_spec: tuple, max_spec: tuple) -> Optional[Tensor]:
    """clamp / clamp_min / clamp_max of a 0-d float tensor with Python number
    bounds: arith._param_unary's value and record for each bound (the
    clamp_min then the clamp_max row), renamed to `name`."""
    if not small.ENABLED or x.__class__ is not Tensor or lo is None and hi is None:
        return None
    v = x._v
    dt = x.dtype
    if v is None or (dt is not _F32 and dt is not _F64):
        return None
    for bound in (lo, hi):
        if bound is not None and not (bound.__class__ is float
                                      or bound.__class__ is int and -_EXACT_INT <= bound <= _EXACT_INT):
            return None
    steps = []                  # (op, bound, value) per bound, values first: a raise leaves nothing
    for bound, spec in ((lo, min_spec), (hi, max_spec)):
        if bound is not None:
            cb = float(bound)
            if dt is _F32:
                if cb != cb or abs(cb) == _INF or abs(cb) > _F32_MAX:
                    return None     # nan, inf or past float32's range: the general path (torch's error)
                cb = TT.round32(cb)     # (as _param_unary: the bound cast to float32 first)
            v = spec[2](v, cb)
            steps.append((spec[0], cb, v))
    out = _tensor(float(v), None, dt)
    if not (x._rg and STATE.ctx.grad_enabled):
        return out
    if _compiling():
        return None
    tape = _open_tape()
    if tape is None:
        return None
    a = _slot_of(tape, x)
    vals = tape.vals
    rec = tape.rec
    for op, cb, v in steps:
        ia = len(vals)
        vals.append(cb)
        vals.append(v)
        rec.frombytes(_PACK(op, ia + 1, 1, a, -1, 0, ia))
        a = ia + 1
    SN.note_args(tape, a, name, SN.clamp_args(name, lo, hi))     # (grad_fn._saved_min ...)
    return _finish(out, tape, a, name)


# ----- max / min of a small vector ------------------------------------------------

def _pick(xs: list, largest: bool):
    """(index of the first max (min) or NaN, whether it is the only such element)."""
    i = 0
    best = xs[0]
    if best != best:
        return 0, False not in [v == v for v in xs[1:]]
    for j, v in enumerate(xs):
        if v != v:
            return j, False not in [u == u for u in xs[j + 1:]]
        if (v > best) if largest else (v < best):
            best, i = v, j
    return i, sum(1 for v in xs if v == best) == 1


def _small_float(x) -> Optional[list]:
    """x's values as Python floats when x is a small float array not kept by
    reference; else None."""
    xa = x._arr
    if xa is None or not 0 < xa.size <= SMALL_MAX or x._bulk:
        return None
    dt = x.dtype
    if dt is not _F32 and dt is not _F64:
        return None
    return xa.ravel().tolist()


def _record_gather(x: Tensor, out: Tensor, i: int, n: int, name: str) -> Optional[Tensor]:
    """_gather_tensor(x, [i]): a one-element GATHER of x's element i."""
    tape = _open_tape()
    if tape is None:
        return None
    a = _slot_of(tape, x)
    vals = tape.vals
    slot = len(vals)
    vals.append(out._v if out._v is not None else out._arr.item())
    off = len(tape.meta)
    tape.meta.frombytes(i.to_bytes(8, "little", signed=True))
    tape.rec.frombytes(_PACK(_GATHER, slot, 1, a, -1, n, off))
    SN.note_saved_index(tape, slot, name)       # (max() / min(): torch saves the argument and result)
    SN.name_result(tape, slot, name)
    return _finish(out, tape, slot, name)


def extreme_all(x, largest: bool) -> Optional[Tensor]:
    """max() / min() of a small float tensor, every element: without ties the
    general path's gather of the extreme (MaxBackward1 / MinBackward1); ties
    (the gradient is split) and compile recording take the general path."""
    if not small.ENABLED or x.__class__ is not Tensor:
        return None
    xs = _small_float(x)
    if xs is None:
        return None
    i, alone = _pick(xs, largest)
    v = xs[i]
    rg = x._rg and STATE.ctx.grad_enabled
    if not alone and (rg or v == 0 or v != v):
        return None     # ties: split gradients, NumPy's choice among -0.0 / 0.0 and NaNs
    if v != v:
        return None     # NaN: NumPy's NaN, not necessarily the element's bits
    out = _tensor(v, None, x.dtype)
    if not rg:
        return out
    if _compiling():
        return None
    return _record_gather(x, out, i, len(xs), "MaxBackward1" if largest else "MinBackward1")


def extreme_dim(x, dim, keepdim, largest: bool) -> Optional[tuple]:
    """max(x, dim) / min(x, dim) of a small float vector: (values, indices),
    the first max (min) or NaN, gathered as _max_min gathers it."""
    if not small.ENABLED or x.__class__ is not Tensor or dim.__class__ is not int or dim not in (0, -1):
        return None
    if keepdim is not False and keepdim is not True:
        return None
    xa = x._arr
    if xa is None or xa.ndim != 1:
        return None
    xs = _small_float(x)
    if xs is None:
        return None
    rg = x._rg and STATE.ctx.grad_enabled
    if (x._rg and _compiling()):
        return None
    i = _pick(xs, largest)[0]
    v = xs[i]
    dt = x.dtype
    out = _tensor(None, None, dt)
    if keepdim:
        out._arr = xa[i:i + 1].copy()
    else:
        out._v = v
    ind = _tensor(None, None, _I64)
    if keepdim:
        ind._arr = _INDEX_ARRAYS[i].copy()
    else:
        ind._v = i
    if rg:
        out = _record_gather(x, out, i, len(xs), "MaxBackward0" if largest else "MinBackward0")
        if out is None:
            return None
    return out, ind


_INDEX_ARRAYS = [np.array([i], np.int64) for i in range(SMALL_MAX)]    # keepdim indices, copied


# ----- mean of a small vector -------------------------------------------------

def sum_vector(x) -> Optional[Tensor]:
    """x.sum() of a float vector of at most small.SEQUENTIAL_SUM_MAX
    elements: small.vector_sum's value and _record_sum's records."""
    if not small.ENABLED or x.__class__ is not Tensor:
        return None
    s = small.vector_sum(x)
    if s is None:
        return _sum_array(x)
    if x._arr.size >= STATE.ctx.bulk_min:
        return None
    return _record_sum(x, _tensor(s, None, x.dtype), 1.0, "SumBackward0")


SUM_ARRAY_MAX = 1 << 16     # the largest C-contiguous float array x.sum() takes _sum_array for (bulk_min first)


def _sum_array(x) -> Optional[Tensor]:
    """x.sum() of a C-contiguous float array of 2 to SUM_ARRAY_MAX elements:
    reductions._sum_scaled's value (torch_sum.sum_array) and _record_sum's
    records, without its dims and dtype handling (while compile records, and
    for strided arrays, whose order it guards: the general path)."""
    xa = x._arr
    dt = x.dtype
    if (xa is None or (dt is not _F32 and dt is not _F64) or x._bulk or not 1 < xa.size <= SUM_ARRAY_MAX
            or xa.size >= STATE.ctx.bulk_min or not xa.flags.c_contiguous or TT._guard_hook is not None):
        return None
    v = _TS.sum_array(xa)
    if dt is _F32:
        v = _round32(v)         # (np.float32 of the float32 sum: itself)
    return _record_sum(x, _tensor(v, None, dt), 1.0, "SumBackward0")


def mean_vector(x) -> Optional[Tensor]:
    """x.mean() of a float vector of at most small.SEQUENTIAL_SUM_MAX
    elements: torch's sum (small.vector_sum) divided by n in the dtype, and
    _record_sum's records (the scale constant 1 / n, the result, one SUM)."""
    if not small.ENABLED or x.__class__ is not Tensor:
        return None
    s = small.vector_sum(x)
    if s is None:
        return None
    n = x._arr.size
    if n >= STATE.ctx.bulk_min:
        return None     # (a bulk record)
    dt = x.dtype
    scale = 1.0 / n
    if dt is _F32:
        v = _round32(s / n)         # (torch divides the sum by n)
    else:
        v = s / n
    return _record_sum(x, _tensor(v, None, dt), scale, "MeanBackward0")


def _record_sum(x: Tensor, out: Tensor, scale: float, name: str) -> Optional[Tensor]:
    """reductions._record_sum of every element: the scale constant, the
    result, one SUM record."""
    if not (x._rg and STATE.ctx.grad_enabled):
        return out
    tape = _open_tape()
    if tape is None:
        return None
    a = _slot_of(tape, x)
    vals = tape.vals
    c = len(vals)
    vals.append(scale)
    slot = c + 1
    vals.append(out._v)
    tape.rec.frombytes(_PACK(_SUM, slot, 1, a, -1, x._arr.size, c))
    return _finish(out, tape, slot, name)


# ----- logsumexp of a small vector ---------------------------------------------

def logsumexp_kept(x, dims: tuple) -> Optional[Tensor]:
    """logsumexp(x, 0, keepdim=True) of a float vector of at most
    small.SEQUENTIAL_SUM_MAX elements, before the general path's reshape and
    rename: its values (small._softmax_floats: the shift, x - m, exp, the
    sum, its log) and records: SUB (x - m), EXP, SUM, LOG, ADD (+ m), the
    constant m pushed by each of SUB and ADD, as arith._record_binary pushes it.
    None for a max of 0 (detached_max's general path) and while compile records."""
    if not small.ENABLED or x.__class__ is not Tensor or dims != (0,):
        return None
    xa = x._arr
    dt = x.dtype
    if (xa is None or xa.ndim != 1 or not 0 < xa.size <= small.SEQUENTIAL_SUM_MAX
            or (dt is not _F32 and dt is not _F64) or x._bulk):
        return None
    n = xa.size
    st = STATE.ctx
    rg = x._rg and st.grad_enabled
    if x._rg and _compiling() or n >= st.bulk_min:
        return None
    f32 = dt is _F32
    floats = small._softmax_floats(xa.tolist(), f32, True)
    if floats is None:
        return None
    m, sub, e, s, lse, _ = floats
    v = lse + m
    if f32:
        v = _round32(v)
    out = _tensor(None, np.array((v,), dt.np), dt)
    if not rg:
        return out
    tape = _open_tape()
    if tape is None:
        return None
    a = _slot_of(tape, x)
    vals = tape.vals
    b = len(vals)                   # [m][x - m][exp][1.0][sum][log][m][result]
    p_sub = b + 1
    p_e = p_sub + n
    c = p_e + n
    p_s = c + 1
    p_l = p_s + 1
    p_m = p_l + 1
    slot = p_m + 1
    vals.append(m)
    vals.extend(sub)
    vals.extend(e)
    vals.append(1.0)
    vals.append(s)
    vals.append(lse)
    vals.append(m)
    vals.append(v)
    bc = 2 if n > 1 else 0         # the shift broadcast to n (arith._broadcast_slot's flag)
    rec = tape.rec
    rec.frombytes(_PACK(K.SUB, p_sub, n, a, b, bc | 4, -1))
    rec.frombytes(_PACK(K.EXP, p_e, n, p_sub, -1, 0, -1))
    rec.frombytes(_PACK(_SUM, p_s, 1, p_e, -1, n, c))
    rec.frombytes(_PACK(K.LOG, p_l, 1, p_s, -1, 0, -1))
    rec.frombytes(_PACK(K.ADD, slot, 1, p_l, p_m, 4, -1))
    return _finish(out, tape, slot, "AddBackward0")


# ----- amax / amin of a small vector ---------------------------------------------

def amax_vector(x, dim, keepdim, largest: bool) -> Optional[Tensor]:
    """amax(x) / amin(x) of a small finite float vector over its one dim,
    without ties and not 0 (torch's first of -0.0 / 0.0: the general path):
    the general path's records of sum(x * weights): a MUL by the constant
    one-hot weights (the pick's 1.0, 0.0 elsewhere), the scale constant,
    the extreme, one SUM."""
    if not small.ENABLED or x.__class__ is not Tensor or keepdim is not False:
        return None
    if not (dim.__class__ is int and (dim == 0 or dim == -1) or dim.__class__ is tuple and not dim):
        return None
    xa = x._arr
    if xa is None or xa.ndim != 1:
        return None
    xs = _small_float(x)
    if xs is None:
        return None
    for u in xs:
        if u - u != 0:
            return None     # inf or NaN: NumPy's NaN bits of inf * 0 (general path)
    i, alone = _pick(xs, largest)
    v = xs[i]
    if v == 0 or not alone:
        return None
    out = _tensor(v, None, x.dtype)
    st = STATE.ctx
    if not (x._rg and st.grad_enabled):
        return out
    n = len(xs)
    if _compiling() or n >= st.bulk_min:
        return None
    tape = _open_tape()
    if tape is None:
        return None
    a = _slot_of(tape, x)
    vals = tape.vals
    b = len(vals)
    weights = [0.0] * n
    weights[i] = 1.0
    vals.extend(weights)
    p = b + n
    vals.extend([u * w for u, w in zip(xs, weights)])      # (exact: x, or a zero with x's sign)
    c = p + n
    vals.append(1.0)
    slot = c + 1
    vals.append(v)
    rec = tape.rec
    rec.frombytes(_PACK(K.MUL, p, n, a, b, 4, -1))
    rec.frombytes(_PACK(_SUM, slot, 1, p, -1, n, c))
    SN.name_result(tape, slot, "AmaxBackward0" if largest else "AminBackward0")     # (torch saves the result)
    return _finish(out, tape, slot, "AmaxBackward0" if largest else "AminBackward0")
