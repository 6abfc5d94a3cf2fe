"""Sorting and selection while jitgrad.compile records: the picks replay.

sort / argsort / topk / kthvalue, max / min with a dim, argmax / argmin and
median / nanmedian pick elements of x by value. Eager mode computes the
picks with NumPy and gathers them. While compile records (x on its tape),
`pick` records that choice as a `select_order` record (the op table's
no-gradient entry) before the gather: at every replay the record recomputes
the picks from x's new values in Numba (`replay_forward._fwd_select`: the
same stable order, nan last, first max, lower median as eager) and rewrites
the gather's index map, so values, gradients and indices follow the new
order instead of re-recording on every change of order. The indices are a
recorded int64 result (`tensors.tracked.Tracked`): used in arithmetic they
replay, read any other way (as an index, `tolist`) they guard.
"""
from __future__ import annotations

from typing import Optional, Tuple, Union

import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from ..core import replay_select as RS
from ..core import tape as T
from ..tensors import tensor as TT
from ..tensors import tracked as TR
from ..tensors.tensor import Tensor
from .base import _gather_tensor, _named
from ..tensors.tracked_picks import by_index, by_mask  # noqa: F401  (gather, masked_select)

MODES = {"sort": K.SEL_SORT, "sort_desc": K.SEL_SORT_DESC, "max": K.SEL_MAX, "min": K.SEL_MIN,
         "median": K.SEL_MEDIAN, "nanmedian": K.SEL_NANMEDIAN, "kth": K.SEL_KTH,
         "topk": K.SEL_TOPK, "topk_unsorted": K.SEL_TOPK_UNSORTED, "topk_smallest": K.SEL_TOPK_SMALLEST,
         "topk_smallest_unsorted": K.SEL_TOPK_SMALLEST_UNSORTED, "cummax": RS.SEL_CUMMAX, "cummin": RS.SEL_CUMMIN,
         "mode": RS.SEL_MODE}


def recording(x: Tensor) -> bool:
    """Whether x's picks are recorded: compile records and x (float, not
    empty) is on its tape."""
    return x.__class__ is Tensor and x.dtype.is_floating_point and x.numel() > 0 and TR.recording(x)


def pick(x: Tensor, grid_shape: Union[Tuple[int, ...], np.ndarray], d: int, sel: np.ndarray, mode: str, first: int,
         val_shape: Optional[Tuple[int, ...]], idx_shape: Tuple[int, ...], name: str,
         summed: bool = False) -> Tuple[Optional[Tensor], Tensor]:
    """(values, indices) of the picks `sel` eager mode made along dim d of x
    viewed as `grid_shape` (x's shape, or (numel,) for a flattened pick, or
    an array of x's positions laid out as the grid):
    `sel` has the grid's shape with its own size along d (the picks of each
    row, ranks `first` ... of the `mode` order). Values: a recorded gather
    named `name`, shaped `val_shape` (None: no values; `summed`: its backward
    accumulates, base._gather_tensor); indices: int64, shaped `idx_shape`."""
    tape = T.current()
    # (an array: x's positions laid out as the grid, e.g. several dims moved last and merged)
    grid = grid_shape if isinstance(grid_shape, np.ndarray) else np.arange(x.numel()).reshape(grid_shape)
    L = grid.shape[d]
    k = sel.shape[d]
    pos = np.moveaxis(grid, d, -1).reshape(-1, L)
    rows = pos.shape[0]
    outpos = np.moveaxis(np.arange(sel.size).reshape(sel.shape), d, -1).reshape(rows, k)
    a = T.slot_of(tape, x)
    idx = Tensor._wrap(np.asarray(sel, np.int64).reshape(idx_shape), D.int64)
    islot = T.push_value(tape, idx)
    header = [rows, L, k, MODES[mode], first, -1]
    off = T.push_meta(tape, np.concatenate((np.array(header, np.int64), pos.ravel(), outpos.ravel())))
    T.record(tape, K.SELECT_ORDER, islot, sel.size, a, -1, off, -1)   # (m: where its layout is)
    vals = None
    if val_shape is not None:
        vals = _named(_gather_tensor(x, np.take_along_axis(grid, sel, d).ravel(), val_shape, summed), name)
        # The gather's index map: the one the record rewrites at replay.
        tape.meta[off + 5] = tape.rec[-1]
    idx.__class__ = TR.Tracked
    idx._rg = True
    idx._tape = tape
    idx._slot = islot
    idx._name = "NotDifferentiable"
    TT._guard_hook.tracked(idx)
    return vals, idx


__all__ = ["recording", "pick", "by_index", "by_mask"]
