"""The spectral decompositions (symmetric eigendecomposition, SVD): LAPACK
forwards through NumPy with torch's analytic backward formulas
(linalg_eig_backward, svd_backward), each an `autograd.Function` whose
backward is differentiable tensor ops (double backward works), as in
`decompositions.py`."""
from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..core import dtypes as D
from ..functional import breadth_shapes as BS
from ..functional import functions as F
from ..tensors.tensor import Tensor
from .common import NOT_FOR_HALF, rejects_half
from .common import _named_node, _np, _Result, _wrap, check_float, check_square, mT


# ----- symmetric eigendecomposition -------------------------------------------------------

class _Eigh(Function):
    @staticmethod
    def forward(ctx, A, upper):
        w, v = np.linalg.eigh(_np(A), UPLO="U" if upper else "L")
        L, V = _wrap(w, A.dtype), _wrap(v, A.dtype)
        ctx.save_for_backward(L, V)
        ctx.set_materialize_grads(False)    # (an unused output's gradient is None: see backward)
        return L, V

    @staticmethod
    def backward(ctx, gL, gV):
        L, V = ctx.saved_tensors
        if gL is None:
            gL = F.zeros_like(L)
        if gV is None:      # eigenvalues only: torch's V diag(gL) V^H, finite at repeated eigenvalues
            return V @ BS.diag_embed(gL) @ mT(V), None
        # torch's linalg_eig_backward (hermitian): V (skew(V^H gV) / E + diag(gL)) V^H,
        # skew(X) = (X - X^H) / 2, E_ij = L_j - L_i (1 on the diagonal).
        n = L.shape[-1]
        eye = np.eye(n, dtype=bool)
        VhgV = mT(V) @ gV
        skew = (VhgV - mT(VhgV)) * 0.5
        E = F.unsqueeze(L, -2) - F.unsqueeze(L, -1)
        E = F.where(Tensor._wrap(eye, D.bool_), F.ones_like(E), E)
        inner = F.where(Tensor._wrap(eye, D.bool_), BS.diag_embed(gL), skew / E)
        return V @ inner @ mT(V), None

    @staticmethod
    def jvp(ctx, dA, d_upper):
        L, V = ctx.saved_tensors
        n = L.shape[-1]
        eye = Tensor._wrap(np.eye(n, dtype=bool), D.bool_)
        P = mT(V) @ dA @ V
        E = F.unsqueeze(L, -2) - F.unsqueeze(L, -1)         # E_ij = L_j - L_i
        E = F.where(eye, F.ones_like(E), E)
        return BS.diagonal(P, 0, -2, -1), V @ F.where(eye, F.zeros_like(P), P / E)


_named_node(_Eigh, "LinalgEighBackward0")


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="linalg_eigh_cpu"))
def eigh(A: Tensor, UPLO: str = "L") -> _Result:
    check_square("eigh", A)
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    L, V = _Eigh.apply(A, UPLO == "U")
    return _Result("linalg_eigh", ("eigenvalues", "eigenvectors"), (L, V))


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="linalg_eigh_cpu"))
def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    check_square("eigvalsh", A)
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return _Eigh.apply(A, UPLO == "U")[0]


# ----- SVD -------------------------------------------------------------------------------

class _SVD(Function):
    @staticmethod
    def forward(ctx, A):
        u, s, vh = np.linalg.svd(_np(A), full_matrices=False)
        U, S, Vh = _wrap(u, A.dtype), _wrap(s, A.dtype), _wrap(vh, A.dtype)
        ctx.save_for_backward(U, S, Vh)
        ctx.set_materialize_grads(False)    # (an unused output's gradient is None: see backward)
        return U, S, Vh

    @staticmethod
    def backward(ctx, gU, gS, gVh):
        U, S, Vh = ctx.saved_tensors
        if gS is None:
            gS = F.zeros_like(S)
        if gU is None and gVh is None:      # singular values only: torch's U diag(gS) Vh, finite at repeated ones
            return U @ BS.diag_embed(gS) @ Vh
        gU = F.zeros_like(U) if gU is None else gU
        gVh = F.zeros_like(Vh) if gVh is None else gVh
        m, n = U.shape[-2], Vh.shape[-1]
        k = S.shape[-1]
        eye = Tensor._wrap(np.eye(k, dtype=bool), D.bool_)
        V, gV = mT(Vh), mT(gVh)
        # torch's svd_backward (real): skew(X) = X - X^H, E_jk = S_k^2 - S_j^2 (1 on the diagonal).
        UhgU = mT(U) @ gU
        VhgV = mT(V) @ gV
        UhgU, VhgV = UhgU - mT(UhgU), VhgV - mT(VhgV)
        S2 = S * S
        E = F.unsqueeze(S2, -2) - F.unsqueeze(S2, -1)
        E = F.where(eye, F.ones_like(E), E)
        gA = (UhgU * F.unsqueeze(S, -2) + F.unsqueeze(S, -1) * VhgV) / E
        gA = F.where(eye, BS.diag_embed(gS), gA)
        if m > n:
            gA = U @ gA
            gUSinv = gU / F.unsqueeze(S, -2)
            gA = (gA + gUSinv - U @ (mT(U) @ gUSinv)) @ Vh
        elif m < n:
            gA = gA @ Vh
            gVSinv = gV / F.unsqueeze(S, -2)
            gA = U @ (gA + mT(gVSinv) - (mT(gVSinv) @ V) @ Vh)
        else:
            gA = U @ gA @ Vh
        return gA


_named_node(_SVD, "LinalgSvdBackward0")


_DRIVER_MSG = ("torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs with cuSOLVER "
               "backend.")


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="linalg_svd_cpu"))
def svd(A: Tensor, full_matrices: bool = True, *, driver=None) -> _Result:
    if driver is not None:
        raise RuntimeError(_DRIVER_MSG)
    check_float("svd", A)
    m, n = A.shape[-2], A.shape[-1]
    U, S, Vh = _SVD.apply(A)
    if full_matrices and m != n:
        # The extra columns of U (rows of Vh) complete an orthonormal basis; as in
        # torch's svd_backward, gradients reach A through the first min(m, n) only.
        u, _, vh = np.linalg.svd(_np(A), full_matrices=True)
        k = min(m, n)
        if m > n:
            U = F._named(F.cat([U, _wrap(u[..., :, k:], A.dtype)], -1), "LinalgSvdBackward0")
        else:
            Vh = F._named(F.cat([Vh, _wrap(vh[..., k:, :], A.dtype)], -2), "LinalgSvdBackward0")
    return _Result("linalg_svd", ("U", "S", "Vh"), (U, S, Vh))


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="linalg_svd_cpu"))
def svdvals(A: Tensor, *, driver=None) -> Tensor:
    if driver is not None:
        raise RuntimeError(_DRIVER_MSG)
    check_float("svdvals", A)
    return _SVD.apply(A)[1]


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="linalg_svd_cpu"))
def torch_svd(input: Tensor, some: bool = True, compute_uv: bool = True) -> _Result:
    """torch.svd: (U, S, V) with V (not V^H)."""
    check_float("svd", input)
    U, S, Vh = _SVD.apply(input)
    if not compute_uv:
        zu = F.zeros(tuple(input.shape[:-2]) + (input.shape[-2], input.shape[-2] if not some else U.shape[-1]),
                     dtype=input.dtype)
        zv = F.zeros(tuple(input.shape[:-2]) + (input.shape[-1], Vh.shape[-2]), dtype=input.dtype)
        return _Result("svd", ("U", "S", "V"), (zu, S.detach() if not input.requires_grad else S, zv))
    return _Result("svd", ("U", "S", "V"), (U, S, mT(Vh)))
