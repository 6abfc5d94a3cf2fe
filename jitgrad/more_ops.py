"""More of PyTorch's everyday tensor functions, each built from recorded
primitives (gathers, elementwise ops, reductions): no derivative code here.
"""
import math

import numpy as np

from . import functions as F
from .tensor import Tensor, tensor


def _t(x):
    return x if isinstance(x, Tensor) else tensor(x)


def _dims_count(x, dim):
    if dim is None:
        return x.numel()
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    return math.prod(x.shape[d] for d in dims) if x.ndim else 1


# ----- comparisons of whole tensors (no gradient) ---------------------------

def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return Tensor._wrap(np.isclose(_t(input)._data(), _t(other)._data(), rtol, atol, equal_nan))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(np.allclose(_t(input)._data(), _t(other)._data(), rtol, atol, equal_nan))


def equal(input, other):
    a, b = _t(input), _t(other)
    return a.shape == b.shape and bool(np.array_equal(a._data(), b._data()))


def count_nonzero(input, dim=None):
    return Tensor._wrap(np.asarray(np.count_nonzero(_t(input)._data(), axis=dim), np.int64))


def nonzero(input, *, as_tuple=False):
    idx = np.nonzero(_t(input)._data())
    if as_tuple:
        return tuple(Tensor._wrap(i.astype(np.int64)) for i in idx)
    return Tensor._wrap(np.stack(idx, axis=1).astype(np.int64) if idx else np.zeros((0, 0), np.int64))


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    res = np.unique(_t(input)._data(), return_inverse=return_inverse, return_counts=return_counts, axis=dim)
    if not (return_inverse or return_counts):
        return Tensor._wrap(res)
    vals, *rest = res
    rest = [Tensor._wrap(r.astype(np.int64).reshape(_t(input).shape) if return_inverse and i == 0 else
                         r.astype(np.int64)) for i, r in enumerate(rest)]
    return (Tensor._wrap(vals), *rest)


# ----- statistics ----------------------------------------------------------

def var(input, dim=None, *, correction=None, keepdim=False, unbiased=None):
    x = _t(input)
    if isinstance(dim, bool):          # torch.var(x, unbiased)
        unbiased, dim = dim, None
    corr = correction if correction is not None else (0 if unbiased is False else 1)
    n = _dims_count(x, dim)
    d = x - F.mean(x, dim, keepdim=True)
    ss = F.sum(d * d, dim, keepdim=keepdim)
    out = ss / (n - corr) if n - corr > 0 else ss * math.nan     # torch: nan, not an error
    return F._named(out, "VarBackward0")


def std(input, dim=None, *, correction=None, keepdim=False, unbiased=None):
    out = F.sqrt(var(input, dim, correction=correction, keepdim=keepdim, unbiased=unbiased))
    return F._named(out, "StdBackward0")


# ----- sorting ---------------------------------------------------------------

class _Pair(tuple):
    """torch.return_types.sort / topk: (values, indices) with names."""

    def __new__(cls, values, indices, kind):
        t = tuple.__new__(cls, (values, indices))
        t._kind = kind
        return t

    values = property(lambda self: self[0])
    indices = property(lambda self: self[1])

    def __repr__(self):
        return f"torch.return_types.{self._kind}(\nvalues={self[0]!r},\nindices={self[1]!r})"


def _take_along(x, order, dim, name):
    """x's elements at positions `order` along dim (a recorded gather)."""
    pos = np.take_along_axis(np.arange(x.numel()).reshape(x.shape), order, axis=dim)
    return F._named(F._gather_tensor(x, pos.ravel(), pos.shape), name)


def sort(input, dim=-1, descending=False, stable=False):
    x = _t(input)
    if x.ndim == 0:
        return _Pair(x.clone(), tensor(0), "sort")
    d = dim % x.ndim
    arr = x._data()
    order = np.argsort(-arr if descending else arr, axis=d, kind="stable")
    return _Pair(_take_along(x, order, d, "SortBackward0"), Tensor._wrap(order.astype(np.int64)), "sort")


def argsort(input, dim=-1, descending=False, stable=False):
    return sort(input, dim, descending, stable)[1]


def topk(input, k, dim=-1, largest=True, sorted=True):
    x = _t(input)
    d = dim % max(x.ndim, 1)
    if x.ndim and not 0 <= k <= x.shape[d]:
        raise RuntimeError("selected index k out of range")
    arr = x._data()
    order = np.argsort(-arr if largest else arr, axis=d, kind="stable")
    order = np.take(order, np.arange(k), axis=d)
    return _Pair(_take_along(x, order, d, "TopkBackward0"), Tensor._wrap(order.astype(np.int64)), "topk")


# ----- construction and masking ----------------------------------------------

def repeat(input, *sizes):
    x = _t(input)
    sizes = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else sizes
    if len(sizes) < x.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    shape = (1,) * (len(sizes) - x.ndim) + tuple(x.shape)
    idx = np.tile(np.arange(x.numel()).reshape(shape), sizes)
    return F._named(F._gather_tensor(x, idx.ravel(), idx.shape), "RepeatBackward0")


def masked_fill(input, mask, value):
    x = _t(input)
    m = mask._data() if isinstance(mask, Tensor) else np.asarray(mask)
    if isinstance(value, Tensor) and value.numel() == 1 and not value.requires_grad:
        value = value.item()
    # where, not x * keep: masked-out nan/inf must not leak into the result.
    out = F.where(Tensor._wrap(np.broadcast_to(m.astype(bool), x.shape)), value, x)
    return F._named(F._to_dtype(out, x.dtype), "MaskedFillBackward0")


def _triangle(x, keep, name):
    return F._named(F.where(Tensor._wrap(keep.astype(bool)), x, 0.0), name)


def tril(input, diagonal=0):
    x = _t(input)
    return _triangle(x, np.tril(np.ones(x.shape[-2:]), diagonal), "TrilBackward0")


def triu(input, diagonal=0):
    x = _t(input)
    return _triangle(x, np.triu(np.ones(x.shape[-2:]), diagonal), "TriuBackward0")


def diag(input, diagonal=0):
    x = _t(input)
    if x.ndim == 1:
        n = x.shape[0] + abs(diagonal)
        pos = np.arange(x.shape[0])
        rows, cols = (pos, pos + diagonal) if diagonal >= 0 else (pos - diagonal, pos)
        return F._named(F._index_add(x, rows * n + cols, n * n).reshape(n, n), "DiagEmbedBackward0")
    if x.ndim != 2:
        raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{x.ndim}D")
    r, c = x.shape
    k = np.arange(max(0, min(r, c - diagonal) if diagonal >= 0 else min(r + diagonal, c)))
    rows, cols = (k, k + diagonal) if diagonal >= 0 else (k - diagonal, k)
    return F._named(F._gather_tensor(x, rows * c + cols), "DiagonalBackward0_copy")   # torch 2.13's name


def trace(input):
    x = _t(input)
    if x.ndim != 2:
        raise RuntimeError("trace: expected a matrix, but got tensor with dim " + str(x.ndim))
    return F._named(F.sum(diag(x)), "TraceBackward0")


def lerp(input, end, weight):
    return F._named(input + weight * (end - input), "LerpBackward0")


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    x = _t(input)
    arr = x._data()
    bad = ~np.isfinite(arr)
    if not bad.any():
        return F._named(x * 1.0, "NanToNumBackward0") if x.requires_grad else x.clone()
    fixed = np.nan_to_num(arr, nan=nan, posinf=posinf, neginf=neginf)
    return F._named(F.where(Tensor._wrap(bad), Tensor._wrap(fixed), x), "NanToNumBackward0")


# ----- Tensor.new_* ------------------------------------------------------------

def _new(fill):
    def method(self, *size, dtype=None, device=None, requires_grad=False):
        size = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
        dt = dtype or self.dtype
        out = Tensor._wrap(np.full(size, fill, dt.np), dt)
        return out.requires_grad_(True) if requires_grad else out
    return method


def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
    return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)


def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
    dt = dtype or self.dtype
    out = Tensor._wrap(np.full(tuple(size), fill_value, dt.np), dt)
    return out.requires_grad_(True) if requires_grad else out


Tensor.new_zeros = _new(0)
Tensor.new_ones = _new(1)
Tensor.new_empty = _new(0)
Tensor.new_tensor = new_tensor
Tensor.new_full = new_full
for _name in ("var", "std", "sort", "argsort", "topk", "repeat", "masked_fill", "tril", "triu", "diag",
              "trace", "lerp", "nan_to_num", "isclose", "allclose", "equal", "count_nonzero", "nonzero",
              "unique"):
    setattr(Tensor, _name, globals()[_name])

__all__ = ["isclose", "allclose", "equal", "count_nonzero", "nonzero", "unique", "var", "std", "sort",
           "argsort", "topk", "repeat", "masked_fill", "tril", "triu", "diag", "trace", "lerp", "nan_to_num"]


def einsum(equation, *operands):
    """torch.einsum as broadcasting products and a sum (all recorded ops, so
    gradients of any order come for free; memory grows with the joint index
    space, fine for the small contractions autograd code writes)."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    ops = [_t(o) for o in operands]
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ops):
        raise RuntimeError(f"einsum(): {len(terms)} operand subscripts but {len(ops)} operands were provided")
    if "." in eq:
        raise NotImplementedError("einsum(): ellipsis ('...') is not supported by jitgrad yet")
    if not arrow:    # implicit output: indices seen once, in alphabetical order
        counts = {c: lhs.count(c) for c in set(lhs.replace(",", ""))}
        rhs = "".join(sorted(c for c, k in counts.items() if k == 1))
    letters = list(dict.fromkeys(rhs + lhs.replace(",", "")))
    sizes = {}
    aligned = []
    for term, x in zip(terms, ops):
        if len(term) != x.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(term)}) does not "
                               f"match the number of dimensions ({x.ndim}) for operand "
                               f"{terms.index(term)} and no ellipsis was given")
        for c, s in zip(term, x.shape):
            if sizes.setdefault(c, s) != s and s != 1 and sizes[c] != 1:
                raise RuntimeError(f"einsum(): operands do not broadcast with remapped shapes (original->remapped)")
            sizes[c] = max(sizes[c], s)
        if len(set(term)) != len(term):
            raise NotImplementedError("einsum(): repeated subscripts within one operand are not supported")
        order = sorted(range(len(term)), key=lambda i: letters.index(term[i]))
        y = F.permute(x, order) if x.ndim > 1 else x
        present = sorted(term, key=letters.index)
        shape = [y.shape[present.index(c)] if c in present else 1 for c in letters]
        aligned.append(F.reshape(y, shape))
    prod = aligned[0]
    for y in aligned[1:]:
        prod = prod * y
    reduce = tuple(i for i, c in enumerate(letters) if c not in rhs)
    return F.sum(prod, reduce) if reduce else prod


__all__.append("einsum")


def gather(input, dim, index, *, sparse_grad=False):
    """out[i][j][k] = input[i][index[i][j][k]][k] (dim 1), as torch.gather:
    a gather of flat positions, so its gradient is the index map's."""
    x = input
    d = F._dim(dim, x.ndim)
    if not isinstance(index, Tensor) or index.dtype.name not in ("int64", "int32"):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    if index.ndim != max(x.ndim, 1) and not (x.ndim == 0 and index.ndim <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    idx = np.asarray(index._data(), np.int64).reshape(index.shape if index.ndim else (1,) * max(x.ndim, 1))
    shape = x.shape if x.ndim else (1,)
    for i, (s, n) in enumerate(zip(idx.shape, shape)):
        if i != d and s > n:
            raise RuntimeError(f"Size does not match at dimension {i} expected index {list(index.shape)} to be "
                               f"no larger than self {list(x.shape)} apart from dimension {d}")
    bad = (idx < 0) | (idx >= shape[d])
    if bad.any():
        raise RuntimeError(f"index {int(idx[bad].flat[0])} is out of bounds for dimension {d} with size {shape[d]}")
    grids = list(np.indices(idx.shape, sparse=True))
    grids[d] = idx
    pos = np.ravel_multi_index(tuple(np.broadcast_arrays(*grids)), shape).ravel()
    out = F._gather_tensor(F.reshape(x, (-1,)), pos, tuple(index.shape))
    return F._named(out, "GatherBackward0")


def rsub(input, other, *, alpha=1):
    """other - alpha * input (torch.rsub)."""
    name = "RsubBackward0" if isinstance(other, Tensor) else "RsubBackward1"
    return F._named(other - (input if alpha == 1 else input * alpha), name)


Tensor.gather = gather
__all__ += ["gather", "rsub"]
