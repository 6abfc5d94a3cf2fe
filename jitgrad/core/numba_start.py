"""Numba's start-up, without the SciPy import it does not need.

The first call of any Numba kernel in a process, cached or not, loads the
CPU target's registries, among them ``numba.np.arraymath``, whose import
probes for BLAS by importing ``scipy.linalg`` (about 0.13 s, a third of a
warm process's first gradient) only to decide whether ``np.correlate`` and
``np.convolve`` may call BLAS. jitgrad's kernels call neither. Here that one
probe asks whether SciPy is installed without importing it; every other
caller of ``ensure_blas`` (Numba compiling ``np.dot`` and ``np.linalg``)
still imports SciPy and checks its LAPACK integer width, as before.
"""
import importlib.util
import sys


def defer_blas_probe() -> bool:
    """Make arraymath's import-time BLAS probe lazy; True if it now is (False
    when arraymath was imported already or Numba's layout differs)."""
    if "numba.np.arraymath" in sys.modules:
        return False
    try:
        from numba.np import linalg
    except ImportError:
        return False
    original = getattr(linalg, "ensure_blas", None)
    if original is None or getattr(original, "_jitgrad_lazy", False):
        return False

    def ensure_blas():
        arraymath = sys.modules.get("numba.np.arraymath")
        if arraymath is not None and not hasattr(arraymath, "_HAVE_BLAS"):
            # the probe of arraymath's import (its _HAVE_BLAS is not set yet)
            if importlib.util.find_spec("scipy") is None:
                raise ImportError("scipy 0.16+ is required for linear algebra")
            return None
        return original()

    ensure_blas._jitgrad_lazy = True     # type: ignore[attr-defined]
    linalg.ensure_blas = ensure_blas
    return True
