"""jitgrad.linalg: torch.linalg. Decompositions are autograd Functions
with torch's backward formulas (`decompositions.py`, `spectral.py`); the rest are
composites (`composites.py`)."""
from ..core import dtypes as _D
from ..functional.functions import matmul  # noqa: F401
from ..functional.breadth_shapes import vander as _vander
from .composites import (cholesky_ex, cond, cross, diagonal, inv_ex, lstsq, matrix_exp, matrix_norm,  # noqa: F401
                         matrix_power, matrix_rank, multi_dot, norm, pinv, solve_ex, solve_triangular, tensorinv,
                         tensorsolve, vecdot, vector_norm)
from .decompositions import LinAlgError, cholesky, det, inv, qr, slogdet, solve  # noqa: F401
from .spectral import eigh, eigvalsh, svd, svdvals  # noqa: F401


def vander(x, *, N=None):
    if x.dtype is _D.float16:
        raise RuntimeError("linalg.vander supports floating point, complex, and integer tensors, but got Half")
    if N is not None and N <= 1:
        raise RuntimeError("N must be greater than 1.")
    return _vander(x, N, increasing=True)
from .householder import householder_product  # noqa: F401,E402
from .lu import lu, lu_factor, lu_factor_ex, lu_solve  # noqa: F401,E402
from .removed import linalg_eig as eig, linalg_eigvals as eigvals  # noqa: F401,E402
from .ldl import ldl_factor, ldl_factor_ex, ldl_solve  # noqa: F401,E402
