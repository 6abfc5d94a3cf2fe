"""torch.fake_quantize_per_tensor_affine: quantisation-aware training's
round-trip through an integer grid. The value is torch's kernel's arithmetic
(x times a float32 inverse scale in x's dtype, round half to even, clamp, then
`(q - zero_point) * scale` in float32); the gradient is grad * mask, the mask
being where the unclamped q lies in [quant_min, quant_max] (torch's
...CachemaskBackward0: a straight-through estimator inside the range)."""
from __future__ import annotations

import numpy as np

from ..core import dtypes as D
from ..core.grad_mode import STATE
from ..tensors.tensor import Tensor
from . import base as F
from . import masked_grad as MG


def _qparams(scale, zero_point):
    """Python numbers from floats or one-element tensors (torch's overloads)."""
    if isinstance(scale, Tensor):
        scale = scale.item()
    if isinstance(zero_point, Tensor):
        zero_point = int(zero_point.item())
    return np.float32(scale), int(zero_point)


def fake_quantize_per_tensor_affine(input, scale, zero_point, quant_min, quant_max):
    if not isinstance(input, Tensor):
        raise TypeError("fake_quantize_per_tensor_affine(): argument 'input' (position 1) must be Tensor, "
                        f"not {type(input).__name__}")
    if quant_min > quant_max:
        raise RuntimeError("`quant_min` should be less than or         equal to `quant_max`.")    # (torch's spacing)
    if not input.dtype.is_floating_point:
        raise NotImplementedError('"fake_quantize_tensor_cachemask_kernel_type_handling" not implemented for '
                                  f"'{D.TORCH_NAMES[input.dtype.name]}'")
    # (tensor qparams: torch's ...TensorQparams overload, another node name)
    name = ("FakeQuantizePerTensorAffineCachemaskTensorQparamsBackward0" if isinstance(scale, Tensor)
            else "FakeQuantizePerTensorAffineCachemaskBackward0")
    sc, zp = _qparams(scale, zero_point)
    arr = input._data()
    inv = np.float32(1.0) / sc      # (torch: float inv_scale = 1.0f / scale)
    with np.errstate(all="ignore"):
        q = np.rint(arr * arr.dtype.type(inv)) + zp   # (std::nearbyint: half to even)
        keep = (q >= quant_min) & (q <= quant_max)
        # (fmin / fmax, as torch's kernel: a nan lands on quant_min; its mask is False)
        value = ((np.fmin(np.fmax(q, quant_min), quant_max) - zp).astype(np.float32) * sc + np.float32(0.0)).astype(arr.dtype)
    if input._rg and STATE.grad_enabled:
        return F._named(MG.times_mask(input, keep, value), name, input)
    return Tensor._wrap(value, input.dtype)


__all__ = ["fake_quantize_per_tensor_affine"]
