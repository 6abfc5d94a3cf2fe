"""torch.finfo / torch.iinfo (a dtype's limits, printed as torch prints
them) and torch.result_type."""
from __future__ import annotations

import numpy as np

from ..core import dtypes as D
from ..tensors.tensor import Tensor
from . import functions as F


# ----- dtype information ---------------------------------------------------

def _g(v):
    return format(v, "g")


class finfo:
    """torch.finfo: machine limits of a floating dtype (default: the default dtype)."""

    def __init__(self, type=None):
        dt = type or D.get_default_dtype()
        if not dt.is_floating_point:
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            "'torch.finfo'")
        fi = np.finfo(dt.np)
        self.bits, self.dtype = int(fi.bits), dt.name
        self.eps, self.max, self.min = float(fi.eps), float(fi.max), float(fi.min)
        self.tiny = self.smallest_normal = float(fi.tiny)
        self.resolution = 10.0 ** -int(fi.precision)

    def __repr__(self):
        return (f"finfo(resolution={_g(self.resolution)}, min={_g(self.min)}, max={_g(self.max)}, "
                f"eps={_g(self.eps)}, smallest_normal={_g(self.smallest_normal)}, tiny={_g(self.tiny)}, "
                f"dtype={self.dtype})")


class iinfo:
    """torch.iinfo: limits of an integer dtype."""

    def __init__(self, type):
        if type.is_floating_point:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'")
        if type.name == "bool":
            raise TypeError("torch.bool is not supported by torch.iinfo")
        ii = np.iinfo(type.np)
        self.bits, self.min, self.max, self.dtype = int(ii.bits), int(ii.min), int(ii.max), type.name

    def __repr__(self):
        return f"iinfo(min={_g(float(self.min))}, max={_g(float(self.max))}, dtype={self.dtype})"


def result_type(tensor1, tensor2):
    ops = (tensor1, tensor2)
    return D.result_type([(t.ndim, t.dtype) for t in ops if isinstance(t, Tensor)],
                           [F._scalar_kind(t) for t in ops if not isinstance(t, Tensor)])
