"""Helpers the API-function modules share: argument checks, dtype conversion,
recording helpers for gathers and index-adds, builtins these modules shadow."""

import weakref

import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from ..core import layouts as LY
from ..core import tape as T
from ..core import saved_nodes as SN
from ..tensors.tensor import (COMPOSITE_EDGES, name_node,  # noqa: F401 (COMPOSITE_EDGES: read by autograd.graph)
                               _guard_read, STATE, Tensor, _array_out, _dim, _scalar_out, round32)
from ..tensors.arith import (_finish, _push_out, _record_unary_like)
from ..tensors import tracked as TR
from ..tensors.construct import (tensor)
from ..autodiff.engine import ANOMALY, check_anomaly  # noqa: F401  (check_anomaly: used by the layers above)
from ..autodiff.matmul import MatmulBackward, matmul_grads, sum_to_tensor as _sum_to_tensor  # noqa: F401


"""Tensor functions beyond elementwise arithmetic: reductions, shapes,
joining, matmul, creation. Each records primitives from kernels.py; the
ones built from other functions (mean of a dim, norms with p != 2) need no
derivative code of their own.
"""


def _grad_on(*ts):
    # builtins_any: this module's `any` is torch.any.
    return STATE.grad_enabled and builtins_any(isinstance(t, Tensor) and t._rg for t in ts)


def _new_scalar(v, dt):
    return _scalar_out(round32(v) if dt is D.float32 else v, dt)


def _as_tensor(x):
    if isinstance(x, Tensor):
        return x
    return tensor(x)


def _tensors_only(fn, input, other):
    """torch's TypeError for functions that take no Python numbers."""
    for pos, (arg, v) in enumerate((("input", input), ("other", other)), 1):
        if not isinstance(v, Tensor):
            raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be Tensor, not {type(v).__name__}")


def _index_add(g, idx, n, write=False):
    """A flat tensor of n elements with out[idx[i]] += g.flatten()[i] (the
    transpose of _gather_tensor): one SUM_IDX record. `write`: idx has no
    repeats and g's values are copied (diag: torch writes, -0.0 stays)."""
    val = np.zeros(n, g.dtype.np)
    if write:
        val[idx] = g._data().ravel()
    else:
        np.add.at(val, idx, g._data().ravel())
    out = _array_out(val, g.dtype)
    if g._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, g)
        scale = len(tape.vals)
        tape.vals.append(1.0)
        slot = _push_out(tape, out)
        off = T.push_meta(tape, np.concatenate(([scale], idx)))
        T.record(tape, K.SUM_IDX, slot, n, a, -1, idx.size, off)
        _finish(out, tape, slot, "IndexAddBackward0")
    return out


def _gather_tensor(x, idx, shape=None, summed=False):
    """x.flatten()[idx] (reshaped to `shape`) as a recorded tensor. `summed`:
    torch's backward is an accumulation into zeros (gather, take, cummax),
    whose -0.0 gradients arrive as +0.0 (K.GATHER_SUM)."""
    idx = np.asarray(idx, np.int64)
    val = x._data().ravel()[idx]
    if shape is not None:
        val = val.reshape(shape)
    out = _array_out(np.array(val), x.dtype)
    if x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        slot = _push_out(tape, out)
        off = T.push_meta(tape, idx)
        T.record(tape, K.GATHER, slot, idx.size, a, K.GATHER_SUM if summed else -1, x.numel(), off)
        _finish(out, tape, slot, "IndexBackward0")
    return out

# ----- reductions ----------------------------------------------------------


def _dims(dim, ndim):
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)) or (isinstance(dim, Tensor) and dim.ndim == 0):
        dim = (dim,)        # (one dim: an int, a numpy integer, a 0-d tensor, as torch's int[1] takes)
    # (a tensor's or numpy integer's dim as an int; a float stays, to fail as before)
    out = tuple(_dim(int(d) if isinstance(d, (np.integer, Tensor)) else d, ndim) for d in dim)
    if len(set(out)) != len(out):
        raise RuntimeError(f"dim {out[0]} appears multiple times in the list of dims")
    return out


class Between(tuple):
    """(name, edges) of a node torch has where the composite recorded none
    (the TBackward0 of linear's weight.t(), its AddmmBackward0 of a 1-d input)."""

    def __new__(cls, name, edges):
        return tuple.__new__(cls, (name, edges))


def _edge(x):
    """How graph introspection finds x's node later: None (no gradient), a
    leaf's weakref (a leaf caches its tape: a strong reference here would
    keep the tape alive), (weakref of x's tape, slot, size) of a result, or
    Between(name, edges) for a node torch has between (weight.t() of linear),
    written (name, x, ...)."""
    if x.__class__ is tuple:
        return Between(x[0], tuple(_edge(e) for e in x[1:]))
    if not isinstance(x, Tensor) or not x._rg:
        return None
    if x._name is None:
        return weakref.ref(x)
    return (weakref.ref(x._tape), x._slot, x.numel())


def _c_order(t):
    """t with its values C-contiguous (in place: a fresh result, no views of
    it yet): torch's kernels that write a new contiguous tensor whatever the
    input's layout (scans, gathers, normalizations), where NumPy's result
    keeps a transposed input's layout (its stride() and view() would differ)."""
    arr = t._arr
    if arr is not None and not t._bulk and not LY.plain(arr):
        t._arr = LY.c_order(arr)
    return t


def _laid_like(t, *arrays):
    """t with torch's layout of an elementwise result of `arrays` (in place: a
    fresh result, no views of it yet): sort's results are laid out as
    empty_like(input), a permuted input's layout kept, where the gathers
    that compute them write C order."""
    if t.__class__ is not Tensor:
        return t        # (compile's tracked index: its reads are guards)
    arr = t._arr
    if arr is not None and not t._bulk:
        t._arr = LY.follow(arr, *arrays)
    return t


def _named(t, name, *inputs, saved=None):
    """Give a composite's result the backward name torch prints (also where
    graph introspection reaches it from a later node) and, when the
    composite's tensor arguments are given, torch's next functions; `saved`:
    the arguments torch's node saves (grad_fn._saved_dim..., SN.note_args)."""
    if t._rg and t._name is not None:
        t._name = name
        if saved is not None:
            SN.note_args(t._tape, t._slot, name, saved)
        name_node(t._tape, t._slot, name, tuple(_edge(x) for x in inputs) if inputs else None)
        if name in SN.SAVES_INDEX_NAMES:
            SN.note_saved_index(t._tape, t._slot, name)
        elif name in SN.SAVES_NOTHING_NAMES:
            SN.note_saves_nothing(t._tape, t._slot)
        if name in SN.SAVES_RESULT_NAMES or t._tape.saves_result:
            SN.name_result(t._tape, t._slot, name)
    return t


def _saved_args(t, name, **args):
    """t, whose node `name` saved `args` (grad_fn._saved_dim...: SN.note_args)."""
    if t._rg and t._name == name and t._tape is not None:
        SN.note_args(t._tape, t._slot, name, args)
    return t


def _saved_operand(t, i):
    """A node's saved tensor argument that is its i-th input: read back from the
    graph when it requires grad (SN.Input: the tape holds no tensor that holds
    the tape), else the tensor itself (a bound, an index, a target); None stays."""
    if isinstance(t, Tensor) and t._rg:
        ref = SN.Input(i)
        ref.like = (tuple(t.shape), t.dtype)       # (read back from its slots if the tensor is gone)
        return ref
    return t


# ----- dtype conversion ------------------------------------------------------


def _to_dtype(x, dt):
    if dt is x.dtype:
        return x
    if (x.__class__ is TR.Tracked or not dt.is_floating_point) and TR.recording(x):
        out = _cast_recorded(x, dt)     # compile: a cast without gradient, recorded
        if out is not None:
            return out
    if not dt.is_floating_point:
        _guard_read(x, "truth" if dt is D.bool_ else "int")    # compile: trunc(x) / x != 0 are guards
    val = D.astype(x._data(), dt)
    if x.__class__ is Tensor and x._arr is not None and x._arr.ndim > 1 and (1 in x._arr.shape or not LY.plain(x._arr)):
        val = LY.like(val, x._arr, x.stride())       # (torch's _to_copy: empty_like's layout)
    out = _array_out(val, dt)
    if x._rg and STATE.grad_enabled and dt.is_floating_point:
        _record_unary_like(K.COPY, x, out, "ToCopyBackward0")
        _named(out, "ToCopyBackward0")      # (a COPY record is ViewBackward0 otherwise)
    return out


def _cast_recorded(x, dt):
    code = TR.cast_codes(dt)
    p = TR.plain(x)
    if code < 0 or (x.dtype.is_floating_point and dt is D.int64 and not TR.int64_range_guards(p)):
        return None
    return TR.record(code, _array_out(p._data().astype(dt.np), dt), p)


import builtins as _b  # noqa: E402  (the names above shadow the builtins)
builtins_min, builtins_max, builtins_sum, builtins_any, builtins_all = _b.min, _b.max, _b.sum, _b.any, _b.all
