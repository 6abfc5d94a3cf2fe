"""Shape helpers of torch's namespace built from views, splits and joins:
ravel, fliplr/flipud, unflatten, tensor_split, hsplit/vsplit,
atleast_3d, dstack, column_stack."""
from __future__ import annotations

import math

import numpy as np

from ..core import dtypes as D
from ..tensors.tensor import Tensor
from . import functions as F


# ----- shape helpers ---------------------------------------------------------

def ravel(input):
    return F._named(F.reshape(input, (-1,)), "ViewBackward0")


def fliplr(input):
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return F.flip(input, 1)


def flipud(input):
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return F.flip(input, 0)


def unflatten(input, dim, sizes):
    if input.ndim == 0:     # (torch wraps its IndexError)
        raise RuntimeError(f"unflatten got an unexpected error:\nDimension specified as {dim} but tensor has no "
                           "dimensions")
    d = F._dim(dim, input.ndim)
    sizes = [int(s) for s in sizes]
    n = input.shape[d]
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    if sizes.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = math.prod(s for s in sizes if s != -1)
    if (-1 in sizes and (known == 0 or n % known)) or (-1 not in sizes and known != n):
        raise RuntimeError(f"unflatten: Provided sizes {sizes} don't multiply up to the size of dim {dim} ({n}) "
                           "in the input tensor")
    sizes = [n // known if s == -1 else s for s in sizes]
    return F._named(F.reshape(input, tuple(input.shape[:d]) + tuple(sizes) + tuple(input.shape[d + 1:])),
                    "ViewBackward0")


def tensor_split(input, indices_or_sections, dim=0):
    if input.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    d = F._dim(dim, input.ndim)
    size = input.shape[d]
    ios = indices_or_sections
    if isinstance(ios, Tensor):
        if ios.dtype is not D.int64:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype of long, but got "
                               f"{D.TORCH_NAMES[ios.dtype.name]}")
        if ios.ndim > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                               f"one-dimensional tensor, but got a tensor with {ios.ndim} dims")
        ios = ios.item() if ios.ndim == 0 else ios.tolist()
    elif isinstance(ios, list) and not all(isinstance(i, (int, np.integer)) for i in ios):
        pos, bad = next((k, i) for k, i in enumerate(ios) if not isinstance(i, (int, np.integer)))
        raise TypeError(f"tensor_split(): argument 'indices' failed to unpack the object at pos {pos + 1} with error "
                        f"\"type must be tuple of ints,but got {type(bad).__name__}\"")
    elif (not isinstance(ios, (int, np.integer, list, tuple)) or isinstance(ios, bool)
          or isinstance(ios, tuple) and not all(isinstance(i, (int, np.integer)) for i in ios)):
        raise TypeError(f"tensor_split() received an invalid combination of arguments - got (Tensor, "
                        f"{type(ios).__name__}), but expected one of:\n * (Tensor input, tuple of ints indices, int "
                        "dim = 0)\n * (Tensor input, Tensor tensor_indices_or_sections, int dim = 0)\n * (Tensor "
                        "input, int sections, int dim = 0)\n")
    if isinstance(ios, (int, np.integer)):
        n = int(ios)
        if n <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {n}")
        q, r = divmod(size, n)
        bounds = [0]
        for i in range(n):
            bounds.append(bounds[-1] + q + (1 if i < r else 0))
    else:
        bounds = [0] + [min(max(int(i) + (size if i < 0 else 0), 0), size) for i in ios] + [size]
    return tuple(F.narrow(input, d, min(a, size), max(b - a, 0)) for a, b in zip(bounds, bounds[1:]))


def _split_even(name, input, sections, d):
    if isinstance(sections, (int, np.integer)) and sections and input.shape[d] % sections:
        raise RuntimeError(f"torch.{name} attempted to split along dimension {d}, but the size of the dimension "
                           f"{input.shape[d]} is not divisible by the split_size {sections}!")
    return tensor_split(input, sections, d)


def hsplit(input, indices_or_sections):
    if input.ndim < 1:
        raise RuntimeError("torch.hsplit requires a tensor with at least 1 dimension, but got a tensor with 0 "
                           "dimensions!")
    return _split_even("hsplit", input, indices_or_sections, 1 if input.ndim > 1 else 0)


def vsplit(input, indices_or_sections):
    if input.ndim < 2:
        raise RuntimeError("torch.vsplit requires a tensor with at least 2 dimension, but got a tensor with "
                           f"{input.ndim} dimensions!")
    return _split_even("vsplit", input, indices_or_sections, 0)


def atleast_3d(*tensors):
    ts = tensors[0] if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)) else tensors
    out = []
    for t in ts:
        shape = {0: (1, 1, 1), 1: (1, t.numel(), 1), 2: tuple(t.shape) + (1,)}.get(t.ndim)
        out.append(F.reshape(t, shape) if shape is not None else t)
    return out[0] if len(tensors) == 1 and isinstance(tensors[0], Tensor) else tuple(out)


def dstack(tensors, *, out=None):
    return F.cat([atleast_3d(t) for t in tensors], 2)


def column_stack(tensors, *, out=None):
    return F.cat([F.reshape(t, (t.numel(), 1)) if t.ndim <= 1 else t for t in tensors], 1)

