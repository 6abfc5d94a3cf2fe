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


def sum_short_rows(arr: np.ndarray, keepdim: bool = True):
    """sum_dims(arr, (last dim,), keepdim) of a C-contiguous float32/float64
    array with rows of 2 or 3 elements (points' coordinates) and more than
    one row, by NumPy's column adds in torch's order (scalar_inner_sum: 0.0
    plus each value in turn, + 0.0, into a zero-filled output; float32
    adds rounded as float32's), without the Numba call's setup (~10 us
    for cdist's 40 points); else None."""
    if arr.ndim < 2 or not 2 <= arr.shape[-1] <= 3 or arr.dtype.char not in "fd" or not arr.flags.c_contiguous \
            or arr.size <= arr.shape[-1]:
        return None
    cols = arr.reshape(-1, arr.shape[-1])
    zero = arr.dtype.type(0.0)
    with quiet():       # (inf - inf: nan, as torch, without NumPy's warning)
        t = zero + cols[:, 0]
        for k in range(1, cols.shape[1]):
            t = t + cols[:, k]
        t = zero + (t + zero)
    return t.reshape(arr.shape[:-1] + (1,) if keepdim else arr.shape[:-1])


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
