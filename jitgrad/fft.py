"""jitgrad.fft: torch.fft. Its transforms take or return complex tensors,
which jitgrad does not have: each raises NotImplementedError saying so (a
pasted `torch.fft.rfft(x)` gets that instead of an AttributeError on
`torch.fft`). The real-valued helpers are torch's: fftfreq, rfftfreq,
fftshift, ifftshift."""
from __future__ import annotations

from typing import Optional, Sequence, Union

import numpy as np

from .core import dtypes as D
from .tensors.tensor import Tensor

_TRANSFORMS = ("fft", "ifft", "fft2", "ifft2", "fftn", "ifftn", "rfft", "irfft", "rfft2", "irfft2", "rfftn", "irfftn",
               "hfft", "ihfft", "hfft2", "ihfft2", "hfftn", "ihfftn")


def _complex_transform(name: str):
    def transform(*args: object, **kwargs: object) -> Tensor:
        raise NotImplementedError(f"torch.fft.{name} works with complex tensors (complex64 / complex128), and "
                                  "jitgrad has no complex dtypes")
    transform.__name__ = transform.__qualname__ = f"fft_{name}"
    return transform


for _name in _TRANSFORMS:
    globals()[_name] = _complex_transform(_name)
del _name


def _frequencies(values: np.ndarray, n: int, d: float, dtype, requires_grad: bool) -> Tensor:
    # torch: arange(...).mul_(1.0 / (n * d)), the scalar rounded to the result's dtype
    dt = D.get_default_dtype() if dtype is None else dtype
    arr = values.astype(dt.np) * dt.np.type(1.0 / (n * d))
    out = Tensor._wrap(arr, dt)
    return out.requires_grad_(True) if requires_grad else out


def fftfreq(n: int, d: float = 1.0, *, dtype=None, layout=None, device=None, requires_grad: bool = False) -> Tensor:
    """Sample frequencies [0, 1, ..., (n - 1) // 2, -(n // 2), ..., -1] / (d n)."""
    values = np.arange(n, dtype=np.int64)
    values[(n + 1) // 2:] = np.arange(-(n // 2), 0)
    return _frequencies(values, n, d, dtype, requires_grad)


def rfftfreq(n: int, d: float = 1.0, *, dtype=None, layout=None, device=None, requires_grad: bool = False) -> Tensor:
    """Sample frequencies of rfft: [0, 1, ..., n // 2] / (d n)."""
    return _frequencies(np.arange(n // 2 + 1, dtype=np.int64), n, d, dtype, requires_grad)


def _shift(input: Tensor, dim: Optional[Union[int, Sequence[int]]], inverse: bool) -> Tensor:
    dims = list(range(input.ndim)) if dim is None else [dim] if isinstance(dim, int) else list(dim)
    shifts = [(input.shape[k] + inverse) // 2 for k in dims]
    return input.roll(shifts, dims)


def fftshift(input: Tensor, dim: Optional[Union[int, Sequence[int]]] = None) -> Tensor:
    """The zero frequency moved to the middle: a roll by size // 2 along dim (all dims)."""
    return _shift(input, dim, False)


def ifftshift(input: Tensor, dim: Optional[Union[int, Sequence[int]]] = None) -> Tensor:
    """fftshift's inverse: a roll by (size + 1) // 2."""
    return _shift(input, dim, True)


fftfreq.__name__, rfftfreq.__name__ = "fft_fftfreq", "fft_rfftfreq"
fftshift.__name__, ifftshift.__name__ = "fft_fftshift", "fft_ifftshift"
