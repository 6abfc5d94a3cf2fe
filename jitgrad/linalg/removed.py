"""torch's linear algebra that pasted code still calls but jitgrad cannot
or torch no longer does: the functions torch 1.9 removed (torch.eig,
solve, lstsq, symeig, matrix_rank and their methods: torch's errors),
linalg.eig / eigvals (complex results: a NotImplementedError), and the
deprecated torch.nuclear_norm / torch.frobenius_norm."""
from __future__ import annotations

from typing import Any

from ..functional import functions as F
from ..tensors.tensor import Tensor
from ..core.warn import warn_once
from . import composites as C

_REMOVED = "This function was deprecated since version 1.9 and is now removed. "
_EIG = (_REMOVED + "`torch.linalg.eig` returns complex tensors of dtype `cfloat` or `cdouble` rather than real "
        "tensors mimicking complex tensors.\n\nL, _ = torch.eig(A) should be replaced with:\nL_complex = "
        "torch.linalg.eigvals(A)\n\nand\n\nL, V = torch.eig(A, eigenvectors=True) should be replaced with:\n"
        "L_complex, V_complex = torch.linalg.eig(A)")
_SOLVE = (_REMOVED + "`torch.solve` is deprecated in favor of `torch.linalg.solve`. `torch.linalg.solve` has its "
          "arguments reversed and does not return the LU factorization.\n\nTo get the LU factorization see "
          "`torch.lu`, which can be used with `torch.lu_solve` or `torch.lu_unpack`.\nX = torch.solve(B, A)."
          "solution should be replaced with:\nX = torch.linalg.solve(A, B)")
_LSTSQ = (_REMOVED + "`torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n`torch.linalg.lstsq` has "
          "reversed arguments and does not return the QR decomposition in the returned tuple (although it returns "
          "other information about the problem).\n\nTo get the QR decomposition consider using `torch.linalg.qr`."
          "\n\nThe returned solution in `torch.lstsq` stored the residuals of the solution in the last m - n "
          "columns of the returned value whenever m > n. In torch.linalg.lstsq, the residuals are in the field "
          "'residuals' of the returned named tuple.\n\nThe unpacking of the solution, as in\nX, _ = "
          "torch.lstsq(B, A).solution[:A.size(1)]\nshould be replaced with:\nX = torch.linalg.lstsq(A, B).solution")
_SYMEIG = (_REMOVED + "The default behavior has changed from using the upper triangular portion of the matrix by "
           "default to using the lower triangular portion.\n\nL, _ = torch.symeig(A, upper=upper) should be "
           "replaced with:\nL = torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\n\nand\n\nL, V = "
           "torch.symeig(A, eigenvectors=True) should be replaced with:\nL, V = torch.linalg.eigh(A, UPLO='U' if "
           "upper else 'L')")
_MATRIX_RANK = ("This function was deprecated since version 1.9 and is now removed.\nPlease use the "
                "`torch.linalg.matrix_rank` function instead. The parameter 'symmetric' was renamed in "
                "`torch.linalg.matrix_rank()` to 'hermitian'.")


def eig(self: Tensor, eigenvectors: bool = False, *, e: Any = None, v: Any = None) -> tuple:
    raise RuntimeError(_EIG)


def solve(input: Tensor, A: Tensor, *, out: Any = None) -> tuple:
    raise RuntimeError(_SOLVE)


def lstsq(input: Tensor, A: Tensor, *, out: Any = None) -> tuple:
    raise RuntimeError(_LSTSQ)


def symeig(input: Tensor, eigenvectors: bool = False, upper: bool = True, *, out: Any = None) -> tuple:
    raise RuntimeError(_SYMEIG)


def matrix_rank(input: Tensor, tol: Any = None, symmetric: bool = False, *, out: Any = None) -> Tensor:
    raise RuntimeError(_MATRIX_RANK)


def _complex_results(name: str) -> NotImplementedError:
    return NotImplementedError(
        f"torch.linalg.{name} returns complex tensors (complex64 / complex128), and jitgrad has no complex "
        "dtypes. For a symmetric matrix use torch.linalg.eigh / eigvalsh, which return real tensors.")


def linalg_eig(A: Tensor, *, out: Any = None) -> tuple:
    raise _complex_results("eig")


def linalg_eigvals(A: Tensor, *, out: Any = None) -> Tensor:
    raise _complex_results("eigvals")


_NUCLEAR_WARNING = (
    "at::nuclear_norm is deprecated and it is just left for JIT compatibility. It will be removed in a future "
    "PyTorch release. Please use `linalg.matrix_norm(A, 'nuc', dim, keepdim)` instead (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/LinearAlgebra.cpp:3229.)")
_FROBENIUS_WARNING = (
    "at::frobenius_norm is deprecated and it is just left for JIT compatibility. It will be removed in a future "
    "PyTorch release. Please use `linalg.vector_norm(A, 2., dim, keepdim)` instead (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/LinearAlgebra.cpp:3175.)")


def nuclear_norm(input: Tensor, dim: Any = None, keepdim: bool = False, *, out: Any = None) -> Tensor:
    """The sum of singular values (deprecated in torch: linalg.matrix_norm(A, 'nuc'))."""
    warn_once(_NUCLEAR_WARNING, stacklevel=3)
    if isinstance(dim, bool):
        dim, keepdim = None, dim
    out = C.matrix_norm(input, "nuc", dim=(-2, -1) if dim is None else tuple(dim), keepdim=keepdim)
    return F._named(out, "PermuteBackward0" if keepdim else "SumBackward1")


def frobenius_norm(input: Tensor, dim: Any, keepdim: bool = False, *, out: Any = None) -> Tensor:
    """The 2-norm over `dim` (deprecated in torch: linalg.vector_norm(A, 2, dim, keepdim))."""
    warn_once(_FROBENIUS_WARNING, stacklevel=3)
    return F._named(C.vector_norm(input, 2, dim=dim, keepdim=keepdim), "NormBackward1")


for _name, _fn in {"eig": eig, "solve": solve, "lstsq": lstsq, "symeig": symeig}.items():
    setattr(Tensor, _name, _fn)
