"""The linear algebra that is not a composite: NumPy (LAPACK) forwards with
torch's analytic backward formulas (FunctionsManual.cpp), each an
`autograd.Function` whose backward is written in differentiable tensor ops,
so double backward (and higher) works. Results carry torch's backward names.
"""
from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..core import dtypes as D
from ..core import return_types
from ..functional import functions as F
from ..functional import more_ops as MO
from ..tensors.tensor import STATE, Tensor
from .common import LOW_PRECISION, NOT_FOR_HALF, rejects_half
from .common import LinAlgError, _LinAlgError, _named_node, _np, _Result, _wrap, check_float, check_square, mT  # noqa: F401
from .spectral import _SVD


def _zero_pivot(a: np.ndarray) -> int:
    """1-based index of the first zero pivot of LU with partial pivoting (LAPACK getrf's info), 0 if none."""
    a = np.array(a, np.float64)
    n = a.shape[0]
    for k in range(n):
        p = k + int(np.argmax(np.abs(a[k:, k])))
        if a[p, k] == 0:
            return k + 1
        a[[k, p]] = a[[p, k]]
        a[k + 1:, k:] -= np.outer(a[k + 1:, k] / a[k, k], a[k, k:])
    return 0


def _singular_error(name: str, A: np.ndarray) -> _LinAlgError:
    mats = A.reshape((-1,) + A.shape[-2:])
    for b, m in enumerate(mats):
        info = _zero_pivot(m)
        if info:
            where = f" (Batch element {b})" if A.ndim > 2 else ""
            return _LinAlgError(f"linalg.{name}: {where[1:] + ': ' if where else ''}The diagonal element {info} is "
                                "zero, the inversion could not be completed because the input matrix is singular.")
    return _LinAlgError(f"linalg.{name}: The inversion could not be completed because the input matrix is singular.")


# ----- determinants and inverses ------------------------------------------------------

class _Inv(Function):
    @staticmethod
    def forward(ctx, A):
        a = _np(A)
        try:
            inv = np.linalg.inv(a)
        except np.linalg.LinAlgError:
            raise _singular_error("inv", a) from None
        out = _wrap(inv, A.dtype)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        inv_a, = ctx.saved_tensors
        # torch: -A^{-H} g A^{-H}
        return -(mT(inv_a) @ g @ mT(inv_a))

    @staticmethod
    def jvp(ctx, dA):
        inv_a, = ctx.saved_tensors
        return -(inv_a @ dA @ inv_a)


_named_node(_Inv, "LinalgInvExBackward0")


@rejects_half(RuntimeError, LOW_PRECISION.format(name="linalg.inv"))
def inv(A: Tensor) -> Tensor:
    check_square("inv", A)
    return _Inv.apply(A)


def _lu_batched(a: np.ndarray) -> tuple:
    """getrf's partial pivoting on (batch, n, n) float64 copies: (LU packed, row order, pivots' sign)."""
    n = a.shape[-1]
    lu = np.array(a, np.float64).reshape((-1, n, n))     # (float32 too: closest to torch's float32 det, measured)
    rows = np.arange(len(lu))
    order = np.tile(np.arange(n), (len(lu), 1))
    sign = np.ones(len(lu))
    with np.errstate(all="ignore"):
        for j in range(n):
            p = j + np.argmax(np.abs(lu[:, j:, j]), axis=1)
            swap = p != j
            if swap.any():
                lu[rows, j], lu[rows, p] = lu[rows, p], lu[rows, j].copy()
                order[rows, j], order[rows, p] = order[rows, p], order[rows, j].copy()
                sign[swap] = -sign[swap]
            piv = lu[:, j, j:j + 1]
            col = np.where(piv != 0, lu[:, j + 1:, j] * (1 / piv), lu[:, j + 1:, j])   # (getf2: times the reciprocal)
            lu[:, j + 1:, j] = col
            lu[:, j + 1:, j + 1:] -= col[:, :, None] * lu[:, j:j + 1, j + 1:]
    return lu, order, sign


def _lu_det(a: np.ndarray) -> np.ndarray:
    """det as torch computes it: the pivots' sign times the product of U's diagonal,
    from getrf's partial pivoting (batched over the leading dims). NumPy's det is
    exp(log|det|), off by an ulp or so from torch's (det([[1, 2], [3, 4]]) = -2.0000000000000004)."""
    n = a.shape[-1]
    if n == 0 or a.size == 0:
        return np.ones(a.shape[:-2], a.dtype)
    lu, _, sign = _lu_batched(a)
    prod = np.ones(len(lu))
    with np.errstate(all="ignore"):
        for j in range(n):
            prod = prod * lu[:, j, j]
    return (sign * prod).reshape(a.shape[:-2]).astype(a.dtype)


def lu_info_and_solve(a: np.ndarray, b: np.ndarray | None = None) -> tuple:
    """getrf's info per matrix (first zero pivot, 1-based; 0: none) and, for b
    (batch, n, k), getrs's solution as LAPACK's triangular solves compute it
    (a zero pivot gives its inf / nan, as torch's *_ex results)."""
    n = a.shape[-1]
    lu, order, _ = _lu_batched(a)
    zero = np.diagonal(lu, axis1=-2, axis2=-1) == 0
    info = np.where(zero.any(-1), zero.argmax(-1) + 1, 0).astype(np.int32)
    if b is None:
        return info, None
    x = np.take_along_axis(np.array(b, np.float64).reshape((len(lu), n, -1)), order[:, :, None], axis=1)
    with np.errstate(all="ignore"):
        for k in range(n):          # trsm, unit lower (torch's: no zero skipping, 0 * inf is nan)
            x[:, k + 1:, :] -= x[:, k:k + 1, :] * lu[:, k + 1:, k:k + 1]
        for k in range(n - 1, -1, -1):      # trsm, upper
            x[:, k:k + 1, :] /= lu[:, k:k + 1, k:k + 1]
            x[:, :k, :] -= x[:, k:k + 1, :] * lu[:, :k, k:k + 1]
    return info, x


class _Det(Function):
    @staticmethod
    def forward(ctx, A):
        a = _np(A)
        # (torch's getrf reads the matrix in column-major memory: a C-contiguous A is factored as A^T)
        ctx.by_rows = A.is_contiguous() and a.ndim >= 2
        out = _wrap(_lu_det(np.swapaxes(a, -1, -2) if ctx.by_rows else a), A.dtype)
        ctx.save_for_backward(A, out)
        return out

    @staticmethod
    def backward(ctx, g):
        A, det = ctx.saved_tensors
        zero = _np(det) == 0
        if np.any(zero) and A.shape[-1] > 1 and not STATE.grad_enabled:
            # torch (no create_graph): g * det * A^{-H} by lu_solve, a zero pivot replaced by eps: zeros
            # (with getrs's signs) at a singular A; create_graph: its SVD formula, the adjugate
            d = _np(g * det)
            return _wrap(_det_lu_solve(_np(A), np.asarray(d, np.float64), ctx.by_rows), A.dtype)
        if np.any(zero):
            return F.unsqueeze(F.unsqueeze(g, -1), -1) * _adjugate_t(A)
        # torch (invertible A): g * det * A^{-H}
        return F.unsqueeze(F.unsqueeze(g * det, -1), -1) * mT(inv(A))

    @staticmethod
    def jvp(ctx, dA):
        A, det = ctx.saved_tensors
        if np.any(_np(det) == 0) and A.shape[-1] > 1:
            # (torch: det * tr(A^{-1} dA) by lu_solve, a zero pivot replaced by eps: +-0 at a singular A)
            return _wrap(_det_jvp_at_zero(_np(A), _np(dA), _np(det), ctx.by_rows), A.dtype)
        return F.sum(_adjugate_t(A) * dA, (-2, -1)) if np.any(_np(det) == 0) else \
            det * F.sum(mT(inv(A)) * dA, (-2, -1))          # det * tr(A^{-1} dA)


def _lu_solve_eps(m: np.ndarray, b: np.ndarray, trans: bool) -> np.ndarray:
    """getrs on getrf's LU of m (batch, n, n), its zero pivots replaced by the
    dtype's eps, as torch's det derivatives solve: m X = b, or m^T X = b (trans),
    with LAPACK's triangular solves' order of operations (their signs of zero)."""
    n = m.shape[-1]
    lu, order, _ = _lu_batched(m)
    idx = np.arange(n)
    diag = lu[:, idx, idx]
    lu[:, idx, idx] = np.where(diag == 0, np.finfo(m.dtype).eps, diag)
    b = np.array(b, np.float64).reshape(len(lu), n, -1)
    with np.errstate(all="ignore"):
        if not trans:       # L U X = P b: unit lower, then upper
            x = np.take_along_axis(b, order[:, :, None], axis=1)
            for k in range(n):
                x[:, k + 1:, :] -= x[:, k:k + 1, :] * lu[:, k + 1:, k:k + 1]
            for k in range(n - 1, -1, -1):
                x[:, k:k + 1, :] /= lu[:, k:k + 1, k:k + 1]
                x[:, :k, :] -= x[:, k:k + 1, :] * lu[:, :k, k:k + 1]
            return x
        for i in range(n):      # U^T L^T P X = b: upper transposed, unit lower transposed, the rows back
            t = b[:, i, :].copy()
            for k in range(i):
                t = t - lu[:, k, i:i + 1] * b[:, k, :]
            b[:, i, :] = t / lu[:, i, i:i + 1]
        for i in range(n - 1, -1, -1):
            t = b[:, i, :].copy()
            for k in range(i + 1, n):
                t = t - lu[:, k, i:i + 1] * b[:, k, :]
            b[:, i, :] = t
        x = np.empty_like(b)
        np.put_along_axis(x, order[:, :, None], b, axis=1)
        return x


def _det_lu_solve(a: np.ndarray, d: np.ndarray, by_rows: bool) -> np.ndarray:
    """torch's linalg_det_backward without grad mode: A^{-T} diag(d) by lu_solve on
    the forward's LU (of A^T for a C-contiguous A, else of A)."""
    n = a.shape[-1]
    m = np.swapaxes(a, -1, -2) if by_rows else a
    b = np.zeros(m.reshape(-1, n, n).shape)
    b[:, np.arange(n), np.arange(n)] = d.reshape(-1, 1)
    return _lu_solve_eps(m, b, not by_rows).reshape(a.shape).astype(a.dtype)


def _det_jvp_at_zero(a: np.ndarray, da: np.ndarray, det: np.ndarray, by_rows: bool) -> np.ndarray:
    """torch's det jvp, det * tr(A^{-1} dA) by lu_solve on the forward's LU (zero
    pivots as eps): +-0 where det is 0."""
    n = a.shape[-1]
    shape = np.broadcast_shapes(a.shape, da.shape)
    a, da = np.broadcast_to(a, shape).reshape(-1, n, n), np.broadcast_to(da, shape).reshape(-1, n, n)
    det = np.broadcast_to(det, shape[:-2]).reshape(-1)
    x = _lu_solve_eps(np.swapaxes(a, -1, -2) if by_rows else a, da, by_rows)
    tr = np.zeros(len(x))
    for i in range(n):
        tr = tr + x[:, i, i]
    return (tr * det).reshape(shape[:-2]).astype(a.dtype)


def _adjugate_t(A: Tensor) -> Tensor:
    """adj(A)^T, singular A included, from A = U S V^H (as torch does for singular
    matrices): det(U) det(V^H) U diag(prod_{j != i} s_j) V^H."""
    U, S, Vh = _SVD.apply(A)
    n = S.shape[-1]
    eye = Tensor._wrap(np.eye(n, dtype=bool), D.bool_)
    others = F.where(eye, F.ones_like(F.unsqueeze(S, -2) * F.ones((n, 1), dtype=S.dtype)),
                     F.unsqueeze(S, -2) * F.ones((n, 1), dtype=S.dtype))
    cof = F.prod(others, -1)                                    # prod over j != i
    sign = _Det.apply(U) * _Det.apply(Vh)
    return F.unsqueeze(F.unsqueeze(sign, -1), -1) * ((U * F.unsqueeze(cof, -2)) @ Vh)


_named_node(_Det, "LinalgDetBackward0")


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="lu_cpu"))
def det(A: Tensor) -> Tensor:
    check_square("det", A)
    return _Det.apply(A)


class SlogdetResult(tuple):
    """torch.return_types.linalg_slogdet / slogdet: (sign, logabsdet)."""
    _kind = "linalg_slogdet"
    sign = property(lambda self: self[0])
    logabsdet = property(lambda self: self[1])

    def __new__(cls, sign, logabsdet, kind="linalg_slogdet"):
        self = tuple.__new__(return_types.named(cls, kind), (sign, logabsdet))
        self._kind = kind
        return self

    def __repr__(self):
        return f"torch.return_types.{self._kind}(\nsign={self[0]!r},\nlogabsdet={self[1]!r})"


class _Slogdet(Function):
    @staticmethod
    def forward(ctx, A):
        sign, logabs = np.linalg.slogdet(_np(A))
        s, la = _wrap(sign, A.dtype), _wrap(logabs, A.dtype)
        ctx.save_for_backward(A)
        return s, la

    @staticmethod
    def backward(ctx, g_sign, g_logabs):
        A, = ctx.saved_tensors
        # torch (real A): g * A^{-H}
        return F.unsqueeze(F.unsqueeze(g_logabs, -1), -1) * mT(inv(A))

    @staticmethod
    def jvp(ctx, dA):
        A, = ctx.saved_tensors
        d = F.sum(mT(inv(A)) * dA, (-2, -1))
        return F.zeros_like(d), d


_named_node(_Slogdet, "LinalgSlogdetBackward0")


@rejects_half(RuntimeError, LOW_PRECISION.format(name="linalg.slogdet"))
def slogdet(A: Tensor) -> SlogdetResult:
    check_square("slogdet", A)
    return SlogdetResult(*_Slogdet.apply(A))


@rejects_half(RuntimeError, LOW_PRECISION.format(name="logdet"))
def logdet(A: Tensor) -> Tensor:
    """log(det(A)): nan where det < 0, -inf where det == 0 (torch's composite of slogdet)."""
    check_square("logdet", A)
    sign, logabs = _Slogdet.apply(A)
    nan = F.full_like(logabs, float("nan"))
    out = F.where(Tensor._wrap(_np(sign) < 0, D.bool_), nan, logabs)
    return F._named(out, "WhereBackward0")


# ----- solve ----------------------------------------------------------------------------

class _Solve(Function):
    @staticmethod
    def forward(ctx, A, B):
        try:
            x = np.linalg.solve(_np(A), _np(B))
        except np.linalg.LinAlgError:
            raise _LinAlgError("torch.linalg.solve: The solver failed because the input matrix is singular.") \
                from None
        out = _wrap(x, A.dtype)
        ctx.save_for_backward(A, out)
        return out

    @staticmethod
    def backward(ctx, g):
        A, X = ctx.saved_tensors
        gB = _Solve.apply(mT(A), g)       # torch: gB = A^{-H} g, gA = -gB X^H
        return -(gB @ mT(X)), gB

    @staticmethod
    def jvp(ctx, dA, dB):
        A, X = ctx.saved_tensors
        rhs = dB if dB is not None else F.zeros_like(X)
        if dA is not None:
            rhs = rhs - dA @ X
        return _Solve.apply(A, rhs)


_named_node(_Solve, "LinalgSolveExBackward0")


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="lu_cpu"))
def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    check_square("solve", A)
    if not left:      # X A = B  <=>  A^T X^T = B^T
        return F._named(mT(solve(mT(A), mT(B))), "LinalgSolveExBackward0")
    if A.dtype is not B.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
                           f"{D.TORCH_NAMES[A.dtype.name]} and B of type "
                           f"{D.TORCH_NAMES[B.dtype.name]} instead")
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    Bm = F.unsqueeze(B, -1) if vector else B
    if Bm.shape[-2] != A.shape[-1]:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
                           f"({A.shape[-2]}x{A.shape[-1]} and {Bm.shape[-2]}x{Bm.shape[-1]})")
    batch = np.broadcast_shapes(tuple(A.shape[:-2]), tuple(Bm.shape[:-2]))
    dtype = D.promote_types(A.dtype, B.dtype)
    Ae = F.expand(A.to(dtype), batch + tuple(A.shape[-2:])) if tuple(A.shape[:-2]) != batch else A.to(dtype)
    Be = F.expand(Bm.to(dtype), batch + tuple(Bm.shape[-2:])) if tuple(Bm.shape[:-2]) != batch else Bm.to(dtype)
    X = _Solve.apply(Ae, Be)
    return F._named(F.squeeze(X, -1), "LinalgSolveExBackward0") if vector else X


# ----- cholesky -------------------------------------------------------------------------

def _not_pd_order(a: np.ndarray) -> int:
    n = a.shape[-1]
    for k in range(1, n + 1):
        try:
            np.linalg.cholesky(a[:k, :k])
        except np.linalg.LinAlgError:
            return k
    return n


class _Cholesky(Function):
    @staticmethod
    def forward(ctx, A):
        a = _np(A)
        try:
            L = np.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            mats = a.reshape((-1,) + a.shape[-2:])
            for b, m in enumerate(mats):
                try:
                    np.linalg.cholesky(m)
                except np.linalg.LinAlgError:
                    where = f"(Batch element {b}): " if a.ndim > 2 else ""
                    raise _LinAlgError(f"linalg.cholesky: {where}The factorization could not be completed because "
                                       f"the input is not positive-definite (the leading minor of order "
                                       f"{_not_pd_order(m)} is not positive-definite).") from None
            raise
        out = _wrap(L, A.dtype)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, gL):
        L, = ctx.saved_tensors
        # torch's cholesky_backward: L^{-H} phi(L^H gL) L^{-1}, symmetrized,
        # phi: the lower triangle with its diagonal halved.
        n = L.shape[-1]
        L_inv = inv(L)
        half_diag = Tensor._wrap(np.tril(np.ones((n, n))) - 0.5 * np.eye(n), L.dtype)
        phi = (mT(L) @ gL) * half_diag
        g = mT(L_inv) @ phi @ L_inv
        return (g + mT(g)) * 0.5

    @staticmethod
    def jvp(ctx, dA):
        L, = ctx.saved_tensors
        n = L.shape[-1]
        L_inv = inv(L)
        half_diag = Tensor._wrap(np.tril(np.ones((n, n))) - 0.5 * np.eye(n), L.dtype)
        return L @ ((L_inv @ dA @ mT(L_inv)) * half_diag)      # dL = L phi(L^{-1} dA L^{-H})


_named_node(_Cholesky, "LinalgCholeskyExBackward0")


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="cholesky_cpu"))
def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    check_square("cholesky", A)
    L = _Cholesky.apply(A)
    return F._named(mT(L), "LinalgCholeskyExBackward0") if upper else L


# ----- QR ----------------------------------------------------------------------------------

def _copyltu(M: Tensor) -> Tensor:
    """The symmetric matrix with M's lower triangle: tril(M) + tril(M, -1)^H."""
    return MO.tril(M) + mT(MO.tril(M, -1))


def _qr_backward_tall(gQ: Tensor, gR: Tensor, Q: Tensor, R: Tensor) -> Tensor:
    # m >= n: gA = (gQ + Q copyltu(M)) R^{-H}, M = R gR^H - gQ^H Q.
    M = R @ mT(gR) - mT(gQ) @ Q
    b = gQ + Q @ _copyltu(M)
    return mT(solve(R, mT(b)))      # b R^{-H}


class _QR(Function):
    @staticmethod
    def forward(ctx, A):
        q, r = np.linalg.qr(_np(A), mode="reduced")
        Q, R = _wrap(q, A.dtype), _wrap(r, A.dtype)
        ctx.save_for_backward(Q, R)
        return Q, R

    @staticmethod
    def backward(ctx, gQ, gR):
        Q, R = ctx.saved_tensors
        m, n = Q.shape[-2], R.shape[-1]
        if m >= n:
            return _qr_backward_tall(gQ, gR, Q, R)
        # m < n: A = Q [X | Y] with X square; Y = Q V (torch's split of the wide case).
        X, V = F.narrow(R, -1, 0, m), F.narrow(R, -1, m, n - m)
        gX, gV = F.narrow(gR, -1, 0, m), F.narrow(gR, -1, m, n - m)
        Y = Q @ V
        gA_X = _qr_backward_tall(gQ + Y @ mT(gV), gX, Q, X)
        return F.cat([gA_X, Q @ gV], -1)


_named_node(_QR, "LinalgQrBackward0")


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="geqrf_cpu"))
def qr(A: Tensor, mode: str = "reduced") -> _Result:
    if mode not in ("reduced", "r", "complete"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
                           "'r', or 'complete'")
    check_float("qr", A)
    m, n = A.shape[-2], A.shape[-1]
    if mode == "complete" and m > n:
        q, r = np.linalg.qr(_np(A), mode="complete")
        return _Result("linalg_qr", ("Q", "R"), (_wrap(q, A.dtype), _wrap(r, A.dtype)))
    Q, R = _QR.apply(A)
    if mode == "r":
        return _Result("linalg_qr", ("Q", "R"), (Tensor._wrap(np.zeros(0, A.dtype.np), A.dtype), R))
    return _Result("linalg_qr", ("Q", "R"), (Q, R))
