"""LU with partial pivoting and what is built on it: torch.linalg.lu,
lu_factor(_ex), lu_solve, torch.lu, torch.lu_unpack, torch.lu_solve, and
torch.triangular_solve. The factorisation is an autograd Function (NumPy
forward, LAPACK getrf's pivoting: the first largest pivot; torch's
linalg_lu_backward in tensor ops); the rest are composites of it."""
from __future__ import annotations


import numpy as np

from ..autograd.function import Function
from ..core import dtypes as D
from ..functional import functions as F
from ..functional import more_ops as MO
from ..tensors.tensor import Tensor
from ..core.warn import warn_once
from . import composites as C
from .common import NOT_FOR_HALF, rejects_half
from .common import _named_node, _np, _Result, _wrap, mT


def _getrf(a: np.ndarray) -> tuple:
    """(LU packed, 1-based pivots, info) of one m x n matrix, as LAPACK getrf."""
    lu = np.array(a, np.float64)
    m, n = lu.shape
    k = min(m, n)
    piv = np.arange(1, k + 1, dtype=np.int32)
    info = 0
    for j in range(k):
        p = j + int(np.argmax(np.abs(lu[j:, j])))
        piv[j] = p + 1
        if lu[p, j] != 0:
            if p != j:
                lu[[j, p]] = lu[[p, j]]
            lu[j + 1:, j] /= lu[j, j]
        elif info == 0:
            info = j + 1
        lu[j + 1:, j + 1:] -= np.outer(lu[j + 1:, j], lu[j, j + 1:])
    return lu, piv, info


def _factor(a: np.ndarray) -> tuple:
    """Batched getrf: packed LU, pivots (int32) and infos (int32)."""
    batch = a.shape[:-2]
    mats = a.reshape((-1,) + a.shape[-2:])
    k = min(a.shape[-2:])
    lus, pivs, infos = np.empty(mats.shape), np.empty((len(mats), k), np.int32), np.empty(len(mats), np.int32)
    for b, m in enumerate(mats):
        lus[b], pivs[b], infos[b] = _getrf(m)
    return lus.reshape(a.shape), pivs.reshape(batch + (k,)), infos.reshape(batch)


def _permutation(piv: np.ndarray, m: int) -> np.ndarray:
    """P (m x m, batched) with A = P L U, from 1-based row swaps."""
    flat = piv.reshape(-1, piv.shape[-1])
    out = np.empty((len(flat), m, m))
    for b, swaps in enumerate(flat):
        perm = np.arange(m)
        for j, p in enumerate(swaps):
            perm[[j, p - 1]] = perm[[p - 1, j]]
        out[b] = np.eye(m)[:, perm]
    return out.reshape(piv.shape[:-1] + (m, m))


def _unpack(lu: np.ndarray) -> tuple:
    m, n = lu.shape[-2:]
    k = min(m, n)
    L = np.tril(lu[..., :, :k], -1) + np.eye(m, k)
    U = np.triu(lu[..., :k, :])
    return L, U


class _LU(Function):
    @staticmethod
    def forward(ctx, A):
        lu, piv, _ = _factor(_np(A))
        L, U = _unpack(lu)
        P = _wrap(_permutation(piv, A.shape[-2]), A.dtype)
        Lt, Ut = _wrap(L, A.dtype), _wrap(U, A.dtype)
        ctx.save_for_backward(P, Lt, Ut)
        ctx.mark_non_differentiable(P)
        return P, Lt, Ut

    @staticmethod
    def backward(ctx, gP, gL, gU):
        P, L, U = ctx.saved_tensors
        m, n = L.shape[-2], U.shape[-1]
        k = min(m, n)
        # L's unit diagonal and zero upper triangle, U's zero lower triangle are constants.
        gL, gU = MO.tril(gL, -1), MO.triu(gU)
        if m == n:
            # A_grad = P L^{-H} [L^H gL o 1_L + gU U^H o 1_U] U^{-H}
            g = MO.tril(mT(L) @ gL, -1) + MO.triu(gU @ mT(U))
            g = C.solve_triangular(mT(U), g, upper=False, left=False)
            g = C.solve_triangular(mT(L), g, upper=True, unitriangular=True)
        elif m < n:
            U1, U2g = F.narrow(U, -1, 0, k), F.narrow(gU, -1, k, n - k)
            g = mT(L) @ gL - MO.triu(gU) @ mT(U)
            g = C.solve_triangular(mT(U1), MO.tril(g, -1), upper=False, left=False)
            g = F.cat([g + MO.triu(F.narrow(gU, -1, 0, k)), U2g], -1)
            g = C.solve_triangular(mT(L), g, upper=True, unitriangular=True)
        else:
            L1 = F.narrow(L, -2, 0, k)
            g = gU @ mT(U) - mT(L) @ gL
            g = C.solve_triangular(mT(L1), MO.triu(g), upper=True, unitriangular=True)
            g = F.cat([g + MO.tril(F.narrow(gL, -2, 0, k), -1), F.narrow(gL, -2, k, m - k)], -2)
            g = C.solve_triangular(mT(U), g, upper=False, left=False)
        return P @ g


_named_node(_LU, "LinalgLuBackward0")


def _check_matrix(name: str, A: Tensor) -> None:
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_{name}(): argument 'A' (position 1) must be Tensor, not {type(A).__name__}")
    if A.ndim < 2:
        raise RuntimeError(f"linalg.{name}: Expected tensor with 2 or more dimensions. Got size: "
                           f"{list(A.shape)} instead")
    if not A.dtype.is_floating_point:
        raise NotImplementedError(f"\"lu_cpu\" not implemented for '{D.TORCH_NAMES[A.dtype.name]}'")


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="lu_cpu"))
def lu(A: Tensor, *, pivot: bool = True) -> _Result:
    """P, L, U with A = P @ L @ U (L unit lower triangular, U upper)."""
    _check_matrix("lu", A)
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    P, L, U = _LU.apply(A)
    return _Result("linalg_lu", ("P", "L", "U"), (P, L, U))


def _packed(A: Tensor) -> tuple:
    """(LU packed as a differentiable tensor, pivots, infos)."""
    _, piv, info = _factor(_np(A))
    P, L, U = _LU.apply(A)
    m, n = A.shape[-2:]
    k = min(m, n)
    lower = MO.tril(L, -1)
    LU = F.cat([lower, F.zeros(tuple(A.shape[:-1]) + (n - k,), dtype=A.dtype)], -1) if n > k else lower
    upper = U if m == k else F.cat([U, F.zeros(tuple(A.shape[:-2]) + (m - k, n), dtype=A.dtype)], -2)
    out = F._named(LU + upper, "LinalgLuFactorExBackward0")
    return out, Tensor._wrap(piv, D.int32), Tensor._wrap(info, D.int32)


def _check_pivot(name: str, pivot: bool) -> None:
    if not pivot:
        raise RuntimeError(f"linalg.{name}: LU without pivoting is not implemented on the CPU")


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="lu_cpu"))
def lu_factor_ex(A: Tensor, *, pivot: bool = True, check_errors: bool = False) -> _Result:
    _check_pivot("lu_factor", pivot)     # (torch names lu_factor for both)
    _check_matrix("lu_factor_ex", A)
    LU, piv, info = _packed(A)
    if check_errors and bool((np.asarray(info._data()) > 0).any()):
        raise _singular("lu_factor_ex", np.asarray(info._data()))
    return _Result("linalg_lu_factor_ex", ("LU", "pivots", "info"), (LU, piv, info))


def _singular(name: str, infos: np.ndarray) -> RuntimeError:
    flat = infos.reshape(-1)
    b = int(np.argmax(flat > 0))
    where = f"(Batch element {b}): " if infos.ndim else ""
    return RuntimeError(f"torch.linalg.{name}: {where}U[{flat[b]},{flat[b]}] is zero and using it on "
                        "lu_solve would result in a division by zero. If you still want to perform the "
                        "factorization, consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)")


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="lu_cpu"))
def lu_factor(A: Tensor, *, pivot: bool = True) -> _Result:
    """The packed LU (L below the diagonal, U on and above) and LAPACK's 1-based pivots."""
    _check_pivot("lu_factor", pivot)
    _check_matrix("lu_factor", A)
    LU, piv, info = _packed(A)
    if bool((np.asarray(info._data()) > 0).any()):
        raise _singular("lu_factor", np.asarray(info._data()))
    return _Result("linalg_lu_factor", ("LU", "pivots"), (LU, piv))


def lu_unpack(LU_data: Tensor, LU_pivots: Tensor, unpack_data: bool = True,
              unpack_pivots: bool = True) -> _Result:
    """P, L, U from lu_factor's packed result (L and U differentiable in LU_data)."""
    if LU_pivots.dtype is not D.int32:
        raise RuntimeError("torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype.\n"
                           "Note: this function is intended to be used with the output produced by torch.linalg."
                           "lu_factor")
    m, n = LU_data.shape[-2:]
    k = min(m, n)
    empty = Tensor._wrap(np.zeros(0, LU_data.dtype.np), LU_data.dtype)
    if unpack_data:
        eye = Tensor._wrap(np.eye(m, k), LU_data.dtype)
        L = MO.tril(F.narrow(LU_data, -1, 0, k), -1) + eye
        U = MO.triu(F.narrow(LU_data, -2, 0, k))
        L, U = F._named(L, "LuUnpackBackward0"), F._named(U, "LuUnpackBackward0")
    else:
        L = U = empty
    P = _wrap(_permutation(np.asarray(LU_pivots._data()), m), LU_data.dtype) if unpack_pivots else empty
    return _Result("lu_unpack", ("P", "L", "U"), (P, L, U))


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="linalg.lu_solve_cpu"))
def lu_solve(LU: Tensor, pivots: Tensor, B: Tensor, *, left: bool = True, adjoint: bool = False) -> Tensor:
    """X with A X = B (A X^H... per left/adjoint) from A's packed LU: triangular solves, differentiable in LU and B."""
    P, L, U = lu_unpack(LU, pivots)
    if left:
        if adjoint:      # A^H X = B: U^H L^H P^T X = B
            Y = C.solve_triangular(mT(U), B, upper=False)
            X = P @ C.solve_triangular(mT(L), Y, upper=True, unitriangular=True)
        else:            # P L U X = B
            Y = C.solve_triangular(L, mT(P) @ B, upper=False, unitriangular=True)
            X = C.solve_triangular(U, Y, upper=True)
    else:
        if adjoint:      # X A^H = B: X U^H L^H P^T = B
            Y = C.solve_triangular(mT(L), B @ P, upper=True, left=False, unitriangular=True)
            X = C.solve_triangular(mT(U), Y, upper=False, left=False)
        else:            # X P L U = B
            Y = C.solve_triangular(U, B, upper=True, left=False)
            X = C.solve_triangular(L, Y, upper=False, left=False, unitriangular=True) @ mT(P)
    return F._named(X, "LinalgLuSolveBackward0")


_LU_WARNING = (
    "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex and will be removed in "
    "a future PyTorch release.\nLU, pivots = torch.lu(A, compute_pivots)\nshould be replaced with\nLU, pivots = "
    "torch.linalg.lu_factor(A, compute_pivots)\nand\nLU, pivots, info = torch.lu(A, compute_pivots, get_infos=True)"
    "\nshould be replaced with\nLU, pivots, info = torch.linalg.lu_factor_ex(A, compute_pivots) (Triggered "
    "internally at /__w/pytorch/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp:2073.)")
_TRIANGULAR_SOLVE_WARNING = (
    "torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangularand will be removed in a future "
    "PyTorch release.\ntorch.linalg.solve_triangular has its arguments reversed and does not return a copy of one "
    "of the inputs.\nX = torch.triangular_solve(B, A).solution\nshould be replaced with\nX = "
    "torch.linalg.solve_triangular(A, B). (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp:2273.)")


def torch_lu(A: Tensor, pivot: bool = True, get_infos: bool = False) -> tuple:
    """torch.lu: (LU, pivots) or (LU, pivots, infos)."""
    warn_once(_LU_WARNING, stacklevel=2)     # (torch.lu is Python: its warning points there)
    if not get_infos:      # (torch.lu does not check for a singular U)
        LU, piv, _ = lu_factor_ex(A, pivot=pivot)
        return LU, piv
    LU, piv, info = lu_factor_ex(A, pivot=pivot)
    return _Result("_lu_with_info", ("LU", "pivots", "info"), (LU, piv, info))


_LU_SOLVE_WARNING = (
    "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in a future PyTorch "
    "release.\nNote that torch.linalg.lu_solve has its arguments reversed.\nX = torch.lu_solve(B, LU, pivots)\n"
    "should be replaced with\nX = torch.linalg.lu_solve(LU, pivots, B) (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp:2230.)")


def torch_lu_solve(b: Tensor, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:
    warn_once(_LU_SOLVE_WARNING, stacklevel=3)
    return lu_solve(LU_data, LU_pivots, b)


def triangular_solve(b: Tensor, A: Tensor, upper: bool = True, transpose: bool = False,
                     unitriangular: bool = False) -> _Result:
    """torch.triangular_solve: (solution, cloned_coefficient) of op(A) X = b."""
    warn_once(_TRIANGULAR_SOLVE_WARNING, stacklevel=3)
    M = mT(A) if transpose else A
    X = C.solve_triangular(M, b, upper=upper != transpose, unitriangular=unitriangular)
    return _Result("triangular_solve", ("solution", "cloned_coefficient"),
                   (F._named(X, "TriangularSolveBackward0"), F._named(A.clone(), "TriangularSolveBackward0")))



Tensor.lu = lambda self, pivot=True, get_infos=False: torch_lu(self, pivot, get_infos)
Tensor.lu_solve = torch_lu_solve
Tensor.triangular_solve = triangular_solve
Tensor.ger = lambda self, vec2: F.outer(self, vec2)
