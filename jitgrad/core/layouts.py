"""The memory layout torch gives an elementwise result (TensorIterator).

torch's elementwise ops (and sort, clone, empty_like) allocate their result
in the layout of their operands: the same strides when every operand has
one shape and one non-overlapping dense layout, else the dimensions ordered
by the operands' strides (the first operand that orders two dimensions
decides; a broadcast dimension orders nothing), densely packed. A result's
layout is what stride(), is_contiguous() and view() report. NumPy's ufuncs
(order "K") mostly agree for one operand but give C order where two
operands disagree (x.t() - x.t().contiguous()), and the scalar paths
(smallmath) write C order: `follow` re-lays such a result out (a copy of
the values, bit for bit). Callers check the C-contiguous common case first.
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np


def _element_strides(a: np.ndarray, shape: tuple) -> list:
    """a's strides in elements broadcast to `shape` (0 where a broadcasts)."""
    off = len(shape) - a.ndim
    out = [0] * len(shape)
    item = a.itemsize
    for i, (n, s) in enumerate(zip(a.shape, a.strides)):
        out[off + i] = 0 if n == 1 and shape[off + i] != 1 else s // item
    return out


def _dense(shape: tuple, strides: Sequence[int]) -> bool:
    """torch's is_non_overlapping_and_dense (size-1 dimensions aside)."""
    dims = sorted((d for d in range(len(shape)) if shape[d] > 1), key=lambda d: strides[d])
    want = 1
    for d in dims:
        if strides[d] != want:
            return False
        want *= shape[d]
    return True


def _dim_order(shape: tuple, operand_strides: list) -> list:
    """torch's TensorIterator.reorder_dimensions: the dimensions from the
    innermost out, an insertion sort by the operands' strides."""
    nd = len(shape)
    perm = list(range(nd - 1, -1, -1))

    def should_swap(d0: int, d1: int) -> int:
        for st in operand_strides:
            s0, s1 = st[d0], st[d1]
            if s0 == 0 or s1 == 0:
                continue            # (a broadcast dimension: the next operand decides)
            if s0 != s1:
                return 1 if s0 > s1 else -1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    return reorder(perm, should_swap)


def reorder(dims: list, should_swap) -> list:
    """TensorIterator's insertion sort of `dims` (in place) by a comparison
    that may not decide (should_swap(d0, d1): 1 swap, -1 stop, 0 look further):
    elementwise layouts here, reductions in torch_sum._iterator."""
    for i in range(1, len(dims)):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = should_swap(dims[d0], dims[d1])
            if c > 0:
                dims[d0], dims[d1] = dims[d1], dims[d0]
                d1 = d0
            elif c < 0:
                break
    return dims


def result_strides(shape: tuple, operands: Sequence) -> Optional[tuple]:
    """The strides (in elements) torch gives an elementwise result of
    `shape` from `operands` (arrays; numbers are left out by the caller),
    or None for C order."""
    arrays = [a for a in operands if isinstance(a, np.ndarray)]
    if not arrays or len(shape) < 2:
        return None
    if all(a.flags.c_contiguous for a in arrays):
        return None
    if all(a.shape == shape for a in arrays):
        first = _element_strides(arrays[0], shape)
        if all(_element_strides(a, shape) == first for a in arrays[1:]) and _dense(shape, first):
            return tuple(first)         # (torch's fast setup: the operands' own strides)
    perm = _dim_order(shape, [_element_strides(a, shape) for a in arrays])
    if perm == list(range(len(shape) - 1, -1, -1)):
        return None
    out = [0] * len(shape)
    step = 1
    for d in perm:
        out[d] = step
        step *= shape[d]
    return tuple(out)


def follow(r: np.ndarray, *operands) -> np.ndarray:
    """r (a fresh elementwise result of `operands`) in torch's layout: r
    itself when NumPy's layout is torch's, else a copy with torch's strides."""
    want = result_strides(r.shape, operands)
    item = r.itemsize
    if want is None:
        if r.flags.c_contiguous:
            return r
        return np.ascontiguousarray(r)
    if tuple(s // item for s in r.strides) == want or r.size < 2:
        return r
    out = np.ndarray(r.shape, r.dtype, np.empty(r.size, r.dtype), 0, tuple(s * item for s in want))
    out[...] = r
    return out


def follow_pair(r: np.ndarray, xa, ya) -> np.ndarray:
    """`follow` of a binary result of xa and ya (arrays or numbers), r itself
    when both are C-contiguous (the common case, checked first)."""
    if (xa.__class__ is not np.ndarray or xa.flags.c_contiguous) and \
            (ya.__class__ is not np.ndarray or ya.flags.c_contiguous):
        return r
    return follow(r, xa, ya)


def c_order(r: np.ndarray) -> np.ndarray:
    """r in C order (itself when it is: np.ascontiguousarray would make a
    0-d array 1-d)."""
    return r if r.flags.c_contiguous else np.ascontiguousarray(r)
