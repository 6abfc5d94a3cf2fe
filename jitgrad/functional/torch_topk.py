"""torch's CPU topk order: which of equal values it returns and, for
sorted=False, the order it leaves them in. Its kernel (TopKImpl.h) fills a
vector of (value, index) pairs and runs libstdc++'s std::partial_sort (when
k * 64 <= n) or std::nth_element, then std::sort of the first k - 1 when
sorted; both are deterministic and are written out here step by step (heap
select, introselect with median-of-three pivots, insertion sorts) so that
the indices match torch's. functional/more_ops.topk uses it for rows with
ties and for sorted=False."""
from __future__ import annotations

_SORT_THRESHOLD = 16    # libstdc++'s std::sort: insertion sort below this many elements


def _before(largest: bool):
    """torch's comparator of (value, index) pairs: nan ranks largest."""
    if largest:
        return lambda x, y: (x[0] != x[0] and y[0] == y[0]) or x[0] > y[0]
    return lambda x, y: (x[0] == x[0] and y[0] != y[0]) or x[0] < y[0]


# ----- heaps (std::make_heap, pop_heap, sort_heap, partial_sort) ---------------------------

def _push_heap(a, first, hole, top, value, comp):
    parent = (hole - 1) // 2
    while hole > top and comp(a[first + parent], value):
        a[first + hole] = a[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    a[first + hole] = value


def _adjust_heap(a, first, hole, length, value, comp):
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if comp(a[first + child], a[first + child - 1]):
            child -= 1
        a[first + hole] = a[first + child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        a[first + hole] = a[first + child - 1]
        hole = child - 1
    _push_heap(a, first, hole, top, value, comp)


def _make_heap(a, first, last, comp):
    length = last - first
    if length < 2:
        return
    parent = (length - 2) // 2
    while True:
        _adjust_heap(a, first, parent, length, a[first + parent], comp)
        if parent == 0:
            return
        parent -= 1


def _pop_heap(a, first, last, result, comp):
    value = a[result]
    a[result] = a[first]
    _adjust_heap(a, first, 0, last - first, value, comp)


def _heap_select(a, first, middle, last, comp):
    _make_heap(a, first, middle, comp)
    for i in range(middle, last):
        if comp(a[i], a[first]):
            _pop_heap(a, first, middle, i, comp)


def _partial_sort(a, first, middle, last, comp):
    _heap_select(a, first, middle, last, comp)
    while middle - first > 1:       # (std::sort_heap)
        middle -= 1
        _pop_heap(a, first, middle, middle, comp)


# ----- partitions and insertion sorts (std::nth_element, std::sort) ------------------------

def _move_median_to_first(a, result, x, y, z, comp):
    if comp(a[x], a[y]):
        pick = y if comp(a[y], a[z]) else z if comp(a[x], a[z]) else x
    else:
        pick = x if comp(a[x], a[z]) else z if comp(a[y], a[z]) else y
    a[result], a[pick] = a[pick], a[result]


def _partition_pivot(a, first, last, comp):
    """std::__unguarded_partition_pivot: median-of-three to `first`, then partition."""
    _move_median_to_first(a, first, first + 1, first + (last - first) // 2, last - 1, comp)
    pivot = first
    first += 1
    while True:
        while comp(a[first], a[pivot]):
            first += 1
        last -= 1
        while comp(a[pivot], a[last]):
            last -= 1
        if not first < last:
            return first
        a[first], a[last] = a[last], a[first]
        first += 1


def _linear_insert(a, last, comp):
    value = a[last]
    prev = last - 1
    while comp(value, a[prev]):
        a[last] = a[prev]
        last = prev
        prev -= 1
    a[last] = value


def _insertion_sort(a, first, last, comp):
    for i in range(first + 1, last):
        if comp(a[i], a[first]):
            value = a[i]
            a[first + 1:i + 1] = a[first:i]
            a[first] = value
        else:
            _linear_insert(a, i, comp)


def _nth_element(a, first, nth, last, comp):
    if first == last or nth == last:
        return
    depth = 2 * ((last - first).bit_length() - 1)
    while last - first > 3:
        if depth == 0:
            _heap_select(a, first, nth + 1, last, comp)
            a[first], a[nth] = a[nth], a[first]
            return
        depth -= 1
        cut = _partition_pivot(a, first, last, comp)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(a, first, last, comp)


def _introsort_loop(a, first, last, depth, comp):
    while last - first > _SORT_THRESHOLD:
        if depth == 0:
            _partial_sort(a, first, last, last, comp)
            return
        depth -= 1
        cut = _partition_pivot(a, first, last, comp)
        _introsort_loop(a, cut, last, depth, comp)
        last = cut


def _sort(a, first, last, comp):
    if last - first < 2:
        return
    _introsort_loop(a, first, last, 2 * ((last - first).bit_length() - 1), comp)
    if last - first > _SORT_THRESHOLD:
        _insertion_sort(a, first, first + _SORT_THRESHOLD, comp)
        for i in range(first + _SORT_THRESHOLD, last):
            _linear_insert(a, i, comp)
    else:
        _insertion_sort(a, first, last, comp)


def topk_indices(row, k: int, largest: bool, sorted_: bool) -> list:
    """torch's topk indices of one row (a sequence of numbers)."""
    n = len(row)
    a = [(float(v), j) for j, v in enumerate(row)]
    comp = _before(largest)
    if k * 64 <= n:
        _partial_sort(a, 0, k, n, comp)
    else:
        _nth_element(a, 0, k - 1, n, comp)
        if sorted_:
            _sort(a, 0, k - 1, comp)
    return [j for _, j in a[:k]]
