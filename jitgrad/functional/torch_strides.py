"""torch's strides of a tensor, and whether view() can re-shape them.

jitgrad keeps a view's value as its own NumPy array (an expand is a copy, a
diagonal or unfold a gathered array), so NumPy's strides are not torch's.
A view's torch strides follow from where its elements sit in its root: the
root's memory offsets (its array's strides) read at the view's positions.
`view_strides` is torch's rule for view(shape): the new shape must split or
merge only dimensions that are contiguous with each other in memory.
"""
from __future__ import annotations

import math
from typing import Callable, Optional, Sequence

import numpy as np

from ..core import layouts as LY

from ..tensors import views as IX
from ..tensors.tensor import Tensor


def _array_strides(x: Tensor) -> tuple:
    arr = x._arr
    return () if arr is None else tuple(s // arr.itemsize for s in arr.strides)


def strides(x: Tensor) -> tuple:
    """x's strides as torch reports them (in elements)."""
    info = x._view
    if info is None or info.root is None:
        return _array_strides(x)
    exact = _by_rules(info)
    if exact is not None:
        return exact
    shape = tuple(x.shape)
    if x.numel() < 2:
        return _fill_unit_dims(shape, [None] * len(shape))
    root = info.root
    arr = x._arr
    if arr.base is not None and root._view is None and root._arr is not None and \
            np.may_share_memory(arr, root._arr):
        # (a NumPy view of the root's own memory, slices and transposes: its strides are torch's)
        return _fill_unit_dims(shape, [s // arr.itemsize if n > 1 else None for n, s in zip(shape, arr.strides)])
    pos = info.positions().reshape(shape)
    rst = _array_strides(root)
    offsets = np.zeros(shape, np.int64)
    if rst:
        for i, s in zip(np.unravel_index(pos, tuple(root.shape)), rst):
            offsets += np.asarray(i, np.int64) * s
    base = offsets.reshape(-1)[0]
    out: list = []
    for d, size in enumerate(shape):
        if size > 1:
            idx = [0] * len(shape)
            idx[d] = 1
            out.append(int(offsets[tuple(idx)] - base))
        else:
            out.append(None)
    return _fill_unit_dims(shape, out)


def with_rule(out: Tensor, rule: Callable[[tuple, tuple], Optional[tuple]]) -> Tensor:
    """Give view `out` torch's rule for its strides from its base's (shape,
    strides): exact where the elements' positions can't tell (the strides
    of size-1 dimensions)."""
    if out._view is not None:
        out._view.strides_of = rule
        _unit_strides(out)
    return out


def _unit_strides(out: Tensor) -> None:
    """Give out's array torch's strides in its size-1 dims (never stepped:
    the same memory), which decide an elementwise result's layout
    (core/layouts.py reads the operands' arrays)."""
    if out.__class__ is not Tensor:
        return      # (compile's recorded masks: reading their array is a guard)
    arr = out._arr
    if arr is None or arr.ndim < 2 or 1 not in arr.shape or arr.size < 2 or out._bulk:
        return
    want = _by_rules(out._view)
    if want is None or len(want) != arr.ndim:
        return
    item = arr.itemsize
    new = tuple(w * item if n == 1 else s for n, s, w in zip(arr.shape, arr.strides, want))
    if new != arr.strides:
        out._arr = LY.restrided(arr, new)


def _by_rules(info) -> Optional[tuple]:
    """A view's strides by the rules of the views from its root to it, or
    None where one has none (strides() reads positions then)."""
    rule = getattr(info, "strides_of", None)
    if rule is None:
        fn = info.fn
        if fn.__class__ is IX._Basic:
            rule = _indexed(fn.key)
        elif fn.__class__ is IX._Row:
            rule = _DROP_FIRST
        elif fn is IX._identity:
            rule = kept
        else:
            return None
    if info.parent is None:
        root = info.root
        if tuple(root.shape) != tuple(info.shape):     # (the root resized in place since)
            return None
        base = _array_strides(root)
    else:
        base = _by_rules(info.parent)
        if base is None:
            return None
    return rule(tuple(info.shape), base)


def permuted(dims: tuple) -> Callable[[tuple, tuple], tuple]:
    return lambda shape, st: tuple(st[d] for d in dims)


def unsqueezed(d: int) -> Callable[[tuple, tuple], tuple]:
    """torch's unsqueeze: the new dim's stride is the extent of the dim it precedes (1 at the end)."""
    return lambda shape, st: st[:d] + (shape[d] * st[d] if d < len(shape) else 1,) + st[d:]


def dropped(dims) -> Callable[[tuple, tuple], tuple]:
    """squeeze / select: the strides of the other dims."""
    return lambda shape, st: tuple(s for i, s in enumerate(st) if i not in dims)


def kept(shape: tuple, st: tuple) -> tuple:
    """a slice (step 1) or an alias: the same strides."""
    return st


def _indexed(key: tuple) -> Callable[[tuple, tuple], tuple]:
    """x[key] of ints, slices and None (Ellipsis spelled out): torch's
    applySlicing, item by item (None: an unsqueeze before the next dim, its
    stride that dim's extent)."""
    def rule(shape, st):
        out, src = [], 0
        for k in key:
            if k is None:
                out.append(shape[src] * st[src] if src < len(shape) else 1)
            elif k.__class__ is slice:
                out.append(st[src] * (k.step or 1))
                src += 1
            else:
                src += 1
        return tuple(out) + tuple(st[src:])
    return rule


def viewed(new: tuple) -> Callable[[tuple, tuple], Optional[tuple]]:
    return lambda shape, st: view_strides(shape, st, new)


def expanded(target: tuple) -> Callable[[tuple, tuple], tuple]:
    """torch's inferExpandGeometry: an expanded dim's stride is 0, a new
    leading one of size 1 the extent of the dim after it."""
    def rule(shape, st):
        lead = len(target) - len(shape)
        out = [0] * len(target)
        for i in range(len(target) - 1, -1, -1):
            size = shape[i - lead] if i >= lead else 1
            stride = st[i - lead] if i >= lead else (target[i + 1] * out[i + 1] if i + 1 < len(target) else 1)
            out[i] = 0 if size != target[i] else stride
        return tuple(out)
    return rule


_DROP_FIRST = dropped((0,))


def _fill_unit_dims(shape: tuple, st: list) -> tuple:
    """Size-1 (and size-0) dimensions: the stride torch gives them, the
    extent of the dimensions after them."""
    res = list(st)
    nxt = 1
    for d in range(len(shape) - 1, -1, -1):
        if res[d] is None:
            res[d] = nxt
        nxt = res[d] * max(shape[d], 1)
    return tuple(res)


def is_contiguous(x: Tensor) -> bool:
    """torch's is_contiguous: every dimension of more than one element has
    the stride of the elements after it (an empty tensor is contiguous)."""
    if x._v is not None:
        return True
    if x._view is None:
        return bool(x._arr.flags.c_contiguous)
    if x.numel() == 0:
        return True
    expected = 1
    for size, st in zip(reversed(tuple(x.shape)), reversed(strides(x))):
        if size != 1:
            if st != expected:
                return False
            expected *= size
    return True


def view_strides(shape: Sequence[int], st: Sequence[int], new: Sequence[int]) -> Optional[tuple]:
    """The strides of view(new) of a tensor of `shape` and strides `st`, or
    None where torch refuses the view: each run of old dimensions that are
    laid out as one contiguous chunk must be covered exactly by a run of new
    dimensions."""
    shape, st, new = tuple(shape), tuple(st), tuple(new)
    if not shape:
        return tuple([1] * len(new))
    if math.prod(shape) == 0:
        return shape == new and st or _fill_unit_dims(new, [None] * len(new))
    res: list = [0] * len(new)
    v = len(new) - 1
    base = st[-1]
    chunk = 1       # elements in the current chunk of old dimensions
    have = 1        # elements of new dimensions assigned to it
    for d in range(len(shape) - 1, -1, -1):
        chunk *= shape[d]
        if d == 0 or (shape[d - 1] != 1 and st[d - 1] != chunk * base):
            # dims d.. form one chunk: new dims take it from the back
            while v >= 0 and (have < chunk or new[v] == 1):
                res[v] = have * base
                have *= new[v]
                v -= 1
            if have != chunk:
                return None
            if d > 0:
                base = st[d - 1]
                chunk, have = 1, 1
    if v != -1:
        return None
    return tuple(res)
