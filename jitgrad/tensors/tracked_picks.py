"""Picks by a recorded index or mask while jitgrad.compile records: gather
by an argsort, x[x.argmax()], masked_select / x[x > 0]. The index (mask) is
a recorded int64 (bool) result (tracked.Tracked); reading its values to
gather would guard every one of them, so a new input recorded again nearly
every call. Here a `select_order` record reads them at replay instead
(replay_select._fwd_by_index) and rewrites the index map of the gather
right after it; guards: the index stays in range, the mask's count stays.
"""
from typing import Optional, Tuple

import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from ..core import replay_select as RS
from ..core import tape as T
from . import tensor as TT
from . import tracked as TR
from .tensor import Tensor
from . import views as VW
from .views import _record_gather, _result


VMAP_MASK = ("vmap: We do not support batching operators that can support dynamic shape. Attempting to batch "
             "over indexing with a boolean mask.")


def recording(y, index) -> bool:
    """Whether y gathered by a Tracked index / mask is recorded so: y a float
    tensor on the recording tape, the index on the same tape."""
    return (index.__class__ is TR.Tracked and y.__class__ is Tensor and y.dtype.is_floating_point and y.numel() > 0
            and TR.recording(y) and index._tape is y._tape and index.numel() > 0)


def _push_select(tape, source: Tensor, mode: int, pos_rows: np.ndarray, outpos: np.ndarray, extra: np.ndarray,
                 sel: np.ndarray) -> int:
    """Record the select_order record (its picks now: sel); its layout's offset."""
    rows, L = pos_rows.shape
    k = outpos.shape[1]
    picks = np.empty(rows * k, np.int64)
    picks[outpos.ravel()] = sel.ravel()
    islot = T.push_value(tape, Tensor._wrap(picks, D.int64))
    header = [rows, L, k, mode, source.numel(), -1]
    off = T.push_meta(tape, np.concatenate((np.array(header, np.int64), pos_rows.ravel(), outpos.ravel(),
                                            extra.ravel())).astype(np.int64))
    T.record(tape, K.SELECT_ORDER, islot, rows * k, source._slot, -1, off, -1)
    return off


def _record_by(y: Tensor, source: Tensor, mode: int, pos_rows: np.ndarray, outpos: np.ndarray, extra: np.ndarray,
               sel: np.ndarray, out_shape: Tuple[int, ...], summed: bool, value=None) -> Tensor:
    """The select_order record of picks by a recorded index or mask `source`
    (replay_select._fwd_by_index) and the gather of y it rewrites: result o
    (outpos[r, t]) is y's flat position pos_rows[r, sel[r, t]]; `value`: the
    result's values laid out as eager mode's (x[:, idx]: NumPy's layout)."""
    tape = T.current()
    T.slot_of(tape, y)      # (y on the tape first: the gather must be the record right after)
    off = _push_select(tape, source, mode, pos_rows, outpos, extra, sel)
    rows = pos_rows.shape[0]
    k = outpos.shape[1]
    where = np.empty(rows * k, np.int64)
    where[outpos.ravel()] = np.take_along_axis(pos_rows, sel, 1).ravel()
    out = _result(np.array(y._data().ravel()[where].reshape(out_shape)) if value is None else value, y.dtype)
    r = len(tape.rec)
    _record_gather(y, out, where, "IndexBackward0", summed)
    tape.meta[off + 5] = tape.rec[r + 6]       # (the gather's index map: rewritten at replay)
    return out


def by_index(y: Tensor, index: Tensor, pos_rows: np.ndarray, outpos: np.ndarray, ipos: np.ndarray,
             out_shape: Tuple[int, ...], summed: bool, value=None) -> Optional[Tensor]:
    """compile: y.flatten() gathered by a recorded int64 index (gather by an
    argsort, x[x.argmax()]): result outpos[r, t] is y's flat position
    pos_rows[r, index.flatten()[ipos[r, t]]]. The index's values are read
    at replay (and guarded to stay in [0, L)), not guarded one by one.
    None: an index out of range now (the caller's path: its guards, its error)."""
    L = pos_rows.shape[1]
    sel = np.asarray(TR.plain(index)._data(), np.int64).ravel()[ipos]
    if not (sel.size and (sel >= 0).all() and (sel < L).all()) or pos_rows.size > 1 << 22:
        return None
    TR.escape(index >= 0, index < L)        # (the guards: still in range)
    return _record_by(y, index, RS.SEL_INDEX, pos_rows, outpos, ipos, sel, out_shape, summed, value)


def by_mask(y: Tensor, mask: Tensor, pos_rows: np.ndarray, mpos: np.ndarray, rest: Tuple[int, ...],
            summed: bool) -> Tensor:
    """compile: y's elements where a recorded bool mask is true (masked_select,
    x[mask]): per row r, its element j (y's flat position pos_rows[r, j])
    is kept where the mask (flattened) at mpos[j] is true, in order. The
    result's size is the count of true elements: a recorded sum of the mask,
    guarded; which elements are kept is recomputed at replay. The result's
    shape: (count,) + rest (rest: the rows' shape)."""
    rows, L = pos_rows.shape
    m = np.asarray(TR.plain(mask)._data()).ravel()[mpos] != 0
    k = int(m.sum())
    plain = TR.plain(mask)
    count = TR.record(K.TO_FLOAT64, Tensor._wrap(np.asarray(plain._data(), np.float64)), plain).sum()
    TT._guard_hook.read(count, "value")      # (the guard: the same count)
    out_shape = (k,) + tuple(rest)
    if k == 0:
        out = _result(np.zeros(out_shape, y.dtype.np), y.dtype)
        return _record_gather(y, out, np.zeros(0, np.int64), "IndexBackward0", summed)
    sel = np.broadcast_to(np.flatnonzero(m), (rows, k))
    outpos = np.arange(rows * k).reshape(k, rows).T       # (result (t, r...) at t * rows + r)
    return _record_by(y, mask, RS.SEL_MASK, pos_rows, np.ascontiguousarray(outpos), mpos, sel, out_shape, summed)


def getitem(x: Tensor, key, plan) -> Optional[Tensor]:
    """compile: x[key] with one recorded index or mask in the key (x[x.argmax()],
    x[torch.arange(n), x.argmax(1)], x[:, i], x[x > 0]), read at replay;
    None: another key (the caller plans it: a Tracked index read is a guard).
    `plan`: index_keys._plan."""
    items = key if key.__class__ is tuple else (key,)
    at = [i for i, k in enumerate(items) if k.__class__ is TR.Tracked]
    if len(at) != 1 or not recording(x, items[at[0]]):
        return None
    i = at[0]
    k = items[i]
    shape = tuple(x.shape)
    if k.dtype is D.bool_:
        TT._guard_vmap_dynamic(k, VMAP_MASK)       # (torch.func.vmap: torch's error)
        if key.__class__ is tuple or not 0 < k.ndim <= x.ndim or tuple(k.shape) != shape[:k.ndim]:
            return None
        L = k.numel()
        rows = np.arange(x.numel()).reshape(L, -1).T
        return by_mask(x, k, np.ascontiguousarray(rows), np.arange(L), shape[k.ndim:], True)
    # An int64 index of dim i: every item before it takes one dim.
    if k.dtype is D.int64 and k.ndim == 0 and key is k and x.ndim:
        return _select_view(x, k)
    if k.dtype is not D.int64 or k.ndim == 0 or i >= x.ndim or not all(
            b.__class__ in (int, slice) or (b.__class__ is Tensor and b.dtype in (D.int64, D.int32)) for b in items[:i]):
        return None
    L = shape[i]
    iv = np.asarray(TR.plain(k)._data(), np.int64)
    if not ((iv >= 0).all() and (iv < L).all()):
        return None
    grid = np.arange(x.numel()).reshape(shape)

    def positions(v, src=grid):       # x[key] of x's positions (or of src), the index's values v
        key2 = items[:i] + (Tensor._wrap(np.asarray(v, np.int64).reshape(iv.shape), D.int64),) + items[i + 1:]
        return np.asarray(plan(key2 if key.__class__ is tuple else key2[0], shape).apply(src))

    base = positions(np.zeros(iv.shape, np.int64))
    out_shape = base.shape
    base = base.ravel()
    stride = int(grid.strides[i] // grid.itemsize)
    # Which index element each result reads: probed digit by digit in base L.
    ipos = np.zeros(base.size, np.int64)
    if L > 1:
        ids = np.arange(iv.size)
        scale = 1
        while scale < iv.size:
            ipos += (positions(ids // scale % L).ravel() - base) // stride * scale
            scale *= L
    if not (np.array_equal(positions(iv).ravel(), base + stride * iv.ravel()[ipos]) and (ipos < iv.size).all()
            and np.array_equal(positions((iv + 1) % L).ravel(), base + stride * ((iv.ravel()[ipos] + 1) % L))):
        return None     # (not an index along dim i)
    rows = base[:, None] + stride * np.arange(L)
    value = np.array(positions(iv, x._data()))     # (eager mode's values, in its layout)
    return by_index(x, k, rows, np.arange(base.size).reshape(-1, 1), ipos.reshape(-1, 1), out_shape, True, value)


def _select_view(x: Tensor, k: Tensor) -> Optional[Tensor]:
    """x[k] of a 0-d recorded index (x[x.argmax()]): torch's select, a view of
    x. The view's gather is rewritten at replay like by_index's; its
    position, fixed for the view machinery, must not be used again: an
    in-place write to x or to the view makes the call run eagerly
    (recording._journal_write, `_moving_view`)."""
    L = x.shape[0]
    iv = int(np.asarray(TR.plain(k)._data()))
    if not 0 <= iv < L or x.numel() * L > 1 << 22:
        return None
    TR.escape(k >= 0, k < L)        # (the guards: still in range)
    tape = T.current()
    T.slot_of(tape, x)
    R = x.numel() // L
    rows = np.arange(L * R).reshape(L, R).T
    off = _push_select(tape, k, RS.SEL_INDEX, rows, np.arange(R).reshape(R, 1), np.zeros((R, 1), np.int64),
                       np.full((R, 1), iv, np.int64))
    r = len(tape.rec)
    out = VW.view(x, VW._Basic((iv,)), "SelectBackward0")
    g = tape.rec[r + 6] if len(tape.rec) == r + K.REC_WIDTH and tape.rec[r] == K.GATHER else -1
    if g < 0 or not np.array_equal(np.asarray(tape.meta[g:g + R]), rows[:, iv]):
        raise AssertionError("x[i]'s view recorded other than the gather of row i")
    tape.meta[off + 5] = g
    for t in (x, out, x._view.root if x._view is not None else None):
        if t is not None:
            t.__dict__["_moving_view"] = True
    return out
