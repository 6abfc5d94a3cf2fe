"""torch's top-level odds and ends that pasted code calls: thread counts,
determinism and matmul-precision switches (recorded; jitgrad's CPU kernels
are deterministic and compute float32 matmuls in float32), the deprecated
set_default_tensor_type and range, and functional aliases (torch.selu,
torch.cosine_similarity, ...)."""
from __future__ import annotations

import builtins
import importlib
import math
import warnings
from typing import Any

import numba
import numpy as np

from .core import dtypes as D
from .core.warn import warn_once
from .functional import functions as F
from .functional import legacy
from .tensors.tensor import Tensor

__all__ = ["set_num_threads", "get_num_threads", "set_num_interop_threads", "get_num_interop_threads",
           "use_deterministic_algorithms", "are_deterministic_algorithms_enabled",
           "is_deterministic_algorithms_warn_only_enabled", "get_deterministic_debug_mode",
           "set_deterministic_debug_mode", "set_float32_matmul_precision",
           "get_float32_matmul_precision", "set_default_tensor_type", "is_complex", "is_nonzero", "is_same_size",
           "typename", "scalar_tensor", "unravel_index", "range", "cosine_similarity", "pairwise_distance",
           "dropout", "selu", "celu", "threshold", "prelu"]

def _nn_functional() -> Any:
    """jitgrad.nn.functional, imported on the first call (`import jitgrad` leaves nn unloaded)."""
    return importlib.import_module("jitgrad.nn.functional")


_TRIGGERED = " (Triggered internally at /__w/pytorch/pytorch/{}.)"
_STATE: dict = {"interop": numba.config.NUMBA_NUM_THREADS, "deterministic": False, "warn_only": False,
                "matmul_precision": "highest"}


def set_num_threads(int: int) -> None:
    """The threads of jitgrad's parallel Numba kernels (batched replay)."""
    numba.set_num_threads(max(1, min(int, numba.config.NUMBA_NUM_THREADS)))


def get_num_threads() -> int:
    return numba.get_num_threads()


def set_num_interop_threads(int: int) -> None:
    _STATE["interop"] = int


def get_num_interop_threads() -> int:
    return _STATE["interop"]


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    _STATE["deterministic"], _STATE["warn_only"] = bool(mode), bool(warn_only)


def are_deterministic_algorithms_enabled() -> bool:
    return _STATE["deterministic"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    return _STATE["warn_only"]


_DEBUG_MODES = ("default", "warn", "error")


def set_deterministic_debug_mode(debug_mode: int | str) -> None:
    """torch's spelling of use_deterministic_algorithms: 0/"default" off, 1/"warn" warn_only, 2/"error" on."""
    if isinstance(debug_mode, str):
        if debug_mode not in _DEBUG_MODES:
            raise RuntimeError("invalid value of debug_mode, expected one of `default`, `warn`, `error`, "
                               f"but got {debug_mode}")
        debug_mode = _DEBUG_MODES.index(debug_mode)
    elif not isinstance(debug_mode, int):
        raise TypeError(f"debug_mode must be str or int, but got {type(debug_mode)}")
    if debug_mode not in (0, 1, 2):
        raise RuntimeError(f"invalid value of debug_mode, expected 0, 1, or 2, but got {debug_mode}")
    use_deterministic_algorithms(debug_mode != 0, warn_only=debug_mode == 1)


def get_deterministic_debug_mode() -> int:
    if not _STATE["deterministic"]:
        return 0
    return 1 if _STATE["warn_only"] else 2


def set_float32_matmul_precision(precision: str) -> None:
    if precision not in ("highest", "high", "medium"):
        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
                      "setFloat32MatmulPrecision call has no effect."
                      + _TRIGGERED.format("aten/src/ATen/Context.cpp:458"), UserWarning, stacklevel=1)
        return
    _STATE["matmul_precision"] = precision


def get_float32_matmul_precision() -> str:
    return _STATE["matmul_precision"]


def set_default_tensor_type(t: Any) -> None:
    """Deprecated in torch: torch.DoubleTensor (or its name) sets the default float dtype."""
    warn_once("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
              "torch.set_default_dtype() and torch.set_default_device() as alternatives."
              + _TRIGGERED.format("torch/csrc/tensor/python_tensor.cpp:434"), stacklevel=2)
    if isinstance(t, str):
        t = getattr(legacy, t.rsplit(".", 1)[-1], None) or t
    if not isinstance(t, legacy._LegacyTensorType):
        raise TypeError(f"invalid type: '{t}'")
    if not t.dtype.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    D.set_default_dtype(t.dtype)


def is_complex(input: Tensor) -> bool:
    return False        # jitgrad has no complex dtypes


def is_nonzero(input: Tensor) -> bool:
    n = input.numel()
    if n != 1:
        raise RuntimeError("Boolean value of Tensor with " + ("no values" if n == 0 else "more than one value")
                           + " is ambiguous")
    return bool(input)


def is_same_size(input: Tensor, other: Tensor) -> bool:
    return tuple(input.shape) == tuple(other.shape)


def typename(obj: Any) -> str:
    if isinstance(obj, Tensor):
        return obj.type()
    module = type(obj).__module__
    name = type(obj).__qualname__
    return name if module in ("builtins", None) else f"{module}.{name}"


def scalar_tensor(s: Any, *, dtype: D.dtype | None = None, device: Any = None,
                  requires_grad: bool = False) -> Tensor:
    return F.tensor(float(s), dtype=dtype or D.get_default_dtype(), requires_grad=requires_grad)


def unravel_index(indices: Any, shape: Any) -> tuple:
    """Coordinates of flat indices in `shape` (torch.unravel_index: int64 tensors)."""
    if not isinstance(indices, Tensor):
        raise TypeError(f"expected 'indices' to be integer dtype, but got {type(indices)}")
    if indices.dtype.is_floating_point:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    flat = indices._data().astype(np.int64)
    n = math.prod(shape)
    if ((flat < -n) | (flat >= n)).any():
        raise RuntimeError("'indices' must be in range [-{0}, {1})".format(n, n))
    coords = np.unravel_index(np.where(flat < 0, flat + n, flat), shape)
    return tuple(Tensor._wrap(np.asarray(c, np.int64).reshape(flat.shape), D.int64) for c in coords)


def range(start: float = 0, end: float | None = None, step: float = 1, *, dtype: D.dtype | None = None,
          device: Any = None, requires_grad: bool = False) -> Tensor:
    """Deprecated torch.range: like arange but including `end`."""
    warnings.warn("torch.range is deprecated and will be removed in a future release because its behavior is "
                  "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values in "
                  "[start, end).", UserWarning, stacklevel=2)
    if end is None:
        start, end = 0, start
    count = int(math.floor((end - start) / step)) + 1
    dt = dtype or D.get_default_dtype()
    values = np.asarray([start + i * step for i in builtins.range(count)], np.float64)
    out = Tensor._wrap(values.astype(dt.np), dt)
    return out.requires_grad_(True) if requires_grad else out


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    return _nn_functional().cosine_similarity(x1, x2, dim, eps)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    return _nn_functional().pairwise_distance(x1, x2, p, eps, keepdim)


def dropout(input: Tensor, p: float, train: bool) -> Tensor:
    return _nn_functional().dropout(input, p, train)


def selu(input: Tensor) -> Tensor:
    return _nn_functional().selu(input)


def celu(input: Tensor, alpha: float = 1.0) -> Tensor:
    return _nn_functional().celu(input, alpha)


def threshold(input: Tensor, threshold: float, value: float) -> Tensor:
    return _nn_functional().threshold(input, threshold, value)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    return _nn_functional().prelu(input, weight)


Tensor.prelu = prelu     # x.prelu(weight), without loading nn at import
