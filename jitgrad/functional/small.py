"""Fast paths for a handful of 0-d tensors and small vectors, written the torch
way (`F.softmax(torch.stack(nodes), 0)`, `v.unbind(0)`): the same values,
records, views and backward names as the general paths in `shapes.py` and
`reductions.py`, without their per-element NumPy calls and index maps.

Each function returns None when its fast path does not apply; the caller
then takes the general path. `ENABLED = False` turns every fast path off
(the tests compare both paths).
"""
import functools
import struct
import weakref
from array import array as _array
from typing import Optional

import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from ..core import ops as O
from ..core import smallmath as SM
from ..core import torch_sum as _TS
from ..core import tape as T
from ..tensors import tensor as _TT
from ..tensors.tensor import STATE, Tensor, _guard_recording
from ..tensors.views import _append_pruned, _Row, _Saved, _ViewInfo

ENABLED = True
_F32, _F64 = D.float32, D.float64
MAX_SOFTMAX = 64        # the largest vector softmax / log_softmax takes the path below
_SUB, _DIV = O.BINARY["sub"], O.BINARY["div"]       # (op, name, scalar forward, NumPy forward)
_EXP, _LOG = O.UNARY["exp"], O.UNARY["log"]
_SUM = np.add.reduce        # what ndarray.sum calls: the same order of additions
_INF = float("inf")


def detached_max(x: Tensor, dims: tuple, keep_inf: bool = False) -> Optional[Tensor]:
    """max of x over dims (kept), 0 where not finite, as a constant: what
    `where(isfinite(m), m, 0.0)` of `amax(x.detach(), dims, keepdim=True)`
    gives, in two NumPy calls. None while jitgrad.compile records (there the
    shift is recorded, its positions guarded), and for a +inf max that
    `keep_inf` keeps (softmax)."""
    if not ENABLED or _guard_recording(x):
        return None
    best = np.max(x._data(), axis=dims, keepdims=True)
    if (best == 0).any() or keep_inf and (best == _INF).any():
        return None     # amax keeps the first of -0.0 and 0.0, as torch: the general path
    return Tensor._wrap(np.where(np.isfinite(best), best, best.dtype.type(0)))


def stack_scalars(ts, name: str) -> Optional[Tensor]:
    """stack(ts, 0) of 0-d float32/float64 tensors of one dtype (ts: a
    non-empty list or tuple of anything; None unless all are such tensors): the value
    from Python floats, a COPY record per input that requires grad (the
    records `shapes._join` makes)."""
    if not ENABLED or ts[0].__class__ is not Tensor:
        return None
    dt = ts[0].dtype
    if dt is not _F32 and dt is not _F64:
        return None
    vs = []                     # 0-d values: Python floats already rounded to dt
    add = vs.append
    rg = False
    for t in ts:                # (one loop, no generator: a handful of tensors)
        if t.__class__ is not Tensor:
            return None         # (the general path names what is wrong)
        v = t._v
        if v is None or t.dtype is not dt:
            return None
        add(v)
        if t._rg:
            rg = True
    out = _new(Tensor)
    out._v = None
    out._arr = np.array(vs, dt.np)
    out.dtype = dt
    st = STATE.ctx
    if not (rg and st.grad_enabled):
        out._rg = False
        out._tape = None
        out._slot = -1
        out._name = None
        if st.inference:
            out._inf = True     # (an inference tensor: tensors/tensor._init)
        return out
    tape = st.tape()
    if tape is None:
        tape = T.current()
    vals = tape.vals
    slot = len(vals)
    vals.extend(vs)             # what _push_out pushes: the same float64 values
    vals.append(1.0)            # _join's scale constant (kept: the same tape layout)
    rec = tape.rec
    i = slot
    for t in ts:
        if t._rg:
            a = t._slot if t._tape is tape and not t._bulk else T.slot_of(tape, t)
            rec.frombytes(_PACK(_COPY, i, 1, a, -1, 0, -1))
        i += 1
    if slot > T.FULL and st.tape() is tape:     # as _push_out
        st.tape = T.dead
    out._rg = True
    out._tape = tape
    out._slot = slot
    out._name = name
    return out


class _UnbindView(_ViewInfo):
    """The view info of output `nr` of unbind(root, 0) for a vector root:
    PyTorch's multi-output view (an in-place write to it raises torch's
    error). What every output shares is class-level; `fn` is made on demand."""
    __slots__ = ()
    parent = None
    meta = "multi"

    @property
    def fn(self):
        return _Row(self.nr)


class _UnbindViewNoGrad(_UnbindView):
    """unbind(root, 0) under no_grad: torch's no-grad-mode views."""
    __slots__ = ()
    meta = "nograd"


def unbind_vector(x: Tensor, name: str) -> Optional[tuple]:
    """unbind(x, 0) of a 1-D vector that is not itself a view: 0-d outputs
    from one `tolist`, one GATHER record (as `shapes._multi_view`), cheap
    view infos, and one remembered slot range for the whole block."""
    xa = x._arr
    if not ENABLED or xa is None or xa.ndim != 1 or x._view is not None or x._bulk:
        return None
    n = xa.size
    if n == 0:
        return None
    dt = x.dtype
    st = STATE.ctx
    has_fn = x._rg and st.grad_enabled
    values = xa.tolist()
    if has_fn:
        tape = st.tape()
        if tape is None:
            tape = T.current()
        a = x._slot if x._tape is tape else T.slot_of(tape, x)     # (not bulk: checked above)
        vals = tape.vals
        slot = len(vals)
        vals.extend(values)             # the float64 values push_array would append
        meta = tape.meta
        off = len(meta)
        ident = _IDENTITY.get(n)
        meta.frombytes(ident if ident is not None else _identity_index(n))
        tape.rec.frombytes(_PACK(_GATHER, slot, n, a, -1, n, off))
        if slot + n > T.FULL and st.tape() is tape:
            st.tape = T.dead
        opname = _OPNAMES.get(name)
        if opname is None:
            opname = _OPNAMES[name] = name[:-len("Backward0")]
        # (what every output's view info shares: class-level, one class per
        # (root shape, op name), so each info sets its root and number only)
        key = (xa.shape, opname)
        info_cls = _INFO_FN.get(key)
        if info_cls is None and len(_INFO_FN) < 256:    # (bounded: one class per vector length)
            info_cls = _INFO_FN[key] = type("_UnbindView", (_UnbindView,),
                                            {"__slots__": (), "shape": xa.shape, "opname": opname, "has_fn": True})
    else:
        tape = None
        slot = -1
        name = None
        info_cls = None
        opname = "Unbind"
    # Under no_grad the outputs are no-grad-mode views (torch's creation meta
    # NO_GRAD_MODE beats MULTI_OUTPUT_NODE); of a root that requires grad,
    # they require grad and get no .grad (as register_view).
    nograd = not st.grad_enabled
    nograd_rg = nograd and x._rg
    views = x._views
    if views is None:
        views = x._views = []
    old = len(views)
    outs = []
    add_view, add_out = views.append, outs.append
    s = slot
    i = 0
    for v in values:
        o = _alloc()
        o._v = v
        o._arr = None
        o.dtype = dt
        o._rg = has_fn
        o._tape = tape
        o._name = name
        o._slot = s
        if has_fn:
            s += 1
        if info_cls is not None:
            info = _new(info_cls)
        else:
            info = _new(_UnbindViewNoGrad if nograd else _UnbindView)
            info.has_fn = has_fn
            info.shape = xa.shape
            info.opname = opname
            if nograd_rg:
                o._rg = True
                o._nograd_view = True
        info.root = x
        info.nr = i
        i += 1
        o._view = info
        if x._inf:
            o._inf = True       # a view of an inference tensor is one
        add_view(_ref(o))
        add_out(o)
    if len(views) >= 64 and len(views).bit_length() > old.bit_length():
        # dead views dropped when the list passes a power of two (amortized O(1))
        views[:] = [r for r in views if r() is not None]
    if has_fn:
        # One stale range for the block: each output's _Saved would hold the
        # same dtype, shape and name (indexing._remember_slot, per output).
        saved = _new(_Saved)            # (_Saved(outs[0]) without its call)
        saved.dtype = dt
        saved.shape = ()
        saved._name = name
        _append_pruned(x.__dict__.setdefault("_view_slots", []),
                       (_ref(tape), slot, n, saved, x._version), _tape_alive)
    return tuple(outs)


def _tape_alive(entry) -> bool:
    return entry[0]() is not None


_new = object.__new__
_alloc = functools.partial(_new, Tensor)    # (a new Tensor: ~10 ns cheaper than _new(Tensor))
_ref = weakref.ref
_PACK = T.PACK
_COPY, _GATHER = K.COPY, K.GATHER
_OPNAMES: dict = {}     # backward name -> view op name ("UnbindBackward0" -> "Unbind")
_IDENTITY = {}
_INFO_FN: dict = {}     # (root shape, op name) -> _UnbindView subclass of recorded outputs


def _identity_index(n: int) -> bytes:
    """Bytes of the int64 map 0..n-1 (unbind's GATHER), cached for small n."""
    b = _IDENTITY.get(n)
    if b is None:
        b = np.arange(n, dtype=np.int64).tobytes()
        if n <= 4096:
            _IDENTITY[n] = b
    return b


def softmax_vector(x: Tensor, dim, log: bool) -> Optional[Tensor]:
    """softmax (log: log_softmax) of a small float32/float64 vector along its
    one dim: the general composite's value computations on the same arrays
    (so the same values) and the records it makes, written straight to the tape:
    softmax: SUB (x - max), EXP, SUM, DIV;
    log_softmax: SUB (x - max), EXP, SUM, LOG, SUB."""
    if not ENABLED or x.__class__ is not Tensor or dim.__class__ is not int or dim not in (0, -1):
        return None
    xa = x._arr
    dt = x.dtype
    if xa is None or xa.ndim != 1 or not 0 < xa.size <= MAX_SOFTMAX or (dt is not _F32 and dt is not _F64):
        return None
    if x._bulk or (_TT._guard_hook is not None and _guard_recording(x)):
        return None
    if xa.size <= SEQUENTIAL_SUM_MAX:
        # A handful of elements: the same values from Python floats (far
        # fewer NumPy calls); None: a max of 0, left to the general path.
        floats = _softmax_floats(xa.tolist(), dt is _F32, log)
        if floats is None:
            return None
        m, sub, e, s, lse, vlist = floats
        val = np.array(vlist, dt.np)
    else:
        best = xa.max()
        if best == 0 or best == _INF:
            return None     # amax keeps the first of -0.0 and 0.0 (as torch); +inf: nan (torch's shift)
        m = best if -_INF < best < _INF else best.dtype.type(0)     # 0 where not finite (and NaN)
        with np.errstate(all="ignore"):
            sub = _binary_values(_SUB, xa, m, dt)
            e = _unary_values(_EXP, sub, dt)
            s = np.full(1, _TS.sum_array(e), dt.np)       # as reductions._sum_scaled
            if log:
                lse = _unary_values(_LOG, s, dt)
                val = _binary_values(_SUB, sub, lse, dt)
            else:
                val = _binary_values(_DIV, e, s, dt)
        m, sub, e, s = float(m), sub.tolist(), e.tolist(), s.item()
        lse = lse.item() if log else None
        vlist = val.tolist()
    out = _new(Tensor)          # (_array_out of a vector, written out)
    out._v = None
    out._arr = val
    out.dtype = dt
    st = STATE.ctx
    if not (x._rg and st.grad_enabled):
        out._rg = False
        out._tape = None
        out._slot = -1
        out._name = None
        if st.inference:
            out._inf = True     # (an inference tensor: tensors/tensor._init)
        return out
    n = xa.size
    tape = st.tape()
    if tape is None:
        tape = T.current()
    a = x._slot if x._tape is tape else T.slot_of(tape, x)      # (not bulk: checked above)
    vals = tape.vals                    # [max][x - max][e][1.0][sum e] ([log sum]) [result]
    b = len(vals)                       # the max, a constant broadcast to n
    p_sub = b + 1
    p_e = p_sub + n
    c = p_e + n                         # the sum's scale
    p_s = c + 1
    vals.append(m)
    vals.extend(sub)
    vals.extend(e)
    bc = 2 if n > 1 else 0             # operand b broadcast (as arith._broadcast_slot flags it)
    # (the records in one pack: the same bytes as one pack per record)
    if log:
        p_l = p_s + 1
        slot = p_l + 1
        vals.extend((1.0, s, lse))
        vals.extend(vlist)
        tape.rec.frombytes(_PACK_LOG_SOFTMAX(_K_SUB, p_sub, n, a, b, bc | 4, -1,
                                             _K_EXP, p_e, n, p_sub, -1, 0, -1,
                                             _K_SUM, p_s, 1, p_e, -1, n, c,
                                             _K_LOG, p_l, 1, p_s, -1, 0, -1,
                                             _K_SUB, slot, n, p_sub, p_l, bc | 4 | 8, -1))
    else:
        slot = p_s + 1
        vals.extend((1.0, s))
        vals.extend(vlist)
        tape.rec.frombytes(_PACK_SOFTMAX(_K_SUB, p_sub, n, a, b, bc | 4, -1,
                                         _K_EXP, p_e, n, p_sub, -1, 0, -1,
                                         _K_SUM, p_s, 1, p_e, -1, n, c,
                                         _K_DIV, slot, n, p_e, p_s, bc | 4 | 8 | K.DIV_TENSOR_SELF, -1))
    if slot + n > T.FULL and st.tape() is tape:
        st.tape = T.dead                # the next op opens a new tape (as _push_out)
    out._rg = True
    out._tape = tape
    out._slot = slot
    out._name = "LogSoftmaxBackward0" if log else "SoftmaxBackward0"
    return out


# NumPy adds up to this many elements one by one from 0 (its pairwise sum
# unrolls from 8 on): a Python loop gives its sum bit for bit (tested).
SEQUENTIAL_SUM_MAX = 7


def _softmax_floats(xs: list, f32: bool, log: bool) -> Optional[tuple]:
    """The general composite's values for a vector of at most
    SEQUENTIAL_SUM_MAX elements (Python floats of the dtype's values):
    (max shift, x - max, exp, sum, log sum or None, result). Each op is the
    op table's scalar forward, rounded once to float32 for float32, as the
    array paths compute them (IEEE + - / of float32 values computed in float64
    and rounded once are the float32 operations; exp and log of at most
    SMALL_MAX elements use the scalar forward). None for a max of 0 or a
    sum of 0 (softmax)."""
    best = xs[0]
    for v in xs:
        if v > best or v != v:      # NaN wins, as NumPy's max
            best = v
    if best == 0 or best == _INF:
        return None     # (+inf: the general path, torch's nan slice)
    m = best if -_INF < best < _INF else 0.0
    sub = [v - m for v in xs]
    if f32:
        sub = _array("f", sub).tolist()     # (_round32, written out: a call fewer)
    try:
        e = [_EXP_RAW(v) for v in sub]     # math.exp: the guarded forward only when it raises
    except Exception:
        e = [_EXP_F(v) for v in sub]
    if f32:
        e = _array("f", e).tolist()
    s = _TS.sum_floats(e, f32)         # (torch's order, as the general path's sum)
    if f32:
        acc = STATE.ctx.f32            # float32 scratch (inf on overflow, as NumPy): the thread's
    if log:
        lse = _LOG_F(s)
        if f32:
            acc[0] = lse
            lse = acc[0]
        val = [v - lse for v in sub]
    elif s == 0:
        return None         # 0 / 0: NumPy's NaN (its sign), not the scalar rule's: the general path
    else:
        lse = None
        val = [v / s for v in e]
    if f32:
        val = _array("f", val).tolist()
    return m, sub, e, s, lse, val


def vector_sum(x: Tensor) -> Optional[float]:
    """x.sum() of a float vector of at most SEQUENTIAL_SUM_MAX elements as
    torch computes it (core/torch_sum.sum_floats: its order, in the dtype,
    then + 0.0), from Python floats; None: the general path."""
    xa = x._arr
    dt = x.dtype
    if (not ENABLED or xa is None or xa.ndim != 1 or not 0 < xa.size <= SEQUENTIAL_SUM_MAX
            or (dt is not _F32 and dt is not _F64) or x._bulk):
        return None
    return _TS.sum_floats(xa.tolist(), dt is _F32)


def _round32(values) -> list:
    """Python floats rounded to float32 (as NumPy's cast: inf on overflow)."""
    return _array("f", values).tolist()


_EXP_F, _LOG_F = _EXP[2], _LOG[2]
_K_SUB, _K_EXP, _K_SUM, _K_DIV, _K_LOG = K.SUB, K.EXP, K.SUM, K.DIV, K.LOG
_PACK_SOFTMAX = struct.Struct(f"{4 * K.REC_WIDTH}q").pack          # softmax's four records
_PACK_LOG_SOFTMAX = struct.Struct(f"{5 * K.REC_WIDTH}q").pack      # log_softmax's five
_EXP_RAW = getattr(_EXP_F, "raw", _EXP_F)


def _unary_values(spec, xa, dt):
    """An elementwise op's value on a float array, as arith._unary computes it
    (small arrays by the scalar forward, as the replay kernel does)."""
    if SM.applies(spec[0], xa.size, dt.np):
        return SM.unary(spec[2], xa, dt.np, op=spec[0])
    return np.asarray(spec[3](xa), dt.np)


def _binary_values(spec, xa, ya, dt):
    """A binary op's value on a float array and an array or NumPy scalar of
    dtype dt, as arith._binary's array path computes it."""
    if SM.applies_binary(spec[0], xa, ya, dt.np):
        return SM.binary(spec[2], xa, ya, dt.np, op=spec[0])
    return spec[3](xa, ya)
