"""torch's shape and product functions built from recorded gathers,
scatters, matmuls and elementwise ops: diagonal, diag_embed, meshgrid,
tensordot, kron, cross, cdist, ... (diff, trapezoid, gradient: integrals.py). Gradients come by
composition; results carry the backward names torch prints."""
from __future__ import annotations
from . import arg_types as AT

import itertools
import math
from typing import Optional

import numpy as np

from . import functions as F
from . import more_ops as MO
from ..core import dtypes as D
from ..core.warn import warn_once, user_stacklevel
from ..tensors.construct import tensor
from ..tensors.views import view as _view
from ..tensors.tensor import Size, Tensor
from .covariance import cov  # noqa: F401  (torch's namespace: __all__)
from .distances import cdist, dist, pdist  # noqa: F401  (torch's namespace: __all__)
from .integrals import cumulative_trapezoid, diff, gradient, trapezoid, trapz  # noqa: F401  (torch's namespace: __all__)

_named = F._named


def _t(x) -> Tensor:
    return x if isinstance(x, Tensor) else tensor(x)


def _flat_positions(shape) -> np.ndarray:
    return np.arange(math.prod(shape), dtype=np.int64).reshape(shape)


def _seq(tensors) -> list:
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return list(tensors[0])
    return list(tensors)


# ----- diagonals -------------------------------------------------------------

def diagonal(input, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The diagonal of dims (dim1, dim2), appended as the last dim: a view, as
    torch's (`A.diagonal().add_(eps)` writes into A)."""
    x = _t(input)
    d1, d2 = F._dim(dim1, x.ndim), F._dim(dim2, x.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    # (copy: NumPy's diagonal is read-only; the view machinery writes through by positions)
    return _view(x, lambda a: np.diagonal(a, offset, d1, d2), "DiagonalBackward0", copy=True)


def diag_embed(input, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Matrices whose (offset) diagonals along (dim1, dim2) are input's last dim."""
    x = _t(input)
    nd = x.ndim + 1
    d1, d2 = F._dim(dim1, nd), F._dim(dim2, nd)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    n = x.shape[-1] + abs(offset) if x.ndim else 1 + abs(offset)
    batch = tuple(x.shape[:-1])
    rest = iter(batch)
    shape = tuple(n if i in (d1, d2) else next(rest) for i in range(nd))
    pos = np.diagonal(_flat_positions(shape), offset, d1, d2)     # batch + (k,): where each element goes
    out = F._index_add(F.reshape(x, (-1,)), pos.ravel(), math.prod(shape), write=True)
    return _named(F.reshape(out, shape), "DiagEmbedBackward0")


def diagflat(input, offset: int = 0) -> Tensor:
    return _named(diag_embed(F.reshape(_t(input), (-1,)), offset), "DiagEmbedBackward0")


# ----- products ----------------------------------------------------------------

def tensordot(a, b, dims=2, out=None) -> Tensor:
    """Contract a's last / given dims with b's first / given dims (one matmul)."""
    a, b = _t(a), _t(b)
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a.ndim or dims > b.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        da, db = list(range(-dims, 0)), list(range(dims))
    else:
        da, db = dims
        da = [da] if isinstance(da, int) else list(da)
        db = [db] if isinstance(db, int) else list(db)
    for i, j in zip(da, db):      # torch's message names the dims as given
        if a.shape[i] != b.shape[j] and 1 in (a.shape[i], b.shape[j]):
            # (torch broadcasts a contracted dim of size 1 against the other's)
            if a.shape[i] == 1:
                a = F.expand(a, tuple(b.shape[j] if k == F._dim(i, a.ndim) else s for k, s in enumerate(a.shape)))
            else:
                b = F.expand(b, tuple(a.shape[i] if k == F._dim(j, b.ndim) else s for k, s in enumerate(b.shape)))
        if a.shape[i] != b.shape[j]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {a.shape[i]} in dim {i} "
                               f"and second has size {b.shape[j]} in dim {j}")
    da = [F._dim(d, a.ndim) for d in da]
    db = [F._dim(d, b.ndim) for d in db]
    free_a = [i for i in range(a.ndim) if i not in da]
    free_b = [i for i in range(b.ndim) if i not in db]
    k = math.prod(a.shape[i] for i in da)
    am = F.reshape(F.permute(a, free_a + da), (math.prod(a.shape[i] for i in free_a), k))
    bm = F.reshape(F.permute(b, db + free_b), (k, math.prod(b.shape[i] for i in free_b)))
    out_shape = tuple(a.shape[i] for i in free_a) + tuple(b.shape[i] for i in free_b)
    return _named(F.reshape(F.mm(am, bm), out_shape), "ViewBackward0")


def inner(input, other) -> Tensor:
    a, b = _t(input), _t(other)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                           f"{list(a.shape)} and {list(b.shape)}")
    return tensordot(a, b, ([-1], [-1]))


def vdot(input, other) -> Tensor:
    a, b = _t(input), _t(other)
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.dtype is not b.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{D.TORCH_NAMES[a.dtype.name]} and {D.TORCH_NAMES[b.dtype.name]}")
    return _named(F.dot(a, b), "VdotBackward0")


def kron(input, other) -> Tensor:
    """Kronecker product: outer product of every element pair, interleaved."""
    a, b = _t(input), _t(other)
    nd = max(a.ndim, b.ndim)
    a = F.reshape(a, (1,) * (nd - a.ndim) + tuple(a.shape))
    b = F.reshape(b, (1,) * (nd - b.ndim) + tuple(b.shape))
    ax = F.reshape(a, tuple(s for n in a.shape for s in (n, 1)))
    bx = F.reshape(b, tuple(s for n in b.shape for s in (1, n)))
    prod = ax * bx
    shape = tuple(p * q for p, q in zip(a.shape, b.shape))
    return _named(F.reshape(prod, shape), "UnsafeViewBackward0")


def chain_matmul(*matrices) -> Tensor:
    warn_once("torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
              "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than multiple "
              "parameters. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/LinearAlgebra.cpp:1102.)",
              1)     # (torch's warning points into its functional.py, not at the user's line)
    ms = _seq(matrices)
    out = ms[0]
    for m in ms[1:]:
        out = F.mm(out, m)
    return out


def cross(input, other, dim: Optional[int] = None) -> Tensor:
    """Cross product along dim (default: the first dim of size 3)."""
    a, b = _t(input), _t(other)
    if dim is None:
        warn_once("Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim "
                  "explicitly or simply use torch.linalg.cross.\nThe default value of dim will change to agree with "
                  "that of linalg.cross in a future release. (Triggered internally at "
                  "/__w/pytorch/pytorch/aten/src/ATen/native/Cross.cpp:63.)", user_stacklevel() + 1)
        dim = next((i for i, s in enumerate(a.shape) if s == 3), None)     # (torch: the input's first dim of size 3)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return linalg_cross(a, b, dim=dim)


def linalg_cross(input, other, *, dim: int = -1) -> Tensor:
    a, b = _t(input), _t(other)
    if a.ndim != b.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = F._dim(dim, a.ndim)
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected scalar type {D.TORCH_NAMES[a.dtype.name]} but found {D.TORCH_NAMES[b.dtype.name]}")
    if a.shape[d] != 3 or b.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. "
                           f"Got {a.shape[d]} and {b.shape[d]}")
    shape = MO._broadcast_pair(tuple(a.shape), tuple(b.shape))     # (torch's message naming tensor a and b)
    x, y = a, b
    a, b = F.expand(a, shape), F.expand(b, shape)
    ai = [F.select(a, d, i) for i in range(3)]
    bi = [F.select(b, d, i) for i in range(3)]
    comps = [ai[1] * bi[2] - ai[2] * bi[1], ai[2] * bi[0] - ai[0] * bi[2], ai[0] * bi[1] - ai[1] * bi[0]]
    return _named(F.stack(comps, d), "LinalgCrossBackward0", x, y)


# ----- grids and broadcasting ----------------------------------------------------

def broadcast_shapes(*shapes) -> Size:
    norm = [(s,) if isinstance(s, int) else tuple(s) for s in shapes]
    try:
        return Size(np.broadcast_shapes(*norm))
    except ValueError:
        raise RuntimeError(f"shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is "
                           f"between {list(norm[0])} and {list(norm[-1])}") from None


def _elements(ts) -> list:
    """torch's check of a tensor list's elements (its parser's TensorList)."""
    for i, t in enumerate(ts):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {AT.tp_name(t)}")
    return list(ts)


def broadcast_tensors(*tensors) -> tuple:
    _elements(tensors)      # (torch hands the arguments on as one list: a tuple argument is an element)
    ts = [_t(x) for x in _seq(tensors)]
    shape = broadcast_shapes(*[x.shape for x in ts])
    # (torch's expand_outplace: a tensor of the broadcast shape is returned itself, no view)
    return tuple(x if tuple(x.shape) == tuple(shape) else F.expand(x, shape) for x in ts)


def meshgrid(*tensors, indexing: Optional[str] = None) -> tuple:
    ts = [_t(x) for x in _elements(_seq(tensors))]
    if any(x.dtype is not ts[0].dtype for x in ts):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    if indexing is None:
        warn_once("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument. "
                  "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4215.)", 3)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}")
    for x in ts:
        if x.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {x}")
    swap = indexing == "xy" and len(ts) >= 2
    order = [1, 0] + list(range(2, len(ts))) if swap else list(range(len(ts)))
    sizes = [ts[i].numel() for i in order]
    out = []
    for k, x in enumerate(ts):
        axis = order.index(k)
        view = [1] * len(ts)
        view[axis] = x.numel()
        out.append(F.expand(F.reshape(x, tuple(view)), tuple(sizes)))
    return tuple(out)


def atleast_1d(*tensors):
    ts = _seq(tensors)
    res = [F.reshape(_t(x), (1,)) if _t(x).ndim == 0 else _t(x) for x in ts]
    return res[0] if len(tensors) == 1 and not isinstance(tensors[0], (list, tuple)) else tuple(res)


def atleast_2d(*tensors):
    ts = _seq(tensors)
    res = []
    for x in map(_t, ts):
        res.append(F.reshape(x, (1, 1)) if x.ndim == 0 else F.unsqueeze(x, 0) if x.ndim == 1 else x)
    return res[0] if len(tensors) == 1 and not isinstance(tensors[0], (list, tuple)) else tuple(res)


def block_diag(*tensors) -> Tensor:
    ts = [_t(x) for x in tensors]
    mats = [F.reshape(x, (1, 1)) if x.ndim == 0 else F.unsqueeze(x, 0) if x.ndim == 1 else x for x in ts]
    for i, m in enumerate(mats):
        if m.ndim != 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. "
                               f"Input {i} has {m.ndim} dimensions")
    cols = sum(m.shape[1] for m in mats)
    dtype = D.result_type([(t.ndim, t.dtype) for t in ts], []) if ts else D.get_default_dtype()   # (0-D: torch's)
    if mats:
        # blocks placed by cat, between zero blocks: values kept as they are (an index_add into
        # zeros turned a -0.0 into +0.0)
        block_rows, c = [], 0
        for m in mats:
            h, w = m.shape
            block_rows.append(F.cat([F.zeros((h, c), dtype=dtype), m.to(dtype),
                                     F.zeros((h, cols - c - w), dtype=dtype)], 1))
            c += w
        return _named(F.cat(block_rows, 0), "BlockDiagBackward0")
    return F.zeros((1, 0), dtype=dtype)     # (no blocks: torch's 1 x 0 result)


def rot90(input, k: int = 1, dims=(0, 1)) -> Tensor:
    x = _t(input)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if x.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {x.ndim}")
    d0, d1 = F._dim(dims[0], x.ndim), F._dim(dims[1], x.ndim)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {d0} and dim1 = {d1}")
    pos = np.rot90(_flat_positions(x.shape), k, (d0, d1))
    if k % 2:
        # torch's flip then transpose: the result is a transposed view
        # (strides swapped, not contiguous), as torch's.
        flipped = np.swapaxes(pos, d0, d1)
        return _named(F.transpose(F._gather_tensor(x, flipped.ravel(), flipped.shape), d0, d1), "Rot90Backward0")
    return _named(F._gather_tensor(x, pos.ravel(), pos.shape), "Rot90Backward0")


def cartesian_prod(*tensors) -> Tensor:
    ts = [_t(x) for x in _elements(tensors)]
    for x in ts:
        if x.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(x.shape)}")
    if len(ts) == 1:
        return ts[0]
    grids = meshgrid(*ts, indexing="ij")
    return F.stack([F.reshape(g, (-1,)) for g in grids], 1)


def combinations(input, r: int = 2, with_replacement: bool = False) -> Tensor:
    x = _t(input)
    if x.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(x.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    gen = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    if r == 0:
        return F.zeros(0, dtype=x.dtype)
    idx = np.array(list(gen(range(x.shape[0]), r)), np.int64).reshape(-1, r)
    if idx.size == 0:
        return F.zeros((0, r), dtype=x.dtype)
    return F.stack([F._named(F._gather_tensor(x, idx[:, j]), "MaskedSelectBackward0") for j in range(r)], 1)


def _tri_indices(row: int, col: int, offset: int, lower: bool) -> Tensor:
    r, c = np.indices((row, col))
    keep = (c - r <= offset) if lower else (c - r >= offset)
    return Tensor._wrap(np.stack([r[keep], c[keep]]).astype(np.int64), D.int64)


def tril_indices(row: int, col: int, offset: int = 0, *, dtype=None, device=None, layout=None) -> Tensor:
    out = _tri_indices(row, col, offset, True)
    return out.to(dtype) if dtype is not None else out


def triu_indices(row: int, col: int, offset: int = 0, *, dtype=None, device=None, layout=None) -> Tensor:
    out = _tri_indices(row, col, offset, False)
    return out.to(dtype) if dtype is not None else out


def vander(x, N: Optional[int] = None, increasing: bool = False) -> Tensor:
    v = _t(x)
    if v.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = v.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    if not v.dtype.is_floating_point:
        v = v.to(D.int64)
    cols = [F.ones_like(v)] + [v] * max(n - 1, 0)
    powers = F.cumprod(F.stack(cols[:n], 1), 1) if n else F.zeros((v.shape[0], 0), dtype=v.dtype)
    return powers if increasing else F.flip(powers, (1,))


# ----- picks by flat position -------------------------------------------------------

def take(input, index) -> Tensor:
    AT.need_tensor("take", index, "index", 2 if not isinstance(input, Tensor) else 1)
    x = _t(input)
    if not isinstance(index, Tensor) or index.dtype is not D.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got "
                           f"{D.TORCH_NAMES[index.dtype.name] if isinstance(index, Tensor) else type(index)}")
    idx = np.asarray(index._data(), np.int64)
    n = x.numel()
    bad = (idx < -n) | (idx >= n)
    if bad.any():
        raise IndexError(f"out of range: tried to access index {int(idx[bad].flat[0])} on a tensor of {n} elements.")
    idx = np.where(idx < 0, idx + n, idx)
    return _named(F._gather_tensor(F.reshape(x, (-1,)), idx.ravel(), tuple(index.shape), summed=True),
                  "TakeBackward0")


def take_along_dim(input, indices, dim: Optional[int] = None) -> Tensor:
    x = _t(input)
    if dim is None:
        if indices.dtype not in (D.int32, D.int64):
            raise RuntimeError("gather(): Expected dtype int32/int64 for index")
        flat = np.asarray(indices._data(), np.int64).ravel()
        bad = (flat < 0) | (flat >= x.numel())
        if bad.any():       # (torch's gather: no negative indices)
            raise RuntimeError(f"index {flat[bad][0]} is out of bounds for dimension 0 with size {x.numel()}")
        return _named(F._gather_tensor(F.reshape(x, (-1,)), np.asarray(indices._data(), np.int64).ravel(),
                                       (indices.numel(),), summed=True), "GatherBackward0")
    d = F._dim(dim, x.ndim)
    if indices.ndim != x.ndim:
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same number of dimensions, "
                           f"but got {x.ndim} dimensions for input, and {indices.ndim} dimensions for indices")
    if indices.dtype is not D.int64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{D.TORCH_NAMES[indices.dtype.name]}")
    idx = np.asarray(indices._data(), np.int64)
    for i, (p, q) in enumerate(zip(x.shape, idx.shape)):
        if i != d and p != q and p != 1 and q != 1:
            raise RuntimeError(f"The size of tensor a ({p}) must match the size of tensor b ({q}) at non-singleton "
                               f"dimension {i}")
    shape = list(np.broadcast_shapes(tuple(s for i, s in enumerate(x.shape) if i != d),
                                     tuple(s for i, s in enumerate(idx.shape) if i != d)))
    xs = tuple(shape[:d]) + (x.shape[d],) + tuple(shape[d:])
    ish = tuple(shape[:d]) + (idx.shape[d],) + tuple(shape[d:])
    idx = np.broadcast_to(idx, ish)
    idx = np.where(idx < 0, idx + x.shape[d], idx)
    pos = np.take_along_axis(np.broadcast_to(_flat_positions(x.shape), xs), idx, axis=d)
    return _named(F._gather_tensor(F.reshape(x, (-1,)), pos.ravel(), pos.shape, summed=True), "GatherBackward0")


def dsplit(input, indices_or_sections):
    x = _t(input)
    if x.ndim < 3:
        raise RuntimeError(f"torch.dsplit requires a tensor with at least 3 dimension, but got a tensor with "
                           f"{x.ndim} dimensions!")
    if isinstance(indices_or_sections, int) and x.shape[2] % indices_or_sections:
        raise RuntimeError(f"torch.dsplit attempted to split along dimension 2, but the size of the dimension "
                           f"{x.shape[2]} is not divisible by the split_size {indices_or_sections}!")
    return MO.tensor_split(x, indices_or_sections, 2)


# ----- creation ------------------------------------------------------------------------

def logspace(start, end, steps: int, base: float = 10.0, *, dtype=None, device=None, requires_grad: bool = False,
             layout=None) -> Tensor:
    dt = dtype or D.get_default_dtype()
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    if steps == 1 or not dt.is_floating_point:
        vals = np.power(float(base), np.linspace(float(start), float(end), steps))
    else:       # torch's: exponents start + step * i in float64 from the dtype's ends, libm's pow
        first, last = float(dt.np.type(float(start))), float(dt.np.type(float(end)))
        step = float(dt.np.type(last) - dt.np.type(first)) / (steps - 1)
        half = steps // 2
        vals = np.array([math.pow(float(base), first + step * i if i < half else last - step * (steps - i - 1))
                         for i in range(steps)])
    out = Tensor._wrap(vals.astype(dt.np), dt)
    if requires_grad:
        out.requires_grad_(True)
    return out


def corrcoef(input) -> Tensor:
    c = cov(input)
    if c.ndim == 0:
        return c / c
    d = diagonal(c)
    s = F.sqrt(d)
    out = c / F.unsqueeze(s, 1) / F.unsqueeze(s, 0)
    return F.clamp(out, -1, 1)


__all__ = ["diagonal", "diag_embed", "diagflat", "tensordot", "inner", "vdot", "kron", "chain_matmul", "cross",
           "diff", "broadcast_shapes", "broadcast_tensors", "meshgrid", "atleast_1d", "atleast_2d", "block_diag",
           "rot90", "cartesian_prod", "combinations", "tril_indices", "triu_indices", "vander", "take",
           "take_along_dim", "dsplit", "logspace", "cdist", "pdist", "dist", "trapezoid", "trapz",
           "cumulative_trapezoid", "gradient", "cov", "corrcoef"]
