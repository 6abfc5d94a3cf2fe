"""torch.distributions.utils: broadcasting parameters, probs <-> logits,
lazy properties and the lower-triangle <-> vector maps."""
from __future__ import annotations

from functools import update_wrapper
from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes as D
from ..core.grad_mode import enable_grad
from ..functional import functions as F
from ..functional.dtype_info import finfo
from ..nn import functional as NF
from ..tensors.tensor import Tensor

__all__ = ["broadcast_all", "logits_to_probs", "clamp_probs", "probs_to_logits", "lazy_property",
           "tril_matrix_to_vec", "vec_to_tril_matrix"]

euler_constant = 0.57721566490153286060


def broadcast_all(*values: Any) -> tuple:
    """Numbers become tensors (of the first tensor's dtype, else the default); all broadcast together."""
    if not all(isinstance(v, (Tensor, int, float)) for v in values):
        raise ValueError("Input arguments must all be instances of Number, torch.Tensor or objects implementing "
                         "__torch_function__.")
    dt = next((v.dtype for v in values if isinstance(v, Tensor)), D.get_default_dtype())
    ts = [v if isinstance(v, Tensor) else F.tensor(v, dtype=dt) for v in values]
    shape = _broadcast_shape([tuple(t.shape) for t in ts])
    # (a tensor of the full shape is itself, as torch's broadcast_tensors gives it: no ExpandBackward)
    return tuple(t if tuple(t.shape) == tuple(shape) else t.expand(shape) for t in ts)


def _broadcast_shape(shapes: list) -> tuple:
    """The shape the parameters broadcast to; torch's broadcast_tensors error when they do not."""
    out: list = []
    for shape in shapes:
        ndim = max(len(out), len(shape))
        out = [1] * (ndim - len(out)) + out
        for k in range(1, len(shape) + 1):
            if out[-k] == 1:
                out[-k] = shape[-k]
            elif shape[-k] not in (1, out[-k]):
                raise RuntimeError(f"The size of tensor a ({out[-k]}) must match the size of tensor b ({shape[-k]}) "
                                   f"at non-singleton dimension {ndim - k}")
    return tuple(out)


def _standard_normal(shape: Sequence[int], dtype: Any) -> Tensor:
    """torch's: `empty(shape).normal_()` (the draws of randn)."""
    return F.empty(tuple(shape), dtype=dtype).normal_()


def _sum_rightmost(value: Tensor, dim: int) -> Tensor:
    if dim == 0:
        return value
    return value.reshape(tuple(value.shape[:value.dim() - dim]) + (-1,)).sum(-1)


def logits_to_probs(logits: Tensor, is_binary: bool = False) -> Tensor:
    if is_binary:
        return F.sigmoid(logits)
    return NF.softmax(logits, dim=-1)


def clamp_probs(probs: Tensor) -> Tensor:
    eps = finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs: Tensor, is_binary: bool = False) -> Tensor:
    ps_clamped = clamp_probs(probs)
    if is_binary:
        return F.log(ps_clamped) - F.log1p(-ps_clamped)
    return F.log(ps_clamped)


class lazy_property:
    """Computed on first access (with grad enabled), then stored on the instance."""

    def __init__(self, wrapped: Callable[[Any], Any]) -> None:
        self.wrapped = wrapped
        update_wrapper(self, wrapped)  # type: ignore[arg-type]

    def __get__(self, instance: Any, obj_type: Any = None) -> Any:
        if instance is None:
            return _lazy_property_and_property(self.wrapped)
        with enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value


class _lazy_property_and_property(lazy_property, property):
    def __init__(self, wrapped: Callable[[Any], Any]) -> None:
        property.__init__(self, wrapped)


def _tril_mask(n: int, diag: int) -> np.ndarray:
    arange = np.arange(n)
    return arange < arange.reshape(-1, 1) + (diag + 1)


def tril_matrix_to_vec(mat: Tensor, diag: int = 0) -> Tensor:
    n = mat.shape[-1]
    if diag < -n or diag >= n:
        raise ValueError(f"diag ({diag}) provided is outside [{-n}, {n - 1}].")
    rows, cols = np.nonzero(_tril_mask(n, diag))
    return mat[..., F.tensor(rows), F.tensor(cols)]


def vec_to_tril_matrix(vec: Tensor, diag: int = 0) -> Tensor:
    n = (-(1 + 2 * diag) + ((1 + 2 * diag) ** 2 + 8 * vec.shape[-1] + 4 * abs(diag) * (diag + 1)) ** 0.5) / 2
    if round(n) - n > finfo(vec.dtype).eps:
        raise ValueError(f"The size of last dimension is {vec.shape[-1]} which cannot be expressed as the lower "
                         "triangular part of a square D x D matrix.")
    n = round(n)
    rows, cols = np.nonzero(_tril_mask(n, diag))
    mat = vec.new_zeros(tuple(vec.shape[:-1]) + (n, n))
    mat[..., F.tensor(rows), F.tensor(cols)] = vec
    return mat
