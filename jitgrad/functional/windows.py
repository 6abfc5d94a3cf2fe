"""Signal windows (`torch.hann_window`, `hamming_window`, `bartlett_window`,
`blackman_window`, `kaiser_window`) with torch's `periodic` convention:
a periodic window of N points is the symmetric one of N + 1 without its
last point."""
from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from ..core import dtypes as D
from ..tensors.tensor import Tensor
from .random_methods import _CPP_NAMES

__all__ = ["hann_window", "hamming_window", "bartlett_window", "blackman_window", "kaiser_window"]


def _window(name: str, window_length: Any, periodic: bool, dtype: Optional[D.dtype], requires_grad: bool,
            symmetric: Callable[[int], np.ndarray]) -> Tensor:
    if not isinstance(window_length, (int, np.integer)) or isinstance(window_length, bool):
        raise TypeError(f"{name}(): argument 'window_length' (position 1) must be int, not "
                        f"{type(window_length).__name__}")
    dt = dtype or D.get_default_dtype()
    if not dt.is_floating_point:
        raise RuntimeError(f"{name} expects floating point dtypes, got: TensorOptions(dtype={_CPP_NAMES[dt.name]}, "
                           "device=cpu, layout=Strided (default), requires_grad=false (default), "
                           "pinned_memory=false, memory_format=(nullopt))")
    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got window_length={window_length}")
    n = int(window_length)
    if n <= 1:
        values = np.ones(n)
    else:
        values = symmetric(n + 1)[:n] if periodic else symmetric(n)
    out = Tensor._wrap(np.asarray(values, dt.np), dt)
    return out.requires_grad_() if requires_grad else out


def _cosine_sum(coeffs: tuple) -> Callable[[int], np.ndarray]:
    def symmetric(n: int) -> np.ndarray:
        phase = np.arange(n) * (2 * np.pi / (n - 1))
        return sum(c * np.cos(k * phase) * (-1) ** k for k, c in enumerate(coeffs))
    return symmetric


def hann_window(window_length: int, periodic: bool = True, *, dtype: Optional[D.dtype] = None, layout: Any = None,
                device: Any = None, requires_grad: bool = False) -> Tensor:
    return _window("hann_window", window_length, periodic, dtype, requires_grad, _cosine_sum((0.5, 0.5)))


def hamming_window(window_length: int, periodic: bool = True, alpha: float = 0.54, beta: float = 0.46, *,
                   dtype: Optional[D.dtype] = None, layout: Any = None, device: Any = None,
                   requires_grad: bool = False) -> Tensor:
    return _window("hamming_window", window_length, periodic, dtype, requires_grad, _cosine_sum((alpha, beta)))


def blackman_window(window_length: int, periodic: bool = True, *, dtype: Optional[D.dtype] = None,
                    layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _window("blackman_window", window_length, periodic, dtype, requires_grad, _cosine_sum((0.42, 0.5, 0.08)))


def _bartlett(n: int) -> np.ndarray:
    return 1 - np.abs(2 * np.arange(n) / (n - 1) - 1)


def bartlett_window(window_length: int, periodic: bool = True, *, dtype: Optional[D.dtype] = None,
                    layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _window("bartlett_window", window_length, periodic, dtype, requires_grad, _bartlett)


def kaiser_window(window_length: int, periodic: bool = True, beta: float = 12.0, *,
                  dtype: Optional[D.dtype] = None, layout: Any = None, device: Any = None,
                  requires_grad: bool = False) -> Tensor:
    def symmetric(n: int) -> np.ndarray:
        alpha = (n - 1) / 2
        return np.i0(beta * np.sqrt(np.clip(1 - ((np.arange(n) - alpha) / alpha) ** 2, 0, None))) / np.i0(beta)
    return _window("kaiser_window", window_length, periodic, dtype, requires_grad, symmetric)
