"""jitgrad.linalg: torch.linalg. Decompositions are autograd Functions
with torch's backward formulas (`decompositions.py`); the rest are
composites (`composites.py`)."""
from ..functional.functions import matmul  # noqa: F401
from ..functional.breadth_shapes import vander as _vander
from .composites import (cross, diagonal, lstsq, matrix_exp, matrix_norm, matrix_power, multi_dot, norm,  # noqa: F401
                         pinv, tensorinv, tensorsolve, vecdot, vector_norm)
from .decompositions import (LinAlgError, cholesky, det, eigh, eigvalsh, inv, qr, slogdet, solve, svd,  # noqa: F401
                             svdvals)


def vander(x, *, N=None):
    return _vander(x, N, increasing=True)
