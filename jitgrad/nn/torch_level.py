"""torch-level forms of nn.functional ops that pasted code calls as
torch.<name> (torch.conv2d, torch.max_pool2d, torch.batch_norm, ...), with
torch's top-level signatures where they differ from F's (torch.embedding
takes the weight first; torch.batch_norm / instance_norm take every
argument positionally; torch.adaptive_max_pool1d returns indices)."""
from __future__ import annotations

from ..tensors.tensor import Tensor
from . import functional as NF

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "max_pool1d",
           "max_pool2d", "max_pool3d", "max_pool1d_with_indices", "avg_pool1d", "adaptive_avg_pool1d",
           "adaptive_max_pool1d", "batch_norm", "layer_norm", "group_norm", "instance_norm", "rms_norm", "embedding",
           "bilinear", "pixel_shuffle", "pixel_unshuffle", "channel_shuffle", "native_channel_shuffle",
           "alpha_dropout", "feature_dropout", "feature_alpha_dropout", "relu_", "selu_", "celu_", "rrelu", "rrelu_",
           "threshold_", "hardshrink"]

conv1d, conv2d, conv3d = NF.conv1d, NF.conv2d, NF.conv3d
conv_transpose1d, conv_transpose2d, conv_transpose3d = NF.conv_transpose1d, NF.conv_transpose2d, NF.conv_transpose3d
max_pool2d, max_pool3d = NF.max_pool2d, NF.max_pool3d
bilinear, pixel_shuffle, pixel_unshuffle = NF.bilinear, NF.pixel_shuffle, NF.pixel_unshuffle
channel_shuffle = native_channel_shuffle = NF.channel_shuffle
relu_, selu_, celu_, threshold_ = NF.relu_, NF.selu_, NF.celu_, NF.threshold_  # type: ignore[attr-defined]
rrelu, rrelu_, hardshrink = NF.rrelu, NF.rrelu_, NF.hardshrink


def max_pool1d(input: Tensor, kernel_size, stride=(), padding=0, dilation=1, ceil_mode: bool = False) -> Tensor:
    return NF.max_pool1d(input, kernel_size, stride or None, padding, dilation, ceil_mode)


def max_pool1d_with_indices(input: Tensor, kernel_size, stride=(), padding=0, dilation=1, ceil_mode: bool = False):
    return NF.max_pool1d(input, kernel_size, stride or None, padding, dilation, ceil_mode, True)


def avg_pool1d(input: Tensor, kernel_size, stride=(), padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    return NF.avg_pool1d(input, kernel_size, stride or None, padding, ceil_mode, count_include_pad)


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    return NF.adaptive_avg_pool1d(input, output_size)


def adaptive_max_pool1d(input: Tensor, output_size):
    """(values, indices), as torch's top-level form."""
    return NF.adaptive_max_pool1d(input, output_size, True)


def batch_norm(input: Tensor, weight, bias, running_mean, running_var, training: bool, momentum: float, eps: float,
               cudnn_enabled: bool = True) -> Tensor:
    return NF.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def instance_norm(input: Tensor, weight, bias, running_mean, running_var, use_input_stats: bool, momentum: float,
                  eps: float, cudnn_enabled: bool = True) -> Tensor:
    return NF.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)


def layer_norm(input: Tensor, normalized_shape, weight=None, bias=None, eps: float = 1e-5,
               cudnn_enable: bool = True) -> Tensor:
    return NF.layer_norm(input, normalized_shape, weight, bias, eps)


def group_norm(input: Tensor, num_groups: int, weight=None, bias=None, eps: float = 1e-5,
               cudnn_enabled: bool = True) -> Tensor:
    return NF.group_norm(input, num_groups, weight, bias, eps, _check_batch=False)


def rms_norm(input: Tensor, normalized_shape, weight=None, eps=None) -> Tensor:
    return NF.rms_norm(input, normalized_shape, weight, eps)


def embedding(weight: Tensor, indices: Tensor, padding_idx: int = -1, scale_grad_by_freq: bool = False,
              sparse: bool = False) -> Tensor:
    """torch.embedding(weight, indices): padding_idx -1 means none here."""
    return NF.embedding(indices, weight, None if padding_idx == -1 else padding_idx, None, 2.0, scale_grad_by_freq,
                        sparse)


def alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    return NF.alpha_dropout(input, p, train)


def feature_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    return NF._dropout_impl(input, p, train, False, True, False)  # type: ignore[attr-defined]


def feature_alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    return NF.feature_alpha_dropout(input, p, train)
