"""Large tensors: kept by reference, differentiated with NumPy. This module
holds the bulk records of elementwise ops, sums and matmul; `bulk_store.py`
the values, handles, adjoints and the record base they share.

Copying every value into the tape's float64 column and sweeping it element by
element in Numba costs far more than the work itself once arrays are large
(a 1e6-element op: 8 MB copied, ~15 ns per element in the sweep, where NumPy's
float32 SIMD kernels take ~0.5 ns). So a recorded result with at least
`BULK_MIN` elements is a *bulk* tensor: it takes one *handle* slot on the tape
(`tape.bulk[slot]` keeps its array, in its own dtype, by reference), and the op
that made it is one `kernels.BULK` record whose object below differentiates it
with whole-array NumPy, in the tensors' dtype, as PyTorch does.

The Numba sweep stops at a BULK record (like matmul's host record) and the
engine calls its `backward(ctx)`. Adjoints of handles live in `ctx.badj`
(`handle -> array of shape (K, *shape)`); adjoints of ordinary slots stay in
the float64 `adj` columns, so bulk and scalar records mix freely in one graph.

* Operands: a bulk tensor of this tape is its handle; a leaf or a bulk tensor
  of an older tape with at least BULK_MIN elements enters as a handle input
  (no copy); anything else is an ordinary slot range, or a constant.
* Ops without a bulk form (indexing, reshapes, ...) read a bulk tensor
  through `materialize`: a copy into ordinary slots, whose record hands the
  copy's adjoint back to the handle. Correct everywhere, fast where it counts.
* Saved values are references, so in-place writes are caught by version
  (as PyTorch's version counter does): a record whose saved value changed
  raises PyTorch's "modified by an inplace operation" error.
* Derivatives are `ops.RULES` (the vector-Jacobian products
  create_graph uses) evaluated on plain arrays: no second derivative table.

`jitgrad.compile` and forward mode record without bulk (`disabled()`): they
need every value on the tape.
"""
import math

import numpy as np

from ..core import kernels as K
from ..core import ops as O
from ..core.grad_mode import check_anomaly
from ..core import tape as T
from ..tensors import arith as TA
from ..tensors import tensor as TT
from ..core.torch_sum import sum_dims
from .bulk_store import _OFF, BulkOp, Entry, Ref, operand, record_op, result_ref
# The machinery, re-exported: callers use `bulk.disabled()`, `bulk.Ctx`, ...
from .bulk_store import (  # noqa: F401
    Ctx, disabled, from_columns, materialize, set_threshold, to_columns)
from .matmul import MatmulBackward, matmul_grads, sum_to_tensor


def _tensor(arr, dtype=None):
    return TT.Tensor._wrap(arr, dtype)


def _array(t):
    return t._data() if hasattr(t, "_data") else np.asarray(t)


# ----- elementwise -----------------------------------------------------------

_READS_NOTHING = O.READS_NOTHING


class _Elementwise(BulkOp):
    """out = op(x, y, c): x, y are Refs (require grad) or constants."""
    __slots__ = ("code", "name", "out", "x", "y", "c", "m", "_saved", "kept", "held", "zero_source")

    def __init__(self, code, name, out, x, y, c, m):
        self.code, self.name, self.out, self.x, self.y, self.c, self.m = code, name, out, x, y, c, m
        self.kept = self.held = False
        self.zero_source = False    # sgn's: its backward is torch's ZeroTensor (kernels.REACH_ZERO)
        refs = (x, y, out)
        kept = tuple(isinstance(v, (Ref, Entry)) for v in refs)
        key = (code, m, y is not None, kept)
        which = _SAVED.get(key)
        if which is None:
            which = _SAVED[key] = _saved_positions(code, m, y is not None, kept)
        self._saved = [(refs[i], name if i == 2 else None) for i in which]

    @property
    def saves(self):
        return (K.saves_values(self.code) or self.held) and not self.kept

    def hold(self):
        """The last record of a composite whose torch node saves a tensor
        (saved_nodes.SAVES_INDEX_NAMES): a backward after a freeing one raises."""
        self.held = True

    def keep(self):
        """A tensor times / over a constant that torch's node holds as a number
        (saved_nodes.note_saves_nothing): no freed graph, no in-place check of it."""
        if self.code in (K.MUL, K.DIV, K.FMOD, K.REMAINDER) and isinstance(self.x, Ref) != isinstance(self.y, Ref):
            self.kept = True
            self._saved = [(v, by) for v, by in self._saved if isinstance(v, Ref)]

    def saved(self):
        return self._saved

    def reads(self):
        if self.code in _READS_NOTHING:
            return ()
        return [v for v in (self.x, self.y, self.out) if isinstance(v, (Ref, Entry))]

    def backward(self, ctx, r):
        g = ctx.grad(self.out)
        if g is None:
            return
        free = ctx.check(self, r)
        if (self.zero_source or _zero_adjoint(ctx, self.out)) and self._zero_tensor(ctx):
            if free:
                self.release(ctx.tape)
            return
        G = _tensor(g)
        gx, gy = self._rule(G, lambda v: _tensor(ctx.value(v) if isinstance(v, Ref) else v.arr))
        check_anomaly(self.name, _array(gx) if isinstance(self.x, Ref) else None,
                      _array(gy) if isinstance(self.y, Ref) and gy is not None else None)
        # A rule's result is a new array unless it is g itself (add, copy).
        if isinstance(self.x, Ref):
            ctx.add(self.x, _array(gx), gx is not G)
        if isinstance(self.y, Ref) and gy is not None:
            ctx.add(self.y, _array(gy), gy is not G)
        if free:
            self.release(ctx.tape)

    def _zero_tensor(self, ctx) -> bool:
        """torch's ZeroTensor gradient at the result (sgn's backward makes
        one): passed on to the operands whose torch backward keeps it (the op
        table's keeps_zero, as `sweep._zero_tensor_record`); False when every
        operand computes from zeros (the general backward then runs)."""
        keep = 1 if self.zero_source else int(O.KEEPS_ZERO[self.code])
        if self.code == K.POW and self.m & K.POW_NUMBER:
            keep |= 1
        x_ref, y_ref = isinstance(self.x, Ref), isinstance(self.y, Ref)
        zero_x = self.code == K.POW and not keep & 1     # (pow by a tensor: where(e == 0, 0, g * ...): zeros)
        if not (keep & 1 and x_ref or keep & 2 and y_ref or zero_x and x_ref):
            return False
        G = _tensor(np.zeros_like(ctx.grad(self.out)))
        gx = gy = None
        if (x_ref and not keep & 1 and not zero_x) or (y_ref and not keep & 2):
            gx, gy = self._rule(G, lambda v: _tensor(ctx.value(v) if isinstance(v, Ref) else v.arr))
        if x_ref:
            if keep & 1:
                ctx.add_zero(self.x)
            elif zero_x:
                ctx.add(self.x, np.zeros_like(_array(G)), True)
            elif gx is not None:
                ctx.add(self.x, _array(gx), gx is not G)
        if y_ref:
            if keep & 2:
                ctx.add_zero(self.y)
            elif gy is not None:
                ctx.add(self.y, _array(gy), gy is not G)
        return True

    def _rule(self, g, value):
        """RULES[code] on g; `value(v)` gives the Tensor of an operand kept
        as a Ref or an Entry."""
        rule = O.RULES[self.code]
        # Binary rules skip the gradient of a constant operand.
        extra = () if self.y is None else ((isinstance(self.x, Ref), isinstance(self.y, Ref)),)
        if self.code in _READS_NOTHING:
            return rule(g, None, None, None, self.c, *extra)
        x = self._operand(self.x, value)
        if self.code == K.POW and self.m & K.POW_NUMBER:
            y = float(self.y)           # x ** c by a Python number: torch's pow(Tensor, Scalar) backward
        else:
            y = None if self.y is None else self._operand(self.y, value)
        return rule(g, x, y, value(self.out), self.c, *extra)

    def _operand(self, v, value):
        if isinstance(v, (Ref, Entry)):
            return value(v)
        return _tensor(np.asarray(v, self.out.dtype))

    def vjp(self, g, proxy):
        G = g.reshape(self.out.shape)
        gx, gy = self._rule(G, lambda v: proxy(v.slot, v.n).reshape(v.shape) if isinstance(v, Ref)
                            else _tensor(v.arr))
        res = []
        for ref, gr in ((self.x, gx), (self.y, gy)):
            if isinstance(ref, Ref) and gr is not None:
                gr = sum_to_tensor(gr, ref.shape) if tuple(gr.shape) != ref.shape else gr
                res.append((ref.slot, TT.keep_name(gr.reshape((-1,)), gr)))
        return res


_SAVED = {}


def _saved_positions(code, m, binary, kept):
    """Which of (x, y, out) PyTorch saves: kernels.modified_saved's table,
    asked about a three-slot stand-in."""
    which = []
    for i in range(3):
        if kept[i]:
            probe = np.zeros(3, np.uint8)
            probe[i] = 1
            if K.modified_saved(code, 2, 1, 0, 1 if binary else -1, m, probe):
                which.append(i)
    return tuple(which)


def record_elementwise(code, x, y, out, name, c=None, m=0):
    """Record out = code(x, y) (y None for unary ops) with bulk records."""
    Tensor = TT.Tensor
    tape = T.current()
    xr = operand(tape, x) if x.__class__ is Tensor and x._rg else _const(x, out)
    yr = None
    if y is not None:
        yr = operand(tape, y) if y.__class__ is Tensor and y._rg else _const(y, out)
    res = result_ref(tape, out)
    op = _Elementwise(code, name, res, xr, yr, 0.0 if c is None else float(c), m)
    return record_op(tape, res, op, name, out)


def _const(v, out):
    """A constant operand: a number, or a tensor's array kept by reference."""
    if v.__class__ is TT.Tensor:
        return v._v if v._v is not None else Entry(v._arr, v)
    return v


# ----- reductions, matmul, materialize ------------------------------------------

def _zero_adjoint(ctx, ref) -> bool:
    """Whether ref's adjoint is torch's ZeroTensor (kernels.REACH_ZERO)."""
    if ref.handle:
        return ref.slot in ctx.zero
    return ctx.reach[ref.slot] == K.REACH_ZERO


class _Sum(BulkOp):
    """out = scale * sum of x over some dims (`kshape`: out with kept dims);
    `count`: a mean's n (its gradient is divided by n, as torch's
    mean_backward), else 0."""
    __slots__ = ("x", "out", "kshape", "scale", "count")

    def __init__(self, x, out, kshape, scale, count=0):
        self.x, self.out, self.kshape, self.scale, self.count = x, out, kshape, scale, count

    def backward(self, ctx, r):
        g = ctx.grad(self.out)
        if g is None:
            return
        ctx.check(self, r)
        if not self.count and self.scale == 1.0 and _zero_adjoint(ctx, self.out):
            ctx.add_zero(self.x)        # (a sum keeps torch's ZeroTensor gradient: sgn's)
            return
        g = g.reshape((ctx.k,) + self.kshape)
        if self.count:
            g = g / np.asarray(self.count, g.dtype)
        elif self.scale != 1.0:
            g = g * np.asarray(self.scale, g.dtype)
        ctx.add(self.x, np.broadcast_to(g.astype(self.x.dtype, copy=False), (ctx.k,) + self.x.shape))

    def vjp(self, g, proxy):
        G = g.reshape(self.kshape)
        if self.scale != 1.0:
            G = G * self.scale
        return [(self.x.slot, G.expand(self.x.shape).reshape((-1,)))]


def record_sum(x, out, dims, scale, name):
    tape = T.current()
    xr = operand(tape, x)
    kshape = tuple(1 if i in dims else s for i, s in enumerate(x.shape))
    res = result_ref(tape, out)
    count = math.prod(x.shape[d] for d in dims) if name.startswith("Mean") and scale == scale else 0
    return record_op(tape, res, _Sum(xr, res, kshape, scale, count), name, out)


class _Var(BulkOp):
    """out = var(x over dims) with `dof` degrees of freedom: torch's
    var_backward, (2 / dof) * g * (x - x.mean(dims)), with no gradient
    through the mean (an infinite g gives infinities, not inf - inf = nan,
    as the composite's chain through the mean would); the create_graph form
    (vjp) differentiates the mean, as torch's double backward."""
    __slots__ = ("x", "out", "kshape", "dims", "dof")
    saves = True

    def __init__(self, x, out, kshape, dims, dof):
        self.x, self.out, self.kshape, self.dims, self.dof = x, out, kshape, dims, dof

    def saved(self):
        return [(self.x, None)]

    def reads(self):
        return [self.x]

    def backward(self, ctx, r):
        g = ctx.grad(self.out)
        if g is None:
            return
        free = ctx.check(self, r)
        x = np.asarray(ctx.value(self.x))
        if free:
            self.release(ctx.tape)
        dt = x.dtype
        g = g.reshape((ctx.k,) + self.kshape).astype(dt, copy=False)
        with np.errstate(all="ignore"):     # (inf - inf of an infinite input: nan, as torch, silently)
            centred = x - (sum_dims(x, self.dims, True) / dt.type(math.prod(x.shape[d] for d in self.dims)))
            gx = ((dt.type(2.0) / dt.type(self.dof)) * g) * centred    # (dof 0: inf, as torch's 2 / 0)
        check_anomaly("VarBackward0", gx)
        ctx.add(self.x, gx, True)

    def vjp(self, g, proxy):
        x = proxy(self.x.slot, self.x.n).reshape(self.x.shape)
        G = g.reshape(self.kshape)
        gx = ((2.0 / self.dof if self.dof else math.inf) * G) * (x - x.mean(self.dims, keepdim=True))
        return [(self.x.slot, gx.reshape((-1,)))]


def record_var(x, out, dims, dof):
    """Record out = var(x over dims) (its value computed) with torch's
    backward; None when bulk records are off (compile, forward mode: the
    caller records its composite)."""
    if T.STATE.bulk_min >= _OFF:
        return None
    tape = T.current()
    xr = operand(tape, x)
    kshape = tuple(1 if i in dims else s for i, s in enumerate(x.shape))
    res = result_ref(tape, out)
    return record_op(tape, res, _Var(xr, res, kshape, dims, dof), "VarBackward0", out)


class _Matmul(BulkOp):
    """out = a @ b; a, b are Refs or constants (Entry)."""
    __slots__ = ("a", "b", "out", "name")
    saves = True

    def saved(self):
        # a's gradient reads b and b's reads a: PyTorch saves only those.
        return [(v, None) for v in self.reads()]

    def reads(self):
        return ([self.a] if isinstance(self.b, Ref) else []) + ([self.b] if isinstance(self.a, Ref) else [])

    def __init__(self, a, b, out, name):
        self.a, self.b, self.out, self.name = a, b, out, name

    def _operand(self, ctx, v):
        return ctx.value(v) if isinstance(v, Ref) else v.arr

    @staticmethod
    def _shape(v):
        return v.shape

    def backward(self, ctx, r):
        G = ctx.grad(self.out)
        if G is None:
            return
        free = ctx.check(self, r)
        # (an operand whose gradient nobody wants may have been let go)
        A = self._operand(ctx, self.a) if isinstance(self.b, Ref) else None
        B = self._operand(ctx, self.b) if isinstance(self.a, Ref) else None
        dt = np.result_type(*(v.dtype for v in (A, B) if v is not None))
        if A is None:
            A = np.broadcast_to(np.zeros((), dt), self._shape(self.a))     # its shape is all that's used
        if B is None:
            B = np.broadcast_to(np.zeros((), dt), self._shape(self.b))
        ga, gb = matmul_grads(G.astype(dt, copy=False), A, B, isinstance(self.a, Ref), isinstance(self.b, Ref))
        check_anomaly(self.name, ga, gb)
        if free:
            self.release(ctx.tape)
        if ga is not None:
            ctx.add(self.a, ga.reshape((ctx.k,) + self.a.shape), True)
        if gb is not None:
            ctx.add(self.b, gb.reshape((ctx.k,) + self.b.shape), True)

    def vjp(self, g, proxy):
        mb = MatmulBackward()
        mb.a, mb.b = (v.slot if isinstance(v, Ref) else -1 for v in (self.a, self.b))
        mb.aval, mb.bval = (None if isinstance(v, Ref) else np.asarray(v.arr, np.float64) for v in (self.a, self.b))
        mb.ashape, mb.bshape = self._shape(self.a), self._shape(self.b)
        mb.arg, mb.brg = isinstance(self.a, Ref), isinstance(self.b, Ref)
        # The symbolic walk is in float64 (proxies of ordinary slots are);
        # a handle's proxy has its tensor's dtype, and matmul won't mix them.
        return mb.vjp(g.double(), lambda slot, n: proxy(slot, n).double())


def record_matmul(a, b, out, name):
    tape = T.current()
    refs = []
    for t in (a, b):
        if t._rg:
            refs.append(operand(tape, t))
        else:
            refs.append(Entry(t._data(), t))
    res = result_ref(tape, out)
    return record_op(tape, res, _Matmul(refs[0], refs[1], res, name), name, out)

# tensors.tensor records large results through this module (it cannot import
# a layer above it).
TA.bulk_recorder = record_elementwise


# ----- no derivative ------------------------------------------------------------

class _NoDerivative(BulkOp):
    """A result torch gives no derivative (its grad_fn is NotImplemented):
    the forward runs, a backward that reaches it raises torch's error."""
    __slots__ = ("out", "message", "exc")

    def __init__(self, out, message, exc=RuntimeError):
        self.out, self.message, self.exc = out, message, exc

    def backward(self, ctx, r):
        if ctx.grad(self.out) is not None:
            raise self.exc(self.message)

    def vjp(self, g, proxy):
        raise self.exc(self.message)


def record_no_derivative(out, message: str, name: str = "NotImplemented", exc: type = RuntimeError):
    """Make `out` (a value computed without a graph) the result of a node
    `name` whose backward raises exc(message) (it requires grad, as torch's does)."""
    tape = T.current()
    res = result_ref(tape, out)
    return record_op(tape, res, _NoDerivative(res, message, exc), name, out)
