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
            symmetric: Callable[[int, Any], np.ndarray]) -> Tensor:
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
    # torch evaluates the window in the requested dtype, so float32 windows
    # carry float32 rounding (blackman's ends are -2.98e-08, not 0); other
    # dtypes (bfloat16) are evaluated in float64 and rounded once.
    work = np.dtype(dt.np).type
    work = work if work in (np.float16, np.float32, np.float64) else np.float64
    if n <= 1:
        values = np.ones(n)
    else:
        values = symmetric(n + 1, work)[:n] if periodic else symmetric(n, work)
    out = Tensor._wrap(np.asarray(values, dt.np), dt)
    return out.requires_grad_() if requires_grad else out


def _hamming(alpha: float, beta: float) -> Callable[[int, Any], np.ndarray]:
    # torch's order of operations: alpha - beta * cos(2 pi k / (n - 1)), each step in `work`
    def symmetric(n: int, work: Any) -> np.ndarray:
        phase = np.arange(n, dtype=work) * work(2 * np.pi / (n - 1))
        return np.cos(phase) * work(-beta) + work(alpha)
    return symmetric


def _blackman(n: int, work: Any) -> np.ndarray:
    # 0.08 cos(4 pi k / (n - 1)) - 0.5 cos(2 pi k / (n - 1)) + 0.42, in torch's order
    half = np.arange(n, dtype=work) * work(np.pi / (n - 1))
    return (np.cos(half * work(4)) * work(0.08) - np.cos(half * work(2)) * work(0.5)) + work(0.42)


def hann_window(window_length: int, periodic: bool = True, *, dtype: Optional[D.dtype] = None, layout: Any = None,
                device: Any = None, requires_grad: bool = False) -> Tensor:
    return _window("hann_window", window_length, periodic, dtype, requires_grad, _hamming(0.5, 0.5))


def hamming_window(window_length: int, periodic: bool = True, alpha: float = 0.54, beta: float = 0.46, *,
                   dtype: Optional[D.dtype] = None, layout: Any = None, device: Any = None,
                   requires_grad: bool = False) -> Tensor:
    return _window("hamming_window", window_length, periodic, dtype, requires_grad, _hamming(alpha, beta))


def blackman_window(window_length: int, periodic: bool = True, *, dtype: Optional[D.dtype] = None,
                    layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _window("blackman_window", window_length, periodic, dtype, requires_grad, _blackman)


def _bartlett(n: int, work: Any) -> np.ndarray:
    # torch: the ramp 2k / (n - 1) up to the middle, 2 - ramp after it
    ramp = np.arange(n, dtype=work) * work(2.0 / (n - 1))
    middle = (n - 1) // 2 + 1
    return np.concatenate([ramp[:middle], work(2) - ramp[middle:]])


def bartlett_window(window_length: int, periodic: bool = True, *, dtype: Optional[D.dtype] = None,
                    layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _window("bartlett_window", window_length, periodic, dtype, requires_grad, _bartlett)


def kaiser_window(window_length: int, periodic: bool = True, beta: float = 12.0, *,
                  dtype: Optional[D.dtype] = None, layout: Any = None, device: Any = None,
                  requires_grad: bool = False) -> Tensor:
    def symmetric(n: int, work: Any) -> np.ndarray:
        alpha = (n - 1) / 2
        return np.i0(beta * np.sqrt(np.clip(1 - ((np.arange(n) - alpha) / alpha) ** 2, 0, None))) / np.i0(beta)
    return _window("kaiser_window", window_length, periodic, dtype, requires_grad, symmetric)
