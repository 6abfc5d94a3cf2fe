"""torch's top-level linear algebra (torch.det, torch.inverse, torch.svd,
...) and the Tensor methods, as the torch.linalg functions."""
from __future__ import annotations


from ..functional import functions as F
from ..tensors.tensor import Tensor
from ..core.warn import warn_once
from . import composites as C
from . import decompositions as DC
from . import spectral as SP

det = DC.det
logdet = DC.logdet
inverse = DC.inv
svd = SP.torch_svd
matrix_power = C.matrix_power
matrix_exp = C.matrix_exp


def slogdet(input: Tensor) -> DC.SlogdetResult:
    sign, logabs = DC.slogdet(input)
    return DC.SlogdetResult(sign, logabs, "slogdet")


def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:
    return C.pinv(input, rtol=rcond)


def cholesky_solve(B: Tensor, L: Tensor, upper: bool = False) -> Tensor:
    """X with (L L^H) X = B from the Cholesky factor (two triangular solves)."""
    for name, M in (("b", B), ("u", L)):
        if M.ndim < 2:
            raise RuntimeError(f"{name} should have at least 2 dimensions, but has {M.ndim} dimensions instead")
    Lo = DC.mT(L) if upper else L
    Y = C.solve_triangular(Lo, B, upper=False)
    return F._named(C.solve_triangular(DC.mT(Lo), Y, upper=True), "CholeskySolveBackward0")


def cholesky_inverse(L: Tensor, upper: bool = False) -> Tensor:
    """(L L^H)^{-1} from the Cholesky factor."""
    Lo = DC.mT(L) if upper else L
    L_inv = C.solve_triangular(Lo, F.eye(L.shape[-1], dtype=L.dtype), upper=False)
    return F._named(DC.mT(L_inv) @ L_inv, "CholeskyInverseBackward0")


_QR_WARNING = (
    "torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future PyTorch release.\n"
    "The boolean parameter 'some' has been replaced with a string parameter 'mode'.\nQ, R = torch.qr(A, some)\n"
    "should be replaced with\nQ, R = torch.linalg.qr(A, 'reduced' if some else 'complete') (Triggered internally "
    "at /__w/pytorch/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp:2505.)")


def qr(input: Tensor, some: bool = True) -> DC._Result:
    warn_once(_QR_WARNING, stacklevel=3)
    Q, R = DC.qr(input, "reduced" if some else "complete")
    return DC._Result("qr", ("Q", "R"), (Q, R))


_CHOLESKY_WARNING = (
    "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a future PyTorch "
    "release.\nL = torch.cholesky(A)\nshould be replaced with\nL = torch.linalg.cholesky(A)\nand\n"
    "U = torch.cholesky(A, upper=True)\nshould be replaced with\nU = torch.linalg.cholesky(A).mH\n"
    "This transform will produce equivalent results for all valid (symmetric positive definite) inputs. "
    "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp:1765.)")


def cholesky(input: Tensor, upper: bool = False) -> Tensor:
    warn_once(_CHOLESKY_WARNING, stacklevel=3)
    return F._named(DC.cholesky(input, upper=upper), "CholeskyBackward0")


for _name, _fn in {"det": det, "logdet": logdet, "slogdet": slogdet, "inverse": inverse, "svd": svd,
                   "pinverse": pinverse, "matrix_power": matrix_power, "matrix_exp": matrix_exp,
                   "cholesky": cholesky, "cholesky_solve": cholesky_solve,
                   "cholesky_inverse": cholesky_inverse, "qr": qr}.items():
    setattr(Tensor, _name, _fn)

__all__ = ["det", "logdet", "slogdet", "inverse", "svd", "pinverse", "matrix_power", "matrix_exp", "cholesky",
           "cholesky_solve", "cholesky_inverse", "qr"]
