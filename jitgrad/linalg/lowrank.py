"""torch.svd_lowrank and torch.pca_lowrank: Halko et al.'s randomized
range finder, torch's algorithm (torch/_lowrank.py) step for step in
jitgrad's differentiable ops, drawing its test matrix from jitgrad's
generator (so results are not torch's draws, but torch's decomposition)."""
from __future__ import annotations

from typing import Optional

from ..core import dtypes as D
from ..functional import functions as F
from ..tensors.tensor import Tensor
from .decompositions import mT, qr
from .spectral import svd


def _floating(A: Tensor) -> D.dtype:
    return A.dtype if A.dtype.is_floating_point else D.float32


def get_approximate_basis(A: Tensor, q: int, niter: Optional[int] = 2, M: Optional[Tensor] = None) -> Tensor:
    """Q with q orthonormal columns such that Q Q^H (A - M) approximates A - M."""
    niter = 2 if niter is None else niter
    R = F.randn(A.shape[-1], q, dtype=_floating(A))
    X = A @ R
    if M is not None:
        X = X - M @ R
    Q = qr(X).Q
    for _ in range(niter):
        X = mT(A) @ Q
        if M is not None:
            X = X - mT(M) @ Q
        Q = qr(X).Q
        X = A @ Q
        if M is not None:
            X = X - M @ Q
        Q = qr(X).Q
    return Q


def svd_lowrank(A: Tensor, q: Optional[int] = 6, niter: Optional[int] = 2, M: Optional[Tensor] = None) -> tuple:
    """(U, S, V) with A - M ~ U diag(S) V^H."""
    q = 6 if q is None else q
    m, n = A.shape[-2:]
    if M is not None:
        M = F.broadcast_to(M, tuple(A.shape))
    if m < n:
        A = mT(A)
        if M is not None:
            M = mT(M)
    Q = get_approximate_basis(A, q, niter=niter, M=M)
    B = mT(Q) @ A
    if M is not None:
        B = B - mT(Q) @ M
    U, S, Vh = svd(B, full_matrices=False)
    V = mT(Vh)
    U = Q @ U
    if m < n:
        U, V = V, U
    return U, S, V


def pca_lowrank(A: Tensor, q: Optional[int] = None, center: bool = True, niter: int = 2) -> tuple:
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not (q >= 0 and q <= min(m, n)):
        raise ValueError(f"q(={q}) must be non-negative integer and not greater than min(m, n)={min(m, n)}")
    if not (niter >= 0):
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if not center:
        return svd_lowrank(A, q, niter=niter, M=None)
    C = F.mean(A, dim=(-2,), keepdim=True)
    return svd_lowrank(A - C, q, niter=niter, M=None)
