"""The replay's forward of `select_order` records (sorting and selection
recorded by functional/selection.py): per row, the picks eager mode makes,
recomputed from the new values, and the index map of the gather that reads
them rewritten. Called by `replay_forward._forward`."""
import numpy as np
from numba import njit

from . import ops as O

# select_order records (functional/selection.py): which picks a row keeps.
SELECT_ORDER = O.BY_NAME["select_order"].opcode
SEL_SORT, SEL_SORT_DESC, SEL_MAX, SEL_MIN, SEL_MEDIAN, SEL_NANMEDIAN, SEL_KTH = range(7)
SEL_HEADER = 6      # meta: rows, row length, picks per row, mode, first rank, gather's index map (or -1)


@njit(cache=True, error_model="numpy")
def _stable_order(keys, order, tmp, nan_first):
    """order = the stable argsort of keys, nan after everything (or before,
    `nan_first`: a descending sort's keys are -x): a bottom-up merge sort
    that takes the left element of equal keys first."""
    L = keys.size
    for i in range(L):
        order[i] = i
    width = 1
    while width < L:
        lo = 0
        while lo < L:
            mid = min(lo + width, L)
            hi = min(lo + 2 * width, L)
            i = lo
            j = mid
            k = lo
            while i < mid and j < hi:
                x = keys[order[j]]
                y = keys[order[i]]
                if nan_first:
                    before = x != x and y == y or (y == y and x < y)
                else:
                    before = x == x and (y != y or x < y)
                if before:      # right strictly before left
                    tmp[k] = order[j]
                    j += 1
                else:
                    tmp[k] = order[i]
                    i += 1
                k += 1
            while i < mid:
                tmp[k] = order[i]
                i += 1
                k += 1
            while j < hi:
                tmp[k] = order[j]
                j += 1
                k += 1
            lo = hi
        for i in range(L):
            order[i] = tmp[i]
        width *= 2


@njit(cache=True, error_model="numpy")
def _quick_select(keys, k, a, idx):
    """The index torch's CPU kthvalue returns for rank k of keys (its quick
    select: median-of-three pivot, nan the largest; on a tie another index
    than the stable sort's). functional/order_stats._quick_select_index is
    the same algorithm for eager mode."""
    L = keys.size
    for j in range(L):
        a[j] = keys[j]
        idx[j] = j
    lo = 0
    hi = L - 1
    while hi > lo:
        if hi == lo + 1:
            if _gt(a[lo], a[hi]):
                _swap(a, idx, lo, hi)
            break
        _swap(a, idx, lo + (hi - lo) // 2, lo + 1)
        if _gt(a[lo + 1], a[hi]):
            _swap(a, idx, lo + 1, hi)
        if _gt(a[lo], a[hi]):
            _swap(a, idx, lo, hi)
        if _gt(a[lo + 1], a[lo]):
            _swap(a, idx, lo + 1, lo)
        i = lo + 1
        j = hi
        pivot = a[lo]
        while True:
            i += 1
            while _gt(pivot, a[i]):
                i += 1
            j -= 1
            while _gt(a[j], pivot):
                j -= 1
            if j < i:
                break
            _swap(a, idx, i, j)
        _swap(a, idx, lo, j)
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1
    return idx[k]


@njit(cache=True, error_model="numpy")
def _gt(p, q):
    return (p != p and q == q) or p > q


@njit(cache=True, error_model="numpy")
def _swap(a, idx, i, j):
    t = a[i]
    a[i] = a[j]
    a[j] = t
    u = idx[i]
    idx[i] = idx[j]
    idx[j] = u


@njit(cache=True, error_model="numpy")
def _fwd_select(vals, meta, out, a, ia):
    """A select_order record (out, n, a, b=-1, m: its layout in meta, ia=-1:
    code that treats no-gradient records as elementwise reads no constant
    from it): per row of x (its slots a + pos), the picks eager
    mode makes (numpy's stable argsort of x or -x, nan last; the first max/min
    or first nan; the lower median), their indices along the row written to
    vals[out + outpos] and their positions in x to the gather's index map."""
    rows = meta[ia]
    L = meta[ia + 1]
    k = meta[ia + 2]
    mode = meta[ia + 3]
    G = meta[ia + 5]
    pos0 = ia + SEL_HEADER
    out0 = pos0 + rows * L
    keys = np.empty(L)
    order = np.empty(max(L, 1), np.int64)
    tmp = np.empty(max(L, 1), np.int64)
    for r in range(rows):
        for j in range(L):
            v = vals[a + meta[pos0 + r * L + j]]
            keys[j] = -v if mode == SEL_SORT_DESC else v
        start = meta[ia + 4]
        if mode == SEL_KTH:
            order[0] = _quick_select(keys, start, np.empty(L), tmp)
            start = 0
        elif mode == SEL_MAX or mode == SEL_MIN:
            best = 0
            for j in range(L):
                v = keys[j]
                if v != v:
                    best = j
                    break
                if (mode == SEL_MAX and v > keys[best]) or (mode == SEL_MIN and v < keys[best]):
                    best = j
            order[0] = best
            start = 0
        else:
            _stable_order(keys, order, tmp, mode == SEL_SORT_DESC)
            if mode == SEL_MEDIAN:
                start = (L - 1) // 2
                for j in range(L):
                    if keys[j] != keys[j]:
                        order[0] = j        # torch: the median of a row with nan is its first nan
                        start = 0
                        break
            elif mode == SEL_NANMEDIAN:
                cnt = 0
                for j in range(L):
                    if keys[j] == keys[j]:
                        cnt += 1
                start = max((cnt - 1) // 2, 0)
        for t in range(k):
            sel = order[start + t]
            o = meta[out0 + r * k + t]
            vals[out + o] = sel
            if G >= 0:
                meta[G + o] = meta[pos0 + r * L + sel]
