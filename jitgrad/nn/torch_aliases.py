"""torch's top-level forms of nn.functional ops (`torch.conv2d`,
`torch.layer_norm`, `torch.embedding`, ...), with their own argument
orders: torch.batch_norm takes (weight, bias, running_mean, running_var),
torch.embedding (weight, indices), the losses an integer reduction
(0 none, 1 mean, 2 sum)."""
from __future__ import annotations

from typing import Any, Optional, Sequence

from ..tensors.tensor import Tensor
from . import functional as NF

__all__ = ["conv1d", "conv2d", "avg_pool1d", "max_pool1d", "max_pool2d", "layer_norm", "batch_norm", "embedding",
           "bilinear", "kl_div", "binary_cross_entropy_with_logits", "poisson_nll_loss"]
_REDUCTIONS = ("none", "mean", "sum")

conv1d, conv2d, avg_pool1d, bilinear = NF.conv1d, NF.conv2d, NF.avg_pool1d, NF.bilinear


def _reduction(r: Any) -> str:
    if isinstance(r, str):
        raise TypeError("reduction must be int, not str (torch's top-level losses take 0, 1 or 2)")
    return _REDUCTIONS[int(r)]


def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = (), padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False) -> Tensor:
    return NF.max_pool1d(input, kernel_size, stride if stride != () else None, padding, dilation, ceil_mode)


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = (), padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False) -> Tensor:
    return NF.max_pool2d(input, kernel_size, stride if stride != () else None, padding, dilation, ceil_mode)


def layer_norm(input: Tensor, normalized_shape: Sequence[int], weight: Optional[Tensor] = None,
               bias: Optional[Tensor] = None, eps: float = 1e-5, cudnn_enable: bool = True) -> Tensor:
    return NF.layer_norm(input, normalized_shape, weight, bias, eps)


def batch_norm(input: Tensor, weight: Optional[Tensor], bias: Optional[Tensor], running_mean: Optional[Tensor],
               running_var: Optional[Tensor], training: bool, momentum: float, eps: float,
               cudnn_enabled: bool = True) -> Tensor:
    return NF.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def embedding(weight: Tensor, indices: Tensor, padding_idx: int = -1, scale_grad_by_freq: bool = False,
              sparse: bool = False) -> Tensor:
    """torch.embedding(weight, indices): padding_idx -1 means none (the functional form takes None)."""
    return NF.embedding(indices, weight, None if padding_idx == -1 else padding_idx)


def kl_div(input: Tensor, target: Tensor, reduction: int = 1, *, log_target: bool = False) -> Tensor:
    return NF.kl_div(input, target, reduction=_reduction(reduction), log_target=log_target)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                                     pos_weight: Optional[Tensor] = None, reduction: int = 1) -> Tensor:
    return NF.binary_cross_entropy_with_logits(input, target, weight, reduction=_reduction(reduction),
                                               pos_weight=pos_weight)


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool, full: bool, eps: float,
                     reduction: int) -> Tensor:
    return NF.poisson_nll_loss(input, target, log_input, full, eps=eps, reduction=_reduction(reduction))
