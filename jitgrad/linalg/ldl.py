"""torch.linalg.ldl_factor(_ex) / ldl_solve: LAPACK's symmetric indefinite
factorisation (sytf2, lower, Bunch-Kaufman pivoting: 1x1 and 2x2 blocks,
negative pivots for 2x2) and its solve (sytrs), in NumPy. Values only: a
backward through them raises torch's "derivative ... is not implemented"."""
from __future__ import annotations

import math

import numpy as np

from ..autograd.function import Function
from ..core import dtypes as D
from ..tensors.tensor import Tensor
from .common import _named_node, _np, _Result, _wrap

_ALPHA = (1.0 + math.sqrt(17.0)) / 8.0


def _sytf2(a: np.ndarray) -> tuple:
    """(LD lower, 1-based pivots, info) of one symmetric matrix (its lower triangle is read)."""
    A = np.tril(np.array(a, np.float64))
    A = A + np.tril(A, -1).T
    n = A.shape[0]
    ipiv = np.zeros(n, np.int32)
    info, k = 0, 0
    while k < n:
        kstep, absakk = 1, abs(A[k, k])
        if k < n - 1:
            imax = k + 1 + int(np.argmax(np.abs(A[k + 1:, k])))
            colmax = abs(A[imax, k])
        else:
            imax, colmax = k, 0.0
        if max(absakk, colmax) == 0.0 or math.isnan(absakk):
            info = info or k + 1
            kp = k
        else:
            if absakk >= _ALPHA * colmax:
                kp = k
            else:
                rowmax = float(np.max(np.abs(A[imax, k:imax])))
                if imax < n - 1:
                    rowmax = max(rowmax, float(np.max(np.abs(A[imax + 1:, imax]))))
                if absakk >= _ALPHA * colmax * (colmax / rowmax):
                    kp = k
                elif abs(A[imax, imax]) >= _ALPHA * rowmax:
                    kp = imax
                else:
                    kp, kstep = imax, 2
            kk = k + kstep - 1
            if kp != kk:    # swap rows and columns kk, kp of the trailing matrix (lower triangle kept)
                A[kp + 1:, [kk, kp]] = A[kp + 1:, [kp, kk]]
                seg = A[kk + 1:kp, kk].copy()
                A[kk + 1:kp, kk] = A[kp, kk + 1:kp]
                A[kp, kk + 1:kp] = seg
                A[kk, kk], A[kp, kp] = A[kp, kp], A[kk, kk]
                if kstep == 2:
                    A[k + 1, k], A[kp, k] = A[kp, k], A[k + 1, k]
            if kstep == 1:
                if k < n - 1:
                    d11 = 1.0 / A[k, k]
                    x = A[k + 1:, k].copy()
                    A[k + 1:, k + 1:] -= np.tril(d11 * np.outer(x, x))
                    A[k + 1:, k] *= d11
            elif k < n - 2:
                d21 = A[k + 1, k]
                d11, d22 = A[k + 1, k + 1] / d21, A[k, k] / d21
                d21 = (1.0 / (d11 * d22 - 1.0)) / d21
                for j in range(k + 2, n):
                    wk = d21 * (d11 * A[j, k] - A[j, k + 1])
                    wkp1 = d21 * (d22 * A[j, k + 1] - A[j, k])
                    A[j:, j] -= A[j:, k] * wk + A[j:, k + 1] * wkp1
                    A[j, k], A[j, k + 1] = wk, wkp1
        if kstep == 1:
            ipiv[k] = kp + 1
        else:
            ipiv[k] = ipiv[k + 1] = -(kp + 1)
        k += kstep
    return np.tril(A), ipiv, info


def _sytrs(A: np.ndarray, ipiv: np.ndarray, b: np.ndarray) -> np.ndarray:
    """X with (the factored) A X = b, LAPACK sytrs (lower)."""
    B = np.array(b, np.float64)
    n = A.shape[0]
    k = 0
    while k < n:            # L D Y = P b
        if ipiv[k] > 0:
            kp = ipiv[k] - 1
            B[[k, kp]] = B[[kp, k]]
            B[k + 1:] -= np.outer(A[k + 1:, k], B[k])
            B[k] /= A[k, k]
            k += 1
        else:
            kp = -ipiv[k] - 1
            B[[k + 1, kp]] = B[[kp, k + 1]]
            B[k + 2:] -= np.outer(A[k + 2:, k], B[k]) + np.outer(A[k + 2:, k + 1], B[k + 1])
            akm1k = A[k + 1, k]
            akm1, ak = A[k, k] / akm1k, A[k + 1, k + 1] / akm1k
            denom = akm1 * ak - 1.0
            bkm1, bk = B[k] / akm1k, B[k + 1] / akm1k
            B[k], B[k + 1] = (ak * bkm1 - bk) / denom, (akm1 * bk - bkm1) / denom
            k += 2
    k = n - 1
    while k >= 0:           # L^T P^T X = Y
        if ipiv[k] > 0:
            B[k] -= A[k + 1:, k] @ B[k + 1:]
            kp = ipiv[k] - 1
            B[[k, kp]] = B[[kp, k]]
            k -= 1
        else:
            B[k] -= A[k + 1:, k] @ B[k + 1:]
            B[k - 1] -= A[k + 1:, k - 1] @ B[k + 1:]
            kp = -ipiv[k] - 1
            B[[k, kp]] = B[[kp, k]]
            k -= 2
    return B


def _no_derivative(name: str) -> type:
    class _Values(Function):
        @staticmethod
        def forward(ctx, src, values):
            return values.clone()

        @staticmethod
        def backward(ctx, grad):
            raise RuntimeError(f"derivative for aten::{name} is not implemented")
    return _named_node(_Values, "NotImplemented")


_FACTOR_NODE = _no_derivative("linalg_ldl_factor_ex")
_SOLVE_NODE = _no_derivative("linalg_ldl_solve")


def _batched(fn, *arrays: np.ndarray) -> list:
    lead = arrays[0].shape[:-2]
    flat = [a.reshape((-1,) + a.shape[len(lead):]) for a in arrays]
    return [fn(*parts) for parts in zip(*flat)], lead


def ldl_factor_ex(A: Tensor, *, hermitian: bool = False, check_errors: bool = False) -> _Result:
    if A.ndim < 2:
        raise RuntimeError("torch.linalg.ldl_factor_ex: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"torch.linalg.ldl_factor_ex: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    if not A.dtype.is_floating_point:
        raise RuntimeError("torch.linalg.ldl_factor_ex: Expected a floating point or complex tensor as input. Got "
                           f"{D.TORCH_NAMES[A.dtype.name]}")
    res, lead = _batched(_sytf2, _np(A))
    n = A.shape[-1]
    LD = np.stack([r[0] for r in res]).reshape(lead + (n, n)) if res else np.zeros(A.shape)
    piv = np.stack([r[1] for r in res]).reshape(lead + (n,)) if res else np.zeros(lead + (n,), np.int32)
    info = np.array([r[2] for r in res], np.int32).reshape(lead)
    if check_errors and (info > 0).any():
        raise RuntimeError(f"torch.linalg.ldl_factor_ex: Unknown error code: {int(info.max())}.")
    out = _wrap(LD, A.dtype)
    if A.requires_grad:
        out = _FACTOR_NODE.apply(A, out)
    return _Result("linalg_ldl_factor_ex", ("LD", "pivots", "info"),
                   (out, Tensor._wrap(piv, D.int32), Tensor._wrap(info, D.int32)))


def ldl_factor(A: Tensor, *, hermitian: bool = False) -> _Result:
    LD, piv, info = ldl_factor_ex(A, hermitian=hermitian)
    if (np.asarray(info._data()) > 0).any():     # torch 2.13 reports a singular D this way
        raise RuntimeError("false INTERNAL ASSERT FAILED at \"/__w/pytorch/pytorch/aten/src/ATen/native/"
                           "BatchLinearAlgebra.cpp\":1642, please report a bug to PyTorch. torch.linalg.ldl_factor: "
                           f"Unknown error code: {int(np.asarray(info._data()).max())}.")
    return _Result("linalg_ldl_factor", ("LD", "pivots"), (LD, piv))


def ldl_solve(LD: Tensor, pivots: Tensor, B: Tensor, *, hermitian: bool = False) -> Tensor:
    if LD.dtype is not B.dtype:
        raise RuntimeError(f"torch.linalg.ldl_solve: Expected LD and B to have the same dtype, but got "
                           f"LD with dtype {D.TORCH_NAMES[LD.dtype.name]} and B with dtype "
                           f"{D.TORCH_NAMES[B.dtype.name]} instead")
    ld, piv, b = _np(LD), np.asarray(pivots._data()), _np(B)
    lead = np.broadcast_shapes(ld.shape[:-2], b.shape[:-2])
    ld = np.broadcast_to(ld, lead + ld.shape[-2:])
    piv = np.broadcast_to(piv, lead + piv.shape[-1:])
    b = np.broadcast_to(b, lead + b.shape[-2:])
    with np.errstate(all="ignore"):     # (a singular D gives inf / nan, as LAPACK)
        res, _ = _batched(lambda a, p, bb: _sytrs(a, p.reshape(-1), bb), ld, piv[..., None, :], b)
    out = _wrap(np.stack(res).reshape(lead + b.shape[-2:]) if res else np.zeros(b.shape), B.dtype)
    if LD.requires_grad or B.requires_grad:
        out = _SOLVE_NODE.apply(B if B.requires_grad else LD, out)
    return out
