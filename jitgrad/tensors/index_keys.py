"""Planning a key: how PyTorch reads `x[key]` (python_variable_indexing.cpp).

Integers, slices, None and Ellipsis are applied first (basic indexing, a
view of x), then index tensors, lists and masks (advanced indexing, a copy),
placed by NumPy's rule. `_plan` turns a key into a `_Plan` with PyTorch's
errors; `validate_adv` checks index tensors once x's in-place rules have
been checked (x[k] = v). Nothing here records on the tape.
"""
import math
import warnings

import numpy as np

from ..core import dtypes as D
from .tensor import Tensor

ZERO_DIM_MSG = ("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
                "C++ to convert a 0-dim tensor to a number")
_SEQ_WARNING = ("Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in "
                "pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as "
                "tensor index, x[torch.tensor(seq)], which will result either in an error or a different result "
                "(Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_variable_indexing.cpp:349.)")
_UINT8_WARNING = ("indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead. "
                  "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/IndexingUtils.h:37.)")
_USER = 4   # stacklevel of warnings from _plan helpers: user, getitem/setitem, _plan, helper


class _Plan:
    """A key as PyTorch applies it: `basic` (a NumPy key of ints, slices and
    None: a view), then `adv` ((dim, int array) pairs: a copy) or None.
    name: the grad_fn of x[key]; view_name: the last basic op (None: basic
    indexing leaves x itself); mask: the only index is one bool mask
    (index_put_ may then masked_fill); masks, error: what validate_adv
    checks; empty: the shape of a result without elements (nothing is read)."""
    __slots__ = ("basic", "adv", "name", "mask", "masks", "error", "view_name", "empty")

    def apply(self, arr):
        if self.empty is not None:
            return np.empty(self.empty, arr.dtype)
        out = arr[self.basic]
        if self.adv:
            key = [slice(None)] * np.ndim(out)
            for d, a in self.adv:
                key[d] = a
            out = out[tuple(key)]
        return out


def _items(key):
    """The key as a tuple of items, with NumPy's heuristic for lists."""
    if isinstance(key, tuple):
        return key
    if isinstance(key, (list, str)) and len(key) < 32 and any(
            isinstance(k, (Tensor, list, tuple, range, str, slice, np.ndarray)) or k is None or k is Ellipsis
            for k in key):
        warnings.warn(_SEQ_WARNING, UserWarning, stacklevel=_USER)
        return tuple(key)
    return (key,)


def _is_int(k):
    if isinstance(k, Tensor):
        return k.ndim == 0 and not k.dtype.is_floating_point and k.dtype is not D.bool_
    return isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_))


def _is_bool(k):
    if isinstance(k, Tensor):
        return k.ndim == 0 and k.dtype is D.bool_
    return isinstance(k, (bool, np.bool_))


def _index_array(k):
    """An index tensor / sequence as a NumPy int64 or bool array, or the
    IndexError PyTorch raises for its dtype (raised once x is checked)."""
    if isinstance(k, Tensor):
        dt, arr = k.dtype, k._data()
    else:
        arr = np.asarray(k)
        if arr.dtype.kind in "USO":
            raise TypeError("new(): invalid data type 'str'")
        if arr.size == 0 or arr.dtype.kind == "f":
            arr = arr.astype(np.int64)    # [] is an empty long index; floats truncate
        dt = D.from_numpy(arr.dtype)
    if dt is D.uint8:
        warnings.warn(_UINT8_WARNING, UserWarning, stacklevel=_USER)
        return arr.astype(bool)
    if dt is D.bool_:
        return arr
    if dt not in (D.int64, D.int32):
        return IndexError("tensors used as indices must be long, int, byte or bool tensors")
    return arr.astype(np.int64)


_SEQUENCES = (Tensor, list, tuple, range, np.ndarray)


def _specified(k):
    """How many dims of x an item consumes."""
    if k is None or k is Ellipsis or _is_bool(k):
        return 0
    if isinstance(k, _SEQUENCES) and not _is_int(k):
        arr = k._data() if isinstance(k, Tensor) else np.asarray(k, dtype=object)
        return arr.ndim if arr.size and all(isinstance(v, (bool, np.bool_)) for v in arr.flat) or \
            (isinstance(k, Tensor) and k.dtype is D.bool_) else 1
    return 1


def _full(k, size):
    """PyTorch skips a slice from 0 to at least the size (x[-3:] is not skipped)."""
    return k.step in (None, 1) and k.start in (None, 0) and (k.stop is None or k.stop >= size)


def _slice(k):
    if k.step is not None:
        if k.step == 0:
            raise ValueError("slice step cannot be zero")
        if k.step < 0:
            raise ValueError("step must be greater than zero")
    return k


def _plan(key, shape, validate=True):
    """Plan `x[key]` for x of `shape`, raising PyTorch's errors. Errors about
    index tensors wait for validate_adv() unless `validate` (x[k] = v checks
    the in-place rules first, as PyTorch does)."""
    single = not isinstance(key, tuple)
    items = _items(key)
    if single and len(shape) == 0:
        if _is_int(key) and not isinstance(key, Tensor):
            raise IndexError(ZERO_DIM_MSG)
        if isinstance(key, slice):
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    ndim = len(shape)
    specified = sum(_specified(k) for k in items)
    if specified > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    plan = _Plan()
    basic, adv, plan.masks, plan.error, plan.empty = [], [], [], None, None
    name = view_name = None   # view_name: the last basic op
    tensors = 0
    src = dim = 0
    for pos, k in enumerate(items):
        if k is None:
            basic.append(None)
            dim += 1
            name = view_name = "UnsqueezeBackward0"
        elif k is Ellipsis:
            n = max(min(ndim - specified, ndim - src), 0)   # a second one: nothing
            basic.extend([slice(None)] * n)
            src += n
            dim += n
        elif _is_bool(k):
            # A bool scalar: a new dim of size 1, indexed by [0] (True) or [] (False).
            basic.append(None)
            adv.append((dim, np.arange(1 if bool(k) else 0)))
            tensors += 2    # a long index: never a mask
            view_name = "UnsqueezeBackward0"
            dim += 1
        elif _is_int(k):
            size, i = shape[src], int(k)
            if not -size <= i < size:
                raise IndexError(f"index {i} is out of bounds for dimension {pos} with size {size}")
            basic.append(i)
            src += 1
            name = view_name = "SelectBackward0"
        elif isinstance(k, slice):
            basic.append(_slice(k))
            if not _full(k, shape[src]):
                name = view_name = "SliceBackward0"
            elif single:
                name = "SliceBackward0"    # x[:] reads as a slice, but writes x itself
            src += 1
            dim += 1
        elif isinstance(k, _SEQUENCES):
            arr = _index_array(k)
            tensors += 1
            if isinstance(arr, Exception):
                plan.error = plan.error or arr
                arr = np.zeros(0, np.int64)
            if arr.dtype == bool:
                plan.masks.append((dim, arr))
                for j, a in enumerate(np.nonzero(arr)):
                    basic.append(slice(None))
                    adv.append((dim + j, a))
                src += arr.ndim
                dim += arr.ndim
            else:
                basic.append(slice(None))
                adv.append((dim, arr))
                src += 1
                dim += 1
        elif isinstance(k, str):
            raise TypeError("new(): invalid data type 'str'")
        else:
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                             f"are valid indices (got {type(k).__name__})")
    plan.basic = tuple(basic)
    plan.view_name = view_name
    plan.mask = tensors == 1 and len(plan.masks) == 1
    plan.adv = adv or None
    plan.name = "IndexBackward0" if adv else (name or "AliasBackward0")
    if adv and validate:
        validate_adv(plan, shape)
    return plan


def validate_adv(plan, shape):
    """Index tensors' dtypes, masks' shapes, bounds and broadcast, with
    PyTorch's messages (about the tensor that basic indexing left)."""
    if plan.error is not None:
        raise plan.error
    sliced = np.broadcast_to(np.empty((), np.bool_), shape)[plan.basic].shape
    for d, mask in plan.masks:
        for j, s in enumerate(mask.shape):
            if s != sliced[d + j]:
                raise IndexError(f"The shape of the mask {list(mask.shape)} at index {j} does not match the "
                                 f"shape of the indexed tensor {list(sliced)} at index {d + j}")
    try:
        n = math.prod(np.broadcast_shapes(*(a.shape for _, a in plan.adv)))
    except ValueError:
        shapes = ", ".join(str(list(a.shape)) for _, a in plan.adv)
        raise IndexError(f"shape mismatch: indexing tensors could not be broadcast together with shapes "
                         f"{shapes}") from None
    if n and any(sliced[d] == 0 for d, _ in plan.adv):
        raise IndexError("index is out of bounds for dimension with size 0")     # (torch: even if nothing is read)
    if n == 0 or 0 in (s for d, s in enumerate(sliced) if d not in {d for d, _ in plan.adv}):
        plan.empty = _adv_shape(sliced, plan.adv)   # nothing is read: PyTorch checks no bounds
        return
    for j, (d, a) in enumerate(plan.adv):
        size = sliced[d]
        bad = a[(a < -size) | (a >= size)]
        if bad.size:
            raise IndexError(f"index {bad.flat[0]} is out of bounds for dimension {j} with size {size}")


def _adv_shape(sliced, adv):
    """The shape of an advanced-indexing result (NumPy's placement rule)."""
    dims = [d for d, _ in adv]
    bshape = np.broadcast_shapes(*(a.shape for _, a in adv))
    rest = [s for d, s in enumerate(sliced) if d not in dims]
    if dims == list(range(dims[0], dims[0] + len(dims))):    # adjacent: in place
        return tuple(rest[:dims[0]]) + bshape + tuple(rest[dims[0]:])
    return bshape + tuple(rest)
