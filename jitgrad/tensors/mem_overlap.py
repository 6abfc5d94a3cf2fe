"""torch's assert_no_partial_overlap for in-place ops: the written-to
tensor and an operand that are views of one root and whose memory ranges
intersect without being the same view refuse the op (x[1:] += x[:-1],
m.copy_(m.t())). As torch, only tensors whose elements fill one block of
their root without gaps ("non-overlapping and dense") are compared: strided
views pass (torch finds them too hard to check)."""
from __future__ import annotations

import warnings
from typing import Callable

import numpy as np

from ..core.grad_mode import STATE, no_grad
from .tensor import Tensor
from ..core.warn import user_stacklevel

OVERLAP_MSG = ("unsupported operation: more than one element of the written-to tensor refers to a single "
                        "memory location. Please clone() the tensor before performing the operation.")
PARTIAL_OVERLAP_MSG = ("unsupported operation: some elements of the input tensor and the written-to tensor refer to "
                       "a single memory location. Please clone() the tensor before performing the operation.")


def root_positions(t: Tensor) -> tuple:
    """(t's root, t's flat positions in it, None when t is the root)."""
    info = t._view
    return (t, None) if info is None else (info.root, info.positions())


def check_no_internal_overlap(written: Tensor) -> None:
    """An expanded view (elements sharing memory) can't be written to (out=)."""
    info = written._view
    if info is not None:
        pos = info.positions()
        if pos.size > 1 and np.unique(pos).size != pos.size:
            raise RuntimeError(OVERLAP_MSG)


def check_no_partial_overlap(written: Tensor, operands, positions: np.ndarray | None = None) -> None:
    """Raise torch's error when an operand partially overlaps `written`.
    `positions`: the flat positions in `written` that the op writes
    (x[key] = v), when not all of them."""
    root = None
    for o in operands:
        if o.__class__ is not Tensor or o is written or (o._view is None and not o._views):
            continue
        if root is None:
            root, mine = root_positions(written)
            if mine is None:
                mine = np.arange(root.numel())
            if positions is not None:
                mine = mine[positions.reshape(-1)]
        o_root, theirs = root_positions(o)
        if o_root is not root:
            continue
        if theirs is None:
            theirs = np.arange(root.numel())
        if _partial(mine, theirs) or (positions is None and tuple(o.shape) != tuple(written.shape)
                                      and _dense_range(mine) is not None and _dense_range(mine) == _dense_range(theirs)):
            raise RuntimeError(PARTIAL_OVERLAP_MSG)     # (the same block with other strides: torch's Partial)


def _dense_range(pos: np.ndarray) -> tuple | None:
    """(first, last) of positions filling a gapless block once each, else None."""
    if pos.size == 0:
        return None
    lo, hi = int(pos.min()), int(pos.max())
    if hi - lo + 1 != pos.size or np.unique(pos).size != pos.size:
        return None
    return lo, hi


def _partial(a: np.ndarray, b: np.ndarray) -> bool:
    ra, rb = _dense_range(a), _dense_range(b)
    if ra is None or rb is None:
        return False
    if ra == rb:
        return not np.array_equal(a, b)     # (the same block in another order: torch's strides differ)
    return ra[0] <= rb[1] and rb[0] <= ra[1]


_INDEX_PUT_MSG = ("Use of index_put_ on expanded tensors is deprecated. Please clone() the tensor before performing "
                  "this operation. This also applies to advanced indexing e.g. tensor[indices] = tensor (Triggered "
                  "internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:976.)")
_MASKED_FILL_MSG = ("Use of masked_fill_ on expanded tensors is deprecated. Please clone() the tensor before "
                    "performing this operation. This also applies to advanced indexing e.g. tensor[mask] = scalar "
                    "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
                    "TensorAdvancedIndexing.cpp:2450.)")



def put_expanded(t: Tensor, targets: Callable[[np.ndarray], np.ndarray], value: Tensor, accumulate: bool,
                 masked_fill: bool = False, validate: Callable[[], object] | None = None) -> bool:
    """torch's deprecated index_put_ (x[idx] = v) into an expanded view: with
    its warning, the values go to the root elements the indexed ones share
    (in order: the last write wins; accumulate adds every one). `targets`
    indexes an array of t's shape as the op indexes t; `value` is broadcast to
    its result; `validate` raises torch's errors for the arguments, after the
    warning. Only without autograd (False: not such a write, the general
    path applies; a write that needs a graph keeps the internal-overlap error)."""
    info = t._view
    if info is None or (STATE.grad_enabled and (t._rg or value._rg)):
        return False
    pos = info.positions()
    if pos.size < 2 or np.unique(pos).size == pos.size:
        return False
    level = user_stacklevel()
    warnings.warn(_INDEX_PUT_MSG, UserWarning, stacklevel=level)
    if masked_fill:     # (x[mask] = number: index_put_ hands it on to masked_fill_, which warns too)
        warnings.warn(_MASKED_FILL_MSG, UserWarning, stacklevel=level)
    if validate is not None:        # (torch's argument checks come after its warning)
        validate()
    root = info.root
    where = np.asarray(targets(pos.reshape(tuple(t.shape))))
    flat = np.array(root._data(), copy=True).reshape(-1)
    vals = np.broadcast_to(np.asarray(value._data()), where.shape).reshape(-1).astype(flat.dtype)
    where = where.reshape(-1)
    if accumulate:
        np.add.at(flat, where, vals)
    else:
        flat[where] = vals
    with no_grad():
        root.copy_(Tensor._wrap(flat.reshape(tuple(root.shape)), root.dtype))
    return True
