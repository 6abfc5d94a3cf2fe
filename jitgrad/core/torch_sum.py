"""torch's CPU sum of all elements, bit for bit (ATen's SumKernel.cpp
`cascade_sum`), for eager `x.sum()` / `x.mean()` and the replay's SUM records.

torch does not add the elements one by one (NumPy's pairwise sum below 8
elements, unrolled by 8 above): the row is read as vectors of 4 doubles /
8 floats (AVX2), the vectors summed by 4 interleaved cascades (chunks of 16+
vectors summed, the chunk sums summed in chunks, ...), then the elements past
the last whole vector and the vector's lanes are added one by one to 0; a row
shorter than a vector is 4 interleaved cascades of elements. Above 32768
elements (the grain size) each of torch's threads sums its slice and the
slices' sums are summed. NumPy's order differed from torch's in ~1 sum in 2
from 5 elements on (the last bit of every `loss.item()`).

One kernel serves float64 and float32 storage (`f32`: each addition rounded
to float32, as float32 additions are). Non-recursive: Numba's cached kernels
call it from the replay."""
import math
from array import array as _array

import numpy as np
from numba import njit

from .layouts import reorder

GRAIN = 32768       # at::internal::GRAIN_SIZE: torch splits longer sums between threads


@njit(cache=True, error_model="numpy", inline="always")
def _r32(x):
    return np.float64(np.float32(x))


@njit(cache=True, error_model="numpy")
def _rows(v, s, size, lanes, f32):
    """row_sum of `size` items of `lanes` consecutive values from v[s]: 4
    interleaved multi-level cascades, the leftover items into the first, then
    the four added. Returns the lanes' sums."""
    size_ilp = size // 4
    ceil_log2 = 1       # utils::CeilLog2: 1 up to 2, else the bit length of size - 1
    m = size_ilp - 1
    while size_ilp > 2 and m > 1:
        m >>= 1
        ceil_log2 += 1
    power = max(4, ceil_log2 // 4)
    step = 1 << power
    mask = step - 1
    acc = np.zeros((4, 4, lanes))
    i = 0
    while i + step <= size_ilp:
        for _ in range(step):
            for k in range(4):
                base = s + (i * 4 + k) * lanes
                for q in range(lanes):
                    t = acc[0, k, q] + v[base + q]
                    acc[0, k, q] = _r32(t) if f32 else t
            i += 1
        for j in range(1, 4):
            for k in range(4):
                for q in range(lanes):
                    t = acc[j, k, q] + acc[j - 1, k, q]
                    acc[j, k, q] = _r32(t) if f32 else t
                    acc[j - 1, k, q] = 0.0
            if (i & (mask << (j * power))) != 0:
                break
    while i < size_ilp:
        for k in range(4):
            base = s + (i * 4 + k) * lanes
            for q in range(lanes):
                t = acc[0, k, q] + v[base + q]
                acc[0, k, q] = _r32(t) if f32 else t
        i += 1
    for j in range(1, 4):
        for k in range(4):
            for q in range(lanes):
                t = acc[0, k, q] + acc[j, k, q]
                acc[0, k, q] = _r32(t) if f32 else t
    out = acc[0, 0].copy()
    for i in range(size_ilp * 4, size):
        base = s + i * lanes
        for q in range(lanes):
            t = out[q] + v[base + q]
            out[q] = _r32(t) if f32 else t
    for k in range(1, 4):
        for q in range(lanes):
            t = out[q] + acc[0, k, q]
            out[q] = _r32(t) if f32 else t
    return out


@njit(cache=True, error_model="numpy")
def _one_thread(v, s, n, f32):
    """One thread's slice: vectorized_inner_sum (or scalar_inner_sum when
    shorter than a vector), stored by += into torch's zero-filled output."""
    width = 8 if f32 else 4
    if n >= width:
        nvec = n // width
        lanes = _rows(v, s, nvec, width, f32)
        total = 0.0
        for k in range(nvec * width, n):
            total = total + v[s + k]
            if f32:
                total = _r32(total)
        for q in range(width):
            total = total + lanes[q]
            if f32:
                total = _r32(total)
    else:
        total = _rows(v, s, n, np.int64(1), f32)[0]     # (int64, not a literal 1: one compiled _rows)
    return 0.0 + total


@njit(cache=True, error_model="numpy")
def torch_sum(v, s, n, f32, threads):
    """torch's sum of v[s:s+n] (float64 result; float32 arithmetic if f32)
    with `threads` intra-op threads (torch.get_num_threads())."""
    if n <= GRAIN or threads <= 1:
        return _one_thread(v, s, n, f32)
    tasks = min(threads, (n + GRAIN - 1) // GRAIN)
    chunk = (n + tasks - 1) // tasks
    parts = np.zeros(tasks)
    count = 0
    for t in range(tasks):
        lo = t * chunk
        if lo < n:
            parts[t] = _one_thread(v, s + lo, min(chunk, n - lo), f32)
            count = t + 1
    return _one_thread(parts, np.int64(0), np.int64(count), f32)     # (no literal: one compiled _one_thread)


@njit(cache=True, error_model="numpy")
def _cascade(v, s, stride, size, f32):
    """multi_row_sum for one column: `size` values v[s], v[s + stride], ...
    added into one 4-level cascade (chunks of 16+ summed, the chunk sums in
    chunks, ...), the levels then added into the first. (The levels are
    locals, not an array: a sum over a short last dim calls this per row.)"""
    ceil_log2 = 1
    m = size - 1
    while size > 2 and m > 1:
        m >>= 1
        ceil_log2 += 1
    power = max(4, ceil_log2 // 4)
    step = 1 << power
    mask = step - 1
    a0 = a1 = a2 = a3 = 0.0
    i = 0
    while i + step <= size:
        for _ in range(step):
            t = a0 + v[s + i * stride]
            a0 = _r32(t) if f32 else t
            i += 1
        # (each level passes its sum up and restarts, until a level's chunk is unfinished)
        t = a1 + a0
        a1 = _r32(t) if f32 else t
        a0 = 0.0
        if (i & (mask << power)) == 0:
            t = a2 + a1
            a2 = _r32(t) if f32 else t
            a1 = 0.0
            if (i & (mask << (2 * power))) == 0:
                t = a3 + a2
                a3 = _r32(t) if f32 else t
                a2 = 0.0
    while i < size:
        t = a0 + v[s + i * stride]
        a0 = _r32(t) if f32 else t
        i += 1
    total = a0
    for level in (a1, a2, a3):
        t = total + level
        total = _r32(t) if f32 else t
    return total


@njit(cache=True, error_model="numpy")
def _row_sum(v, s, stride, size, f32):
    """row_sum for one column: the values read as rows of 4, the 4 columns
    summed by interleaved cascades (_rows with one lane, any stride)."""
    size_ilp = size // 4
    if size_ilp == 0:       # (under 4 values: the empty cascades' +0.0s added once)
        p0 = 0.0
        for i in range(size):
            t = p0 + v[s + i * stride]
            p0 = _r32(t) if f32 else t
        return p0 + 0.0
    p0 = _cascade(v, s, 4 * stride, size_ilp, f32)
    p1 = _cascade(v, s + stride, 4 * stride, size_ilp, f32)
    p2 = _cascade(v, s + 2 * stride, 4 * stride, size_ilp, f32)
    p3 = _cascade(v, s + 3 * stride, 4 * stride, size_ilp, f32)
    for i in range(size_ilp * 4, size):
        t = p0 + v[s + i * stride]
        p0 = _r32(t) if f32 else t
    total = p0
    for part in (p1, p2, p3):
        t = total + part
        total = _r32(t) if f32 else t
    return total


@njit(cache=True, error_model="numpy")
def _store(out, o, val, f32):
    t = out[o] + val        # torch's output is zero-filled, then added to
    out[o] = _r32(t) if f32 else t


@njit(cache=True, error_model="numpy")
def _loop2d(v, s, s0, s1, n0, n1, out, o, o0, o1, f32):
    """cascade_sum's loop over one 2-D block of TensorIterator's (strides in
    elements; o0, o1: the output's, 0 along reduced dims)."""
    width = 8 if f32 else 4     # an AVX2 vector (torch's sum kernel is not dispatched to AVX512)
    if o0 != 0 and o1 == 0:     # the reduced dim first
        s0, s1 = s1, s0
        o0, o1 = o1, o0
        n0, n1 = n1, n0
    if o0 != 0:                 # not a reduction: out += x
        for j in range(n1):
            for i in range(n0):
                _store(out, o + i * o0 + j * o1, v[s + i * s0 + j * s1], f32)
    elif s0 == 1 and n0 >= width:   # vectorized_inner_sum: rows contiguous
        nvec = n0 // width
        for j in range(n1):
            base = s + j * s1
            total = 0.0
            for k in range(nvec * width, n0):
                t = total + v[base + k]
                total = _r32(t) if f32 else t
            for q in range(width):
                t = total + _row_sum(v, base + q, width, nvec, f32)
                total = _r32(t) if f32 else t
            _store(out, o + j * o1, total, f32)
    elif s1 == 1 and n1 >= width or s0 >= s1:
        # vectorized_outer_sum / scalar_outer_sum: columns side by side, each
        # group of 4 vectors (4 columns when scalar) a multi_row_sum (one
        # cascade per column), the columns past the groups row_sums
        cut = n1 - n1 % (4 * width if s1 == 1 and n1 >= width else 4)
        for j in range(n1):
            if j < cut:
                val = _cascade(v, s + j * s1, s0, n0, f32)
            else:
                val = _row_sum(v, s + j * s1, s0, n0, f32)
            _store(out, o + j * o1, val, f32)
    else:                       # scalar_inner_sum
        for j in range(n1):
            _store(out, o + j * o1, _row_sum(v, s + j * s1, s0, n0, f32), f32)


@njit(cache=True, error_model="numpy")
def _reduce(v, s0, shape, istr, ostr, out, f32):
    """serial_for_each: _loop2d over dims 0 and 1 for every index of the
    others (the input from v[s0])."""
    nd = shape.size
    outer = 1
    for d in range(2, nd):
        outer *= shape[d]
    idx = np.zeros(nd, np.int64)
    for _ in range(outer):
        s = s0
        o = 0
        for d in range(2, nd):
            s += idx[d] * istr[d]
            o += idx[d] * ostr[d]
        _loop2d(v, s, istr[0], istr[1], shape[0], shape[1], out, o, ostr[0], ostr[1], f32)
        d = 2
        while d < nd:
            idx[d] += 1
            if idx[d] < shape[d]:
                break
            idx[d] = 0
            d += 1


def _iterator(shape: tuple, istr: list, reduced: tuple):
    """TensorIterator's dims for a reduction (reorder_dimensions, then
    coalesce_dimensions), with the output contiguous in its kept shape:
    shape, input and output strides (in elements), fastest dim first."""
    ostr, step = [0] * len(shape), 1
    for d in reversed(range(len(shape))):
        if d not in reduced:
            ostr[d], step = step, step * shape[d]
    dims = [d for d in reversed(range(len(shape))) if shape[d] != 1]

    def after(d0, d1):      # should_swap: 1 if d0 goes after d1, -1 before, 0 unknown
        if (ostr[d0] == 0) != (ostr[d1] == 0):
            return 1 if ostr[d1] == 0 else -1
        for strides in (ostr, istr):
            a, b = strides[d0], strides[d1]
            if a == 0 or b == 0:
                continue
            if a != b:
                return -1 if a < b else 1
            if shape[d0] > shape[d1]:
                return 1
        return 0
    reorder(dims, after)
    sh, ins, outs = [], [], []
    for d in dims:
        if sh and sh[-1] * ins[-1] == istr[d] and sh[-1] * outs[-1] == ostr[d]:
            sh[-1] *= shape[d]
        else:
            sh.append(shape[d])
            ins.append(istr[d])
            outs.append(ostr[d])
    while len(sh) < 2:
        sh.append(1)
        ins.append(0)
        outs.append(0)
    return (np.array(sh, np.int64), np.array(ins, np.int64), np.array(outs, np.int64))


# (shape, strides, dims) -> _iterator's loops: a model sums the same shapes every step
_LOOPS: dict = {}


def sum_dims(arr: np.ndarray, dims: tuple, keepdim: bool) -> np.ndarray:
    """torch's CPU sum of a float32/float64 array over `dims` (TensorIterator's
    order of dims, cascade_sum's loops), element for element; the result in
    arr's dtype. A full sum of many elements is split between threads
    (torch_sum); a sum over dims is split by output elements, which leaves
    each output's order as it is."""
    f32 = arr.dtype == np.float32
    kept = tuple(1 if d in dims else n for d, n in enumerate(arr.shape))
    shape = kept if keepdim else tuple(n for d, n in enumerate(arr.shape) if d not in dims)
    if math.prod(kept) == 1:        # one output: torch_sum (threads split it)
        return np.full(shape, sum_array(arr) if arr.size else 0.0, arr.dtype)
    if arr.size == 0:
        return np.zeros(shape, arr.dtype)
    item = arr.itemsize
    if any(s < 0 or s % item for s in arr.strides):
        arr = np.ascontiguousarray(arr)
    istr = [s // item for s in arr.strides]
    key = (arr.shape, tuple(istr), tuple(dims))
    loops = _LOOPS.get(key)
    if loops is None:
        if len(_LOOPS) > 512:
            _LOOPS.clear()
        loops = _LOOPS[key] = _iterator(arr.shape, istr, dims)     # (_reduce only reads them)
    sh, ins, outs = loops
    if arr.flags.c_contiguous and arr.flags.writeable:
        flat = arr.reshape(-1)      # (as_strided's view of it, at a twentieth of the cost)
    else:
        span = 1 + sum(s * (n - 1) for s, n in zip(istr, arr.shape))
        flat = np.lib.stride_tricks.as_strided(arr, (span,), (item,))
    out = np.zeros(math.prod(kept))
    _reduce(flat, 0, sh, ins, outs, out, f32)
    return out.astype(arr.dtype).reshape(shape)


@njit(cache=True, error_model="numpy")
def sum_by_index(v, s, m, idx, pos, n, f32, threads):
    """sum_dims for a tape's SUM_IDX record: v[s:s+m] a C-order tensor whose
    element i sums into output idx[pos + i] (of n, C order). The reduced and
    kept dims are read off the index map (runs of equal / consecutive
    outputs, as blocks of coalesced dims from the innermost); TensorIterator
    puts the reduced ones first. Returns the n sums (float64 values)."""
    out = np.zeros(n)
    if n == 1:
        out[0] = torch_sum(v, s, m, f32, threads)
        return out
    shape = np.ones(2 * 64, np.int64)
    istr = np.zeros(2 * 64, np.int64)
    ostr = np.zeros(2 * 64, np.int64)
    kept = np.zeros(2 * 64, np.bool_)
    nb = 0
    cur = 1
    ostep = 1
    first = idx[pos]
    while cur < m and nb < 64:
        size = 1
        if idx[pos + cur] == first:         # a reduced block
            while size * cur < m and idx[pos + size * cur] == first:
                size += 1
        else:
            while size * cur < m and idx[pos + size * cur] == first + size * ostep:
                size += 1
            kept[nb] = True
            ostr[nb] = ostep
            ostep *= size
        shape[nb] = size
        istr[nb] = cur
        cur *= size
        nb += 1
    order = np.zeros(max(nb, 2), np.int64)
    k = 0
    for want in (False, True):
        for b in range(nb):
            if kept[b] == want:
                order[k] = b
                k += 1
    if nb < 2:                      # (a block of one: the second dim of size 1)
        order[1] = nb
    _reduce(v, s, shape[order], istr[order], ostr[order], out, f32)
    return out


def _default_threads() -> int:
    """torch's default intra-op thread count: the physical cores (the
    usable CPUs here; at least 1)."""
    try:
        import os
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):       # pragma: no cover  (no sched_getaffinity)
        import os
        return max(1, os.cpu_count() or 1)


THREADS = _default_threads()


def sum_array(arr: np.ndarray) -> float:
    """torch's sum of a float32/float64 array's elements in memory order."""
    flat = arr.ravel(order="K")
    if not flat.flags.c_contiguous:
        flat = np.ascontiguousarray(flat)
    return float(torch_sum(flat, 0, flat.size, flat.dtype == np.float32, THREADS))


def sum_floats(xs: list, f32: bool) -> float:
    """torch's sum of Python floats (the small paths), written out up to 7:
    below a vector (4 doubles, 8 floats) and below 4 elements one by one; 4 to
    7 doubles: the elements past the first vector, then its 4 lanes; 4 to 7
    floats: x0 and the elements past the first 4 (one cascade), then x1, x2, x3.
    Longer lists: sum_array."""
    n = len(xs)
    if n > 7:
        return sum_array(np.array(xs, np.float32 if f32 else np.float64))
    if n < 4:
        order = xs
    elif f32:
        order = [xs[0]] + xs[4:] + xs[1:4]
    else:
        order = xs[4:] + xs[:4]
    total = 0.0
    if f32:
        buf = _array("f", [0.0])        # (float32 rounding, inf on overflow without a warning)
        for x in order:
            buf[0] = total + x
            total = buf[0]
    else:
        for x in order:
            total = total + x
    return 0.0 + total


# ----- batch norm's channel sums (autodiff/batch_norm.py) ---------------------
# torch's training batch norm of a 2-D float32 batch takes its statistics per
# channel: each thread's slice of rows accumulated in a float32 buffer (the
# squares and products by fused multiply-adds), the buffers added in float64.

@njit(cache=True, error_model="numpy")
def fma32(a, b, c):
    """float32 a * b + c rounded once (a, b, c float32 values): the product
    is exact in float64; the float64 sum's error decides a float32 tie."""
    p = np.float64(a) * np.float64(b)
    c = np.float64(c)
    s = p + c
    bb = s - p
    err = (p - (s - bb)) + (c - bb)
    r = np.float32(s)
    if err != 0.0:
        d = s - np.float64(r)
        # s halfway between r and its neighbour t = s + d (exact): t is then a
        # float32 and the sum's error picks the side
        t = s + d
        if d != 0.0 and np.float64(np.float32(t)) == t and (err > 0.0) == (d > 0.0):
            r = np.float32(t)
    return r


@njit(cache=True, error_model="numpy")
def batch_norm_sums(x, mean, g, bounds, kind, out):
    """out[j] (float64) = channel j's sum over the rows of x (N, C) float32,
    slice by slice ([bounds[t], bounds[t + 1]): a float32 buffer each, then
    added in float64) of: kind 0 x, 1 (x - mean)^2 (fused), 2 g, 3
    (x - mean) * g (fused)."""
    c = x.shape[1]
    buf = np.zeros(c, np.float32)
    for j in range(c):
        out[j] = 0.0
    for t in range(len(bounds) - 1):
        for j in range(c):
            buf[j] = 0.0
        for i in range(bounds[t], bounds[t + 1]):
            for j in range(c):
                if kind == 0:
                    buf[j] = buf[j] + x[i, j]
                elif kind == 2:
                    buf[j] = buf[j] + g[i, j]
                else:
                    d = np.float32(x[i, j] - mean[j])
                    buf[j] = fma32(d, d if kind == 1 else g[i, j], buf[j])
        for j in range(c):
            out[j] = out[j] + np.float64(buf[j])


@njit(cache=True, error_model="numpy")
def fma32_rows(a, b, c, out):
    """out[i, j] = fma32(a[i, j], b[j], c[i, j]) over a (N, C) float32; c
    (N, C) or one row (1, C) for every row."""
    one = c.shape[0] == 1
    for i in range(a.shape[0]):
        ci = 0 if one else i
        for j in range(a.shape[1]):
            out[i, j] = fma32(a[i, j], b[j], c[ci, j])


# ----- var and std (ATen's ReduceOps.cpp) ----------------------------------------
# With more than one output, torch's var runs WelfordOps on each output's
# elements in memory order, in double; with one output (all dims, a
# vector's dim), `std_var_all_cpu`: the tensor's own mean (in its dtype),
# then the squared deviations summed one by one in double, each of torch's
# threads its slice above the grain size. Both divide by max(N - correction,
# 0) in double and take std's square root there, before the cast to the dtype.

@njit(cache=True, error_model="numpy", inline="always")
def welford_step(mean, m2, count, v):
    """WelfordOps.reduce: (mean, m2) after the count-th value v (count from 1)."""
    d = v - mean
    mean = mean + d / count
    return mean, m2 + d * (v - mean)


@njit(cache=True, error_model="numpy")
def welford_rows(x, corr, root, out, means):
    """out[i] = torch's var (std when `root`) of the row x[i] (x (M, N)
    float64), means[i] its Welford mean (var_mean's)."""
    m, n = x.shape
    div = n - corr if n > corr else 0.0
    for i in range(m):
        mean = 0.0
        m2 = 0.0
        for j in range(n):
            mean, m2 = welford_step(mean, m2, np.float64(j + 1), x[i, j])
        var = m2 / div
        out[i] = np.sqrt(var) if root else var
        means[i] = mean


@njit(cache=True, error_model="numpy")
def squared_deviations(x, mean, threads):
    """sum((x - mean) ** 2) of x (1-D float64) in double as torch's
    parallel_reduce: slices of ceil(n / tasks) elements, each summed one by
    one from 0, the slices' sums added to 0 in order."""
    n = x.size
    tasks = max(1, min(threads, (n + GRAIN - 1) // GRAIN))
    chunk = (n + tasks - 1) // tasks
    total = 0.0
    for t in range(tasks):
        s = 0.0
        for i in range(t * chunk, min(n, (t + 1) * chunk)):
            d = x[i] - mean
            s = s + d * d
        total = total + s
    return total


def mean_all(arr: np.ndarray) -> float:
    """torch's mean of all elements of a float32/float64 array: its sum,
    divided in the dtype."""
    dt = arr.dtype.type
    return float(dt(sum_array(arr)) / dt(arr.size))


def var_value(arr: np.ndarray, dims: tuple, correction: float, root: bool, with_mean: bool = False,
              welford: bool = False, mean32: bool = False):
    """torch's var (std when `root`) of a non-empty float array over `dims`
    (kept as size 1), in its dtype; `with_mean`: (var, mean) as torch's
    var_mean, whose kernel is Welford's for one result too. The elements are
    read in C order (torch reads them in memory order: the same for
    C-contiguous tensors; a replay has a tensor's values in C order).
    `welford`: Welford's update for one result too (var_mean's var);
    `mean32`: the two-pass mean of float64 `arr` as of its float32 values
    (torch's float32 var in double, of which jitgrad's float32 std takes the root)."""
    kept = tuple(1 if i in dims else s for i, s in enumerate(arr.shape))
    if math.prod(kept) <= 1 and not (with_mean or welford):
        flat = np.ascontiguousarray(arr, np.float64).reshape(-1)
        mean = mean_all(np.ascontiguousarray(arr, np.float32 if mean32 else None))
        with np.errstate(all="ignore"):
            var = np.float64(squared_deviations(flat, mean, THREADS)) / np.float64(max(0.0, flat.size - correction))
            return np.full(kept, np.sqrt(var) if root else var, arr.dtype)
    # the reduced dims last (C order within each group): a row per result
    kept_dims = [i for i in range(arr.ndim) if i not in dims]
    moved = np.transpose(arr, kept_dims + sorted(dims))
    rows = np.ascontiguousarray(moved, np.float64).reshape(-1, math.prod(arr.shape[d] for d in dims))
    out, means = np.empty(rows.shape[0]), np.empty(rows.shape[0])
    welford_rows(rows, float(correction), root, out, means)
    with np.errstate(over="ignore"):    # (a float32 variance beyond its range: inf, silently)
        res = out.astype(arr.dtype).reshape(kept)
    return (res, means.astype(arr.dtype).reshape(kept)) if with_mean else res
