"""Views and the in-place protocol every write goes through.

Views (basic indexing, shape ops, unbind/split) remember their flat
positions in their root tensor (`_ViewInfo`). An in-place op on a view
writes through into the root, whose node becomes CopySlices, and every
live view of a root written in place is refreshed from it
(AsStridedBackward0): PyTorch's view + in-place semantics as seen from
Python. `check_inplace` holds PyTorch's refusals; `commit` makes a new value
the content of a tensor; `overwrite` records it as a SCATTER (kept
positions send their adjoint to the old value, written ones to the new).
"""
import math
import weakref

import numpy as np

from ..core import kernels as K
from ..core import layouts as LY
from ..core import tape as T
from ..core import upper
from . import tracked as TR
from .tensor import LEAF_INPLACE_MSG, STATE, _array_out, _scalar_out, name_node
from .arith import _finish, _push_operand, _push_out, _rebind
from .mem_overlap import OVERLAP_MSG

VIEW_LEAF_MSG = "a view of a leaf Variable that requires grad is being used in an in-place operation."
_MULTI_TAIL = (" This view is the output of a function that returns multiple views. Such functions do not "
               "allow the output views to be modified inplace. You should replace the inplace operation by "
               "an out-of-place one.")
_CUSTOM_TAIL = (" This view was created inside a custom Function (or because an input was returned as-is) and "
                "the autograd logic to handle view+inplace would override the custom backward associated with "
                "the custom Function, leading to incorrect gradients. This behavior is forbidden. You can fix "
                "this by cloning the output of the custom Function.")
_NOGRAD_TAIL = (" Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your "
                "code by moving both the view and the inplace either both inside the no_grad block (if you "
                "don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).")

# ----- reading ------------------------------------------------------------------


class _Row:
    """f(a) = a[i], with a cheap index map (x[i] in loops)."""
    __slots__ = ("i",)

    def __init__(self, i):
        self.i = i

    def __call__(self, a):
        return a[self.i]

    def index_map(self, shape):
        n = math.prod(shape[1:])
        return np.arange(self.i * n, (self.i + 1) * n)


class _Basic:
    __slots__ = ("key",)

    def __init__(self, key):
        self.key = key

    def __call__(self, a):
        r = a[self.key]
        if None in self.key and r.__class__ is np.ndarray and r.size > 1:
            r = LY.none_strides(r, a, self.key)
        return r

    def index_map(self, shape):
        key = self.key
        if len(shape) == 1 and len(key) == 1 and key[0].__class__ is slice:
            return np.arange(*key[0].indices(shape[0]))      # (x[a:b] of a vector: the positions it reads)
        return np.asarray(self(np.arange(math.prod(shape)).reshape(shape))).reshape(-1)


def _identity(a):
    return a


def _shape(t):
    return () if t._v is not None else t._arr.shape   # cheaper than t.shape (a Size)


def _result(val, dtype):
    return _scalar_out(val.item(), dtype) if val.ndim == 0 else _array_out(val, dtype)


def _index_map(x, f):
    """Flat positions in x of the elements of f(x)."""
    if hasattr(f, "index_map"):
        return f.index_map(() if x._v is not None else x._arr.shape)     # (a plain tuple: no Size)
    return np.asarray(f(np.arange(x.numel()).reshape(x.shape))).reshape(-1)


# views whose torch backward permutes the gradient: a ZeroTensor stays one (K.GATHER_KEEPS_ZERO)
_PERMUTES = frozenset(("PermuteBackward0", "TransposeBackward0", "TransposeBackward1", "TBackward0",
                       "NumpyTBackward0"))


def _record_gather(x, out, idx, name, summed=False):
    """Record out.flat[i] = x.flat[idx[i]]. `summed`: torch's backward sums
    into zeros (advanced indexing, unfold): K.GATHER_SUM."""
    tape = T.current()
    a = T.slot_of(tape, x)
    slot = _push_out(tape, out)
    if idx is None:   # the same elements in the same order
        T.record(tape, K.COPY, slot, out.numel(), a, -1, 0, -1)
    else:
        flag = K.GATHER_SUM if summed else K.GATHER_KEEPS_ZERO if name in _PERMUTES else -1
        T.record(tape, K.GATHER, slot, len(idx), a, flag, x.numel(), T.push_meta(tape, idx))
    if name != ("ViewBackward0" if idx is None else "IndexBackward0"):
        name_node(tape, slot, name)     # (the name a later node's next_functions shows)
    return _finish(out, tape, slot, name)


# ----- views --------------------------------------------------------------------

class _ViewInfo:
    """What a view knows: its root, how to find its positions in the root,
    and PyTorch's creation meta (multi-output, created in no_grad)."""
    __slots__ = ("root", "fn", "shape", "parent", "meta", "nr", "opname", "has_fn", "strides_of")

    def positions(self):
        """Flat positions of the view's elements in its root."""
        base = (np.arange(math.prod(self.shape)).reshape(self.shape) if self.parent is None
                else self.parent.positions().reshape(self.shape))
        return np.asarray(self.fn(base)).reshape(-1)


class _ElementView(_ViewInfo):
    """The view info of x[i] for a vector x, made cheaply (scalar loops):
    what every element view shares is class-level; `fn` is made on demand."""
    __slots__ = ("i",)
    parent = None
    opname = "Select"
    nr = 0

    @property
    def fn(self):
        return _Row(self.i)


class _ElementViewFn(_ElementView):
    """x[i] recorded in grad mode (the common case): two fields fewer to set."""
    __slots__ = ()
    has_fn = True
    meta = None


def view(x, f, name, same_order=False, copy=False, multi=None, summed=False):
    """f(x) (a NumPy view function: slicing, reshape, transpose) as a view of
    x. `same_order`: f keeps the flat order (records COPY, not GATHER);
    `copy`: the value must not share memory (expand); multi: output number
    of a function returning several views; `summed`: see _record_gather."""
    if x.__class__ is TR.Tracked and STATE.grad_enabled:
        # compile records: a view of a recorded mask (mask.unsqueeze(-1), .T,
        # expand) is a recorded copy/gather of its slot and a recorded mask
        # itself, not a read of its value (a guard: the tape was recorded
        # again whenever the mask changed).
        return TR.shaped(view, x, f, name, same_order, copy, multi, summed)
    val = f(x._data())
    # (an expand's copy: laid out as torch lays out the results of the expanded view)
    out = _result(LY.follow(np.array(val, order="C"), val) if copy else np.asarray(val), x.dtype)
    if x._rg and STATE.grad_enabled:
        _record_gather(x, out, None if same_order else _index_map(x, f), name, summed)
    register_view(out, x, f, name, multi)
    return out


def mark_custom_output(out, nr, fn_name, of=None, multi=False):
    """torch's IN_CUSTOM_FUNCTION creation meta: output `nr` of a custom
    Function that is a view (made in its forward), or `of`, an input the
    forward returned as-is (the output becomes a view of it): an in-place op
    on it is refused (_rebase_error). fn_name: the Function's name; multi:
    the Function has several differentiable outputs (torch's multi-output
    meta and message then)."""
    if of is not None:
        register_view(out, of, _same, "AliasBackward0")
    info = out._view
    if info is None:
        return
    if type(info) is not _ViewInfo:     # (x[i]'s element views share class-level fields)
        plain = _ViewInfo()
        for field in _ViewInfo.__slots__:
            setattr(plain, field, getattr(info, field))
        plain.fn = info.fn
        plain.parent = None
        info = out._view = plain
    info.meta, info.nr, info.opname = "multi" if multi else "custom", nr, fn_name
    info.has_fn = True


def _same(a):
    return a


def register_view(out, x, f, name, multi=None):
    """Make `out` (the value f(x)) a view of x."""
    parent = x._view
    info = _ViewInfo()
    info.root = root = x if parent is None else parent.root
    info.fn = f
    info.shape = () if x._v is not None else x._arr.shape       # (_shape, written out)
    info.strides_of = None      # (torch's strides from the base's: torch_strides.with_rule)
    info.parent = parent
    opname = _OPNAMES.get(name)
    if opname is None:
        opname = _OPNAMES[name] = name[:-len("Backward0")] if name.endswith("Backward0") else name
    info.opname = opname
    grad = STATE.ctx.grad_enabled
    info.has_fn = x._rg and grad
    # torch's creation meta: a view made under no_grad is NO_GRAD_MODE, also
    # as an output of a multi-output op (unbind, split)
    if not grad:
        info.meta, info.nr = "nograd", multi or 0
    elif multi is not None:
        info.meta, info.nr = "multi", multi
    elif parent is not None and parent.meta == "multi":
        info.meta, info.nr = "multi", 0
    else:
        info.meta, info.nr = None, 0
    out._view = info
    if out._inf is not x._inf:
        out._inf = x._inf       # a view is an inference tensor as its base is (torch)
    views = root._views
    if views is None:
        views = root._views = []
    n = len(views)
    if n >= 64 and n & (n - 1) == 0:        # (_append_pruned, written out)
        views[:] = [r for r in views if r() is not None]
    views.append(_ref(out))
    if out._rg:
        _remember_slot(root, out)
    elif not STATE.grad_enabled and root._rg:
        # PyTorch: a view made under no_grad requires grad when its base
        # does, with no grad_fn; gradients reaching it are dropped.
        out._rg = True
        out._nograd_view = True


_OPNAMES: dict = {}     # backward name -> the view's op name (SliceBackward0 -> Slice)


def _append_pruned(entries, entry, alive):
    """Append to a list of weak entries, dropping dead ones now and then."""
    if len(entries) >= 64 and len(entries) & (len(entries) - 1) == 0:
        entries[:] = [e for e in entries if alive(e)]
    entries.append(entry)


class _Saved:
    """What PyTorch's "modified by an inplace operation" error says about a
    view's value on a tape (the view itself may be gone)."""
    __slots__ = ("dtype", "shape", "_name", "_version")

    def __init__(self, t):
        self.dtype, self.shape, self._name = t.dtype, _shape(t), t._name

    def __call__(self):
        return self


def _remember_slot(root, v):
    """Remember where view v's value sits on its tape: writing into root
    makes it stale (views share their root's version counter)."""
    _append_pruned(root.__dict__.setdefault("_view_slots", []),
                   (_ref(v._tape), v._slot, v.numel(), _Saved(v), root._version), _tape_alive)


def _tape_alive(entry):
    return entry[0]() is not None


def _mark_view_slots(root):
    """After a write into root: every recorded view value of the old root is stale."""
    for tref, slots, n, saved, version in root.__dict__.pop("_view_slots", ()):
        tape = tref()
        if tape is None:
            continue
        # a view of a root written in place reads as AsStrided in PyTorch
        saved._version, saved._name = root._version, "AsStridedBackward0"
        for slot in (slots if slots.__class__ is list else (slots,)):    # (x[i] reads: a block of 0-d slots)
            if slot not in tape.stale:
                tape.stale[slot] = (n, (saved, version))


# ----- in-place protocol ----------------------------------------------------------

def check_inplace(t, grad, sub=None):
    """PyTorch's refusals of an in-place op on t (check_inplace and
    handle_view_on_rebase). grad: some operand requires grad. `sub`: the op
    writes a sub-view of t made by the op named `sub` (x[i] = v)."""
    info = t._view
    if info is not None and info.meta == "nograd" and info.root._rg:
        grad = True    # PyTorch refuses it even though the view doesn't require grad
    if not (grad and STATE.grad_enabled):
        return
    if info is not None or sub is not None:
        if info is not None and info.meta is not None:
            _rebase_error(info, sub)
        root = t if info is None else info.root
        if root._rg and root._name is None and "_tangent" not in root.__dict__:
            raise RuntimeError(VIEW_LEAF_MSG)
    elif t._rg and t._name is None and "_tangent" not in t.__dict__:     # (a forward-AD dual: torch's is no leaf)
        raise RuntimeError(LEAF_INPLACE_MSG)


def _rebase_error(info, sub):
    nr, opname = (0, sub[:-len("Backward0")]) if sub else (info.nr, info.opname)
    if info.meta == "custom":       # (an output of a custom Function: mark_custom_output)
        raise RuntimeError(f"Output {info.nr} of {info.opname} is a view and is being modified inplace." + _CUSTOM_TAIL)
    if info.meta == "nograd" or not info.has_fn:
        msg = "A view was created in no_grad mode and is being modified inplace with grad mode enabled."
    else:
        msg = f"Output {nr} of {opname} is a view and is being modified inplace."
    raise RuntimeError(msg + (_MULTI_TAIL if info.meta == "multi" else _NOGRAD_TAIL))


def commit(t, new, name, overlap_ok=False, written=None):
    """Make `new` (t's shape and dtype) the content of t, in place; writes
    through a view into its root, then refreshes the root's views.
    `overlap_ok`: one value everywhere (fill_ / zero_ of a number), which
    torch writes into an expanded view too (no internal-overlap check).
    `written`: the flat positions in t an x[key] = v writes (basic indexing):
    only that sub-view must not overlap itself, and only it is written."""
    info = t._view
    if info is None:
        root = _rebind(t, new, name)
    else:
        pos = info.positions()
        if not overlap_ok and len(pos) > 1 and np.unique(pos).size != len(pos):
            if written is None:
                raise RuntimeError(OVERLAP_MSG)
            # (an expanded view: its other elements share the written ones' storage)
            pos = pos[written]
            if np.unique(pos).size != len(pos):
                raise RuntimeError(OVERLAP_MSG)
            new = new.reshape(-1)[written]
        root = info.root
        _rebind(root, overwrite(root, pos, new, "CopySlices"), "CopySlices")
    tangent = root.__dict__.pop("_tangent", None)     # (a forward-AD dual written in place: swept anew)
    if tangent is not None and upper.dual_written is not None:
        upper.dual_written(root, tangent)
    if root.__dict__.get("_view_slots"):
        _mark_view_slots(root)
    if root._views:
        _refresh(root, new._rg)
    return t


def _refresh(root, recorded):
    """Give every live view of root its new value (and, after a recorded
    write, a node reading from root's new node)."""
    rv = root._data()
    flat = rv.reshape(-1)
    regrow = recorded and root._rg and STATE.grad_enabled
    regen = not recorded and root._rg and not STATE.grad_enabled     # (torch: a tracked view's node is AsStrided)
    live = [(r, r()) for r in root._views]
    root._views = [r for r, v in live if v is not None]
    for v in (v for _, v in live if v is not None):
        T.mark_overwritten(v)    # views share their root's version counter
        pos = v._view.positions()
        if v._v is not None:
            v._v = flat[pos].item() if len(pos) else v._v
        elif root._v is not None or not np.may_share_memory(v._arr, rv):
            v._arr[...] = flat[pos].reshape(v._arr.shape)
        v._version = root._version
        if not (regrow or regen and v._rg and v._name is not None):
            T.rehome(v)
        else:
            node = _record_gather(root, _result(flat[pos].reshape(v.shape), v.dtype), pos,
                                  "AsStridedBackward0")
            v._rg, v._tape, v._slot, v._name, v._gfn = True, node._tape, node._slot, node._name, None
            _remember_slot(root, v)


def overwrite(x, pos, v, name):
    """A new tensor: x with x.flat[pos] = v.flat (v: a tensor of len(pos)
    elements and x's dtype), recorded as SCATTER when grad is on."""
    val = np.array(x._data(), order="C")    # so that reshape(-1) is a view
    flat = val.reshape(-1)
    vflat = v._data().reshape(-1)
    flat[pos] = vflat
    out = _result(val, x.dtype)
    if not (STATE.grad_enabled and (x._rg or v._rg) and x.dtype.is_floating_point):
        return out
    tape = T.current()
    a = _push_operand(tape, x)
    pos, b = _unique_writes(tape, pos, v, vflat)
    keep = np.ones(flat.size, bool)
    keep[pos] = False
    off = T.push_meta(tape, np.concatenate((pos, np.nonzero(keep)[0])))
    slot = _push_out(tape, out)
    T.record(tape, K.SCATTER, slot, flat.size, a, b, len(pos), off)
    return _finish(out, tape, slot, name)


def _unique_writes(tape, pos, v, vflat):
    """(positions, slot of their values) without duplicate positions. With
    duplicates the last write wins (NumPy, and PyTorch on CPU) but every
    written element gets its position's gradient, as IndexPutBackward0
    gives: a SUM_IDX record holding the winning values does both."""
    pos = np.asarray(pos, np.int64)
    uniq, first_rev = np.unique(pos[::-1], return_index=True)
    if uniq.size == pos.size:
        return pos, _push_operand(tape, v)
    last = pos.size - 1 - first_rev
    if not v._rg:
        return uniq, T.push_array(tape, vflat[last])
    group = np.searchsorted(uniq, pos)
    scale = len(tape.vals)
    tape.vals.append(1.0)
    slot = T.push_array(tape, vflat[last])
    off = T.push_meta(tape, np.concatenate(([scale], group)))
    T.record(tape, K.SUM_IDX, slot, uniq.size, T.slot_of(tape, v), -1, pos.size, off)
    return uniq, slot


_ref = weakref.ref
