"""torch's TypeError for a Python number where a function of two tensors
takes no number ("fmax(): argument 'other' (position 2) must be Tensor, not
float"), on the top-level functions and their Tensor methods ("(position 1)",
the in-place form naming itself: "ldexp_()").

Installed last on the final names (`install`), as `out_arg`'s wrapper is:
the functions themselves are also called internally with tensors only.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from ..tensors.tensor import Tensor

# function -> the names torch gives its two tensor arguments
FUNCTIONS = {
    "fmax": ("input", "other"), "fmin": ("input", "other"), "heaviside": ("input", "values"),
    "nextafter": ("input", "other"), "ldexp": ("input", "other"), "igamma": ("input", "other"),
    "igammac": ("input", "other"), "gcd": ("input", "other"), "lcm": ("input", "other"),
    "dist": ("input", "other"), "vdot": ("input", "other"), "inner": ("input", "other"),
    "kron": ("input", "other"), "cross": ("input", "other"), "take_along_dim": ("input", "indices"),
    "dot": ("input", "tensor"), "outer": ("input", "vec2"), "ger": ("input", "vec2"),
    "arctan2": ("input", "other"), "masked_select": ("input", "mask"),
}
# torch.special functions (named special_<name> in the message)
SPECIAL = {"gammainc": ("input", "other"), "gammaincc": ("input", "other")}
# methods (and their in-place forms, where Tensor has one) -> the name of the tensor argument
METHODS = {name: args[1] for name, args in FUNCTIONS.items()}
METHODS.update({"maximum": "other", "minimum": "other", "atan2": "other", "hypot": "other", "logaddexp": "other",
                "logaddexp2": "other", "logical_and": "other", "logical_or": "other", "logical_xor": "other",
                "masked_select": "mask"})


def _must_be_tensor(name: str, arg: str, pos: int, a: tuple, k: dict) -> None:
    """a[pos - 1], else the keyword argument `arg` (torch names no position then)."""
    value = a[pos - 1] if len(a) >= pos else k.get(arg)
    if value is not None and not isinstance(value, Tensor):
        at = f" (position {pos})" if len(a) >= pos else ""
        raise TypeError(f"{name}(): argument '{arg}'{at} must be Tensor, not {type(value).__name__}")


def _function(fn: Callable, name: str, args: tuple) -> Callable:
    first, second = args

    @functools.wraps(fn)
    def checked(*a, **k):
        _must_be_tensor(name, first, 1, a, k)
        _must_be_tensor(name, second, 2, a, k)
        return fn(*a, **k)
    return checked


def _method(fn: Callable, name: str, arg: str) -> Callable:
    @functools.wraps(fn)
    def checked(self, *a, **k):
        _must_be_tensor(name, arg, 1, a, k)
        return fn(self, *a, **k)
    return checked


def install(namespace: dict, special: Any) -> None:
    """Wrap the top-level functions in `namespace`, those of `special`, and
    the Tensor methods."""
    for name, args in FUNCTIONS.items():
        if name in namespace:
            namespace[name] = _function(namespace[name], name, args)
    for name, args in SPECIAL.items():
        setattr(special, name, _function(getattr(special, name), f"special_{name}", args))
    for name, arg in METHODS.items():
        for method in (name, name + "_"):
            fn = Tensor.__dict__.get(method)
            if fn is not None:
                setattr(Tensor, method, _method(fn, method, arg))
