"""jitgrad.autograd.forward_ad: dual tensors, torch's forward-mode API.

    with forward_ad.dual_level():
        x = forward_ad.make_dual(primal, tangent)
        y = f(x)
        jvp = forward_ad.unpack_dual(y).tangent

A dual tensor is recorded like a tensor that requires grad: `make_dual`
returns a fresh leaf for the primal, and the ops of `f` go on the tape as
usual (bulk off, so every value is on the tape). `unpack_dual` then pushes
the tangents of the level's duals forward through the tapes recorded since
the level began (`functional.forward_tangents`, the tangent sweep `jvp`
uses), so no op needs derivative code of its own.

A primal that requires grad gets a dual made by an identity Function
(`_MakeDual`) whose `jvp` hands out the tangent, so reverse mode still
reaches the primal and the tangent sweep picks the tangent up there.

A tensor that also depends on tensors requiring grad (a module's
parameters, a dual of a primal that requires grad) has torch's
differentiable tangent: the double-vjp d/du <J^T u, t> recorded with
create_graph on tapes of its own (a serial range in the level's `cuts`,
whose slots carry no tangent: torch's tangent is not a dual), its
requires_grad as torch's forward formulas decide (the "tgrad" mask: mul
uses its operands' primals, add and views do not), its node named after
the formula's last op (`tangent_node`); its primal is an alias whose node
is Identity. Custom Functions on the way keep the tangent sweep (their jvp).

Inside a level, a tensor computed only from duals is recorded like one that
requires grad, but shows what torch shows: ``requires_grad`` False, no
``grad_fn``, a leaf, ``numpy()`` allowed, ``tangent=`` in its repr. While a
level is open those Tensor attributes are replaced by versions that ask
whether the tensor depends on a tensor that really requires grad (a walk of
the level's records, cached per tape); closing the level restores them.

Known differences: ops under ``no_grad`` are not recorded, so inside
``no_grad`` a result of a dual has no tangent (torch's forward AD ignores
``no_grad``). A tensor computed in the level from duals alone becomes a
plain tensor when the level closes (`_unshow_level`, over the young gc
generations: one that a long level saw promoted further keeps its graph).
"""
import contextlib
import gc
from collections import namedtuple

import numpy as np

from ..autodiff import bulk
from ..core import kernels as K
from ..core import tape as T
from ..core import upper
from ..core.grad_mode import enable_grad, no_grad
from ..tensors.printing import format_tensor
from ..tensors.tensor import Tensor, name_node
from .api import grad as _grad
from . import function as _function
from .function import Function, _FunctionRecord
from .functional import _tapes_since, forward_tangents
from .graph import _operands, _records

UnpackedDualTensor = namedtuple("UnpackedDualTensor", ["primal", "tangent"])


class _Level:
    def __init__(self, index, start):
        self.index = index
        self.bulk = contextlib.ExitStack()
        self.start = start        # tapes with a serial from here were recorded in the level
        self.duals = {}           # id(dual) -> (dual, tangent): leaves made for primals
        self.carriers = 0         # duals of primals that require grad (_MakeDual records)
        self.carried = {}         # id(dual) -> (dual, tangent) of those
        self.cuts = []            # (s0, s1): tapes with a serial between hold computed tangents
        self.tapes = []           # weakrefs of the tapes opened in the level (tape.WATCH)
        self.masks = {}           # tape -> (records seen, slots that depend on a tensor requiring grad)


_LEVELS = []


def enter_dual_level():
    """Open a new forward-AD level (torch allows one at a time)."""
    if _LEVELS:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    T.STATE.tape = T.dead          # the level's records start on a fresh tape
    level = _Level(len(_LEVELS), next(T._serials))
    level.bulk.enter_context(bulk.disabled())
    T.WATCH.append(level.tapes)
    _LEVELS.append(level)
    _show_duals(True)
    return level.index


def exit_dual_level(*, level=None):
    current = len(_LEVELS) - 1      # (torch's _current_level: -1 with no level open)
    if level is not None and level != current:
        raise RuntimeError("Trying to exit a forward AD level that was not the last one that was created. This is "
                           "not supported.")
    if not _LEVELS:
        raise RuntimeError("Dual level must be a positive number.")
    lv = _LEVELS[-1]
    if T.WATCH and T.WATCH[-1] is lv.tapes:
        T.WATCH.pop()
    if lv.duals:
        _unshow_level(lv)
    _LEVELS.pop()
    lv.bulk.close()
    _show_duals(False)
    for dual, _ in lv.duals.values():
        dual.__dict__.pop("_tangent", None)
        dual._rg = False        # a plain tensor again, as torch's primal
    lv.duals.clear()


def _unshow_level(lv):
    """torch's tensors computed in a level from its duals alone are plain
    tensors once it closes: those still alive (found through their tapes)
    lose the graph they were recorded with."""
    tapes = {t for t in (r() for r in lv.tapes) if t is not None and not _cut(t, lv)}
    if not tapes:
        return
    masks = {}
    # (the young generations only: a full scan costs ~10 ms per level, and a
    # tensor of the level that a collection promoted further keeps its graph)
    for obj in gc.get_objects(0) + gc.get_objects(1):
        if obj.__class__ is not Tensor or not obj._rg or obj._name is None or obj._tape not in tapes:
            continue
        tape = obj._tape
        m = masks.get(tape)
        if m is None:
            m = masks[tape] = _mask(tape, lv, "dual") & ~_mask(tape, lv, "real")
        n = 1 if obj._bulk else max(obj.numel(), 1)
        if m[obj._slot:obj._slot + n].all():
            obj._rg, obj._name, obj._tape, obj._slot = False, None, None, -1
            obj.__dict__.pop("_gfn", None)


class dual_level:
    """Context manager of one forward-AD level."""

    def __enter__(self):
        return enter_dual_level()

    def __exit__(self, *exc):
        exit_dual_level()
        return False


def make_dual(tensor, tangent, *, level=None):
    """A tensor with `tensor`'s value carrying `tangent` at the current level."""
    if not _LEVELS:
        raise RuntimeError("Trying to create a dual Tensor for forward AD but no level exists, make sure to "
                           "enter_dual_level() first.")
    for what, t in (("primal", tensor), ("tangent", tangent)):
        if not t.dtype.is_floating_point:
            raise ValueError(f"Expected {what} to be floating point or complex, but got: {t.dtype}")
    if tuple(tensor.shape) != tuple(tangent.shape):
        raise RuntimeError("Trying to set a forward gradient that has a different size than that of the original "
                           f"Tensor, this is not supported. Tensor is of size {list(tensor.shape)} while the given "
                           f"forward gradient is of size {list(tangent.shape)}.")
    lv = _LEVELS[-1]
    if tensor.requires_grad:
        # Reverse mode must still reach `tensor`: the dual is the output of
        # an identity Function whose jvp hands out the tangent.
        dual = _MakeDual.apply(tensor, tangent)
        dual._name = "ViewBackward0"        # (torch's dual is a view of the primal)
        name_node(dual._tape, dual._slot, dual._name)
        lv.carriers += 1
        lv.carried[id(dual)] = (dual, tangent)
    else:
        dual = tensor.detach().requires_grad_(True)
        # (the seed a copy: torch writes an in-place op's new tangent into `tangent` itself)
        lv.duals[id(dual)] = (dual, tangent if tangent._rg else tangent.detach().clone())
    dual._tangent = tangent
    dual._alias_of = tensor if tensor._view is None else tensor._view.root     # (torch's dual: a view of the primal)
    return dual


class _MakeDual(Function):
    """make_dual of a tensor that requires grad: identity backward, and a
    jvp that is the given tangent."""

    @staticmethod
    def forward(ctx, x, tangent):
        ctx.tangent = tangent
        return x.view_as(x)

    @staticmethod
    def backward(ctx, g):
        return g, None

    @staticmethod
    def jvp(ctx, tx, ttangent):
        return ctx.tangent


def unpack_dual(tensor, *, level=None):
    """(primal, tangent): the tangent is None for a tensor that depends on no dual."""
    if not _LEVELS or not isinstance(tensor, Tensor) or not tensor._rg:
        return UnpackedDualTensor(tensor, None)
    lv = _LEVELS[-1]
    real = _real(tensor)
    primal = _identity(tensor) if real else tensor.detach()
    base = tensor._base
    if base is not None and primal._view is None:
        primal._alias_of = base         # (torch's primal: a view of the dual's base)
    own = tensor.__dict__.get("_tangent")
    if own is not None:
        return UnpackedDualTensor(primal, own)
    if tensor._name is None or not (lv.duals or lv.carriers) or not _depends_on(tensor, lv):
        return UnpackedDualTensor(primal, None)
    # torch's tangent is one tensor: unpack_dual(y).tangent is unpack_dual(y).tangent
    # (kept for this level and this version of the tensor)
    cached = tensor.__dict__.get("_unpacked_tangent")
    if cached is not None and cached[0] is lv and cached[1] == tensor._version:
        return UnpackedDualTensor(primal, cached[2])
    if (real or any(t._rg for _, t in lv.duals.values())) and not _has_functions(tensor, lv):
        tangent = _graph_tangent(tensor, lv)
    else:
        duals = [d for d, _ in lv.duals.values()] or [Tensor._wrap(np.zeros(1))]   # (a seed fixes K = 1)
        seeds = [np.asarray(t._data(), np.float64).reshape(-1, 1) for _, t in lv.duals.values()] or [np.zeros((1, 1))]
        tan, = forward_tangents(duals, seeds, [tensor], lv.start, skip=lambda tp: _cut(tp, lv))
        tangent = Tensor._wrap(tan[:, 0].reshape(tuple(tensor.shape)).astype(tensor.dtype.np), tensor.dtype)
    tensor.__dict__["_unpacked_tangent"] = (lv, tensor._version, tangent)
    return UnpackedDualTensor(primal, tangent)


def _identity(t):
    """torch's primal of a tensor that requires grad: an alias whose node is
    "Identity" (on a tape of its own: a primal carries no tangent)."""
    with _untangent(_LEVELS[-1]):
        p = t.view_as(t)
    p._name = "Identity"
    name_node(p._tape, p._slot, "Identity")
    return p


@contextlib.contextmanager
def _untangent(lv):
    """Records made inside go to tapes whose slots carry no tangent (lv.cuts)."""
    s0 = next(T._serials)
    T.STATE.tape = T.dead
    try:
        yield
    finally:
        T.STATE.tape = T.dead
        lv.cuts.append((s0, next(T._serials)))


def _graph_tangent(tensor, lv):
    """The tangent of a tensor that depends on tensors requiring grad (or on
    tangents that do) as torch's: a tensor with a graph back to them, by the
    double-vjp d/du <J^T u, t>. Its records go to tapes of their own (a
    serial range in lv.cuts) that carry no tangent: torch's tangent is not a
    dual of the level."""
    pairs = list(lv.duals.values()) + list(lv.carried.values())
    j = None
    with _untangent(lv), enable_grad():
        u = Tensor._wrap(np.zeros(tuple(tensor.shape), tensor.dtype.np), tensor.dtype).requires_grad_(True)
        gs = _grad([tensor], [d for d, _ in pairs], [u], create_graph=True, retain_graph=True, allow_unused=True)
        live = [(g, t) for g, (_, t) in zip(gs, pairs) if g is not None and g._rg]
        if live:
            j, = _grad([g for g, _ in live], [u], [t for _, t in live], create_graph=True, retain_graph=True,
                       allow_unused=True)
        if j is None:
            j = Tensor._wrap(np.zeros(tuple(tensor.shape), tensor.dtype.np), tensor.dtype)
        # Whether torch's tangent requires grad follows its forward formulas,
        # not the math: mul's uses its operands' primals even when they only
        # scale the tangent (c * 2 of a dual c requiring grad: a tangent
        # with a graph, zero gradients)
        if not _slots_hit(tensor, _mask(tensor._tape, lv, "tgrad")):
            j = j.detach()
        elif not j._rg:
            j = j + tensor * 0
    if j._rg and j._name is not None and tensor._name is not None:
        # the node torch's forward formula for tensor's op ends in
        # (a tensor modified in place: torch copies the new tangent into its tangent)
        j._name = "CopyBackwards" if tensor._version > 0 else tangent_node(tensor._name)
        name_node(j._tape, j._slot, j._name)
    return j


def tangent_node(name: str) -> str:
    """The node of torch's tangent of a result whose node is `name`."""
    return _TANGENT_NODE.get(name, name)


# the node of torch's tangent by the node of its primal (unlisted: the same)
_TANGENT_NODE = {
    "MulBackward0": "AddBackward0", "MvBackward0": "AddBackward0", "MmBackward0": "AddBackward0",
    "AddmmBackward0": "AddBackward0", "DotBackward0": "AddBackward0", "BmmBackward0": "AddBackward0",
    "AddmvBackward0": "AddBackward0",
    "SinBackward0": "MulBackward0", "CosBackward0": "MulBackward0", "ExpBackward0": "MulBackward0",
    "PowBackward0": "MulBackward0", "PowBackward1": "MulBackward0", "SiluBackward0": "MulBackward0",
    "AbsBackward0": "MulBackward0", "SoftmaxBackward0": "MulBackward0",
    "LogBackward0": "DivBackward0", "SqrtBackward0": "DivBackward0",
    "TanhBackward0": "TanhBackwardBackward0", "SigmoidBackward0": "SigmoidBackwardBackward0",
    "ReluBackward0": "ThresholdBackwardBackward0", "GeluBackward0": "GeluBackwardBackward0",
    "SoftplusBackward0": "SoftplusBackwardBackward0", "EluBackward0": "EluBackwardBackward0",
    "LeakyReluBackward0": "LeakyReluBackwardBackward0", "LogSoftmaxBackward0": "SubBackward0",
    "ClampBackward1": "WhereBackward0", "MaxBackward1": "SumBackward0", "MinBackward1": "SumBackward0",
    "LinalgVectorNormBackward0": "MaskedFillBackward0", "MseLossBackward0": "CopyBackwards",
}


def _slots_hit(t, mask):
    n = 1 if t._bulk else max(t.numel(), 1)
    return bool(mask[t._slot:t._slot + n].any())


def _has_functions(t, lv):
    """Whether custom Functions made t (their jvp gives its tangent: the
    tangent sweep's path, and their backward may be missing or differ)."""
    return any(isinstance(h, _FunctionRecord) and h.cls is not _MakeDual
               for tape in _tapes_since([t], lv.start) for h in tape.host.values())


def _cut(tape, lv):
    return any(s0 < tape.serial < s1 for s0, s1 in lv.cuts)


def has_tangent(t) -> bool:
    """Whether t carries a tangent at the open level (a dual, or computed from one)."""
    if not _LEVELS or not isinstance(t, Tensor) or not t._rg:
        return False
    lv = _LEVELS[-1]
    if "_tangent" in t.__dict__ or id(t) in lv.duals:
        return True
    return t._name is not None and bool(lv.duals or lv.carriers) and _depends_on(t, lv)


def _dual_written(dual, tangent) -> None:
    """dual (make_dual(p, tangent)) was written in place: torch's new tangent
    goes into `tangent` itself, which stays dual's tangent."""
    if not _LEVELS or tangent._rg:
        return
    new = unpack_dual(dual).tangent
    if new is None or tuple(new.shape) != tuple(tangent.shape):
        return
    with no_grad():
        tangent.copy_(new)
    dual.__dict__["_tangent"] = tangent


upper.has_tangent = has_tangent
upper.dual_written = _dual_written


def _depends_on(t, lv):
    """Whether t was computed in the level from one of its duals."""
    tape = t._tape
    if tape is None or tape.serial < lv.start:
        return False
    n = 1 if t._bulk else max(t.numel(), 1)
    return bool(_mask(tape, lv, "dual")[t._slot:t._slot + n].any())


# ----- how tensors of a level look (torch's view of dual tensors) ---------------------

def _real(t):
    """Whether t requires grad for torch: it depends on a tensor that
    requires grad that is not a dual of the open level."""
    if not t._rg:
        return False
    lv = _LEVELS[-1]
    if id(t) in lv.duals:
        return False
    if t._name is None or t._tape is None or t._tape.serial < lv.start:
        return True
    mask = _real_mask(t._tape, lv)
    n = 1 if t._bulk else max(t.numel(), 1)
    return bool(mask[t._slot:t._slot + n].any())


def _real_mask(tape, lv):
    return _mask(tape, lv, "real")


# ops whose forward formula uses no primal (torch's tangent of their result
# requires grad only when an operand's tangent does)
_STRUCTURAL = frozenset((K.ADD, K.SUB, K.NEG, K.COPY, K.SUM, K.SUM_IDX, K.GATHER, K.SCATTER, K.CUMSUM,
                         K.TO_FLOAT32, K.TO_FLOAT64))


def _mask(tape, lv, kind):
    """Per slot of tape, whether its value depends on (kind "real") a tensor
    that requires grad and is not a dual, or (kind "dual") a dual, or (kind
    "tgrad") whether torch's tangent of it requires grad."""
    if kind == "dual" and lv.cuts and _cut(tape, lv):
        return np.zeros(len(tape.vals), bool)
    rec = _records(tape)
    key = (tape, kind)
    cached = lv.masks.get(key)
    if cached is not None and cached[0] == len(rec) and len(cached[1]) == len(tape.vals):
        return cached[1]
    dual = kind == "dual"
    if kind == "tgrad":
        duals, real = _mask(tape, lv, "dual"), _mask(tape, lv, "real")
    hit = np.zeros(len(tape.vals), bool)
    for leaf, older, older_slot, slot, n in tape.inputs:
        size = max(n, 1)
        if leaf is not None:
            x = leaf()
            if kind == "tgrad":
                hit[slot:slot + size] = x is not None and id(x) in lv.duals and lv.duals[id(x)][1]._rg
            else:
                hit[slot:slot + size] = x is not None and ((id(x) in lv.duals) if dual else
                                                           (x._rg and id(x) not in lv.duals))
        elif older.serial < lv.start:
            hit[slot:slot + size] = kind == "real"
        else:
            hit[slot:slot + size] = _mask(older, lv, kind)[older_slot:older_slot + size]
    for r in range(len(rec)):
        row = rec[r]
        host = tape.host.get(r)
        op, out, n_out = int(row[0]), int(row[1]), max(int(row[2]), 1)
        if isinstance(host, _FunctionRecord):
            if host.cls is _MakeDual and kind != "real":
                hit[out:out + n_out] = dual or host.node.tangent._rg
                continue
            reads = [(slot, int(np.prod(shape)) if shape else 1) for _, slot, shape, _ in host.ins]
        elif op == K.HOST and hasattr(host, "reads"):     # (a record of more operands: lerp's)
            reads = host.reads()
        elif op == K.HOST:
            reads = [(host.a, int(np.prod(host.ashape))), (host.b, int(np.prod(host.bshape)))]
        else:
            reads = _operands(row)
        reads = [(s, max(n, 1)) for s, n in reads if s >= 0]
        if any(hit[s:s + n].any() for s, n in reads):
            hit[out:out + n_out] = True
        elif kind == "tgrad" and op not in _STRUCTURAL and any(duals[s:s + n].any() for s, n in reads) and (
                real[out:out + n_out].any() or any(real[s:s + n].any() for s, n in reads)):
            hit[out:out + n_out] = True
    lv.masks[key] = (len(rec), hit)
    return hit


def _tangent_of(t):
    own = t.__dict__.get("_tangent")
    if own is not None:
        return own
    return unpack_dual(t).tangent if t._rg else None


_SHOWN = ("requires_grad", "is_leaf", "grad_fn", "__repr__", "__str__")
_SAVED_ATTRS = {}


def _show_duals(on):
    """Replace (on) or restore the Tensor attributes that show a dual."""
    if not on:
        for name, value in _SAVED_ATTRS.items():
            setattr(Tensor, name, value)
        _SAVED_ATTRS.clear()
        return
    for name in _SHOWN:
        _SAVED_ATTRS[name] = Tensor.__dict__[name]
    rg_prop, grad_fn_prop, repr_fn = _SAVED_ATTRS["requires_grad"], _SAVED_ATTRS["grad_fn"], _SAVED_ATTRS["__repr__"]

    def requires_grad(self):
        return rg_prop.fget(self) and _real(self)

    def is_leaf(self):
        return self._name is None or not _real(self)

    def grad_fn(self):
        return grad_fn_prop.fget(self) if self._name is not None and _real(self) else None

    def __repr__(self):
        tangent = _tangent_of(self) if self._rg else None
        real = _real(self) if self._rg else False
        if tangent is None and (real or not self._rg):
            return repr_fn(self)
        extra = []
        if real:
            extra.append(f"grad_fn=<{self._name}>" if self._name is not None else "requires_grad=True")
        if tangent is not None:
            extra.append("tangent=" + (repr(tangent.item()) if tangent.dim() == 0 else repr(tangent)))
        return format_tensor(self._data(), tuple(extra))

    Tensor.requires_grad = property(requires_grad, rg_prop.fset)
    Tensor.is_leaf = property(is_leaf)
    Tensor.grad_fn = property(grad_fn)
    Tensor.__repr__ = Tensor.__str__ = __repr__


_function.HAS_TANGENT = has_tangent     # (custom Functions without jvp check their arguments)
