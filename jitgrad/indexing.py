"""x[key] and x[key] = value.

Reading records GATHER (or COPY for a contiguous block, the common
`x[i]`); writing records SCATTER: the new value of x is the old one with
the indexed positions replaced, so gradients reach both the old x and the
assigned value (PyTorch's CopySlices).
"""
import numpy as np

from . import dtypes as D
from . import kernels as K
from . import tape as T
from .tensor import (LEAF_INPLACE_MSG, STATE, Tensor, _array_out, _finish, _push_operand,
                     _push_out, _scalar_out)


def _np_key(key, shape):
    """Translate a key to NumPy, with PyTorch's errors for bad indices."""
    if not isinstance(key, tuple):
        key = (key,)
    out = []
    dim = 0
    for k in key:
        if isinstance(k, Tensor):
            if k.dtype is D.bool_:
                arr = k._data()
                out.append(arr)
                dim += max(arr.ndim, 1)
                continue
            if k.dtype.is_floating_point:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            k = k._data()
        if isinstance(k, (bool, np.bool_)):
            out.append(k)
            continue
        if isinstance(k, (int, np.integer)):
            if dim >= len(shape):
                raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
            size = shape[dim]
            if not -size <= k < size:
                raise IndexError(f"index {k} is out of bounds for dimension {dim} with size {size}")
            out.append(int(k))
            dim += 1
        elif k is None:
            out.append(None)
        elif k is Ellipsis:
            out.append(k)
            dim = len(shape) - sum(1 for j in key[len(out):] if j is not None and j is not Ellipsis)
        elif isinstance(k, slice):
            if k.step is not None and k.step <= 0:
                raise ValueError("step must be greater than zero")
            out.append(k)
            dim += 1
        elif isinstance(k, (list, np.ndarray)):
            arr = np.asarray(k)
            if arr.dtype.kind == "f":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            if arr.dtype.kind in "iu" and arr.size and dim < len(shape):
                size = shape[dim]
                bad = arr[(arr < -size) | (arr >= size)]
                if bad.size:
                    raise IndexError(f"index {bad.flat[0]} is out of bounds for dimension {dim} with size {size}")
            out.append(arr)
            dim += 1
        else:
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                             "Variables are valid indices (got " + type(k).__name__ + ")")
    if sum(1 for k in out if k is not None and k is not Ellipsis and not isinstance(k, (bool, np.bool_))) > len(shape) \
            and not any(isinstance(k, np.ndarray) and k.dtype == bool for k in out):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    for k in out:
        if isinstance(k, np.ndarray) and k.dtype == bool:
            pass
    return tuple(out)


def _name(key):
    parts = key if isinstance(key, tuple) else (key,)
    if any(isinstance(k, (Tensor, list, np.ndarray)) for k in parts):
        return "IndexBackward0"
    for k in reversed(parts):
        if isinstance(k, (int, np.integer)):
            return "SelectBackward0"
        if isinstance(k, slice):
            if k == slice(None):
                continue
            return "SliceBackward0"
        if k is None:
            return "UnsqueezeBackward0"
    return "AliasBackward0" if parts and parts[0] is Ellipsis else "SliceBackward0"


def getitem(x, key):
    if x._v is not None and not (key is None or key is Ellipsis or (isinstance(key, tuple) and not key)):
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                         "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
    arr = x._data()
    # Fast path: an integer on the first dim is a contiguous block (x[i]).
    if key.__class__ is int:
        size = arr.shape[0]
        if not -size <= key < size:
            raise IndexError(f"index {key} is out of bounds for dimension 0 with size {size}")
        i = key % size
        val = arr[i]
        if val.ndim == 0:
            out = _scalar_out(val.item(), x.dtype)
        else:
            out = _array_out(val, x.dtype)
        if x._rg and STATE.grad_enabled:
            tape = T.current()
            a = T.slot_of(tape, x) + i * val.size
            slot = _push_out(tape, out)
            T.record(tape, K.COPY, slot, val.size, a, -1, 0, -1)
            _finish(out, tape, slot, "SelectBackward0")
        return out
    nkey = _np_key(key, arr.shape)
    val = arr[nkey]
    out = _scalar_out(val.item(), x.dtype) if val.ndim == 0 else _array_out(val, x.dtype)
    if x._rg and STATE.grad_enabled:
        idx = np.arange(arr.size).reshape(arr.shape)[nkey]
        idx = np.asarray(idx).ravel()
        tape = T.current()
        a = T.slot_of(tape, x)
        slot = _push_out(tape, out)
        off = T.push_meta(tape, idx)
        T.record(tape, K.GATHER, slot, idx.size, a, -1, arr.size, off)
        _finish(out, tape, slot, _name(key))
    return out


def setitem(x, key, value):
    vt = isinstance(value, Tensor)
    grad = STATE.grad_enabled and (x._rg or (vt and value._rg))
    if grad and x._rg and x._name is None:
        raise RuntimeError(LEAF_INPLACE_MSG)
    if x._v is not None:
        if not (key is None or key is Ellipsis or (isinstance(key, tuple) and not key)):
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        if not grad:
            x._set_value(np.array(value._data() if vt else value, x.dtype.np))
            return
        from .functions import _to_dtype
        if vt and value._rg:
            res = _to_dtype(value, x.dtype).clone()
        else:
            # The old value gets no gradient; the result is the constant value.
            res = x * 0.0 + float(value.item() if vt else value)
        _adopt(x, res)
        return
    arr = x._arr
    nkey = _np_key(key, arr.shape)
    target_shape = np.shape(arr[nkey])
    vdata = value._data() if vt else np.asarray(value)
    if vt and not vdata.dtype == arr.dtype and value.dtype.is_floating_point and not x.dtype.is_floating_point:
        pass
    try:
        vb = np.broadcast_to(vdata, target_shape)
    except ValueError:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(np.shape(vdata))} cannot be broadcast "
                           f"to indexing result of shape {list(target_shape)}") from None
    if not grad:
        arr[nkey] = vb
        x._version += 1
        if x._name is None:
            x._tape = None
        return
    pos = np.arange(arr.size).reshape(arr.shape)[nkey]
    idx = np.asarray(pos).ravel()
    # Duplicated positions: the last write wins, as in NumPy.
    if idx.size > 1 and np.unique(idx).size != idx.size:
        _, last = np.unique(idx[::-1], return_index=True)
        keep_k = np.sort(idx.size - 1 - last)
    else:
        keep_k = None
    tape = T.current()
    a = _push_operand(tape, x)
    if vt and value._rg:
        from .functions import _gather_tensor, _to_dtype
        v = _to_dtype(value, x.dtype) if value.dtype is not x.dtype else value
        vflat_idx = np.broadcast_to(np.arange(v.numel()).reshape(v.shape), target_shape).ravel()
        if keep_k is not None:
            vflat_idx = vflat_idx[keep_k]
        vexp = _gather_tensor(v, vflat_idx) if (vflat_idx.size != v.numel() or keep_k is not None) else v
        b = T.slot_of(tape, vexp)
    else:
        vflat = np.ascontiguousarray(vb, np.float64).ravel()
        if keep_k is not None:
            vflat = vflat[keep_k]
        b = T.push_array(tape, vflat)
    if keep_k is not None:
        idx = idx[keep_k]
    arr[nkey] = vb
    rest = np.setdiff1d(np.arange(arr.size), idx, assume_unique=True)
    off = T.push_meta(tape, np.concatenate((idx, rest)))
    slot = T.push_array(tape, arr)
    T.record(tape, K.SCATTER, slot, arr.size, a, b, idx.size, off)
    x._version += 1
    x._rg = True
    x._tape, x._slot, x._name, x._gfn = tape, slot, "CopySlices", None


def _adopt(x, res):
    x._v = res._v
    x._version += 1
    x._rg = res._rg
    if res._rg:
        x._tape, x._slot, x._name, x._gfn = res._tape, res._slot, "CopySlices", None
