"""Reductions: sum, mean, prod, norms, cumulative ops, max/min with indices,
all/any, the finiteness tests (the softmax family: softmax_family.py)."""
import builtins
import math

import numpy as np

from ..core import dtypes as D
from ..core.arrays import quiet
from ..core import kernels as K
from ..core import tape as T
from ..core import torch_sum as TS
from ..tensors.tensor import (_guard_extreme, _guard_finite, _guard_read, _guard_recording, _guard_taint, STATE, Tensor,
                              _array_out, _dim, _scalar_out)
from ..tensors.arith import (_finish, _push_out)
from ..tensors import tracked as TR
from ..tensors.construct import (tensor)
from ..autodiff.engine import ANOMALY, check_anomaly  # noqa: F401  (check_anomaly: used by the layers above)
from ..autodiff.bulk import record_sum
from ..autodiff.matmul import MatmulBackward, matmul_grads, sum_to_tensor as _sum_to_tensor  # noqa: F401

from .base import (_as_tensor, _dims, _gather_tensor, _named, _new_scalar, _to_dtype, builtins_any)
from .creation import (ones)
from .shapes import (cat, narrow, select, stack, unbind, unsqueeze)
from .elementwise import (maximum, minimum, where)
from . import small
from . import small_ops
from . import selection as SEL
from . import cumprod_record as CR
from ..core import return_types


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
    return _sum_scaled(x, dim, keepdim, _sum_dtype(x, dtype), 1.0,
                       "SumBackward0" if dim is None else "SumBackward1")


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
    return _sum_scaled(x, dim, keepdim, dt, 1.0 / count if count else math.nan,
                       "MeanBackward0" if dim is None else "MeanBackward1")


def _sum_scaled(x, dim, keepdim, dt, scale, name):
    """scale * sum(x over dim), in dtype dt."""
    dims = _reduce_dims(dim, x.ndim)
    if dt.is_floating_point and x.dtype is not dt and x.dtype.is_floating_point:
        # torch casts first, then sums in dt in its order; a recorded cast also tells the replay
        # that the SUM reads dt slots (a SUM of float32 slots rounded its float64 mean, and what
        # followed it, to float32; 0-d too)
        x = x.to(dt)
    if x._v is not None or not dt.is_floating_point:
        pass
    elif x._arr.size > 1 and not x._arr.flags.c_contiguous and _guard_recording(x):
        x, dims = _strided_for_replay(x, dims)
    if x._v is not None:        # 0-d: no NumPy on the scalar path
        v = x._v * scale if scale != 1.0 else x._v
        # + 0.0: torch's sums start from +0.0, so a sum of -0.0 is +0.0.
        out = _new_scalar(float(v) + 0.0, dt) if dt.is_floating_point else _scalar_out(int(v), dt)
    elif dt.is_floating_point:
        if len(dims) == x.ndim and x._arr.dtype == dt.np and dt.np in (np.float32, np.float64):
            val = dt.np.type(TS.sum_array(x._arr))      # torch's summation order (core/torch_sum.py)
            if keepdim:
                val = np.full((1,) * x.ndim, val)
        elif x._arr.dtype == dt.np and dt.np in (np.float32, np.float64):
            val = TS.sum_dims(x._arr, dims, keepdim)    # torch's order over dims too
        else:
            val = x._arr.sum(axis=dims, keepdims=keepdim, dtype=dt.np) + 0.0
        if name.startswith("Mean") and scale == scale:    # torch divides the sum by n
            # (the replay knows a SUM record with a scale as such a mean: FM_DIV)
            with quiet():
                val = val / dt.np.type(math.prod(x.shape[d] for d in dims))
        elif scale != 1.0:
            val = val * dt.np.type(scale)
        out = _array_out(np.asarray(val, dt.np), dt)
    else:
        out = _array_out(np.asarray(x._arr.sum(axis=dims, keepdims=keepdim, dtype=dt.np)), dt)
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
        return _named(_prod_all(x), "ProdBackward1", x)
    n = x.shape[d]
    if n == 0:      # the empty product
        return _named(sum(x, d, keepdim) + 1, "ProdBackward1", x)
    if n <= _PROD_CHAIN_MAX:
        # x_0 * x_1 * ... left to right: each factor's gradient is g times the
        # product of the others with no sums on the way, so its zeros carry
        # torch's signs (a -0.0 factor, two zeros, a -0.0 upstream).
        # (unbind: one gather that reads each element once, so assigns its gradient)
        parts = unbind(x, d)
        out = parts[0] * 1
        for part in parts[1:]:
            out = out * part
        return _named(unsqueeze(out, d) if keepdim else out, "ProdBackward1", x)
    # Long dims: the last running product (log2(n) records; exact at zeros,
    # but signs of zero gradients may differ from torch's).
    c = cumprod(x, d)
    out = narrow(c, d, n - 1, 1) if keepdim else select(c, d, n - 1)
    return _named(out, "ProdBackward1", x)


_PROD_CHAIN_MAX = 64


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
    return out


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
        return _named(CR.record_cumprod(x, d), "CumprodBackward0", x)
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
    return _named(out, "CumprodBackward0", x)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    x = _as_tensor(input)
    if dtype is not None and x.dtype.is_floating_point:
        x = _to_dtype(x, dtype)     # (torch casts the input first)
    if not x.dtype.is_floating_point:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. "
                           f"Got {D.TORCH_NAMES[x.dtype.name]}")
    dims = _reduce_dims(dim, x.ndim)
    p = 2 if p == "fro" else p
    if p == 2 and len(dims) == x.ndim and not keepdim:
        return _norm2_all(x)
    if p == math.inf:
        out = amax(abs(x), dims, keepdim)
    elif p == -math.inf:
        out = amin(abs(x), dims, keepdim)
    elif p == 0:    # counts nonzeros: a grad_fn, but no gradient reaches x (as in torch)
        out = sum((x != 0).to(x.dtype), dims, keepdim)
        if x._rg and STATE.grad_enabled:
            tape = T.current()
            _finish(out, tape, _push_out(tape, out), "LinalgVectorNormBackward0")
    elif p == 1:
        out = sum(abs(x), dims, keepdim)
    else:
        out = _root(sum(x * x if p == 2 else abs(x) ** p, dims, keepdim), p)
    return _named(out, "LinalgVectorNormBackward0", x)


def _root(s, p):
    """s ** (1/p), with torch's zero gradient where s == 0 (a zero vector has
    no direction): the masked-out branch of `where` passes no gradient."""
    zero = s == 0
    return where(zero, 0.0, where(zero, 1.0, s) ** (1.0 / p))


def _norm2_all(x):
    out = _new_scalar(math.sqrt(_sum_squares(x._data().ravel())), x.dtype)
    if x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        slot = _push_out(tape, out)
        T.record(tape, K.NORM, slot, 1, a, -1, x.numel(), -1)
        _finish(out, tape, slot, "LinalgVectorNormBackward0")
    return out


def _sum_squares(arr):
    """sum(arr ** 2): in float64 for small arrays (correctly rounded), BLAS
    in the array's own precision for large float32 ones (as torch, which
    accumulates float32 norms in float32: 12x faster than converting)."""
    if arr.dtype == np.float64 or (arr.dtype == np.float32 and arr.size >= 4096):
        with quiet():   # (an overflow: inf, silently)
            return float(np.dot(arr, arr))
    total = 0.0
    for i in range(0, arr.size, 1 << 14):
        block = arr[i:i + (1 << 14)].astype(np.float64)
        total += float(np.dot(block, block))
    return total


def cumsum(input, dim, *, dtype=None):
    x = _to_dtype(_as_tensor(input), _sum_dtype(input, dtype))
    d = _dim(dim, x.ndim)
    if x.ndim == 0:
        return _named(x.clone(), "CumsumBackward0")
    if x.dtype.is_floating_point:
        # torch accumulates a float32 (float16) cumsum in double, each result
        # cast (a float32 running sum differed for 5 in 6 results of 50);
        # +0.0: its sums start from +0.0
        with quiet():   # (inf - inf: nan, silently)
            res = np.asarray(np.cumsum(x._arr, axis=d, dtype=np.float64), x.dtype.np) + 0.0
    else:
        res = np.cumsum(x._arr, axis=d, dtype=x.dtype.np)      # (integers stay integers)
    out = _array_out(res, x.dtype)
    if x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        slot = _push_out(tape, out)
        shape = x.shape
        off = T.push_meta(tape, np.array([math.prod(shape[:d]), shape[d], math.prod(shape[d + 1:])]))
        T.record(tape, K.CUMSUM, slot, out.numel(), a, -1, x.numel(), off)
        _finish(out, tape, slot, "CumsumBackward0")
    return out


def _extreme(x, dim, keepdim, npfn, fn, name):
    """amax/amin (and max()/min() without dim): the gradient splits evenly among ties."""
    dims = _reduce_dims(dim, x.ndim)
    if x.numel() == 0 and dim not in (None, (), []):
        for d in dims:
            if x.shape[d] == 0:
                raise IndexError(f"{fn}(): Expected reduction dim {d} to have non-zero size.")
    if x.numel() == 0 and (dim is None or builtins_any(x.shape[d] == 0 for d in dims)):
        raise RuntimeError(f"{fn}(): Expected reduction dim to be specified for input.numel() == 0. "
                           "Specify the reduction dim with the 'dim' argument.")
    arr = x._data()
    best = npfn(arr, axis=dims, keepdims=True)
    if arr.size and name.startswith("Am") and (best.item() == 0 if best.size == 1 else (best == 0).any()):
        # torch keeps the first of equal values: amax of [-0.0, 0.0] is -0.0.
        moved = np.moveaxis(arr, dims, tuple(range(-len(dims), 0))) if dims else arr[..., None]
        flat = moved.reshape(moved.shape[:moved.ndim - (len(dims) or 1)] + (-1,))
        first = (np.argmax if npfn is np.max else np.argmin)(flat, axis=-1)
        best = np.take_along_axis(flat, first[..., None], -1).reshape(best.shape)
    shape = best.shape if keepdim else _kept_shape(x.shape, dims)
    out = _array_out(np.asarray(best.reshape(shape)), x.dtype)
    if not (x._rg and STATE.grad_enabled):
        return out
    mask = (arr == best) | (np.isnan(arr) & np.isnan(best))
    _guard_extreme(x, mask, dims, npfn is np.max)     # compile: positions are guards
    counts = mask.sum(axis=dims, keepdims=True)
    if _guard_recording(x) and (name.startswith("Am") or (counts != 1).any()):
        # compile: the weighted sums below replay the extreme bit for bit only for ties of at
        # most two (x/3 * 3 rounds), no inf elsewhere (inf * 0), no zero extreme (-0.0 + +0.0
        # products): else eager; infs and zeros guarded. (Not caught: tied subnormals' halves.)
        if (counts > 2).any() or (np.abs(best) <= 2.0 ** -120).any():
            _guard_taint("a tie of three or a zero of the max/min (amax, amin, max(), min())", x)
        _guard_finite(x)
        _guard_read(x, "truth")
    # amax/amin: torch multiplies the gradient by the mask (the others get
    # g * 0: -0.0 for a negative g); max()/min() place it into zeros.
    if (counts == 1).all() and not name.startswith("Am"):     # no ties: a gather of the extremes
        hits = np.nonzero(mask.ravel())[0]
        order = np.argsort(_reduce_index(x.shape, dims)[hits], kind="stable")
        return _named(_gather_tensor(x, hits[order], shape), name, x)
    if not name.startswith("Am"):
        # max()/min() of every element with ties: the tied elements share the
        # gradient, the others get +0.0 (torch places it into zeros): a
        # gather of the ties, weighted and summed.
        hits = np.nonzero(mask.ravel())[0]
        tied = _gather_tensor(x, hits, (len(hits),))
        _record_sum(tied * Tensor._wrap(np.full(len(hits), 1.0 / len(hits), x.dtype.np)), out, (0,), 1.0, name)
        return _named(out, name, x)
    # Ties: the gradient of sum(x * weights); the value stays the exact extreme.
    # torch's amax/amin mask is x == result: a NaN extreme matches nothing, and
    # the slice's gradient is 0 / 0 (NaN).
    mask = arr == best
    with np.errstate(invalid="ignore", divide="ignore"):
        weights = mask / mask.sum(axis=dims, keepdims=True)
    _record_sum(x * Tensor._wrap(weights.astype(x.dtype.np)), out, dims, 1.0, name)
    return _named(out, name, x)


def _kept_shape(shape, dims):
    return tuple(s for i, s in enumerate(shape) if i not in dims)


def amax(input, dim=(), keepdim=False):
    out = small_ops.amax_vector(input, dim, keepdim, True)     # (a handful of floats, no ties)
    if out is not None:
        return out
    return _extreme(_as_tensor(input), dim, keepdim, np.max, "amax", "AmaxBackward0")


def amin(input, dim=(), keepdim=False):
    out = small_ops.amax_vector(input, dim, keepdim, False)
    if out is not None:
        return out
    return _extreme(_as_tensor(input), dim, keepdim, np.min, "amin", "AminBackward0")


class _ValuesIndices(tuple):
    """torch.return_types.max/min: a named pair."""

    def __new__(cls, values, indices, kind):
        t = tuple.__new__(return_types.named(cls, kind), (values, indices))
        t._kind = kind
        return t

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]

    def __repr__(self):
        return f"torch.return_types.{self._kind}(\nvalues={self[0]!r},\nindices={self[1]!r})"


def _max_min(x, dim, keepdim, kind):
    """max(x, dim) / min(x, dim): (values, indices); the gradient goes to the index."""
    name = "MaxBackward0" if kind == "max" else "MinBackward0"
    d = _dim(dim, x.ndim)
    if x.ndim == 0:
        return _ValuesIndices(_named(x.clone(), name), tensor(0), kind)
    if x.shape[d] == 0:
        raise IndexError(f"{kind}(): Expected reduction dim {d} to have non-zero size.")
    idx = _arg_extreme(x._data(), d, kind)
    idx_k = np.expand_dims(idx, d)
    if SEL.recording(x):        # compile: the position is recomputed at replay
        shape = idx_k.shape if keepdim else idx.shape
        return _ValuesIndices(*SEL.pick(x, tuple(x.shape), d, idx_k, kind, 0, shape, shape, name), kind)
    pos = np.take_along_axis(np.arange(x.numel()).reshape(x.shape), idx_k, axis=d)
    if x._rg:
        picked = np.zeros(x.numel(), bool)
        picked[pos.ravel()] = True
        _guard_extreme(x, picked.reshape(x.shape), (d,), kind == "max")
    vals = _gather_tensor(x, pos.ravel(), pos.shape if keepdim else idx.shape)
    ind = Tensor._wrap((idx_k if keepdim else idx).astype(np.int64))
    return _ValuesIndices(_named(vals, name), ind, kind)


def _arg_extreme(arr, d, kind):
    """Index of the first max (min) along d; a nan wins, as in torch."""
    idx = (np.argmax if kind == "max" else np.argmin)(arr, axis=d)
    nans = np.isnan(arr)
    return np.where(nans.any(axis=d), np.argmax(nans, axis=d), idx) if nans.any() else idx


def _max_min_args(kind, input, dim):
    if dim is not None and not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{kind}() received an invalid combination of arguments - got (Tensor, {type(dim).__name__}), "
                        f"but expected one of:\n * (Tensor input, *, Tensor out = None)\n * (Tensor input, Tensor "
                        f"other, *, Tensor out = None)\n * (Tensor input, int dim, bool keepdim = False, *, tuple of "
                        f"Tensors out = None)\n")


def max(input, dim=None, keepdim=False, *, other=None):
    if isinstance(dim, Tensor):
        return maximum(input, dim)
    if dim is None:
        out = small_ops.extreme_all(input, True)    # (a handful of floats, no ties)
        if out is not None:
            return out
    elif keepdim.__class__ is bool:
        pair = small_ops.extreme_dim(input, dim, keepdim, True)
        if pair is not None:
            return _ValuesIndices(pair[0], pair[1], "max")
    _max_min_args("max", input, dim)
    x = _as_tensor(input)
    if dim is None:
        return _extreme(x, None, False, np.max, "max", "MaxBackward1")
    return _max_min(x, dim, keepdim, "max")


def min(input, dim=None, keepdim=False):
    if isinstance(dim, Tensor):
        return minimum(input, dim)
    if dim is None:
        out = small_ops.extreme_all(input, False)    # (a handful of floats, no ties)
        if out is not None:
            return out
    elif keepdim.__class__ is bool:
        pair = small_ops.extreme_dim(input, dim, keepdim, False)
        if pair is not None:
            return _ValuesIndices(pair[0], pair[1], "min")
    _max_min_args("min", input, dim)
    x = _as_tensor(input)
    if dim is None:
        return _extreme(x, None, False, np.min, "min", "MinBackward1")
    return _max_min(x, dim, keepdim, "min")


def _guard_arg(x, r, d, kind):
    """compile: the position argmax/argmin chose becomes a guard."""
    if not x._rg:
        return
    picked = np.zeros(x.shape, bool)
    if d is None:
        picked.ravel()[int(r)] = True
        dims = tuple(range(x.ndim))
    else:
        np.put_along_axis(picked, np.expand_dims(r, d), True, axis=d)
        dims = (d,)
    _guard_extreme(x, picked, dims, kind == "max")


def _argfn(kind):
    def f(input, dim=None, keepdim=False):
        x = _as_tensor(input)
        if x.dtype is D.bool_:
            raise RuntimeError(f"arg{kind}(): does not support bool input")
        if dim is None:
            if x.numel() == 0:
                raise IndexError(f"arg{kind}(): Expected reduction dim to be specified for input.numel() == 0.")
            r = _arg_extreme(x._data().ravel(), 0, kind)
            if SEL.recording(x):    # compile: the position is recomputed at replay
                shape = (1,) * x.ndim if keepdim else ()
                return SEL.pick(x, (x.numel(),), 0, np.asarray(r).reshape(1), kind, 0, None, shape, "")[1]
            _guard_arg(x, np.asarray(r), None, kind)
            return Tensor._wrap(np.asarray(r, np.int64).reshape((1,) * x.ndim if keepdim else ()))
        d = _dim(dim, x.ndim)
        if x.ndim == 0:
            return tensor(0)
        if x.shape[d] == 0:
            raise IndexError(f"arg{kind}(): Expected reduction dim {d} to have non-zero size.")
        r = _arg_extreme(x._data(), d, kind)
        if SEL.recording(x):        # compile: the positions are recomputed at replay
            shape = np.expand_dims(r, d).shape if keepdim else r.shape
            return SEL.pick(x, tuple(x.shape), d, np.expand_dims(r, d), kind, 0, None, shape, "")[1]
        _guard_arg(x, r, d, kind)
        return Tensor._wrap((np.expand_dims(r, d) if keepdim else r).astype(np.int64))
    f.__name__ = "arg" + kind
    return f


argmax = _argfn("max")
argmin = _argfn("min")


def all(input, dim=None, keepdim=False):
    _guard_read(input, "truth")
    arr = input._data()
    if dim is None:
        return _scalar_out(bool(np.all(arr)), D.bool_)
    return Tensor._wrap(np.all(arr, axis=_dim(dim, input.ndim), keepdims=keepdim))


def any(input, dim=None, keepdim=False):
    _guard_read(input, "truth")
    arr = input._data()
    if dim is None:
        return _scalar_out(bool(np.any(arr)), D.bool_)
    return Tensor._wrap(np.any(arr, axis=_dim(dim, input.ndim), keepdims=keepdim))


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
