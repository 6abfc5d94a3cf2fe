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
from array import array as _array

import numpy as np
from numba import njit

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
