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


def restrided(r: np.ndarray, strides: tuple) -> np.ndarray:
    """r's memory with other strides (bytes; only size-1 dims' may differ:
    they address nothing): a view of the array that owns the memory, so its
    base chain stays one of arrays (torch.save finds the storage)."""
    root = r
    while isinstance(root.base, np.ndarray):
        root = root.base
    if root.base is None and root.flags.c_contiguous and r.size:
        offset = r.__array_interface__["data"][0] - root.__array_interface__["data"][0]
        out = np.ndarray(r.shape, r.dtype, root, offset, strides)
        if not r.flags.writeable:
            out.flags.writeable = False
        return out
    return np.lib.stride_tricks.as_strided(r, r.shape, strides, writeable=r.flags.writeable)


def c_strides(shape: tuple, itemsize: int) -> tuple:
    """C order's strides in bytes (size-1 dims' too). (Not np.empty's of an
    empty shape: NumPy 2 gives an empty array zero strides.)"""
    out = []
    step = itemsize
    for n in reversed(shape):
        out.append(step)
        step *= max(n, 1)
    return tuple(reversed(out))


def plain(a: np.ndarray) -> bool:
    """C order as torch's layouts see it: NumPy's C-contiguous flag ignores
    the strides of size-1 dims, which torch's elementwise results keep (an
    unsqueezed or permuted operand's)."""
    if not a.flags.c_contiguous:
        return False
    shape = a.shape
    if len(shape) < 2 or 1 not in shape:
        return True
    key = (shape, a.strides, a.itemsize)
    known = _PLAIN.get(key)     # (a small model's ops see the same few layouts every step)
    if known is None:
        known = _c_strides(shape, a.strides, a.itemsize)
        if len(_PLAIN) >= 4096:
            _PLAIN.clear()
        _PLAIN[key] = known
    return known


_PLAIN: dict = {}


def _c_strides(shape: tuple, strides: tuple, itemsize: int) -> bool:
    step = itemsize
    for n, s in zip(shape[::-1], strides[::-1]):
        if s != step:
            return False
        step *= max(n, 1)
    return True


def _channels_last(a: np.ndarray) -> bool:
    """torch's is_contiguous(memory_format=channels_last) of a 4-d array (N, C, H, W)."""
    want = a.itemsize
    for d in (1, 3, 2, 0):
        if a.shape[d] != 1:
            if a.strides[d] != want:
                return False
            want *= a.shape[d]
    return True


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
    `shape` from `operands` (arrays, and the Python numbers of a binary op:
    torch's 0-d operands, which no fast setup takes), or None for C order."""
    arrays = [a for a in operands if isinstance(a, np.ndarray)]
    if not arrays or len(shape) < 2:
        return None
    # torch's fast setups need operands of the result's shape (a number is a 0-d operand): all
    # contiguous gives C strides, whatever their size-1 dims' strides; else its strides follow theirs
    same = len(arrays) == len(operands) and all(a.shape == shape for a in arrays)
    if (same and all(a.flags.c_contiguous for a in arrays)) or all(plain(a) for a in arrays):
        return None
    if same and len(shape) == 4 and all(_channels_last(a) for a in arrays):
        n, c, h, w = shape     # (torch's next fast setup: all channels-last contiguous)
        return (h * w * c, 1, w * c, c)
    if same:
        first = _element_strides(arrays[0], shape)
        if all(_element_strides(a, shape) == first for a in arrays[1:]) and _dense(shape, first):
            return tuple(first)         # (torch's fast setup: the operands' own strides)
    perm = _dim_order(shape, [_element_strides(a, shape) for a in arrays])
    if perm == list(range(len(shape) - 1, -1, -1)):
        return None
    return _packed(shape, perm)


def _packed(shape: tuple, perm: list) -> tuple:
    """Dense strides with the dims of `perm` from the innermost out."""
    out = [0] * len(shape)
    step = 1
    for d in perm:
        out[d] = step
        step *= shape[d]
    return tuple(out)


def follow(r: np.ndarray, *operands) -> np.ndarray:
    """r (a fresh elementwise result of `operands`) in torch's layout: r
    itself when NumPy's layout is torch's, else a copy with torch's strides."""
    return _restride(r, result_strides(r.shape, operands))


def like(r: np.ndarray, a: np.ndarray, strides: Optional[tuple] = None) -> np.ndarray:
    """r (a fresh result of a's shape) in the layout of torch's
    empty_like(a) (preserve_format: clone, casts, *_like): a's own strides,
    size-1 dims' too, when a is non-overlapping and dense, else
    TensorIterator's. `strides`: a's torch strides (a view's array may hold
    others in size-1 dims)."""
    if r.shape != a.shape:
        return c_order(r)
    st = list(strides) if strides is not None and len(strides) == a.ndim else [s // a.itemsize for s in a.strides]
    if st == [s // r.itemsize for s in c_strides(r.shape, r.itemsize)] if r.ndim else True:
        return c_order(r)
    if min(st) >= 0 and _dense(a.shape, st):
        return _restride(r, tuple(st))
    return _restride(r, _packed(r.shape, _dim_order(r.shape, [st])))   # (torch's infer_dense_strides)


def _restride(r: np.ndarray, want: Optional[tuple]) -> np.ndarray:
    """r with strides `want` (in elements; None: C order): itself, a view
    (only size-1 dims differ) or a copy."""
    item = r.itemsize
    if want is None:
        if plain(r):
            return r
        if r.flags.c_contiguous:    # (only size-1 dims' strides differ: C strides, the same memory)
            return restrided(r, c_strides(r.shape, r.itemsize))
        return np.ascontiguousarray(r)
    have = tuple(s // item for s in r.strides)
    if have == want:
        return r
    if r.size < 2 or all(h == w for h, w, n in zip(have, want, r.shape) if n != 1):
        # (only size-1 dims differ: never stepped, so the same memory with torch's strides)
        return restrided(r, tuple(w * item for w in want))
    out = np.ndarray(r.shape, r.dtype, np.empty(r.size, r.dtype), 0, tuple(s * item for s in want))
    out[...] = r
    return out


def follow_pair(r: np.ndarray, xa, ya) -> np.ndarray:
    """`follow` of a binary result of xa and ya (arrays or numbers), r itself
    when both are C-contiguous (the common case, checked first)."""
    if (xa.__class__ is not np.ndarray or plain(xa)) and (ya.__class__ is not np.ndarray or plain(ya)):
        return r
    return follow(r, xa, ya)


def c_order(r: np.ndarray) -> np.ndarray:
    """r in C order (itself when it is: np.ascontiguousarray would make a
    0-d array 1-d; a C-contiguous r with other strides in size-1 dims gets C's)."""
    if plain(r):
        return r
    if r.flags.c_contiguous:
        return restrided(r, c_strides(r.shape, r.itemsize))
    return np.ascontiguousarray(r)


def none_strides(r: np.ndarray, a: np.ndarray, key: tuple) -> np.ndarray:
    """r = a[key] with torch's strides in its None dims (NumPy gives 0): the
    extent of the dim it precedes, 1 at the end (torch's applySlicing), which
    decide an elementwise result's layout."""
    new, src = [], 0
    for k in key:
        if k is None:
            new.append(a.shape[src] * a.strides[src] if src < a.ndim else a.itemsize)
        elif k.__class__ is slice:
            new.append(None)
            src += 1
        elif k is Ellipsis:
            return r
        else:
            src += 1
    new += [None] * (r.ndim - len(new))
    strides = tuple(s if w is None else w for s, w in zip(r.strides, new))
    return restrided(r, strides)
