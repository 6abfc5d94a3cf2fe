"""x[key] and x[key] = value.

Reading follows PyTorch's python_variable_indexing.cpp: integers, slices,
None and Ellipsis are applied first (basic indexing, a view of x), then
index tensors, lists and masks (advanced indexing, a copy), placed by
NumPy's rule (the key is planned in index_keys.py). Values come from
NumPy; the gradient is one GATHER record whose index map is the same key
applied to arange(x.numel()).

Basic indexing makes a view (views.py keeps what a view knows). Writing
(x[key] = v, and fill_ / copy_'s values) computes the new value of the
whole tensor as a SCATTER record (kept positions send their adjoint to the
old x, written ones to v) and commits it in place (views.commit).
"""
import functools
import weakref

import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from ..core import tape as T
from ..core import saved_nodes as SN
from . import tracked as TR
from . import tensor as TT
from . import tracked_picks as TP
from .tensor import (STATE, Tensor, _guard_vmap_dynamic, _scalar_out)
from .index_keys import _plan, validate_adv
from .views import (_Basic, _ElementView, _ElementViewFn, _Row, _Saved, _append_pruned, _identity, _index_map,
                    _record_gather, _result, check_inplace, commit, overwrite, register_view, view)
from .mem_overlap import check_no_partial_overlap, put_expanded


def getitem(x, key):
    """x[key]. First x[i] of a vector: the scalar loops of user code
    (x[i] ** 2 - x[i+1]) take this path, so it records one COPY of one slot
    and nothing else (a 0-d result is a Python number; it is not tracked as
    a view). Written out inline (no helper calls, one Python call per
    read): it is the hot op of such loops."""
    if x.__class__ is TR.Tracked and STATE.grad_enabled and _basic_key(key):
        return TR.shaped(getitem, x, key)     # (mask[:, None], mask[0]: see view)
    arr = x._arr
    if key.__class__ is int and arr is not None and arr.ndim == 1:
        i = key
        size = len(arr)     # (arr.shape builds a tuple per call)
        if i < 0:
            i += size
        if not 0 <= i < size:
            raise IndexError(f"index {i - size if i < 0 else i} is out of bounds for dimension 0 with size {size}")
        v = arr.item(i)
        out = _alloc()
        out._v = v
        out._arr = None
        out.dtype = x.dtype
        st = STATE.ctx
        grad = st.grad_enabled
        xview = x._view
        if x._rg and grad:
            tape = st.tape()
            if tape is None:    # (no `or`: a Python-level Tape.__bool__ call per op)
                tape = T.current()
            a = x._slot if x._tape is tape and not x._bulk else T.slot_of(tape, x)
            vals = tape.vals
            slot = len(vals)
            vals.append(v)
            tape.rec.frombytes(_PACK(_COPY, slot, 1, a + i, -1, 0, -1))
            out._rg = True
            out._tape = tape
            out._slot = slot
            out._name = "SelectBackward0"
            if key < 0:     # (torch's node saved the index as given: the view keeps it from 0)
                SN.note_args(tape, slot, "SelectBackward0", {"dim": 0, "index": SN.uint(key)})
            if xview is None:
                # Remember the slot (as register_view does): a write into x makes
                # it stale. One block of slots per (tape, version) of x.
                d = x.__dict__
                block = d.get("_element_block")
                if block is None or block[0] != tape.serial or block[1] != x._version:
                    block = d["_element_block"] = (tape.serial, x._version, [])
                    _append_pruned(d.setdefault("_view_slots", []), (_ref(tape), block[2], 1, _Saved(out), x._version),
                                   lambda e: e[0]() is not None)
                block[2].append(slot)
                info = _new(_ElementViewFn)     # (has_fn and meta: class-level)
        else:
            # A view made under no_grad of a tensor that requires grad requires
            # grad, as in PyTorch (its gradient goes nowhere: `_nograd_view`).
            out._rg = x._rg and xview is None
            if out._rg:
                out._nograd_view = True
            out._tape = None
            out._slot = -1
            out._name = None
            if x._inf:
                out._inf = True     # a view of an inference tensor is one
            if xview is None:
                info = _new(_ElementView)
                info.has_fn = out._rg
                info.meta = None if grad else "nograd"
        if xview is None:
            # A view of x, as in PyTorch (later writes into x show through).
            info.root = x
            info.i = i
            info.shape = (size,)
            out._view = info
            views = x._views
            if views is None:
                views = x._views = []
            n = len(views)
            if n >= 64 and n & (n - 1) == 0:
                views[:] = [r for r in views if r() is not None]
            views.append(_ref(out))
        else:
            register_view(out, x, _Row(i), "SelectBackward0")
        return out
    if key.__class__ is int and x._v is None:
        # Fast path, x[i]: a block of rows (a view).
        size = x._arr.shape[0]
        if not -size <= key < size:
            raise IndexError(f"index {key} is out of bounds for dimension 0 with size {size}")
        out = view(x, _Row(key % size), "SelectBackward0")
        if key < 0 and out._rg and out._tape is not None:
            SN.note_args(out._tape, out._slot, "SelectBackward0", {"dim": 0, "index": SN.uint(key)})
        return out
    if key.__class__ is slice and x._v is None and key.step is None \
            and (key.start is None or key.start.__class__ is int) and (key.stop is None or key.stop.__class__ is int):
        return view(x, _Basic((key,)), "SliceBackward0")     # (x[a:b]: what _plan makes of it, without its parsing)
    if key is Ellipsis:
        return view(x, _identity, "AliasBackward0")
    if TT._guard_hook is not None and x._rg and STATE.grad_enabled:
        out = TP.getitem(x, key, _plan)     # (compile: a recorded index or mask, read at replay)
        if out is not None:
            return out
    plan = _plan(key, x.shape)
    if plan.adv is None:
        return view(x, _Basic(plan.basic), plan.name)
    if plan.masks:
        for k in (key if isinstance(key, tuple) else (key,)):
            if isinstance(k, Tensor) and k.dtype is D.bool_:
                _guard_vmap_dynamic(k, _VMAP_MASK)
    arr = x._data()
    out = _result(np.array(plan.apply(arr)), x.dtype)
    if x._rg and STATE.grad_enabled:
        _record_gather(x, out, _index_map(x, plan.apply), plan.name, summed=True)
        if plan.name in SN.SAVES_INDEX_NAMES:      # (IndexBackward0 saves the indices)
            SN.note_saved_index(out._tape, out._slot, plan.name)
            SN.note_args(out._tape, out._slot, plan.name, {"indices": _saved_indices(plan)})
    return out


def _saved_indices(plan):
    """IndexBackward0's _saved_indices: per dim of the basic view, the index
    tensor (a mask as given, for all its dims), None before the last one."""
    masks = dict(plan.masks)
    adv = dict(plan.adv)
    out, d = [], 0
    while d <= max(adv):
        if d in masks:
            out.append(Tensor._wrap(np.array(masks[d]), D.bool_))
            d += masks[d].ndim
            continue
        arr = adv.get(d)
        out.append(None if arr is None else Tensor._wrap(np.asarray(arr, np.int64), D.int64))
        d += 1
    return tuple(out)


_VMAP_MASK = TP.VMAP_MASK


def _basic_key(key):
    """An index of ints, slices, None and Ellipsis only (no tensor, list or bool)."""
    for k in key if key.__class__ is tuple else (key,):
        if not (k is None or k is Ellipsis or k.__class__ in (int, slice)):
            return False
    return True


# ----- writing ------------------------------------------------------------------

def _value_tensor(x, value):
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)):
        return _scalar_out(np.asarray(value).astype(x.dtype.np).item(), x.dtype)
    tname = type(value).__name__ if type(value).__module__ == "builtins" else \
        f"{type(value).__module__.split('.')[0]}.{type(value).__name__}"
    raise TypeError(f"can't assign a {tname} to a torch.{D.TORCH_NAMES[x.dtype.name]}Tensor")


def _strip_ones(v):
    """v without leading dims of size 1 (PyTorch's slicePrefix1sSize)."""
    n = 0
    while n < v.ndim and v.shape[n] == 1:
        n += 1
    if not n:
        return v
    return v.reshape(v.shape[n:])


def setitem(x, key, value):
    v = _value_tensor(x, value)
    if key is False:
        return
    plan = _plan(key, x.shape, validate=False)
    grad = x._rg or v._rg
    if plan.adv is None:
        pos = _positions(x, plan)
        new_v, name = _copy_value(v, pos.shape, x.dtype)
        check_inplace(x, grad, plan.view_name)
        check_no_partial_overlap(x, (v,), pos)     # (torch: x[key].copy_(v))
    else:
        check_inplace(x, grad, plan.view_name)
        check_no_partial_overlap(x, (v,))
        validate_adv(plan, x.shape)
        pos = _positions(x, plan)
        new_v, name = _put_value(v, pos.shape, x.dtype, plan)
        if x._view is not None and put_expanded(x, plan.apply, new_v, False,
                                                plan.mask and v.ndim == 0):
            return
    name = "CopySlices" if plan.view_name or x._view is not None else name
    new = overwrite(x, pos.reshape(-1), new_v, name)
    if pos.size == 0 and v._rg and STATE.grad_enabled and x.dtype.is_floating_point:
        # Nothing written: PyTorch still gives v a zero gradient.
        new = _touch(new, v, name)
    commit(x, new, name, written=pos.reshape(-1) if plan.adv is None else None)


def _positions(x, plan):
    """Flat positions in x of the elements x[key] selects, in x[key]'s shape."""
    return np.asarray(plan.apply(np.arange(x.numel()).reshape(x.shape)))


def _touch(new, v, name):
    """new, recorded as also depending on v (with a zero derivative)."""
    out = new + v.sum() * 0.0
    out._name = name
    return out


def _copy_value(v, shape, dtype):
    """PyTorch's copy_to: v as the content of a target of `shape`. (Shape and
    dtype changes go through Tensor methods: the API functions are a layer up.)"""
    if tuple(v.shape) == shape:
        name = "CopyBackwards"
    elif v.ndim == 0:
        name = "FillBackward3"
    else:
        name = "CopyBackwards"
        v = _strip_ones(v).expand(shape)
    if v.ndim == 0 and shape:
        v = v.expand(shape)
    return v.to(dtype), name


def _put_value(v, shape, dtype, plan):
    """PyTorch's index_put_: v broadcast to the indexing result."""
    if v.dtype is not dtype and not (plan.mask and v.numel() == 1):
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{D.TORCH_NAMES[dtype.name]} for the destination and {D.TORCH_NAMES[v.dtype.name]} "
                           "for the source.")
    v = _strip_ones(v)
    try:
        np.broadcast_shapes(tuple(v.shape), shape)
        if len(v.shape) > len(shape):
            raise ValueError
    except ValueError:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(v.shape)} cannot be broadcast to "
                           f"indexing result of shape {list(shape)}") from None
    if tuple(v.shape) != shape:
        v = v.expand(shape)
    return v.to(dtype), "IndexPutBackward0"



# Bound directly: no extra frame or import per x[i] (scalar loops).
_new = object.__new__
_alloc = functools.partial(_new, Tensor)    # (a new Tensor: ~10 ns cheaper than _new(Tensor))
_ref = weakref.ref
_PACK = T.PACK
_COPY = K.COPY
Tensor.__getitem__ = getitem
Tensor.__setitem__ = setitem
