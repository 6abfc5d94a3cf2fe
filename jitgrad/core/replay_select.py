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
# topk's picks by torch's order (topk_row below): largest / smallest, sorted or not
SEL_TOPK, SEL_TOPK_UNSORTED, SEL_TOPK_SMALLEST, SEL_TOPK_SMALLEST_UNSORTED = range(7, 11)
# cummax / cummin: each position's running arg-extreme (ties: the last, a nan taken and kept, as torch)
SEL_CUMMAX, SEL_CUMMIN = 11, 12
# Picks by a recorded index or mask, not by x's values (a is the index / mask; the gathered
# tensor is the next record's operand): SEL_INDEX, gather / x[idx] by an int64 result (first:
# the index's size; after the result positions, rows*k positions in the index); SEL_MASK,
# masked_select / x[mask] (first: the mask's size; then L positions in the mask, shared by rows)
SEL_INDEX, SEL_MASK = 13, 14
# mode: the most frequent value of a row without nan (ties: the smallest), its last index
SEL_MODE = 15
SEL_LAST = SEL_MODE
TOPK_EXACT_MAX = 4096      # longer rows: the stable order (as eager mode's more_ops.topk)
SEL_HEADER = 6      # meta: rows, row length, picks per row, mode, first rank, gather's index map (or -1)


def layout_size(rows: int, L: int, k: int, mode: int) -> int:
    """meta entries of a select_order layout (header included)."""
    extra = rows * k if mode == SEL_INDEX else L if mode == SEL_MASK else 0
    return SEL_HEADER + rows * (L + k) + extra


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
def quick_select(keys, k, a, idx):
    """The index torch's CPU kthvalue returns for rank k of keys (its quick
    select: median-of-three pivot, nan the largest; on a tie another index
    than the stable sort's): eager mode's (order_stats.kthvalue) and the replay's."""
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


# ----- torch's topk order: which of equal values its CPU kernel (TopKImpl.h) returns and, for
# sorted=False, their order. It fills (value, index) pairs and runs libstdc++'s std::partial_sort
# (k * 64 <= n) or std::nth_element, then std::sort of the first k - 1 when sorted: deterministic
# steps (heap select, introselect with median-of-three pivots, insertion sorts), written out here
# on two arrays (values, indices) for eager mode (more_ops.topk) and the replay alike. ---------

@njit(cache=True, error_model="numpy")
def _tk_before(x, y, largest):
    if largest:
        return (x != x and y == y) or x > y
    return (x == x and y != y) or x < y


@njit(cache=True, error_model="numpy")
def _tk_push_heap(kv, ki, first, hole, top, v, vi, largest):
    parent = (hole - 1) // 2
    while hole > top and _tk_before(kv[first + parent], v, largest):
        kv[first + hole] = kv[first + parent]
        ki[first + hole] = ki[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    kv[first + hole] = v
    ki[first + hole] = vi


@njit(cache=True, error_model="numpy")
def _tk_adjust_heap(kv, ki, first, hole, length, v, vi, largest):
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if _tk_before(kv[first + child], kv[first + child - 1], largest):
            child -= 1
        kv[first + hole] = kv[first + child]
        ki[first + hole] = ki[first + child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        kv[first + hole] = kv[first + child - 1]
        ki[first + hole] = ki[first + child - 1]
        hole = child - 1
    _tk_push_heap(kv, ki, first, hole, top, v, vi, largest)


@njit(cache=True, error_model="numpy")
def _tk_pop_heap(kv, ki, first, last, result, largest):
    v = kv[result]
    vi = ki[result]
    kv[result] = kv[first]
    ki[result] = ki[first]
    _tk_adjust_heap(kv, ki, first, 0, last - first, v, vi, largest)


@njit(cache=True, error_model="numpy")
def _tk_heap_select(kv, ki, first, middle, last, largest):
    length = middle - first
    if length >= 2:
        parent = (length - 2) // 2
        while True:
            _tk_adjust_heap(kv, ki, first, parent, length, kv[first + parent], ki[first + parent], largest)
            if parent == 0:
                break
            parent -= 1
    for i in range(middle, last):
        if _tk_before(kv[i], kv[first], largest):
            _tk_pop_heap(kv, ki, first, middle, i, largest)


@njit(cache=True, error_model="numpy")
def _tk_partial_sort(kv, ki, first, middle, last, largest):
    _tk_heap_select(kv, ki, first, middle, last, largest)
    while middle - first > 1:
        middle -= 1
        _tk_pop_heap(kv, ki, first, middle, middle, largest)


@njit(cache=True, error_model="numpy")
def _tk_swap(kv, ki, i, j):
    t = kv[i]
    kv[i] = kv[j]
    kv[j] = t
    u = ki[i]
    ki[i] = ki[j]
    ki[j] = u


@njit(cache=True, error_model="numpy")
def _tk_partition_pivot(kv, ki, first, last, largest):
    x = first + 1
    y = first + (last - first) // 2
    z = last - 1
    if _tk_before(kv[x], kv[y], largest):
        if _tk_before(kv[y], kv[z], largest):
            pick = y
        elif _tk_before(kv[x], kv[z], largest):
            pick = z
        else:
            pick = x
    elif _tk_before(kv[x], kv[z], largest):
        pick = x
    elif _tk_before(kv[y], kv[z], largest):
        pick = z
    else:
        pick = y
    _tk_swap(kv, ki, first, pick)
    pivot = first
    first += 1
    while True:
        while _tk_before(kv[first], kv[pivot], largest):
            first += 1
        last -= 1
        while _tk_before(kv[pivot], kv[last], largest):
            last -= 1
        if not first < last:
            return first
        _tk_swap(kv, ki, first, last)
        first += 1


@njit(cache=True, error_model="numpy")
def _tk_linear_insert(kv, ki, last, largest):
    v = kv[last]
    vi = ki[last]
    prev = last - 1
    while _tk_before(v, kv[prev], largest):
        kv[last] = kv[prev]
        ki[last] = ki[prev]
        last = prev
        prev -= 1
    kv[last] = v
    ki[last] = vi


@njit(cache=True, error_model="numpy")
def _tk_insertion_sort(kv, ki, first, last, largest):
    for i in range(first + 1, last):
        if _tk_before(kv[i], kv[first], largest):
            v = kv[i]
            vi = ki[i]
            for j in range(i, first, -1):
                kv[j] = kv[j - 1]
                ki[j] = ki[j - 1]
            kv[first] = v
            ki[first] = vi
        else:
            _tk_linear_insert(kv, ki, i, largest)


@njit(cache=True, error_model="numpy")
def _tk_log2(n):
    r = -1
    while n > 0:
        n >>= 1
        r += 1
    return r


@njit(cache=True, error_model="numpy")
def _tk_sort(kv, ki, first, last, largest):
    """std::sort: introsort (its recursion on disjoint ranges as a stack) and the final insertion sort."""
    if last - first < 2:
        return
    stack = np.empty((128, 3), np.int64)
    top = 0
    stack[0, 0] = first
    stack[0, 1] = last
    stack[0, 2] = 2 * _tk_log2(last - first)
    top = 1
    while top > 0:
        top -= 1
        lo = stack[top, 0]
        hi = stack[top, 1]
        depth = stack[top, 2]
        while hi - lo > 16:
            if depth == 0:
                _tk_partial_sort(kv, ki, lo, hi, hi, largest)
                break
            depth -= 1
            cut = _tk_partition_pivot(kv, ki, lo, hi, largest)
            stack[top, 0] = cut
            stack[top, 1] = hi
            stack[top, 2] = depth
            top += 1
            hi = cut
    if last - first > 16:
        _tk_insertion_sort(kv, ki, first, first + 16, largest)
        for i in range(first + 16, last):
            _tk_linear_insert(kv, ki, i, largest)
    else:
        _tk_insertion_sort(kv, ki, first, last, largest)


@njit(cache=True, error_model="numpy")
def topk_row(keys, k, largest, sorted_, kv, ki):
    """ki[:k] = torch's topk indices of keys (kv: scratch of keys' size)."""
    n = keys.size
    for j in range(n):
        kv[j] = keys[j]
        ki[j] = j
    if k * 64 <= n:
        _tk_partial_sort(kv, ki, 0, k, n, largest)
        return
    first = 0
    last = n
    nth = k - 1
    if nth != last:
        depth = 2 * _tk_log2(last - first)
        done = False
        while last - first > 3:
            if depth == 0:
                _tk_heap_select(kv, ki, first, nth + 1, last, largest)
                _tk_swap(kv, ki, first, nth)
                done = True
                break
            depth -= 1
            cut = _tk_partition_pivot(kv, ki, first, last, largest)
            if cut <= nth:
                first = cut
            else:
                last = cut
        if not done:
            _tk_insertion_sort(kv, ki, first, last, largest)
    if sorted_:
        _tk_sort(kv, ki, 0, k - 1, largest)


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
    if mode == SEL_INDEX or mode == SEL_MASK:
        _fwd_by_index(vals, meta, out, a, rows, L, k, mode, G, pos0, out0)
        return
    keys = np.empty(L)
    order = np.empty(max(L, 1), np.int64)
    tmp = np.empty(max(L, 1), np.int64)
    for r in range(rows):
        for j in range(L):
            v = vals[a + meta[pos0 + r * L + j]]
            keys[j] = -v if mode == SEL_SORT_DESC else v
        start = meta[ia + 4]
        if mode == SEL_KTH:
            order[0] = quick_select(keys, start, np.empty(L), tmp)
            start = 0
        elif mode == SEL_CUMMAX or mode == SEL_CUMMIN:
            best = 0
            for j in range(L):
                v = keys[j]
                w = keys[best]
                if j == 0 or v != v or (w == w and (v >= w if mode == SEL_CUMMAX else v <= w)):
                    best = j
                order[j] = best
            start = 0
        elif SEL_TOPK <= mode <= SEL_TOPK_SMALLEST_UNSORTED and L <= TOPK_EXACT_MAX:
            largest = mode == SEL_TOPK or mode == SEL_TOPK_UNSORTED
            sorted_ = mode == SEL_TOPK or mode == SEL_TOPK_SMALLEST
            topk_row(keys, k, largest, sorted_, np.empty(L), order)
            start = 0
        elif SEL_TOPK <= mode <= SEL_TOPK_SMALLEST_UNSORTED:      # (long rows: the stable order, as eager mode)
            _stable_order(keys if mode >= SEL_TOPK_SMALLEST else -keys, order, tmp, mode < SEL_TOPK_SMALLEST)
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
            if mode == SEL_MODE:
                best = 0
                best_n = 0
                j = 0
                while j < L:
                    e = j + 1
                    while e < L and keys[order[e]] == keys[order[j]]:
                        e += 1
                    if e - j > best_n:
                        best_n = e - j
                        best = j
                    j = e
                last = order[best]
                for t in range(best, best + best_n):
                    last = max(last, order[t])
                order[0] = last
                start = 0
            elif mode == SEL_MEDIAN:
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


@njit(cache=True, error_model="numpy")
def _fwd_by_index(vals, meta, out, a, rows, L, k, mode, G, pos0, out0):
    """_fwd_select of SEL_INDEX / SEL_MASK: the picks are the values of a
    recorded index (each result's index read at a + its index position) or
    the true elements of a recorded mask (in order, the first k of each
    row). An index out of [0, L) or fewer than k true elements (values the
    recording's guards reject: this replay records again) pick position 0,
    so nothing is read or written out of bounds."""
    ip0 = out0 + rows * k
    for r in range(rows):
        if mode == SEL_INDEX:
            for t in range(k):
                v = vals[a + meta[ip0 + r * k + t]]
                sel = int(v) if v >= 0.0 and v < L else 0
                o = meta[out0 + r * k + t]
                vals[out + o] = sel
                if G >= 0:
                    meta[G + o] = meta[pos0 + r * L + sel]
        else:
            t = 0
            for j in range(L):
                if t < k and vals[a + meta[ip0 + j]] != 0.0:
                    o = meta[out0 + r * k + t]
                    vals[out + o] = j
                    if G >= 0:
                        meta[G + o] = meta[pos0 + r * L + j]
                    t += 1
            while t < k:
                o = meta[out0 + r * k + t]
                vals[out + o] = 0
                if G >= 0:
                    meta[G + o] = meta[pos0 + r * L]
                t += 1
