"""torch's float16 CPU kernels compute in float32 ("opmath") and round the
result once; jitgrad's composites would round every step to float16. A
composite wrapped here runs on float32 copies of its float16 tensors and its
result is rounded to float16 (the node keeps the composite's name, its edges
go to the float16 inputs)."""
from __future__ import annotations

import functools
from typing import Any, Callable

from ..core import dtypes as D
from ..tensors.tensor import Tensor
from .base import _named, _to_dtype


def _up(v: Any) -> Any:
    return _to_dtype(v, D.float32) if isinstance(v, Tensor) and v.dtype is D.float16 else v


def via_float32(fn: Callable) -> Callable:
    """fn computed in float32 when its tensors are all float16 (mixed dtypes: fn's own rules)."""
    @functools.wraps(fn)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        tensors = [v for v in (*args, *kwargs.values()) if isinstance(v, Tensor) and v.dtype.is_floating_point]
        if not tensors or any(t.dtype is not D.float16 for t in tensors):
            return fn(*args, **kwargs)
        out = fn(*map(_up, args), **{k: _up(v) for k, v in kwargs.items()})
        if not isinstance(out, Tensor) or out.dtype is not D.float32:
            return out
        res = _to_dtype(out, D.float16)
        return _named(res, out._name, *tensors) if out._rg and out._name is not None else res
    return wrapped
