"""nn.utils.clip_grad (and parameters_to_vector): gradient clipping and parameter <-> vector conversion, as
PyTorch's (clip_grad_norm_ returns the total norm as a 0-d tensor and
scales the gradients in place, unrecorded)."""
from __future__ import annotations

import types
import warnings
from typing import Iterable

import numpy as np

from ...core import dtypes as D
from ...core.grad_mode import no_grad
from ...functional import functions as F
from ...tensors.tensor import Tensor


def _grads(parameters) -> list[Tensor]:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def _vector_norm(a: np.ndarray, norm_type: float) -> np.ndarray:
    a = np.abs(a.ravel())
    if norm_type == np.inf:
        return a.max() if a.size else np.zeros((), a.dtype)
    if norm_type == -np.inf:
        return a.min()
    if norm_type == 0:
        return np.asarray((a != 0).sum(), a.dtype)
    return np.asarray((a ** norm_type).sum() ** (1.0 / norm_type), a.dtype)


def get_total_norm(tensors: Tensor | Iterable[Tensor], norm_type: float = 2.0, error_if_nonfinite: bool = False,
                   foreach: bool | None = None) -> Tensor:
    """The norm of the norms of `tensors` (torch's: each tensor's norm in its dtype, then theirs)."""
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return Tensor._wrap(np.float32(0.0))
    dtype = tensors[0].dtype
    for g in tensors[1:]:       # (torch stacks the norms: float32 and float64 gradients give a float64 total)
        dtype = D.promote_types(dtype, g.dtype)
    norms = np.array([_vector_norm(g._data(), norm_type) for g in tensors], dtype.np)
    total = _vector_norm(norms, norm_type)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so "
                           "it cannot be clipped. To disable this error and scale the gradients by the non-finite "
                           "norm anyway, set `error_if_nonfinite=False`")
    return Tensor._wrap(np.asarray(total, dtype.np), dtype)


def clip_grads_with_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float, total_norm: Tensor,
                          foreach: bool | None = None) -> None:
    """Scale the gradients by min(max_norm / (total_norm + 1e-6), 1), in place."""
    grads = _grads(parameters)
    if not grads:
        return
    coef = F.clamp(float(max_norm) / (total_norm + 1e-6), max=1.0)
    with no_grad():
        for g in grads:
            g.mul_(coef)


def clip_grad_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    else:
        is_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if is_generator and not parameters:
            warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.", stacklevel=2)
    total = get_total_norm(_grads(parameters), norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total, foreach)
    return total


def clip_grad_norm(parameters: Tensor | Iterable[Tensor], max_norm: float, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of `torch.nn.utils.clip_grad_norm_`.",
                  FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None) -> None:
    clip_value = float(clip_value)
    grads = _grads(parameters)
    if not grads:
        # (torch 2.13 groups the gradients by device and dtype first, which refuses an empty list)
        raise RuntimeError("Expected !nested_tensorlist[0].empty() to be true, but got false.  (Could this error "
                           "message be improved?  If so, please report an enhancement request to PyTorch.)")
    with no_grad():
        for g in grads:
            g.clamp_(min=-clip_value, max=clip_value)


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    return F.cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    offset = 0
    for p in parameters:
        n = p.numel()
        p.data = vec[offset:offset + n].view_as(p).data
        offset += n
