"""torch's in-place functions (`torch.abs_(x)`, `torch.clamp_(x, min=0)`,
`torch.zero_(x)`, ...): each calls the Tensor method of the same name and
returns its input. Also the in-place methods jitgrad lacked
(`nan_to_num_`, `i0_`, `polygamma_`, `mvlgamma_`, `arctan2_`), written as
their out-of-place function committed into self, and `hardshrink`."""
from __future__ import annotations

from typing import Any, Callable

from ..tensors.tensor import Tensor
from . import functions as F
from .inplace import _inplace

# torch.X_ for these names is Tensor.X_ called as a function.
_METHOD_NAMES = ["abs_", "acos_", "acosh_", "addmv_", "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan_",
                 "arctanh_", "asin_", "asinh_", "atan_", "atanh_", "ceil_", "clamp_", "clamp_max_", "clamp_min_",
                 "clip_", "cos_", "cosh_", "deg2rad_", "detach_", "erf_", "erfc_", "exp2_", "exp_", "expm1_",
                 "fill_", "fix_", "floor_", "frac_", "gcd_", "index_put_", "lcm_", "ldexp_", "log10_", "log1p_",
                 "log2_", "log_", "logit_", "neg_", "negative_", "rad2deg_", "reciprocal_", "relu_", "round_",
                 "rsqrt_", "sigmoid_", "sin_", "sinc_", "sinh_", "sqrt_", "square_", "tan_", "tanh_", "trunc_",
                 "xlogy_", "zero_", "nan_to_num_", "i0_", "resize_as_"]


def _torch_function(name: str) -> Callable:
    def fn(input: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
        return getattr(input, name)(*args, **kwargs)
    fn.__name__ = fn.__qualname__ = name
    return fn


def _committed(fn: Callable, grad_name: str) -> Callable:
    """The in-place method of out-of-place `fn`: its result written into self, named as torch names it."""
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        other = next((a for a in args if isinstance(a, Tensor) and a._rg), None)
        return _inplace(self, lambda spec, s, o, name: fn(s, *args, **kwargs), None, other, grad_name)
    return method


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0."""
    keep = F.abs(input.detach()) > lambd
    return F._named(F.where(keep, input, F.zeros_like(input)), "HardshrinkBackward0", input)


# (looked up per call: special attaches Tensor.i0 after this module loads)
Tensor.nan_to_num_ = _committed(lambda s, *a, **k: s.nan_to_num(*a, **k), "NanToNumBackward0")
Tensor.i0_ = _committed(lambda s: s.i0(), "I0Backward0")
Tensor.polygamma_ = _committed(lambda s, n: F.polygamma(n, s), "PolygammaBackward1")
Tensor.mvlgamma_ = _committed(lambda s, p: s.mvlgamma(p), "MvlgammaBackward0")
Tensor.arctan2_ = Tensor.atan2_
Tensor.hardshrink = hardshrink

# jitgrad's namespace takes these (`globals().update(FUNCTIONS)`).
FUNCTIONS = {name: _torch_function(name) for name in _METHOD_NAMES}
FUNCTIONS["hardshrink"] = hardshrink
