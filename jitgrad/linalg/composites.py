"""torch.linalg functions written with other functions (norms, pinv,
lstsq, matrix_power, matrix_exp, multi_dot, vecdot): gradients of any order
come by composition through the decompositions' Functions."""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..core import dtypes as D
from ..core import upper
from ..core import saved_nodes as SN
from ..functional import breadth_shapes as BS
from ..functional import functions as F
from ..functional import more_ops as MO
from ..tensors.tensor import Tensor, _guard_taint
from . import decompositions as DC
from . import spectral as SP
from .common import LOW_PRECISION, NOT_FOR_HALF, rejects_half
from ..functional.half_via_float32 import via_float32

_named = F._named
mT = DC.mT


# ----- norms ------------------------------------------------------------------------

@via_float32
def vector_norm(x: Tensor, ord=2, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    if isinstance(ord, str):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' must be Number, not {type(ord).__name__}")
    DC.check_float("vector_norm", x)
    if dtype is not None:
        x = x.to(dtype)
    if isinstance(dim, int):
        dim = (dim,)
    out = F.norm(x, float(ord), dim, keepdim)
    return F._saved_args(out, "LinalgVectorNormBackward0", ord=ord, dim=SN.dims(dim),
                         keepdim=bool(keepdim), self=SN.Input(0), result=SN.RESULT)


def matrix_norm(A: Tensor, ord="fro", dim=(-2, -1), keepdim: bool = False, *, dtype=None) -> Tensor:
    if not (ord in ("fro", "nuc") if isinstance(ord, str) else ord in (2, -2, 1, -1, math.inf, -math.inf)):
        # (torch checks the order first, before the input's dtype and dims)
        shown = ord if isinstance(ord, str) else f"{ord:g}" if isinstance(ord, float) else ord
        raise RuntimeError(f"linalg.matrix_norm: Order {shown} not supported.")
    DC.check_float("matrix_norm", A)
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    if len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}")
    if dtype is not None:
        A = A.to(dtype)
    d0, d1 = F._dim(dim[0], A.ndim), F._dim(dim[1], A.ndim)
    if ord == "fro":
        return F.norm(A, 2, (d0, d1), keepdim)
    if ord == "nuc" or ord in (2, -2):
        if A.dtype is D.float16:
            raise RuntimeError(LOW_PRECISION.format(name="linalg.matrix_norm"))
        moved = F.movedim(A, (d0, d1), (-2, -1))
        s = SP.svdvals(moved)
        if ord == "nuc":
            out = F.sum(s, -1)
        else:
            out = F.amax(s, -1) if ord == 2 else F.amin(s, -1)
        if keepdim:
            out = _named(F.unsqueeze(F.unsqueeze(out, min(d0, d1)), max(d0, d1)), "PermuteBackward0")
        return out
    if ord in (1, -1, math.inf, -math.inf):
        inner, outer = (d0, d1) if ord in (1, -1) else (d1, d0)
        sums = F.sum(F.abs(A), inner, keepdim=keepdim)
        if not keepdim and outer > inner:
            outer -= 1
        return F.amax(sums, outer, keepdim=keepdim) if ord > 0 else F.amin(sums, outer, keepdim=keepdim)
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")


upper.matrix_norm = matrix_norm


def norm(A: Tensor, ord=None, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    if isinstance(dim, int):
        dim = (dim,)
    if isinstance(ord, str):        # torch's: a string order is a matrix norm, whatever the dims
        return matrix_norm(A, ord, (-2, -1) if dim is None else dim, keepdim, dtype=dtype)
    if dim is not None:
        if len(dim) == 1:
            return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
        return matrix_norm(A, "fro" if ord is None else ord, dim, keepdim, dtype=dtype)
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype)
    if A.ndim not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                           f"Got {A.ndim}D.")
    if A.ndim == 1:
        return vector_norm(A, ord, None, keepdim, dtype=dtype)
    return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype)


# ----- products and powers ----------------------------------------------------------------

def multi_dot(tensors: Sequence[Tensor]) -> Tensor:
    ts = list(tensors)
    if len(ts) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(ts)}")
    for i, t in enumerate(ts[1:], 1):
        if t.dtype is not ts[0].dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but tensor 0 is "
                               f"{D.CPP_NAMES[ts[0].dtype.name]} and tensor {i} {D.CPP_NAMES[t.dtype.name]}")
    for i in range(len(ts) - 1):
        a, b = ts[i], ts[i + 1]
        if a.ndim and b.ndim and a.shape[-1] != b.shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {i} and {i + 1} with shapes {list(a.shape)} and "
                               f"{list(b.shape)} cannot be multiplied")
    first_vec, last_vec = ts[0].ndim == 1, ts[-1].ndim == 1
    mats = [F.unsqueeze(ts[0], 0) if first_vec else ts[0]] + ts[1:-1] + \
           [F.unsqueeze(ts[-1], -1) if last_vec else ts[-1]]
    out = mats[0]
    for m in mats[1:]:
        out = F.mm(out, m)
    if first_vec:
        out = F.squeeze(out, 0)
    if last_vec:
        out = F.squeeze(out, -1)
    return _named(out, "ViewBackward0") if out.ndim else out


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    if x.dtype is not y.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type "
                           f"{D.TORCH_NAMES[x.dtype.name]} and y of type "
                           f"{D.TORCH_NAMES[y.dtype.name]} instead")
    if x.ndim == 1 and y.ndim == 1 and dim in (0, -1):
        return BS.vdot(x, y)        # torch's vecdot of two vectors is vdot (VdotBackward0)
    return F.sum(x * y, dim)


def matrix_power(A: Tensor, n: int) -> Tensor:
    DC.check_square("matrix_power", A) if A.ndim < 2 or A.shape[-1] != A.shape[-2] else None
    if n == 0:
        eye = Tensor._wrap(np.broadcast_to(np.eye(A.shape[-1], dtype=A.dtype.np), tuple(A.shape)).copy(), A.dtype)
        return A.clone().copy_(eye)     # torch's: the identity copied into a clone (gradient zero, nothing saved)
    if n == 1:
        return A.clone()        # (torch's: a new tensor, never A itself)
    base = DC.inv(A) if n < 0 else A
    out = None
    k = abs(n)
    # binary powering, as torch (matmuls of repeated squares)
    while k:
        if k & 1:
            out = base if out is None else out @ base
        k >>= 1
        if k:
            base = base @ base
    return out


def matrix_exp(A: Tensor) -> Tensor:
    """exp(A) by scaling and squaring of a degree-18 Taylor polynomial (a composite: any order)."""
    DC.check_square("matrix_exp", A)
    _guard_taint("matrix_exp's scaling", A)
    a = np.asarray(A._data(), np.float64)
    nrm = float(np.abs(a).sum(-2).max()) if a.size else 0.0
    s = max(0, int(math.ceil(math.log2(nrm / 0.25))) if nrm > 0.25 else 0)
    X = A * (0.5 ** s) if s else A
    n = A.shape[-1]
    eye = Tensor._wrap(np.broadcast_to(np.eye(n, dtype=A.dtype.np), tuple(A.shape)).copy(), A.dtype)
    term, out = eye, eye
    for k in range(1, 19):
        term = (term @ X) * (1.0 / k)
        out = out + term
    for _ in range(s):
        out = out @ out
    return _named(out, "LinalgMatrixExpBackward0")


# ----- pseudo-inverse and least squares -------------------------------------------------

@rejects_half(RuntimeError, "linalg.pinv(Half{shape}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types")
def pinv(A: Tensor, rcond=None, hermitian: bool = False, *, atol=None, rtol=None) -> Tensor:
    if A.ndim < 2 or not A.dtype.is_floating_point:
        raise RuntimeError(f"linalg.pinv({D.TORCH_NAMES[A.dtype.name]}{{{list(A.shape)}}}): expected a tensor with 2 "
                           "or more dimensions of float, double, cfloat or cdouble types")
    if rcond is not None:       # torch's older overload pinv(A, rcond): atol 0, rtol rcond
        atol, rtol = 0.0, rcond
    if hermitian:
        A = _lower_hermitian(A, "eigh")
    U, S, Vh = SP.svd(A, full_matrices=False)
    _guard_taint("pinv's cutoff", A)
    sv = np.asarray(S._data())
    smax = sv.max(-1, keepdims=True) if sv.size else np.zeros(sv.shape[:-1] + (1,))
    if rtol is None:
        rtol = 0.0 if atol is not None else max(A.shape[-2:]) * np.finfo(A.dtype.np).eps
    cutoff = np.maximum(0.0 if atol is None else float(atol), float(rtol) * smax)
    keep = Tensor._wrap(sv > cutoff, D.bool_)
    safe = F.where(keep, S, F.ones_like(S))
    s_inv = F.where(keep, 1.0 / safe, F.zeros_like(S))
    out = mT(Vh) @ (F.unsqueeze(s_inv, -1) * mT(U))
    return _named(out, "LinalgPinvBackward0")


@rejects_half(RuntimeError, "This function doesn't handle types other than float and double")
def lstsq(A: Tensor, B: Tensor, rcond=None, *, driver=None):
    """Least squares via the pseudo-inverse (the minimum-norm solution, as torch's default
    driver 'gelsy' and 'gelsd' / 'gelss' give it)."""
    if A.ndim < 2:
        raise RuntimeError("torch.linalg.lstsq: input must have at least 2 dimensions.")
    if B.ndim < 1:
        raise RuntimeError("torch.linalg.lstsq: other must have at least 1 dimension.")
    if A.dtype is not B.dtype:
        raise RuntimeError(f"torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's "
                           f"dtype {D.TORCH_NAMES[A.dtype.name]} and other's dtype {D.TORCH_NAMES[B.dtype.name]}")
    if not 0 <= A.ndim - B.ndim <= 1:
        raise RuntimeError("torch.linalg.lstsq: input.dim() must be greater or equal to other.dim() and "
                           "(input.dim() - other.dim()) <= 1")
    if not A.dtype.is_floating_point:
        raise RuntimeError("This function doesn't handle types other than float and double")    # (torch's words)
    vector = B.ndim == A.ndim - 1
    if A.shape[-2] != B.shape[-1 if vector else -2]:
        raise RuntimeError(f"torch.linalg.lstsq: input.size(-2) should match other.size({-1 if vector else -2})")
    Bm = F.unsqueeze(B, -1) if vector else B
    if driver is not None and driver not in ("gels", "gelsy", "gelsd", "gelss"):
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")
    driver = driver or "gelsy"      # (torch's CPU default)
    X = pinv(A) @ Bm
    empty = Tensor._wrap(np.zeros(0, A.dtype.np), A.dtype)
    # What each LAPACK driver reports, as torch returns it: the rank (not gels), the
    # singular values (gelsd, gelss), and for tall A the squared residual norm per
    # column (not gelsy; gelsd / gelss only when every matrix has full rank).
    a = np.asarray(A._data(), np.float64)
    m, n = a.shape[-2:]
    sv = np.linalg.svd(a, compute_uv=False)
    tol = (rcond if rcond is not None else np.finfo(A.dtype.np).eps * max(m, n)) * sv[..., :1]
    ranks = np.asarray((sv > tol).sum(-1), np.int64)
    rank = Tensor._wrap(np.zeros(0, np.int64) if driver == "gels" else ranks, D.int64)
    singular = Tensor._wrap(sv.astype(A.dtype.np), A.dtype) if driver in ("gelsd", "gelss") else empty
    residuals = empty
    if m > n and driver != "gelsy" and (driver == "gels" or (ranks == n).all()):
        R = A @ X - Bm
        residuals = _named(F.sum(R * R, -2), "LinalgLstsqBackward0")
    if vector:
        X = F.squeeze(X, -1)
    return DC._Result("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"),
                      (_named(X, "LinalgLstsqBackward0"), residuals, rank, singular))


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    return BS.diagonal(A, offset, dim1, dim2)


def cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    return BS.linalg_cross(input, other, dim=dim)


def tensorinv(A: Tensor, ind: int = 2) -> Tensor:
    rows = math.prod(A.shape[:ind])
    inv = DC.inv(F.reshape(A, (rows, -1)))
    return _named(F.reshape(inv, tuple(A.shape[ind:]) + tuple(A.shape[:ind])), "ReshapeAliasBackward0")


def tensorsolve(A: Tensor, B: Tensor, dims=None) -> Tensor:
    if dims is not None:
        A = F.movedim(A, tuple(dims), tuple(range(A.ndim - len(dims), A.ndim)))
    rows = B.numel()
    X = DC.solve(F.reshape(A, (rows, -1)), F.reshape(B, (rows,)))
    return F.reshape(X, tuple(A.shape[B.ndim:]))


# ----- triangular solves, conditioning, rank, the *_ex forms ------------------------------------

@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="triangular_solve_cpu"))
def solve_triangular(A: Tensor, B: Tensor, *, upper: bool = None, left: bool = True,  # type: ignore[assignment]
                     unitriangular: bool = False) -> Tensor:
    """Solve with the triangle of A (the other triangle is ignored, so its gradient is zero)."""
    if upper is None:       # (torch's argument parser: `upper` is required)
        raise TypeError('linalg_solve_triangular() missing 1 required positional arguments: "upper"')
    for name, M in (("A", A), ("B", B)):
        if M.ndim < 2:
            raise RuntimeError(f"linalg.solve_triangular: The input tensor {name} must have at least 2 dimensions.")
    from_tri = MO.triu(A) if upper else MO.tril(A)
    if unitriangular:
        n = A.shape[-1]
        eye = Tensor._wrap(np.eye(n, dtype=bool), D.bool_)
        from_tri = F.where(eye, F.ones_like(from_tri), from_tri)
    X = DC.solve(from_tri, B, left=left)
    return _named(X, "LinalgSolveTriangularBackward0")


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="linalg_svd_cpu"))
def cond(A: Tensor, p=None) -> Tensor:
    if p is None or p in (2, -2):
        s = SP.svdvals(A)
        out = F.amax(s, -1) / F.amin(s, -1) if p != -2 else F.amin(s, -1) / F.amax(s, -1)
        return _named(out, "SqueezeBackward1") if out.ndim == 0 else out
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.cond(ord={p}): A must be batches of square matrices, but they are "
                           f"{A.shape[-2] if A.ndim > 1 else 1} by {A.shape[-1]} matrices")
    return matrix_norm(A, p) * matrix_norm(DC.inv(A), p)


def _lower_hermitian(A: Tensor, name: str) -> Tensor:
    """hermitian=True: torch reads A's lower triangle alone (eigh); its
    mirror replaces the upper one by a constant offset (no change, in value
    or gradient, for a symmetric A)."""
    DC.check_square(name, A)
    a = np.asarray(A._data())
    lower = np.tril(a, -1)
    return A + Tensor._wrap(np.swapaxes(lower, -1, -2) - np.triu(a, 1), A.dtype)


@rejects_half(RuntimeError, "This function doesn't handle types other than float and double")
def matrix_rank(A: Tensor, *, atol=None, rtol=None, hermitian: bool = False, tol=None) -> Tensor:
    if A.ndim < 2:
        raise RuntimeError("torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.")
    _guard_taint("matrix_rank", A)
    if hermitian:
        DC.check_square("eigh", A)
        s = np.abs(np.linalg.eigvalsh(np.asarray(A._data()), UPLO="L"))      # (torch: A's lower triangle)
    else:
        s = np.linalg.svd(np.asarray(A._data()), compute_uv=False)
    smax = s.max(-1, keepdims=True) if s.size else np.zeros(s.shape[:-1] + (1,))
    if tol is not None:
        atol = tol
    if rtol is None:
        rtol = 0.0 if atol is not None and atol > 0 else max(A.shape[-2:]) * np.finfo(A.dtype.np).eps
    cutoff = np.maximum(0.0 if atol is None else float(atol), float(rtol) * smax)
    return Tensor._wrap(np.asarray((s > cutoff).sum(-1), np.int64), D.int64)


def _info(A: Tensor) -> Tensor:
    return Tensor._wrap(np.zeros(tuple(A.shape[:-2]), np.int32), D.int32)


def _renamed(call, name: str, ex_name: str):
    """call(), its error named after the *_ex function called (torch's message)."""
    try:
        return call()
    except Exception as e:
        raise type(e)(str(e).replace(name, ex_name, 1)) from None


@rejects_half(RuntimeError, LOW_PRECISION.format(name="linalg.inv"))
def inv_ex(A: Tensor, *, check_errors: bool = False):
    """torch's: info is getrf's (the first zero pivot, 1-based), the inverse then
    LAPACK's inf / nan; an error only with check_errors."""
    DC.check_square("inv", A)
    a = np.asarray(A._data()).reshape((-1,) + tuple(A.shape[-2:]))
    info, _ = DC.lu_info_and_solve(a) if a.size else (np.zeros(len(a), np.int32), None)
    if not info.any():
        return DC._Result("linalg_inv_ex", ("inverse", "info"), (DC.inv(A), _info(A)))
    if check_errors:
        _renamed(lambda: DC.inv(A), "linalg.inv:", "linalg.inv_ex:")
    n = a.shape[-1]
    _, x = DC.lu_info_and_solve(a, np.broadcast_to(np.eye(n), a.shape))
    return DC._Result("linalg_inv_ex", ("inverse", "info"),
                      (Tensor._wrap(x.reshape(tuple(A.shape)).astype(A.dtype.np), A.dtype),
                       Tensor._wrap(info.reshape(tuple(A.shape[:-2])), D.int32)))


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="cholesky_cpu"))
def cholesky_ex(A: Tensor, *, upper: bool = False, check_errors: bool = False):
    """torch's: info is the order of the first leading minor that is not positive-definite
    (0: factorised), and L then holds LAPACK's partial factor; no error unless check_errors."""
    DC.check_square("cholesky", A)
    arr = np.array(A._data(), dtype=A.dtype.np).reshape((-1,) + tuple(A.shape[-2:]))
    try:
        failed = np.isnan(np.linalg.cholesky(arr)).any()     # (a nan pivot fails in LAPACK, not in NumPy)
    except np.linalg.LinAlgError:
        failed = True
    info = np.array([_potf2(m) for m in arr] if failed else [0] * len(arr), np.int32)   # (factorises arr in place)
    if not info.any():
        return DC._Result("linalg_cholesky_ex", ("L", "info"), (DC.cholesky(A, upper=upper), _info(A)))
    if check_errors:
        _renamed(lambda: DC.cholesky(A, upper=upper), "linalg.cholesky:", "linalg.cholesky_ex:")
    # A failed factorisation: LAPACK's partial values (no gradient: they are not a function torch differentiates).
    L = np.tril(arr)
    L = np.swapaxes(L, -1, -2) if upper else L
    return DC._Result("linalg_cholesky_ex", ("L", "info"),
                      (Tensor._wrap(L.reshape(tuple(A.shape)), A.dtype),
                       Tensor._wrap(info.reshape(tuple(A.shape[:-2])), D.int32)))


def _potf2(a: np.ndarray) -> int:
    """LAPACK's unblocked Cholesky (dpotf2, lower, column by column) in place: the
    info it returns, and on failure the partial factor torch's L shows (the failing
    pivot's updated value, later columns untouched)."""
    for j in range(a.shape[0]):
        ajj = a[j, j] - a[j, :j] @ a[j, :j]
        if not ajj > 0:             # (nan too)
            a[j, j] = ajj
            return j + 1
        a[j, j] = ajj = np.sqrt(ajj)
        a[j + 1:, j] = (a[j + 1:, j] - a[j + 1:, :j] @ a[j, :j]) * (1 / ajj)
    return 0


@rejects_half(NotImplementedError, NOT_FOR_HALF.format(kernel="lu_cpu"))
def solve_ex(A: Tensor, B: Tensor, *, left: bool = True, check_errors: bool = False):
    """As inv_ex: getrf's info, and the solution LAPACK's solves give when it is not 0."""
    DC.check_square("solve", A)
    a = np.asarray(A._data()).reshape((-1,) + tuple(A.shape[-2:]))
    info, _ = DC.lu_info_and_solve(a) if a.size else (np.zeros(len(a), np.int32), None)
    if not info.any() or not left or A.ndim != 2 or B.ndim > 2:
        return DC._Result("linalg_solve_ex", ("result", "info"), (DC.solve(A, B, left=left), _info(A)))
    if check_errors:
        _renamed(lambda: DC.solve(A, B, left=left), "torch.linalg.solve:", "torch.linalg.solve_ex:")
    b = np.asarray(B._data(), np.float64)
    _, x = DC.lu_info_and_solve(a, b.reshape((1,) + b.shape[:1] + (-1,)))
    return DC._Result("linalg_solve_ex", ("result", "info"),
                      (Tensor._wrap(x.reshape(tuple(B.shape)).astype(A.dtype.np), A.dtype),
                       Tensor._wrap(info.reshape(()), D.int32)))
