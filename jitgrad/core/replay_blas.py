"""matmul records replayed in Numba, bit for bit as eager mode's np.matmul.

Eager mode computes `a @ b` with NumPy's matmul, which picks per matrix pair
a BLAS routine and its arguments from the operands' memory layout: dot for
a 1x1 result, gemv for a vector operand, gemm (no-trans or trans per
operand) for matrices, and its own plain loop (sums from +0.0 in the dtype)
for an inner size of 1 or strides BLAS can't take. The replay has the
operands as flat C-order values, so it lays each matrix out as eager mode's
was (`LAYOUT_C`: rows contiguous, `LAYOUT_F`: columns contiguous, the
recorded transposes) in the recorded dtype and makes the same call through
Numba's `np.dot`. Numba's BLAS is SciPy's OpenBLAS build, not NumPy's: the
replay's validation checks every such record against eager mode's bits and
keeps the NumPy host forward where they differ; without SciPy there is no
Numba BLAS and the host forward stays (`blas_available`).
"""
import importlib.util

import numpy as np
from numba import njit

LAYOUT_C, LAYOUT_F, LAYOUT_LOOP = 0, 1, 2    # rows contiguous, columns contiguous, NumPy's own loop


def blas_available() -> bool:
    """Whether Numba has BLAS (it binds SciPy's), without importing SciPy."""
    return importlib.util.find_spec("scipy") is not None


@njit(cache=True)
def _laid_out(src, off, r, c, like):
    """The (r, c) matrix at src[off:] (C order) as a new C-contiguous array
    of like's dtype (LAYOUT_C)."""
    out = np.empty((r, c), like.dtype)
    for i in range(r):
        for j in range(c):
            out[i, j] = src[off + i * c + j]
    return out


@njit(cache=True)
def _transposed(src, off, r, c, like):
    """The (r, c) matrix at src[off:] as a C-contiguous (c, r) array: its
    `.T` is the matrix with columns contiguous (LAYOUT_F)."""
    out = np.empty((c, r), like.dtype)
    for i in range(r):
        for j in range(c):
            out[j, i] = src[off + i * c + j]
    return out


@njit(cache=True)
def _loop(A, B, dst, dpos):
    """NumPy's matmul loop without BLAS: each output from +0.0, products
    added one at a time in the dtype."""
    m, n = A.shape
    p = B.shape[1]
    zero = np.zeros(1, A.dtype)[0]
    for i in range(m):
        for j in range(p):
            s = zero
            for k in range(n):
                s = s + A[i, k] * B[k, j]
            dst[dpos + i * p + j] = s


@njit(cache=True)
def _product(A, B, dst, dpos):
    """dst[dpos:] = A @ B (C order) by NumPy matmul's choice of routine:
    dot for a 1x1 result, gemv for a row or column, else gemm."""
    m, n = A.shape
    p = B.shape[1]
    if m == 0 or p == 0:
        return
    if m == 1 and p == 1:
        u = np.empty(n, A.dtype)
        v = np.empty(n, A.dtype)
        for k in range(n):
            u[k] = A[0, k]
            v[k] = B[k, 0]
        dst[dpos] = np.dot(u, v)
    elif m == 1:
        u = np.empty(n, A.dtype)
        for k in range(n):
            u[k] = A[0, k]
        row = np.dot(u, B)
        for j in range(p):
            dst[dpos + j] = row[j]
    elif p == 1:
        v = np.empty(n, A.dtype)
        for k in range(n):
            v[k] = B[k, 0]
        col = np.dot(A, v)
        for i in range(m):
            dst[dpos + i] = col[i]
    else:
        res = np.dot(A, B)
        for i in range(m):
            for j in range(p):
                dst[dpos + i * p + j] = res[i, j]


@njit(cache=True)
def _pair(A, B, dst, dpos, loop):
    if loop:
        _loop(A, B, dst, dpos)
    else:
        _product(A, B, dst, dpos)


@njit(cache=True)
def _typed_forward(vals, src_a, off_a, src_b, off_b, out, m, n, p, la, lb, like):
    # (an inner size of 1 and strides BLAS can't take: NumPy's own loop)
    loop = la == LAYOUT_LOOP or lb == LAYOUT_LOOP or n <= 1
    for t in range(off_a.size):
        pos = out + t * m * p
        if la == LAYOUT_F:
            at = _transposed(src_a, off_a[t], m, n, like)
            if lb == LAYOUT_F:
                _pair(at.T, _transposed(src_b, off_b[t], n, p, like).T, vals, pos, loop)
            else:
                _pair(at.T, _laid_out(src_b, off_b[t], n, p, like), vals, pos, loop)
        else:
            a = _laid_out(src_a, off_a[t], m, n, like)
            if lb == LAYOUT_F:
                _pair(a, _transposed(src_b, off_b[t], n, p, like).T, vals, pos, loop)
            else:
                _pair(a, _laid_out(src_b, off_b[t], n, p, like), vals, pos, loop)


@njit(cache=True)
def matmul_forward(vals, src_a, off_a, src_b, off_b, out, dims, la, lb, f32):
    """vals[out:] = the matmul of the (m, n) matrices at src_a[off_a[t]] and
    the (n, p) ones at src_b[off_b[t]] (one offset pair per output batch t,
    dims = (m, n, p)), laid out as `la` / `lb` (LAYOUT_*) in float32 when
    `f32`, else float64."""
    if f32:
        _typed_forward(vals, src_a, off_a, src_b, off_b, out, dims[0], dims[1], dims[2], la, lb,
                       np.empty(0, np.float32))
    else:
        _typed_forward(vals, src_a, off_a, src_b, off_b, out, dims[0], dims[1], dims[2], la, lb,
                       np.empty(0, np.float64))
