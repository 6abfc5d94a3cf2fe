"""torch.sort / argsort / topk: values gathered along a dim by an order
torch's own kernels pick (stable sorts, its topk among ties), recorded as
gathers; under compile the order is a recorded pick (functional/selection.py).
"""
import numpy as np


from ..core import dtypes as D
from . import functions as F
from ..core import kernels as K
from ..tensors.tensor import (Tensor, _guard_order)
from ..tensors.construct import (tensor)
from . import selection as SEL
from ..core import replay_select as RS
from ..core import return_types
from ..core import saved_nodes as SN


def _t(x):
    return x if isinstance(x, Tensor) else tensor(x)


# ----- sorting ---------------------------------------------------------------

class _Pair(tuple):
    """torch.return_types.sort / topk: (values, indices) with names."""

    def __new__(cls, values, indices, kind):
        t = tuple.__new__(return_types.named(cls, kind), (values, indices))
        t._kind = kind
        return t

    values = property(lambda self: self[0])
    indices = property(lambda self: self[1])

    def __repr__(self):
        return f"torch.return_types.{self._kind}(\nvalues={self[0]!r},\nindices={self[1]!r})"


def _take_along(x, order, dim, name, summed=False):
    """x's elements at positions `order` along dim (a recorded gather)."""
    pos = np.take_along_axis(np.arange(x.numel()).reshape(x.shape), order, axis=dim)
    return F._named(F._gather_tensor(x, pos.ravel(), pos.shape, summed), name)


def _stable_order(arr, d, descending):
    """torch's stable order along d: nan after everything ascending, before
    everything descending (ties: the lower index first)."""
    if not descending:
        return np.argsort(arr, axis=d, kind="stable")
    order = np.argsort(-arr, axis=d, kind="stable")
    if arr.dtype.kind == "f":
        nan = np.take_along_axis(np.isnan(arr), order, d)
        if nan.any():
            order = np.take_along_axis(order, np.argsort(~nan, axis=d, kind="stable"), d)
    return order


_UNSET = object()


def sort(input, dim=-1, descending=False, stable=_UNSET):
    x = _t(input)
    d = F._dim(dim, x.ndim)
    # (any stable= argument, None included, selects torch's sort.stable overload: SortBackward1)
    name = "SortBackward0" if stable is _UNSET else "SortBackward1"
    if x.ndim == 0:
        return _Pair(F._named(x.clone(), name, x), tensor(0), "sort")
    arr = x._data()
    order = _stable_order(arr, d, descending)
    if SEL.recording(x):        # compile: the order is recomputed at replay
        mode = "sort_desc" if descending else "sort"
        values, indices = SEL.pick(x, order.shape, d, order, mode, 0, order.shape, order.shape, name)
    else:
        _guard_sorted(x, order, d, descending, order.shape[d])
        values, indices = _take_along(x, order, d, name), Tensor._wrap(order.astype(np.int64))
        F._saved_args(values, name, dim=SN.uint(dim), indices=indices, self_sym_sizes=tuple(x.shape))
    if not arr.flags.c_contiguous:
        # (torch's sort writes into empty_like(input): a permuted input's layout)
        values, indices = F._laid_like(values, arr), F._laid_like(indices, arr)
    return _Pair(values, indices, "sort")


def _guard_sorted(x, order, d, descending, k):
    """compile: the stable order `order` (along d) of x's elements, of which
    the first k are kept, becomes guards: each kept element against the next
    (ties: the lower index first) and the k-th against every one not kept."""
    if not x._rg or k == 0:
        return
    pos = np.take_along_axis(np.arange(x.numel()).reshape(x.shape), order, axis=d)
    pos = np.moveaxis(pos, d, -1).reshape(-1, order.shape[d])
    idx = np.moveaxis(order, d, -1).reshape(-1, order.shape[d])
    lead = np.concatenate([pos[:, :k - 1], np.repeat(pos[:, k - 1:k], pos.shape[1] - k, axis=1)], axis=1)
    lead_i = np.concatenate([idx[:, :k - 1], np.repeat(idx[:, k - 1:k], idx.shape[1] - k, axis=1)], axis=1)
    follow, follow_i = pos[:, 1:], idx[:, 1:]
    weak, strict = (K.G_GE, K.G_GT) if descending else (K.G_LE, K.G_LT)
    kinds = np.where(lead_i < follow_i, weak, strict).astype(np.int8)
    _guard_order(x, lead.ravel(), follow.ravel(), kinds.ravel())


def argsort(input, dim=-1, descending=False, stable=False):
    return sort(input, dim, descending, stable)[1]


def topk(input, k, dim=-1, largest=True, sorted=True):
    x = _t(input)
    d = F._dim(dim, x.ndim)
    if x.dtype is D.bool_:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    if not 0 <= k <= (x.shape[d] if x.ndim else 1):
        raise RuntimeError("selected index k out of range")
    if not x.ndim:      # torch: a 0-d tensor is its own top-1 (and top-0)
        return _Pair(F._named(x.clone(), "TopkBackward0"), Tensor._wrap(np.int64(0)), "topk")
    arr = x._data()
    order = _stable_order(arr, d, largest)
    # rows where torch's partial sort / nth_element picks otherwise than the stable order:
    # equal values (nan twice included) and, sorted=False, its unsorted order
    redo = _topk_rows(arr, d, sorted) if k else None
    recording = k and SEL.recording(x)
    if x.ndim and not recording:
        _guard_sorted(x, order, d, largest, k)
    order = np.take(order, np.arange(k), axis=d)
    if redo is not None:
        rows, picks = np.moveaxis(arr, d, -1), np.moveaxis(order, d, -1).copy()
        for r in np.ndindex(redo.shape):
            if redo[r]:
                keys = np.asarray(rows[r], np.float64)
                ki = np.empty(max(keys.size, 1), np.int64)
                RS.topk_row(keys, k, largest, sorted, np.empty(keys.size), ki)
                picks[r] = ki[:k]
        order = np.moveaxis(picks, -1, d)
    if recording:       # compile: the top k are recomputed at replay in torch's order (replay_select.topk_row)
        mode = ("topk" if largest else "topk_smallest") + ("" if sorted else "_unsorted")
        return _Pair(*SEL.pick(x, tuple(x.shape), d, order, mode, 0, order.shape, order.shape, "TopkBackward0"), "topk")
    values, indices = _take_along(x, order, d, "TopkBackward0"), Tensor._wrap(order.astype(np.int64))
    F._saved_args(values, "TopkBackward0", dim=SN.uint(dim), indices=indices, self_sym_sizes=tuple(x.shape))
    return _Pair(values, indices, "topk")


def _topk_rows(arr, d, sorted_):
    """Bool mask (the rows of arr along d) of rows whose torch topk order
    isn't the stable one, or None if no row's is."""
    if arr.shape[d] > RS.TOPK_EXACT_MAX:      # (longer rows keep the stable order: torch's selection in Python is slow)
        return None
    rows = np.moveaxis(arr, d, -1)
    if not sorted_:
        redo = np.ones(rows.shape[:-1], bool)
    else:
        s = np.sort(rows, axis=-1)
        redo = (s[..., 1:] == s[..., :-1]).any(-1)
        if rows.dtype.kind == "f":
            redo |= np.isnan(rows).sum(-1) > 1
    return redo if redo.any() else None
