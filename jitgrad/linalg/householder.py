"""Householder reflectors in LAPACK's layout: torch.geqrf (the QR
factorisation as reflectors and tau, no gradient as in torch),
householder_product / orgqr (Q from them) and ormqr (Q or Q^T times a
matrix); the last two are composites, differentiable in all inputs."""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..autograd.function import Function
from ..core import dtypes as D
from ..functional import functions as F
from ..tensors.tensor import Tensor
from .common import _named_node, _np, _Result, _wrap, check_float, mT


def _geqr2(a: np.ndarray) -> tuple:
    """LAPACK geqr2 on one matrix: R on and above the diagonal, reflector tails below, and tau."""
    a = np.array(a, np.float64)
    m, n = a.shape
    k = min(m, n)
    tau = np.zeros(k)
    for j in range(k):
        alpha, tail = a[j, j], a[j + 1:, j]
        xnorm = float(np.sqrt(tail @ tail)) if tail.size else 0.0
        if xnorm == 0.0:
            continue        # H = I (tau = 0), as dlarfg
        beta = -np.copysign(np.hypot(alpha, xnorm), alpha)
        tau[j] = (beta - alpha) / beta
        a[j + 1:, j] = tail / (alpha - beta)
        a[j, j] = beta
        v = np.concatenate([[1.0], a[j + 1:, j]])
        a[j:, j + 1:] -= tau[j] * np.outer(v, v @ a[j:, j + 1:])
    return a, tau


class _Geqrf(Function):
    @staticmethod
    def forward(ctx, A):
        x = _np(A)
        mats = x.reshape((-1,) + x.shape[-2:])
        out = [_geqr2(m) for m in mats]
        k = min(x.shape[-2:])
        a = np.stack([o[0] for o in out]).reshape(x.shape) if out else np.zeros(x.shape)
        tau = np.stack([o[1] for o in out]).reshape(x.shape[:-2] + (k,)) if out else np.zeros(x.shape[:-2] + (k,))
        return _wrap(a, A.dtype), _wrap(tau, A.dtype)

    @staticmethod
    def backward(ctx, ga, gtau):
        raise NotImplementedError("the derivative for 'geqrf' is not implemented.")


_named_node(_Geqrf, "GeqrfBackward0")


def geqrf(input: Tensor) -> _Result:
    if input.ndim < 2:
        raise RuntimeError("torch.geqrf: input must have at least 2 dimensions.")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"geqrf_cpu\" not implemented for '{D.TORCH_NAMES[input.dtype.name]}'")
    a, tau = _Geqrf.apply(input)
    return _Result("geqrf", ("a", "tau"), (a, tau))


def _reflector(A: Tensor, tau: Tensor, i: int) -> Tensor:
    """H_i = I - tau_i v_i v_i^T (batched), v_i: column i of A below the diagonal, 1 on it."""
    m = A.shape[-2]
    mask = Tensor._wrap((np.arange(m) > i).astype(A.dtype.np), A.dtype)
    unit = Tensor._wrap((np.arange(m) == i).astype(A.dtype.np), A.dtype)
    v = F.select(A, -1, i) * mask + unit
    t = F.unsqueeze(F.unsqueeze(F.select(tau, -1, i), -1), -1)
    return F.eye(m, dtype=A.dtype) - t * (F.unsqueeze(v, -1) @ F.unsqueeze(v, -2))


def _full_q(A: Tensor, tau: Tensor) -> Tensor:
    Q: Optional[Tensor] = None
    for i in range(tau.shape[-1]):
        H = _reflector(A, tau, i)
        Q = H if Q is None else Q @ H
    return F.eye(A.shape[-2], dtype=A.dtype) + tau.sum() * 0.0 if Q is None else Q


def householder_product(A: Tensor, tau: Tensor) -> Tensor:
    """The first n columns of H_1 ... H_k, H_i = I - tau_i v_i v_i^H (v_i: column i of A below the
    diagonal, 1 on it): LAPACK orgqr, as a composite (differentiable in A and tau)."""
    check_float("householder_product", A)
    m, n = A.shape[-2:]
    k = tau.shape[-1]
    if m < n:
        raise RuntimeError("torch.linalg.householder_product: input.shape[-2] must be greater than or equal to "
                           "input.shape[-1]")
    if n < k:
        raise RuntimeError("torch.linalg.householder_product: input.shape[-1] must be greater than or equal to "
                           "tau.shape[-1]")
    Q = _full_q(A, tau)       # (no reflectors: the identity, depending on tau alone as torch's)
    return F._named(F.narrow(Q, -1, 0, n), "LinalgHouseholderProductBackward0")


def ormqr(input: Tensor, tau: Tensor, other: Tensor, left: bool = True, transpose: bool = False) -> Tensor:
    """op(Q) @ other (left) or other @ op(Q), Q = H_1 ... H_k from geqrf's reflectors, op: transpose or not."""
    check_float("ormqr", input)
    Q = _full_q(input, tau)
    Q = mT(Q) if transpose else Q
    return F._named(Q @ other if left else other @ Q, "OrmqrBackward0")


Tensor.geqrf = geqrf
Tensor.orgqr = householder_product
Tensor.ormqr = ormqr
