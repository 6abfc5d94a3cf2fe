"""Batch norms (torch.nn.modules.batchnorm): _NormBase (affine parameters,
running statistics, their resets, the repr), _BatchNorm, BatchNorm1d/2d/3d."""
from __future__ import annotations

import numpy as np

from ...core import dtypes as D
from ...core import upper
from ...core.grad_mode import no_grad
from ...functional import functions as F
from ...tensors.tensor import Tensor
from .. import functional as NF
from .. import init
from .linear import new_parameter
from .module import Module


def affine_parameters(module: Module, shape: tuple, dtype, affine: bool, bias: bool) -> None:
    """A normalization layer's `weight` and `bias` (in that order, as torch
    registers them), each registered as None when switched off."""
    if affine:
        module.weight = new_parameter(shape, dtype)
        if bias:
            module.bias = new_parameter(shape, dtype)
        else:
            module.register_parameter("bias", None)
    else:
        module.register_parameter("weight", None)
        module.register_parameter("bias", None)


def reset_affine(module: Module, affine: bool) -> None:
    """torch's reset of a normalization layer's affine parameters: weight 1, bias 0."""
    if affine:
        init.ones_(module.weight)
        if module.bias is not None:
            init.zeros_(module.bias)


_VMAP_BATCH_NORM_MSG = (
    "Batch norm got a batched tensor as input while the running_mean or running_var, which will be updated in "
    "place, were not batched.\nIf you are using a module and do not need eval mode, please set "
    "`track_running_stats` to be False.If you are using a prebuilt module and do not need eval mode, please see the "
    "functorch website for resources on how to patch your module to work with vmap")


# torch.func's grad transforms refuse in-place writes to tensors made outside
# them: training batch norm's first is num_batches_tracked += 1.
_GRAD_CAPTURED_MSG = (
    "During a grad (vjp, jvp, grad, etc) transform, the function provided attempted to call in-place operation "
    "(aten::add_.Tensor) that would mutate a captured Tensor. This is not supported; please rewrite the function "
    "being transformed to explicitly accept the mutated Tensor(s) as inputs.")


class _NormBase(Module):
    """What batch and instance norms share (torch's _NormBase): the affine
    parameters, the running statistics, their resets, the repr."""
    _version = 2

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device=None, dtype=None, *, bias: bool = True) -> None:
        super().__init__()
        dt = dtype if dtype is not None else D.get_default_dtype()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        affine_parameters(self, (num_features,), dtype, affine, bias)
        if track_running_stats:
            self.register_buffer("running_mean", F.zeros(num_features, dtype=dt))
            self.register_buffer("running_var", F.ones(num_features, dtype=dt))
            self.register_buffer("num_batches_tracked", Tensor._wrap(np.array(0, np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            with no_grad():
                self.running_mean.zero_()
                self.running_var.fill_(1)
                self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        self.reset_running_stats()
        reset_affine(self, self.affine)

    def _check_input_dim(self, input: Tensor) -> None:
        raise NotImplementedError

    def _load_from_state_dict(self, state_dict: dict, prefix: str, local_metadata: dict, strict: bool,
                              missing_keys: list, unexpected_keys: list, error_msgs: list) -> None:
        # A state_dict of a version before 2 (or a plain dict: no version) may
        # lack num_batches_tracked: the module's own count is kept, as torch's.
        version = local_metadata.get("version", None)
        key = prefix + "num_batches_tracked"
        if (version is None or version < 2) and self.track_running_stats and key not in state_dict:
            state_dict[key] = (self.num_batches_tracked if self.num_batches_tracked is not None
                               else Tensor._wrap(np.array(0, np.int64)))
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                      error_msgs)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class _BatchNorm(_NormBase):
    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            if upper.captured_by_grad_transform(self.num_batches_tracked):
                raise RuntimeError(_GRAD_CAPTURED_MSG)
            with no_grad():
                self.num_batches_tracked.add_(1)
            if self.momentum is None:    # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked)
        bn_training = self.training or (self.running_mean is None and self.running_var is None)
        track = not self.training or self.track_running_stats
        if bn_training and track and self.running_mean is not None and getattr(upper.VMAP, "depth", 0):
            NF._verify_batch_size(input)
            raise RuntimeError(_VMAP_BATCH_NORM_MSG)     # (vmap's input is batched, the running stats are not)
        return NF.batch_norm(input, self.running_mean if track else None, self.running_var if track else None,
                             self.weight, self.bias, bn_training, factor, self.eps)


class BatchNorm1d(_BatchNorm):
    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() != 2 and input.dim() != 3:
            raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")


class BatchNorm2d(_BatchNorm):
    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() != 4:
            raise ValueError(f"expected 4D input (got {input.dim()}D input)")


class BatchNorm3d(_BatchNorm):
    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() != 5:
            raise ValueError(f"expected 5D input (got {input.dim()}D input)")
