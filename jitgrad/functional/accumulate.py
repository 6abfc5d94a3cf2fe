"""x with values added at flat positions, as torch's CPU index_add_ /
scatter_add_ / put_ / index_put_(accumulate=True) add them: in order, each
written element x + s exactly, the others x itself (signs of zeros kept)."""
import numpy as np

from . import functions as F
from ..core import tape as T
from ..core.grad_mode import STATE
from ..tensors.arith import _finish, _push_out
from ..tensors.tensor import Tensor, _array_out
from .elementwise import _record_place


def add_at(x: Tensor, pos: np.ndarray, src_flat: Tensor) -> Tensor:
    """x with src_flat[i] added at the flat position pos[i], in order (torch's
    CPU index_add_ / scatter_add_ / put_ / index_put_ accumulate), as
    x + placed(s): x + s where written, x itself elsewhere (x + (-0.0)), so
    zeros keep torch's signs (-0.0 + 0.0 is +0.0, an untouched -0.0 stays).
    A position written k times: k layers."""
    n = x.numel()
    out = F.reshape(x, (-1,))
    src_flat = src_flat.to(x.dtype)
    if pos.size == 0:   # (src still reached: an empty gradient, as torch)
        return out - F._index_add(-src_flat, pos, n)
    order = np.argsort(pos, kind="stable")
    rank = np.empty(pos.size, np.int64)
    rank[order] = np.arange(pos.size) - np.searchsorted(pos[order], pos[order], side="left")
    # Sources in layer order (one gather, each read once), layer k a block of it.
    by_layer = np.argsort(rank, kind="stable")
    src = src_flat if rank.max() == 0 else F._gather_tensor(src_flat, by_layer)
    start = 0
    for k in range(int(rank.max()) + 1):
        count = int((rank == k).sum())
        out = out + placed(src, start, count, pos[by_layer[start:start + count]], n)
        start += count
    return out


def placed(v: Tensor, start: int, count: int, pos: np.ndarray, n: int) -> Tensor:
    """A flat tensor of n elements: v's elements start .. start + count at
    the distinct flat positions `pos`, -0.0 elsewhere (the identity of +;
    also what a compiled replay's SUM_IDX placement writes there), signs
    kept (one SUM_IDX placement record reading that block of v's slots)."""
    val = np.full(n, -0.0, v.dtype.np)
    val[pos] = v._data().ravel()[start:start + count]
    out = _array_out(val, v.dtype)
    if v._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, v)
        slot = _push_out(tape, out)
        _record_place(tape, a + start, pos, slot, n)
        _finish(out, tape, slot, "IndexPutBackward0")
    return out
