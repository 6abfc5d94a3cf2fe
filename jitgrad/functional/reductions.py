"""Reductions: sum, mean, prod, norms, cumulative ops, all/any, the
finiteness tests (max/min and their indices: extremes.py; norms: norms.py; the softmax
family: softmax_family.py)."""
import builtins
import math
import weakref

import numpy as np

from ..core import dtypes as D
from ..core.arrays import quiet
from ..core import kernels as K
from ..core import tape as T
from ..core import saved_nodes as SN
from ..core import torch_sum as TS
from ..tensors.tensor import (_guard_finite, _guard_read, _guard_recording, _guard_taint, STATE, Tensor,
                              _array_out, _dim, _scalar_out)
from ..tensors.arith import (_finish, _push_out)
from ..tensors import tracked as TR
from ..autodiff.engine import ANOMALY, check_anomaly  # noqa: F401  (check_anomaly: used by the layers above)
from ..autodiff.bulk import record_sum
from .half_via_float32 import via_float32
from ..autodiff.matmul import MatmulBackward, matmul_grads, sum_to_tensor as _sum_to_tensor  # noqa: F401

from .base import (_as_tensor, _c_order, _dims, _gather_tensor, _named, _new_scalar, _to_dtype, builtins_any)
from .creation import (ones)
from .shapes import (cat, narrow, select, stack, unbind, unsqueeze)
from . import small
from . import small_ops
from . import cumprod_record as CR


def mvlgamma(input, p):
    """Multivariate log-gamma of dimension p: sum_i lgamma(x - i/2) + const."""
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    x = _as_tensor(input)
    if not x.dtype.is_floating_point:
        raise RuntimeError("mvlgamma is not implemented for integral types")
    if bool((x._data() <= (p - 1) / 2).any()):
        raise RuntimeError("All elements must be greater than (p-1)/2")
    const = p * (p - 1) / 4 * math.log(math.pi)
    terms = stack([(x - i / 2).lgamma() for i in range(p)]).sum(0) + const
    return _named(terms, "MvlgammaBackward0")


def _reduce_dims(dim, ndim):
    """The dims a reduction reduces: all for None or (), none of a 0-d tensor
    (which accepts dim 0 and -1), as in torch."""
    if dim is None or (isinstance(dim, (tuple, list)) and not dim):
        return tuple(range(ndim))
    dims = _dims(dim, ndim)
    return dims if ndim else ()


def _reduce_index(shape, dims):
    """For each input element, the flat index of the output element it reduces into."""
    kept = [1 if i in dims else s for i, s in enumerate(shape)]
    outn = math.prod(kept)
    return np.broadcast_to(np.arange(outn).reshape(kept), shape).ravel()


def _sum_dtype(x, dtype):
    if dtype is not None:
        return dtype
    return x.dtype if x.dtype.is_floating_point else D.int64


# tape -> {result slot: (dim as given, keepdim)} of sums / means over dims: torch's
# SumBackward1 / MeanBackward1 save them (grad_fn._saved_dim, _saved_keepdim)
REDUCE_ARGS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _note_dims(out, dim, keepdim):
    if out._rg and out._tape is not None and dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        # (torch prints the int64s it saved as uint64: -1 is 2**64 - 1)
        REDUCE_ARGS.setdefault(out._tape, {})[out._slot] = (tuple(d % 2 ** 64 for d in dims), bool(keepdim))
    return out


def sum(input, dim=None, keepdim=False, *, dtype=None, axis=None):
    if dim is None and dtype is None and axis is None and input.__class__ is Tensor:
        out = small_ops.sum_vector(input)       # (value and record straight to the tape)
        if out is not None:
            return out
        v = small.vector_sum(input)     # a handful of floats: summed in Python, as NumPy sums them
        if v is not None:
            out = _scalar_out(v, input.dtype)
            if input._rg and STATE.grad_enabled:
                _record_sum(input, out, (0,), 1.0, "SumBackward0")
            return out
    x = _as_tensor(input)
    dim = axis if axis is not None else dim      # NumPy's name, accepted by torch
    return _note_dims(_sum_scaled(x, dim, keepdim, _sum_dtype(x, dtype), 1.0,
                                  "SumBackward0" if dim is None else "SumBackward1"), dim, keepdim)


def mean(input, dim=None, keepdim=False, *, dtype=None, axis=None):
    if dim is None and dtype is None and axis is None:
        out = small_ops.mean_vector(input)      # (a handful of floats)
        if out is not None:
            return out
    dim = axis if axis is not None else dim
    x = _as_tensor(input)
    dt = dtype or x.dtype
    if not dt.is_floating_point:
        which = "Optional" if dtype else "Input"
        raise RuntimeError(f"mean(): could not infer output dtype. {which} dtype must be either a floating "
                           f"point or complex dtype. Got: {D.TORCH_NAMES[dt.name]}")
    count = math.prod(x.shape[d] for d in _reduce_dims(dim, x.ndim))
    return _note_dims(_sum_scaled(x, dim, keepdim, dt, 1.0 / count if count else math.nan,
                                  "MeanBackward0" if dim is None else "MeanBackward1"), dim, keepdim)


def _sum_scaled(x, dim, keepdim, dt, scale, name):
    """scale * sum(x over dim), in dtype dt."""
    dims = _reduce_dims(dim, x.ndim)
    target = None
    if dt.is_floating_point and x.dtype is not dt and x.dtype.is_floating_point:
        # torch casts first, then sums in dt in its order; a recorded cast also tells the replay
        # that the SUM reads dt slots (a SUM of float32 slots rounded its float64 mean, and what
        # followed it, to float32; 0-d too)
        x = x.to(dt)
    if x._v is not None or not dt.is_floating_point:
        pass
    elif x._arr.size > 1 and not x._arr.flags.c_contiguous and _guard_recording(x):
        shape = x._arr.shape
        x, gathered_dims = _strided_for_replay(x, dims)
        if gathered_dims is not dims:
            # (x's elements in memory order, one 1-D sum: the result takes the shape eager's has)
            target = tuple(1 if d in dims else n for d, n in enumerate(shape)) if keepdim else \
                tuple(n for d, n in enumerate(shape) if d not in dims)
            dims, keepdim = gathered_dims, False
    if x._v is not None:        # 0-d: no NumPy on the scalar path
        v = x._v * scale if scale != 1.0 else x._v
        # + 0.0: torch's sums start from +0.0, so a sum of -0.0 is +0.0.
        out = _new_scalar(float(v) + 0.0, dt) if dt.is_floating_point else _scalar_out(int(v), dt)
    elif dt.is_floating_point:
        # (float16: torch accumulates in float32, divides a mean there, and rounds once)
        arr, acc = (x._arr.astype(np.float32), np.float32) if x._arr.dtype == np.float16 else (x._arr, dt.np.type)
        if len(dims) == x.ndim and arr.dtype == acc and acc in (np.float32, np.float64):
            val = acc(TS.sum_array(arr))      # torch's summation order (core/torch_sum.py)
            if keepdim:
                val = np.full((1,) * x.ndim, val)
        elif arr.dtype == acc and acc in (np.float32, np.float64):
            val = TS.sum_dims(arr, dims, keepdim)    # torch's order over dims too
        else:
            val = arr.sum(axis=dims, keepdims=keepdim, dtype=acc) + 0.0
        if name.startswith("Mean") and scale == scale:    # torch divides the sum by n
            # (the replay knows a SUM record with a scale as such a mean: FM_DIV)
            with quiet():
                val = val / acc(math.prod(x.shape[d] for d in dims))
        elif scale != 1.0:
            val = val * acc(scale)
        out = _array_out(np.asarray(val, dt.np), dt)
    else:
        out = _array_out(np.asarray(x._arr.sum(axis=dims, keepdims=keepdim, dtype=dt.np)), dt)
    if target is not None and target != ():
        out = _array_out(np.asarray(out._data()).reshape(target), dt)     # (one element either way)
    if x._rg and STATE.grad_enabled and dt.is_floating_point:
        _record_sum(x, out, dims, scale, name)
    return out


def _strided_for_replay(x, dims):
    """compile: torch sums a strided tensor in its memory order (TensorIterator's),
    the replay's SUM / SUM_IDX records read the slots in C order. One sum:
    x's elements gathered in memory order (a recorded gather), whose C-order
    sum is eager's; several, where the strides change torch's loops: the
    signature runs eagerly. Returns (x, dims) to sum."""
    arr = x._arr
    if math.prod(n for d, n in enumerate(arr.shape) if d not in dims) == 1:
        # memory order: by offset (ravel(order="K") flips negative strides; stride-0 repeats are equal)
        offsets = np.zeros(arr.shape, np.int64)
        for d, st in enumerate(arr.strides):
            offsets = offsets + (np.arange(arr.shape[d], dtype=np.int64) * st).reshape(
                (-1,) + (1,) * (arr.ndim - d - 1))
        order = np.argsort(offsets.ravel(), kind="stable")
        if (order != np.arange(order.size)).any():
            return _gather_tensor(x, order), (0,)
        return x, dims
    item = arr.itemsize
    if builtins_any(st < 0 or st % item for st in arr.strides):
        return x, dims      # (sum_dims sums a C-order copy, as the replay)
    strided = TS._iterator(arr.shape, [st // item for st in arr.strides], dims)
    contiguous = TS._iterator(arr.shape, [st // item for st in np.empty(arr.shape, arr.dtype).strides], dims)
    if builtins_any(not np.array_equal(p, q) for p, q in zip(strided, contiguous)):
        _guard_taint("a sum over dims of a strided tensor (torch's order follows the strides)", x)
    return x, dims


def _record_sum(x, out, dims, scale, name):
    """Record out = scale * sum(x over dims); `out` already holds its value."""
    if x.numel() >= STATE.bulk_min:
        return record_sum(x, out, dims, scale, name)
    if x.numel() == out.numel() and _guard_recording(x):
        # compile: a sum of one element per output is x + 0.0 (-0.0 to +0.0), which the replay
        # tells from a copy only by a -0.0 seen while recording: zeros eager, others guarded.
        if (x._data() == 0).any():
            _guard_taint("a sum over dims of size 1 of a zero", x)
        _guard_read(x, "truth")
    if len(dims) == x.ndim > 1 and x._arr is not None and not x._arr.flags.c_contiguous and _guard_recording(x):
        # compile: eager mode sums in memory order (torch_sum.sum_array), a SUM record its slots (C
        # order): a transposed view's sum differed by an ulp. The slots in memory order first.
        perm = _memory_order(x._arr)
        if perm is None:
            _guard_taint("a sum of an array in an unusual memory layout", x)
        elif (perm != np.arange(perm.size)).any():
            x = _gather_tensor(x, perm)
    tape = T.current()
    a = T.slot_of(tape, x)
    c = len(tape.vals)
    tape.vals.append(scale)
    slot = _push_out(tape, out)
    if len(dims) == x.ndim:
        T.record(tape, K.SUM, slot, 1, a, -1, x.numel(), c)
    else:
        off = T.push_meta(tape, np.concatenate(([c], _reduce_index(x.shape, dims))))
        T.record(tape, K.SUM_IDX, slot, out.numel(), a, -1, x.numel(), off)
    _finish(out, tape, slot, name)


def _memory_order(arr):
    """The C-order positions of arr's elements in the order ravel(order="K")
    reads them (sum_array's), or None where that is no ascending walk of
    their addresses: a probe of the same strides holding each element's address."""
    item = arr.itemsize
    if builtins.any(s % item for s in arr.strides):
        return None
    st = [s // item for s in arr.strides]
    lo = builtins.sum(builtins.min(0, (n - 1) * s) for n, s in zip(arr.shape, st))
    hi = builtins.sum(builtins.max(0, (n - 1) * s) for n, s in zip(arr.shape, st))
    probe = np.lib.stride_tricks.as_strided(np.arange(lo, hi + 1, dtype=np.int64)[-lo:], arr.shape,
                                            [s * 8 for s in st])
    c = probe.reshape(-1)
    perm = np.argsort(c, kind="stable")
    return perm if np.array_equal(c[perm], probe.ravel(order="K")) else None


def prod(input, dim=None, keepdim=False, *, dtype=None):
    x = _to_dtype(_as_tensor(input), _sum_dtype(input, dtype))
    if dim is None:
        return _prod_all(x)
    d = _dim(dim, x.ndim)
    if x.ndim == 0:
        return _named(_prod_all(x), "ProdBackward1", x, saved=_prod_args(dim, keepdim))
    n = x.shape[d]
    if n == 0:      # the empty product
        return _named(sum(x, d, keepdim) + 1, "ProdBackward1", x, saved=_prod_args(dim, keepdim))
    if n <= _PROD_CHAIN_MAX:
        # x_0 * x_1 * ... left to right: each factor's gradient is g times the
        # product of the others with no sums on the way, so its zeros carry
        # torch's signs (a -0.0 factor, two zeros, a -0.0 upstream).
        # (unbind: one gather that reads each element once, so assigns its gradient)
        parts = unbind(x, d)
        out = parts[0] * 1
        for part in parts[1:]:
            out = out * part
        return _named(unsqueeze(out, d) if keepdim else out, "ProdBackward1", x, saved=_prod_args(dim, keepdim))
    # Long dims: the last running product (log2(n) records; exact at zeros,
    # but signs of zero gradients may differ from torch's).
    c = cumprod(x, d)
    out = narrow(c, d, n - 1, 1) if keepdim else select(c, d, n - 1)
    return _named(out, "ProdBackward1", x, saved=_prod_args(dim, keepdim))


_PROD_CHAIN_MAX = 64


def _prod_args(dim, keepdim):
    return {"dim": SN.uint(dim), "keepdim": bool(keepdim), "self": SN.Input(0), "result": SN.RESULT}


def _cumprod_args(dim):
    return {"dim": SN.uint(dim), "self": SN.Input(0), "result": SN.RESULT}


def _prod_all(x):
    dt = x.dtype
    with quiet():       # (inf * 0: nan, as torch, silently)
        out = _array_out(np.asarray(x._data().prod(dtype=dt.np), dt.np), dt)
    if x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        slot = _push_out(tape, out)
        # ia 1: a 0-d input, whose gradient torch's prod_backward returns as
        # it is (not result / x: nan for a nan or inf x)
        T.record(tape, K.PROD, slot, 1, a, -1, x.numel(), 1 if x.ndim == 0 else -1)
        _finish(out, tape, slot, "ProdBackward0")
        SN.note_args(tape, slot, "ProdBackward0", {"self": SN.Input(0), "result": SN.RESULT})
    return out


@via_float32
def cumprod(input, dim, *, dtype=None):
    """Running product along dim: a Hillis-Steele scan (log2(n) products of the
    running result with itself shifted by 1, 2, 4, ...). Made of
    multiplications only, its gradient is exact where the input has zeros."""
    x = _to_dtype(_as_tensor(input), _sum_dtype(input, dtype))
    d = _dim(dim, x.ndim)
    n = x.shape[d] if x.ndim else 1
    if (n > 1 and x._rg and STATE.grad_enabled and x.dtype.is_floating_point and not _guard_recording(x)
            and not (x._data().all() and np.isfinite(x._data()).all())):
        # a zero, or an inf / nan (torch divides by x: inf / inf): torch's backward (cumprod_record.py)
        return _named(_c_order(CR.record_cumprod(x, d)), "CumprodBackward0", x, saved=_cumprod_args(dim))
    if n > 1 and _guard_recording(x) and x.requires_grad and STATE.grad_enabled:   # compile: the scan replays
        if x._data().all() and np.isfinite(x._data()).all():
            _guard_read(x, "truth")
            _guard_finite(x)
        else:
            _guard_taint("cumprod of a zero, inf or nan (torch's backward)", x)
    out, s = x.clone(), 1
    while s < n:
        shape = x.shape[:d] + (s,) + x.shape[d + 1:]
        out = out * cat([ones(shape, dtype=x.dtype), narrow(out, d, 0, n - s)], d)
        s *= 2
    return _named(_c_order(out), "CumprodBackward0", x, saved=_cumprod_args(dim))


def cumsum(input, dim, *, dtype=None):
    x = _to_dtype(_as_tensor(input), _sum_dtype(input, dtype))
    d = _dim(dim, x.ndim)
    if x.ndim == 0:
        return _named(x.clone(), "CumsumBackward0", saved={"dim": SN.uint(dim)})
    if x.dtype.is_floating_point:
        # torch accumulates a float32 (float16) cumsum in double, each result
        # cast (a float32 running sum differed for 5 in 6 results of 50);
        # +0.0: its sums start from +0.0
        with quiet():   # (inf - inf: nan, silently)
            res = np.ascontiguousarray(np.cumsum(x._arr, axis=d, dtype=np.float64), x.dtype.np) + 0.0
    else:
        res = np.ascontiguousarray(np.cumsum(x._arr, axis=d, dtype=x.dtype.np))      # (integers stay integers)
    out = _array_out(res, x.dtype)
    if x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        slot = _push_out(tape, out)
        shape = x.shape
        off = T.push_meta(tape, np.array([math.prod(shape[:d]), shape[d], math.prod(shape[d + 1:])]))
        T.record(tape, K.CUMSUM, slot, out.numel(), a, -1, x.numel(), off)
        _finish(out, tape, slot, "CumsumBackward0")
        SN.note_args(tape, slot, "CumsumBackward0", {"dim": SN.uint(dim)})
    return out


def all(input, dim=None, keepdim=False):
    _guard_read(input, "truth")
    arr = input._data()
    if dim is None:
        return _scalar_out(bool(np.all(arr)), D.bool_)
    axis = _dims(dim, input.ndim) if isinstance(dim, (tuple, list)) else _dim(dim, input.ndim)     # (torch's all.dims)
    return Tensor._wrap(np.all(arr, axis=axis, keepdims=keepdim))


def any(input, dim=None, keepdim=False):
    _guard_read(input, "truth")
    arr = input._data()
    if dim is None:
        return _scalar_out(bool(np.any(arr)), D.bool_)
    axis = _dims(dim, input.ndim) if isinstance(dim, (tuple, list)) else _dim(dim, input.ndim)     # (torch's all.dims)
    return Tensor._wrap(np.any(arr, axis=axis, keepdims=keepdim))


def _finite_test(code, npfn, input):
    if TR.recording(input):         # compile: recorded, no gradient
        x = TR.plain(input)
        return TR.record(code, Tensor._wrap(npfn(x._data())), x)
    _guard_finite(input)
    return Tensor._wrap(npfn(input._data()))


def isfinite(input):
    return _finite_test(K.ISFINITE, np.isfinite, input)


def isnan(input):
    return _finite_test(K.ISNAN, np.isnan, input)


def isinf(input):
    return _finite_test(K.ISINF, np.isinf, input)
