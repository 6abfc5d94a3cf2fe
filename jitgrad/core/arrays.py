"""NumPy helpers shared by the layers above (no tensors here)."""
import numpy as np

from .torch_sum import sum_dims


def sum_to(g: np.ndarray, shape: tuple, lead: int = 0) -> np.ndarray:
    """Sum the broadcast dims of g away so it has `shape`; the first `lead`
    dims (e.g. the K seed columns of a batched adjoint) are kept as they are.
    As torch's sum_to: one sum over all those dims (a float32/float64 one in
    torch's order, core/torch_sum.py), so its rounding is torch's."""
    extra = g.ndim - len(shape)
    dims = tuple(range(lead, lead + extra)) + tuple(
        i + extra for i in range(lead, len(shape)) if shape[i] == 1 and g.shape[i + extra] != 1)
    if not dims:
        return g
    if g.dtype in (np.float32, np.float64):
        out = sum_dims(g, dims, True)
    else:
        out = g.sum(axis=dims, keepdims=True)
    return out.reshape(g.shape[:lead] + out.shape[lead + extra:]) if extra else out


class quiet:
    """`with quiet():` is `with np.errstate(all="ignore"):` (NumPy's floating
    point warnings off: torch warns of none) at a quarter of its cost: it
    sets NumPy's error-state context variable to one prepared state instead
    of building one per use (1.7 -> 0.4 us; an op on a small vector paid it
    once or twice). Falls back to np.errstate if NumPy's internals differ."""
    __slots__ = ("token",)

    def __enter__(self):
        self.token = _ERR_VAR.set(_IGNORE_ALL)

    def __exit__(self, *exc):
        _ERR_VAR.reset(self.token)


try:
    from numpy._core._ufunc_config import _extobj_contextvar as _ERR_VAR, _make_extobj  # type: ignore[attr-defined]
    _IGNORE_ALL = _make_extobj(all="ignore")
except (ImportError, AttributeError, TypeError):     # (another NumPy: its public context manager)
    quiet = lambda: np.errstate(all="ignore")     # type: ignore  # noqa: E731
