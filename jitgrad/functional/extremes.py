"""The extremes: amax / amin (ties share the gradient evenly), max / min
with and without a dim (values and indices: the gradient goes to the picked
position), argmax / argmin; under compile the positions are recomputed at
replay (selection.py)."""

import numpy as np

from ..core import dtypes as D
from ..tensors.tensor import (_guard_extreme, _guard_finite, _guard_read, _guard_recording, _guard_taint, STATE, Tensor,
                              _array_out, _dim)
from ..tensors.construct import (tensor)

from .base import (_as_tensor, _gather_tensor, _named, _saved_args, builtins_any)
from ..core import saved_nodes as SN
from .elementwise import (maximum, minimum)
from .reductions import _record_sum, _reduce_dims, _reduce_index
from . import small_ops
from . import selection as SEL
from ..tensors import tracked as TR
from ..core import return_types


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
    if dim is None and not name.startswith("Am") and arr.size >= 2 and SEL.recording(x):
        picked = _extreme_all_recorded(x, arr.ravel(), npfn is np.max, name)
        if picked is not None:
            return picked
    if name.startswith("Am") and SEL.recording(x) and _amax_mask_recorded(x, arr, dims, npfn is np.max, out, name):
        return _named(out, name, x)
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


def _extreme_all_recorded(x, flat, largest, name):
    """compile: max() / min() of every element without a tie at the top (nor
    nan): the pick is a select record that a replay recomputes, and the only
    guard is that the two first in order stay unequal (a tie splits the
    gradient: recorded again then), not the extreme's position, which moved
    with nearly every new input. None: a tie or nan now (the guarded path)."""
    top, distinct = _top_two(flat, 0, largest)
    if not distinct:
        return None
    i1, i2 = top
    value, _ = SEL.pick(x, (flat.size,), 0, np.array([i1]), "max" if largest else "min", 0, (), (), name)
    top2, _ = SEL.pick(x, (flat.size,), 0, np.array([i1, i2]), "topk" if largest else "topk_smallest", 0, (2,), (2,),
                       "TopkBackward0")
    TR.escape(top2[0] > top2[1] if largest else top2[0] < top2[1])      # (the guard: still no tie)
    return value


def _top_two(a, d, largest):
    """Positions along d of the first two in order (largest first for max),
    and whether they differ in every row (None if nan: the guarded path)."""
    if np.isnan(a).any() or a.shape[d] < 2:
        return None, False
    order = np.argsort(a, axis=d, kind="stable")
    top = np.take(order, [-1, -2] if largest else [0, 1], axis=d)
    v = np.take_along_axis(a, top, d)
    return top, bool((np.take(v, 0, d) != np.take(v, 1, d)).all())


def _amax_mask_recorded(x, arr, dims, largest, out, name):
    """compile: amax / amin over one dim, several or all of them, without ties: its
    mask (x == the picked extreme) is recorded, so a replay recomputes the
    weighted sum's weights where the extremes are now, and the only guards
    are "still no tie" (the two first of each row unequal), finiteness and
    no zero (the weighted sum's exactness, as the guarded path). False: a
    tie or a zero extreme now (the guarded path)."""
    if len(dims) == 1:
        grid, d = arr.shape, dims[0]
    elif len(dims) == arr.ndim:
        grid, d = (arr.size,), 0
    else:       # several dims: moved last and merged into one
        kept = _kept_shape(arr.shape, dims)
        tail = tuple(range(len(kept), arr.ndim))
        grid = np.moveaxis(np.arange(arr.size).reshape(arr.shape), dims, tail).reshape(kept + (-1,))
        d = len(kept)
    a = arr.reshape(grid) if isinstance(grid, tuple) else arr.ravel()[grid]
    top, distinct = _top_two(a, d, largest)
    if not distinct or (np.take_along_axis(a, np.take(top, [0], axis=d), d) == 0).any():
        return False
    first = np.take(top, [0], axis=d)
    picked, _ = SEL.pick(x, grid, d, first, "max" if largest else "min", 0, first.shape, first.shape,
                         "MaxBackward0" if largest else "MinBackward0")
    two, _ = SEL.pick(x, grid, d, top, "topk" if largest else "topk_smallest", 0, top.shape, top.shape,
                      "TopkBackward0")
    a0, a1 = two.narrow(d, 0, 1), two.narrow(d, 1, 1)
    TR.escape(a0 > a1 if largest else a0 < a1)        # (the guard: still no tie in any row)
    _guard_finite(x)
    # (the guard: no zero extreme, whose weighted sum would be +0.0 for -0.0; a zero elsewhere
    # is no matter: x's truthiness, guarded before, let -0.0 become the max: fuzz seed 670987)
    TR.escape(picked != 0)
    if isinstance(grid, tuple):
        weights = (x.reshape(grid) == picked).to(x.dtype).reshape(tuple(x.shape))
    else:
        weights = (x == picked.reshape(tuple(1 if i in dims else s for i, s in enumerate(x.shape)))).to(x.dtype)
    _record_sum(x * weights, out, dims, 1.0, name)
    return True


def _kept_shape(shape, dims):
    return tuple(s for i, s in enumerate(shape) if i not in dims)


def amax(input, dim=(), keepdim=False):
    out = small_ops.amax_vector(input, dim, keepdim, True)     # (a handful of floats, no ties)
    if out is not None:
        return out
    return _extreme_args(_extreme(_as_tensor(input), dim, keepdim, np.max, "amax", "AmaxBackward0"), dim, keepdim)


def amin(input, dim=(), keepdim=False):
    out = small_ops.amax_vector(input, dim, keepdim, False)
    if out is not None:
        return out
    return _extreme_args(_extreme(_as_tensor(input), dim, keepdim, np.min, "amin", "AminBackward0"), dim, keepdim)


def _extreme_args(out, dim, keepdim):
    """amax / amin's node saves its dims (as given, a tuple), keepdim, input and result."""
    if out._name not in ("AmaxBackward0", "AminBackward0"):
        return out
    args = {"dim": SN.dims(dim) or (), "keepdim": bool(keepdim), "self": SN.Input(0), "result": SN.RESULT}
    return _saved_args(out, out._name, **args)


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
    return _ValuesIndices(_named(vals, name, saved={"dim": SN.uint(dim), "keepdim": bool(keepdim), "indices": ind,
                                                    "self_sym_sizes": tuple(x.shape)}), ind, kind)


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


def _max_or_min(kind, input, dim, keepdim, other):
    """torch.max / torch.min: of all elements, along a dim (values, indices),
    or elementwise with a tensor `other` (as the second argument or keyword)."""
    largest = kind == "max"
    if isinstance(dim, Tensor) or other is not None:
        if other is None:
            other, dim = dim, None
        if dim is not None or not isinstance(other, Tensor):
            raise TypeError(f"{kind}() received an invalid combination of arguments - got (Tensor, "
                            f"{'int, ' if dim is not None else ''}other={type(other).__name__}), but expected one "
                            f"of:\n * (Tensor input, *, Tensor out = None)\n * (Tensor input, Tensor other, *, Tensor "
                            f"out = None)\n * (Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = "
                            f"None)\n")
        return (maximum if largest else minimum)(input, other)
    if dim is None:
        out = small_ops.extreme_all(input, largest)    # (a handful of floats, no ties)
        if out is not None:
            return out
    elif keepdim.__class__ is bool:
        pair = small_ops.extreme_dim(input, dim, keepdim, largest)
        if pair is not None:
            return _ValuesIndices(pair[0], pair[1], kind)
    _max_min_args(kind, input, dim)
    x = _as_tensor(input)
    if dim is None:
        return _extreme(x, None, False, np.max if largest else np.min, kind, "MaxBackward1" if largest else "MinBackward1")
    return _max_min(x, dim, keepdim, kind)


def max(input, dim=None, keepdim=False, *, other=None):
    return _max_or_min("max", input, dim, keepdim, other)


def min(input, dim=None, keepdim=False, *, other=None):
    return _max_or_min("min", input, dim, keepdim, other)


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
