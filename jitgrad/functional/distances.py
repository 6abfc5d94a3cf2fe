"""Distances: cdist (direct, or by a matrix product as torch for many
rows: autodiff/euclid_dist.py), pdist, dist."""
from __future__ import annotations
from . import arg_types as AT

import math

import numpy as np

from . import functions as F
from ..autodiff import euclid_dist as ED
from ..core import dtypes as D
from ..tensors.tensor import Tensor, _guard_recording

_named, _t = F._named, F._as_tensor


def cdist(x1, x2, p: float = 2.0, compute_mode=None) -> Tensor:
    """Pairwise p-norm distances between the rows of x1 and x2 (batched)."""
    AT.need_tensor("cdist", x1, "x1", 1)
    AT.need_tensor("cdist", x2, "x2", 2)
    a, b = _t(x1), _t(x2)
    if a.ndim < 2 or b.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X{1 if a.ndim < 2 else 2} got: "
                           f"{min(a.ndim, b.ndim)}D")
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {a.shape[-1]} X2: {b.shape[-1]}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    for label, x in (("X1", a), ("X2", b)):
        if not x.dtype.is_floating_point:
            raise RuntimeError(f"cdist only supports floating-point dtypes, {label} got: {D.TORCH_NAMES[x.dtype.name]}")
    mode = _CDIST_MODES.get(compute_mode, -1)
    if mode < 0:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    by_mm = p == 2 and (mode == 1 or (mode == 0 and (a.shape[-2] > 25 or b.shape[-2] > 25)))
    if a.dtype is not b.dtype and a.numel() and b.numel():     # (torch's two paths word it differently)
        if by_mm:
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {D.CPP_NAMES[a.dtype.name]} "
                               f"!= {D.CPP_NAMES[b.dtype.name]}")
        raise RuntimeError(f"expected scalar type {D.TORCH_NAMES[a.dtype.name]} but found "
                           f"{D.TORCH_NAMES[b.dtype.name]}")
    if a.dtype is not b.dtype:
        b = F._to_dtype(b, a.dtype)     # (an empty operand: torch's result takes x1's dtype)
    if a.dtype is D.float16:
        raise NotImplementedError("\"cdist\" not implemented for 'Half'")
    if by_mm and a.numel() and b.numel():
        return _euclid(a, b)
    diff = F.unsqueeze(a, -2) - F.unsqueeze(b, -3)
    return _named(_pnorm_last(diff, p), "CdistBackward0", a, b)


# torch's compute_mode: 0 (the default) takes the matrix product for more than 25 rows.
_CDIST_MODES = {None: 0, "use_mm_for_euclid_dist_if_necessary": 0, "use_mm_for_euclid_dist": 1,
                "donot_use_mm_for_euclid_dist": 2}


def _euclid(a: Tensor, b: Tensor) -> Tensor:
    """cdist(p=2) by a matrix product (aten's _euclidean_dist, then a view:
    the result's node is ViewBackward0): one record with torch's backward
    in eager mode, else the composite."""
    tracked = F._grad_on(a, b)
    if tracked and ED.enabled() and not _guard_recording(a) and not _guard_recording(b):
        out = ED.record(a, b, Tensor._wrap(ED.value(*_batch_broadcast(a._data(), b._data()))), _euclid_composite)
        return _named(out, "ViewBackward0", ("EuclideanDistBackward0", a, b))
    if not tracked and not _guard_recording(a) and not _guard_recording(b):
        return Tensor._wrap(ED.value(*_batch_broadcast(a._data(), b._data())))
    return _named(_euclid_composite(a, b), "ViewBackward0", ("EuclideanDistBackward0", a, b))


def _euclid_composite(x1: Tensor, x2: Tensor) -> Tensor:
    """The distances in tensor ops, 0 gradient where a distance is 0 (as
    torch's backward): for records that replay or carry tangents, and the
    eager record's create_graph form."""
    n1 = (x1 * x1).sum(-1, keepdim=True)
    n2 = (x2 * x2).sum(-1, keepdim=True)
    sq = F.clamp_min(F.cat([x1 * -2.0, n1, F.ones_like(n1)], -1) @ F.cat([x2, F.ones_like(n2), n2], -1).mT, 0.0)
    zero = sq == 0
    root = F.sqrt(sq.masked_fill(zero, 1.0))
    return root.masked_fill(zero, 0.0)


def _batch_broadcast(x1: np.ndarray, x2: np.ndarray) -> tuple:
    """x1 and x2 with their batch dims (all but the last two) broadcast."""
    batch = np.broadcast_shapes(x1.shape[:-2], x2.shape[:-2])
    return np.broadcast_to(x1, batch + x1.shape[-2:]), np.broadcast_to(x2, batch + x2.shape[-2:])


def _pnorm_last(diff: Tensor, p: float, split_ties: bool = False) -> Tensor:
    """p-norm over the last dim, with torch's zero gradient where the distance is zero."""
    if p == 0:      # (a count: 0 gradient, but linked to the inputs as torch's)
        nonzero = diff != 0
        return F.sum(F.where(nonzero, F.ones_like(diff), F.abs(diff) * 0.0), -1)
    if p == math.inf:
        return _inf_norm_last(diff, split_ties)
    if p == 1:
        return F.sum(F.abs(diff), -1)
    # |d|^p summed, then the root; rows of zeros: torch's backward gives 0 (not nan).
    if _guard_recording(diff):      # compile: the zero test recorded (no-gradient ops), replayed
        nz = (diff != 0).to(diff.dtype)
        zero, zero_rows = F.sum(nz, -1, keepdim=True) == 0, F.sum(nz, -1) == 0
    else:
        zero = Tensor._wrap(np.all(np.asarray(diff._data()) == 0, axis=-1, keepdims=True), D.bool_)
        zero_rows = F.squeeze(zero, -1)
    safe = F.where(zero, F.ones_like(diff), diff)
    s = F.sum(safe * safe if p == 2 else F.abs(safe) ** p, -1)
    root = F.sqrt(s) if p == 2 else s ** (1.0 / p)
    return F.where(zero_rows, F.zeros_like(root), root)


def _inf_norm_last(diff: Tensor, split_ties: bool) -> Tensor:
    """max |d| over the last dim. torch's cdist and pdist backward give each
    tied maximum the whole gradient (sign(d) * (|d| == dist)); dist's (a
    norm's) splits it among them, as amax's does."""
    size = F.abs(diff)
    top = F.amax(size, -1)
    if split_ties or _guard_recording(diff) or not np.isfinite(np.asarray(size._data())).all():
        return top          # (inf - inf below would turn the value into nan)
    tied = Tensor._wrap(np.asarray(size._data()) == np.asarray(top._data())[..., None])
    # the value is top's (plus an exact +0.0); the gradient reaches every tied element
    return top.detach() + F.sum(F.where(tied, size - size.detach(), F.zeros_like(size)), -1)


def pdist(input, p: float = 2) -> Tensor:
    x = _t(input)
    if x.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {x.ndim}D")
    i, j = np.triu_indices(x.shape[0], 1)
    rows = F.reshape(x, (-1,))
    m = x.shape[1]
    xi = F._gather_tensor(rows, (i[:, None] * m + np.arange(m)).ravel(), (len(i), m))
    xj = F._gather_tensor(rows, (j[:, None] * m + np.arange(m)).ravel(), (len(j), m))
    return _named(_pnorm_last(xi - xj, p), "PdistBackward0")


def dist(input, other, p: float = 2) -> Tensor:
    d = _t(input) - _t(other)
    if p == 2:      # (the norm primitive: torch's dist backward is norm's, which passes a nan gradient at 0)
        return F._named(F.norm(d), "DistBackward0", input, other)
    return F._named(_pnorm_last(F.reshape(d, (-1,)), p, split_ties=True), "DistBackward0", input, other)
