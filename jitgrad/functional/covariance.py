"""torch.cov (with frequency and analytic weights) and torch.corrcoef:
rows are variables, columns observations."""
from __future__ import annotations

import warnings
from typing import Optional

import numpy as np

from . import functions as F
from ..core import dtypes as D
from ..tensors.construct import tensor
from ..tensors.tensor import Tensor

_named = F._named


def _t(x) -> Tensor:
    return x if isinstance(x, Tensor) else tensor(x)


def _check_weights(kind: str, w: Tensor, n: int) -> None:
    """torch's checks of fweights / aweights, in its order."""
    if w.ndim > 1:
        raise RuntimeError(f"cov(): expected {kind} to have one or fewer dimensions but got {kind} with {w.ndim} "
                           "dimensions")
    integral = not w.dtype.is_floating_point and w.dtype is not D.bool_
    if kind == "fweights" and not integral:
        raise RuntimeError(f"cov(): expected fweights to have integral dtype but got fweights with "
                           f"{D.TORCH_NAMES[w.dtype.name]} dtype")
    if kind == "aweights" and not w.dtype.is_floating_point:
        raise RuntimeError(f"cov(): expected aweights to have floating point dtype but got aweights with "
                           f"{D.TORCH_NAMES[w.dtype.name]} dtype")
    if w.numel() != n:
        raise RuntimeError(f"cov(): expected {kind} to have the same numel as there are observations in the input "
                           f"but got {w.numel()} != {n}")
    if n and np.asarray(w.detach()._data()).min() < 0:
        raise RuntimeError(f"cov(): {kind} cannot be negative")


def cov(input, *, correction: int = 1, fweights: Optional[Tensor] = None, aweights: Optional[Tensor] = None) -> Tensor:
    x = _t(input)
    if x.ndim > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an input with "
                           f"{x.ndim} dimensions")
    m = F.reshape(x, (1, -1)) if x.ndim < 2 else x
    if not m.dtype.is_floating_point:
        m = m.to(D.get_default_dtype())
    n = m.shape[1]
    w = None
    if fweights is not None:
        _check_weights("fweights", fweights, n)
        w = fweights
    if aweights is not None:
        _check_weights("aweights", aweights, n)
        w = aweights if w is None else w * aweights
    if w is None:
        w_sum = n
        avg = F.sum(m, 1) / n
        norm = n - correction
    else:
        w_sum = F.sum(w)
        if not float(w_sum.detach()) != 0:
            raise RuntimeError("cov(): weights sum to zero, can't be normalized")
        avg = F.sum(m * w, 1) / w_sum
        if correction != 0 and aweights is not None:
            norm = w_sum - correction * F.sum(w * aweights) / w_sum
        else:
            norm = w_sum - correction
    if float(norm.detach() if isinstance(norm, Tensor) else norm) <= 0:
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of "
                      "observations. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
                      "Correlation.cpp:129.)", UserWarning, stacklevel=2)
        norm = norm * 0 if isinstance(norm, Tensor) else 0
    centred = m - F.unsqueeze(avg, 1)
    c = F.mm(centred, F.t(centred if w is None else centred * w)) / norm
    return _named(F.squeeze(c), "SqueezeBackward0")
