"""Arithmetic on tensors and its recording: the 0-d fast path (Python floats),
NumPy arrays, broadcasting, dtype promotion, and the records each op
appends to the tape. The Python operators built on it are in operators.py."""
import math

import numpy as np

from ..core import dtypes as D
from ..core.arrays import quiet
from ..core import kernels as K
from ..core import layouts as LY
from ..core import opmath as M
from ..core import ops as O
from ..core import smallmath as SM
from ..core import tape as T
from . import half_scalars as HS
from . import tracked as TR
from .tensor import (STATE, Tensor, _F32T, _F64, _FULL, _PACK, _array_out, _guard_float_dtype, _guard_taint, _init, _new,
                     _scalar_out, name_node, check_inference_saved,
                     round32)

# Results of at least STATE.bulk_min elements are recorded by autodiff.bulk
# (a layer above), which registers its recorder here when it is imported.
bulk_recorder = None


# ----- recording -----------------------------------------------------------

def _push_operand(tape, x):
    """Slot of an operand: its tape slot if it requires grad, else a constant."""
    if x.__class__ is Tensor:
        if x._rg:
            return T.slot_of(tape, x)
        if x._v is not None:
            slot = len(tape.vals)
            tape.vals.append(x._v)
            return slot
        return T.push_array(tape, x._arr)
    slot = len(tape.vals)
    tape.vals.append(x)
    return slot


def _finish(out, tape, slot, name):
    out._rg = True
    out._tape = tape
    out._slot = slot
    out._name = name
    return out


_IEEE_OPS = frozenset(O.codes("add sub mul div"))
_F32_BINARY = O.F32_BINARY_FORMS
_MAXIMUM, _MINIMUM = O.codes("maximum minimum")
_POWOP = K.POW
_DIV = K.DIV


def _binary(spec, x, y, name):
    """Elementwise binary op; x or y may be a Python number."""
    # Fast path: float math on a 0-d float tensor and a number / 0-d tensor.
    if x.__class__ is Tensor:
        dt = x.dtype
        xv = x._v
        if y.__class__ is Tensor:
            yv = y._v
            fast = xv is not None and yv is not None and y.dtype is dt
            rg = x._rg or y._rg
        else:
            yv = y
            fast = xv is not None and (y.__class__ is float or y.__class__ is int)
            rg = x._rg
    elif y.__class__ is Tensor:
        dt = y.dtype
        xv = x
        yv = y._v
        fast = yv is not None and (x.__class__ is float or x.__class__ is int)
        rg = y._rg
    elif isinstance(x, Tensor) or isinstance(y, Tensor):
        return _binary_general(spec, x, y, name)      # a Tracked mask (jitgrad.compile recording)
    else:
        return NotImplemented
    if fast and (dt is _F64 or dt is _F32T):
        st = STATE.ctx
        if dt is _F32T and spec[0] in _IEEE_OPS:
            # torch casts a Python number to float32 first (+ - * / of
            # float32 values computed in float64 and rounded once are the
            # float32 operations); the tape keeps the rounded constant.
            buf = st.f32
            if x.__class__ is not Tensor:
                buf[0] = xv
                xv = buf[0]
            elif y.__class__ is not Tensor:
                buf[0] = yv
                yv = buf[0]
        if spec[0] == _POWOP and y.__class__ is not Tensor:
            v = (M.pow_number32 if dt is _F32T else M.pow_number)(xv, yv)     # torch's pow(Tensor, Scalar)
        elif dt is _F32T and spec[0] in _F32_BINARY:
            v = _F32_BINARY[spec[0]](xv, yv)        # (torch's float32 steps)
        else:
            v = spec[2](xv, yv)
        if dt is _F32T:
            buf = st.f32
            buf[0] = v
            v = buf[0]
        out = _new(Tensor)
        out._v = v
        out._arr = None
        out.dtype = dt
        out._slot = -1
        if rg and st.grad_enabled:
            tape = st.tape()
            if tape is None:    # (no `or`: a Python-level Tape.__bool__ call per op)
                tape = T.current()
            vals = tape.vals
            # Operands: their slot when they require grad, else a constant.
            # m records which operands require grad (what the op must save).
            if x.__class__ is Tensor and x._rg:
                a = x._slot if x._tape is tape else T.slot_of(tape, x)
                m = 4
            else:
                a = len(vals)
                vals.append(xv)
                m = 0
                if x.__class__ is Tensor:
                    T.note_const_operand(tape, x, a, 1)
            if x.__class__ is Tensor and spec[0] == _DIV:
                m |= K.DIV_TENSOR_SELF
            if x.__class__ is Tensor and y.__class__ is Tensor and (x._inf or y._inf):
                check_inference_saved(spec[0], x, y, (4 if x._rg else 0) | (8 if y._rg else 0))
            if y.__class__ is Tensor and y._rg:
                b = y._slot if y._tape is tape else T.slot_of(tape, y)
                m |= 8
            else:
                b = len(vals)
                vals.append(yv)
                if spec[0] == _POWOP and y.__class__ is not Tensor:
                    m |= K.POW_NUMBER
                elif y.__class__ is Tensor:
                    T.note_const_operand(tape, y, b, 1)
            slot = len(vals)
            vals.append(v)
            tape.rec.frombytes(_PACK(spec[0], slot, 1, a, b, m, -1))
            if slot > _FULL:
                st.tape = T.dead   # the next op opens a new tape (bounded memory)
            out._rg = True
            out._tape = tape
            out._slot = slot
            out._name = name
        else:
            out._rg = False
            out._tape = None
            out._name = None
            if st.inference:
                out._inf = True
        return out
    if (dt is _F32T or dt is _F64) and not fast:
        # Array fast path: a float n-d tensor with a same-dtype tensor or a
        # Python number: the dtype stays dt.
        xa = _same_kind(x, dt)
        ya = _same_kind(y, dt)
        if xa is not None and ya is not None and (xa.__class__ is np.ndarray or ya.__class__ is np.ndarray):
            if xa.__class__ is ya.__class__ and xa.shape != ya.shape:     # (two arrays)
                _check_broadcast(xa, ya)
            with quiet():       # (also the cast of a number beyond float32's range: inf, without a warning)
                if xa.__class__ is not np.ndarray:
                    xa = dt.np.type(xa)
                elif ya.__class__ is not np.ndarray:
                    ya = dt.np.type(ya)
                if spec[0] == _POWOP and y.__class__ is not Tensor:
                    r = _pow_number(spec, xa, y, dt)
                elif SM.applies_binary(spec[0], xa, ya, dt.np):
                    r = SM.binary(spec[2], xa, ya, dt.np, op=spec[0])     # as the replay kernel computes it
                else:
                    r = spec[3](xa, ya)
                    if (xa.__class__ is np.ndarray and not LY.plain(xa)) or \
                            (ya.__class__ is np.ndarray and not LY.plain(ya)):
                        r = LY.follow(r, xa, ya)        # (torch's layout where NumPy's C order differs)
                if spec[0] == _POWOP and xa.__class__ is not np.ndarray:
                    r = LY.c_order(r)       # (torch's pow(Scalar, Tensor) writes C order)
            out = _new(Tensor)
            _init(out, None, r, dt)
            if rg and STATE.grad_enabled:
                _record_binary(spec[0], x, y, out, name)
            return out
    return _binary_general(spec, x, y, name)


def _same_kind(v, dt):
    """v's array or number if it keeps a `dt` (float) result's dtype as dt:
    a tensor of dtype dt, a Python float, or an int a float holds exactly."""
    if v.__class__ is Tensor:
        if v.dtype is not dt:
            return None
        return v._arr if v._v is None else v._v
    if v.__class__ is float or (v.__class__ is int and -_EXACT <= v <= _EXACT):
        return v
    return None


_EXACT = 2 ** 53


def _operand_info(x):
    """(ndarray-or-scalar value, dtype or None, ndim, scalar kind)."""
    if isinstance(x, Tensor):
        return x._data(), x.dtype, x.ndim, None
    if isinstance(x, bool):
        return x, None, 0, 0
    if isinstance(x, int):
        return x, None, 0, 1
    if isinstance(x, float):
        return x, None, 0, 2
    if isinstance(x, np.ndarray) or isinstance(x, np.generic):
        t = Tensor._wrap(np.asarray(x))
        return t._data(), t.dtype, t.ndim, None
    raise TypeError(f"unsupported operand type: '{type(x).__name__}'")


_TRUE_DIV_FLOAT = O.FLOAT_RESULT    # integer inputs give floats (true division and friends)


def _binary_general(spec, x, y, name):
    if x.__class__ is TR.Tracked or y.__class__ is TR.Tracked:
        # compile records a mask's use by float arithmetic (x * (x > 0)); other uses guard it.
        out = _binary_general(spec, TR.plain(x), TR.plain(y), name)
        if not out._rg:
            TR.escape(x, y)
        return out
    op, _, _, afn = spec
    xa, xdt, xnd, xk = _operand_info(x)
    ya, ydt, ynd, yk = _operand_info(y)
    dt = D.result_type([(nd, d) for nd, d in ((xnd, xdt), (ynd, ydt)) if d is not None],
                       [k for k in (xk, yk) if k is not None])
    if not dt.is_floating_point and op in _TRUE_DIV_FLOAT:
        dt = D.get_default_dtype()      # true division of ints gives floats
    if op == K.POW and not dt.is_floating_point and (xk == 2 or yk == 2):
        dt = D.get_default_dtype()
    if (xk == 1 or yk == 1) and not dt.is_floating_point and dt is not D.bool_:
        # torch casts a Python int to the tensor's integer type: it wraps
        # (int8 + 300 adds 44), except as an exponent, which it checks
        cast = D.checked_number if op == K.POW else D.wrap_int
        xa = cast(xa, dt) if xk == 1 else xa
        ya = cast(ya, dt) if yk == 1 else ya
    with quiet():       # (a number beyond dt's range: inf, as torch, without NumPy's warning)
        xs = np.asarray(xa, dt.np) if xdt is not dt else xa
        ys = np.asarray(ya, dt.np) if ydt is not dt else ya
    _check_broadcast(xs, ys)
    x_bool, y_bool = xdt is D.bool_ or xk == 0, ydt is D.bool_ or yk == 0
    if x_bool or y_bool:
        O.check_bool_binary(op, dt, x_bool, y_bool, yk is not None)
    half = HS.binary(op, xa, xnd, xk, ya, ynd, yk) if dt is D.float16 and op in HS.OPS else None
    with quiet():
        if op == K.POW and not dt.is_floating_point and yk is not None and ys < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        if half is not None:
            r = LY.follow_pair(half, xs, ys)        # (torch's float32 opmath of a scalar operand)
        elif op == K.POW and dt.is_floating_point and yk is not None and isinstance(x, Tensor):
            r = _pow_number(spec, xs, y, dt)
        elif SM.applies_binary(op, xs, ys, dt.np):
            r = SM.binary(spec[2], xs, ys, dt.np, op=op)          # as the replay kernel computes it
        else:
            r = np.asarray(afn(xs, ys), dt.np)
            r = LY.follow_pair(r, xs, ys)       # (torch's layout where NumPy's C order differs)
        if op == K.POW and xk is not None:
            r = LY.c_order(r)       # (torch's pow(Scalar, Tensor) writes C order)
    out = _array_out(r, dt)
    rg = (isinstance(x, Tensor) and x._rg) or (isinstance(y, Tensor) and y._rg)
    if rg and STATE.grad_enabled and dt.is_floating_point:
        _record_binary(op, x, y, out, name)
    return out


def _check_broadcast(xa, ya):
    xs, ys = np.shape(xa), np.shape(ya)
    if xs == ys or not xs or not ys:
        return
    if xs[len(xs) - len(ys):] == ys or ys[len(ys) - len(xs):] == xs:
        return      # (one shape ends the other's: a bias added to a batch)
    for i, (p, q) in enumerate(zip(reversed(xs), reversed(ys))):
        if p != q and p != 1 and q != 1:
            raise RuntimeError(
                f"The size of tensor a ({p}) must match the size of tensor b ({q}) at "
                f"non-singleton dimension {max(len(xs), len(ys)) - 1 - i}")


def _pow_number(spec, xa, e, dt):
    """x ** e for a Python number e, as torch's pow(Tensor, Scalar): its
    forms of opmath.NUMBER_EXPONENTS (NumPy's IEEE operations round each step
    to dt, as torch's kernel), else pow() by the double e, each result
    rounded once (NumPy's past smallmath.ARRAY_MAX, as before)."""
    xa = np.asarray(xa, dt.np)
    r = M.np_pow_number(xa, float(e))
    if r is not None:
        return np.asarray(r, dt.np)
    if xa.size <= SM.ARRAY_MAX and SM.applies(K.POW, xa.size, dt.np):
        return SM.binary(spec[2], xa, float(e), dt.np, op=K.POW, number_y=True)
    return spec[3](xa, dt.np.type(e))


def _record_binary(op, x, y, out, name):
    n = out.numel()
    rg = (4 if isinstance(x, Tensor) and x._rg else 0) | (8 if isinstance(y, Tensor) and y._rg else 0)
    if op == K.POW and not isinstance(y, Tensor) and isinstance(x, Tensor):
        rg |= K.POW_NUMBER      # torch's pow(Tensor, Scalar): its forms (opmath.pow_number)
    if getattr(x, "_inf", False) or getattr(y, "_inf", False):
        check_inference_saved(op, x, y, rg)
    if (op == _MAXIMUM or op == _MINIMUM) and n > 1 and any(isinstance(t, Tensor) and t.numel() not in (1, n)
                                                          for t in (x, y)):
        # compile: torch's pick on a tie (-0.0, +0.0) follows the rows of the broadcast
        # (core/vector_ties.py), which the record's flat operands don't keep
        _guard_taint(f"{'maximum' if op == _MAXIMUM else 'minimum'} of a broadcast operand (torch's pick on a "
                     "tie follows its rows)", *(t for t in (x, y) if isinstance(t, Tensor)))
    if n >= STATE.bulk_min:
        return bulk_recorder(op, x, y, out, name, m=rg)
    tape = T.current()
    shape = out._arr.shape if out._arr is not None else out.shape
    a, fa = _broadcast_slot(tape, x, n, shape)
    b, fb = _broadcast_slot(tape, y, n, shape)
    if isinstance(x, Tensor):      # (a Parameter too)
        if op == _DIV:
            rg |= K.DIV_TENSOR_SELF
        if not x._rg:
            T.note_const_operand(tape, x, a, 1 if fa else n)
    if isinstance(y, Tensor) and not y._rg:
        T.note_const_operand(tape, y, b, 1 if fb else n)
    slot = _push_out(tape, out)
    T.record(tape, op, slot, n, a, b, fa | (fb << 1) | rg, -1)
    _finish(out, tape, slot, name)
    if out.dtype is _F32T or out.dtype is _F64:
        # compile: float32 math (of a constant, a 0-d float64), or float64 math of float32
        # operands (a promotion), which the values may not show (0.0, 3.0 are both)
        _guard_float_dtype(out)


def _push_out(tape, out):
    if out._v is not None:
        slot = len(tape.vals)
        tape.vals.append(out._v)
    else:
        slot = T.push_array(tape, out._arr)
    if slot > _FULL and STATE.tape() is tape:
        STATE.tape = T.dead
    return slot


def _broadcast_slot(tape, x, n, shape):
    """(slot, scalar flag) of operand x broadcast to `shape` (n elements)."""
    if x.__class__ is not Tensor:
        slot = len(tape.vals)
        tape.vals.append(float(x))
        return slot, 1
    if x._tape is tape and x._rg and not x._bulk and x._arr is not None and x._arr.shape == shape:
        return x._slot, 0       # (the common case, without the calls below)
    return _broadcast_tensor(tape, x, n, shape)


def _broadcast_tensor(tape, x, n, shape):
    size = x.numel()
    if size == n and x.ndim == len(shape):
        return _push_operand(tape, x), 0
    if size == 1:
        # (also () with (1,): torch's gradient is a sum, from +0.0: the flag tells the sweep)
        slot = _push_operand(tape, x)
        if not x._rg:
            name_node(tape, slot, "<tensor>")   # a constant tensor, not a number (graph: its place in torch's node)
        return slot, 1
    # General broadcast: an explicit expand (a gather), whose backward sums.
    # Leading dims alone ((3,) with (1, 3)) are summed away by torch's sum_to
    # too: from +0.0 (K.GATHER_SUM), so a -0.0 gradient arrives as +0.0.
    a = _push_operand(tape, x)
    xd = x._data()
    if n and xd.shape == tuple(shape[len(shape) - xd.ndim:]):
        # leading dims only (a bias added to a batch): the expand's values are x's, repeated
        slot = len(tape.vals)
        tape.vals.frombytes(np.ascontiguousarray(xd, np.float64).tobytes() * (n // size))
    else:
        slot = T.push_array(tape, np.broadcast_to(xd, shape))
    off = len(tape.meta)
    tape.meta.frombytes(_expand_index(x._data().shape, tuple(shape)))
    T.record(tape, K.GATHER, slot, n, a, K.GATHER_SUM if size == n else -1, size, off)
    name_node(tape, slot, "", tuple(x.shape))   # torch's node reads the operand itself: no node in between
    if tape.expanded is None:
        tape.expanded = {}
    tape.expanded.setdefault(a, []).append((slot, n))     # (an in-place write to x: stale too)
    return slot, 0


_EXPAND_INDEX = {}


def _expand_index(src, dst):
    """Bytes of the int64 map from the elements of an expand to src's (a
    bias added to a batch repeats the same shapes every step: cached)."""
    key = (src, dst)
    idx = _EXPAND_INDEX.get(key)
    if idx is None:
        if len(_EXPAND_INDEX) > 256:
            _EXPAND_INDEX.clear()
        arange = np.arange(math.prod(src), dtype=np.int64).reshape(src)
        idx = np.broadcast_to(arange, dst).tobytes()
        if len(idx) <= 1 << 19:
            _EXPAND_INDEX[key] = idx
    return idx


def _unary(spec, x):
    op, name, sfn, afn = spec
    v = x._v
    dt = x.dtype
    if v is not None and (dt is _F64 or dt is _F32T):
        st = STATE.ctx
        form32 = O.F32_FORMS.get(op) if dt is _F32T else None
        if form32 is not None:
            v = form32[0](v)        # (torch's float32 steps)
        else:
            v = sfn(v)
            if dt is _F32T:
                buf = st.f32
                buf[0] = v
                v = buf[0]
        out = _new(Tensor)
        out._v = v
        out._arr = None
        out.dtype = dt
        if x._rg and st.grad_enabled:
            tape = st.tape()
            if tape is None:    # (no `or`: a Python-level Tape.__bool__ call per op)
                tape = T.current()
            a = x._slot if x._tape is tape else T.slot_of(tape, x)
            vals = tape.vals
            slot = len(vals)
            vals.append(v)
            tape.rec.frombytes(_PACK(op, slot, 1, a, -1, 0, -1))
            if slot > _FULL:
                st.tape = T.dead
            out._rg = True
            out._tape = tape
            out._slot = slot
            out._name = name
        else:
            out._rg = False
            out._tape = None
            out._slot = -1
            out._name = None
            if st.inference:
                out._inf = True
        return out
    if not dt.is_floating_point and spec[1] not in _INT_NAMES:
        dt = D.get_default_dtype()
    xa = x._data().astype(dt.np, copy=False)
    with quiet():
        if SM.applies(op, xa.size, dt.np):
            r = SM.unary(sfn, xa, dt.np, op=op)                    # as the replay kernel computes it
        elif afn is None:
            r = np.empty(xa.shape)
            K.value_map(op, xa.astype(np.float64).ravel(), np.zeros(xa.size), 0.0, r.reshape(-1))
            r = r.astype(dt.np)
        elif dt is _F32T and op in O.F32_FORMS:
            r = np.asarray(O.F32_FORMS[op][1](xa), dt.np)      # (torch's float32 steps)
        elif dt is D.float16:       # (torch's float16 kernels compute in float32 and round once)
            x32 = xa.astype(np.float32)
            r = np.asarray(O.F32_FORMS[op][1](x32) if op in O.F32_FORMS else afn(x32), np.float32).astype(dt.np)
        else:
            r = np.asarray(afn(xa), dt.np)
    if not LY.plain(xa):
        r = LY.follow(r, xa)        # (torch's layout of a transposed x, which value_map's C order loses)
    out = _array_out(r, dt)
    if x._rg and STATE.grad_enabled and dt.is_floating_point:
        _record_unary_like(op, x, out, name)
    return out


_INT_NAMES = {O.UNARY[k][1] for k in O.INT_PRESERVING}


def _record_unary_like(op, x, out, name, const=None):
    if out._v is None and out._arr.size >= STATE.bulk_min:
        return bulk_recorder(op, x, None, out, name, c=const)
    tape = T.current()
    a = T.slot_of(tape, x)
    ia = -1
    if const is not None:
        ia = len(tape.vals)
        tape.vals.append(const)
    slot = _push_out(tape, out)
    T.record(tape, op, slot, out.numel(), a, -1, 0, ia)
    if op == K.COPY and name != "ViewBackward0":
        name_node(tape, slot, name)     # (clone, contiguous: a COPY record is ViewBackward0 otherwise)
    _finish(out, tape, slot, name)
    if op == K.COPY and out.dtype is not x.dtype:
        _guard_float_dtype(out)         # compile: the cast rounds (or not) at replay


_HALF_OPMATH_PARAM = ("LeakyReluBackward0", "EluBackward0")    # (logit steps in float16)


def _param_unary(spec, x, c):
    """Elementwise op with a float attribute c (clamp bounds, slopes)."""
    op, name, sfn, afn = spec
    dt = x.dtype if x.dtype.is_floating_point else D.get_default_dtype()
    if dt is D.float32:
        c = round32(c)      # torch casts the attribute to float32 (as smallmath does for arrays)
    if x._v is not None:
        v = sfn(float(x._v), c)
        out = _scalar_out(round32(v) if dt is D.float32 else float(v), dt)
    elif SM.applies(op, x._arr.size, dt.np):
        out = _array_out(SM.unary(sfn, x._arr.astype(dt.np), dt.np, c, op=op), dt)   # as the replay kernel computes it
    elif afn is None:       # no NumPy form: the kernel's value
        xa = x._arr.astype(np.float64).ravel()
        r = np.empty(xa.size)
        K.value_map(op, xa, np.zeros(xa.size), float(c), r)
        out = _array_out(LY.follow(r.astype(dt.np).reshape(x._arr.shape), x._arr), dt)
    elif dt is D.float16 and name in _HALF_OPMATH_PARAM:    # (torch's kernel: slope and arithmetic in float32)
        with quiet():
            out = _array_out(np.asarray(afn(x._arr.astype(np.float32), np.float32(c)), np.float32).astype(dt.np), dt)
    else:
        with quiet():
            out = _array_out(np.asarray(afn(x._arr.astype(dt.np, copy=False), c), dt.np), dt)
    if x._rg and STATE.grad_enabled:
        _record_unary_like(op, x, out, name, const=float(c))
    return out


def _nondiff(fn, x, y, divides=False):
    """Ops without a gradient (floor division, remainder, bitwise);
    `divides`: an integer division, which raises on a zero divisor as torch."""
    _guard_taint(getattr(fn, "__name__", "an op without gradient"), x, y)
    xa, xdt, xnd, xk = _operand_info(x)
    ya, ydt, ynd, yk = _operand_info(y)
    dt = D.result_type([(nd, d) for nd, d in ((xnd, xdt), (ynd, ydt)) if d is not None],
                       [k for k in (xk, yk) if k is not None])
    if (xk == 1 or yk == 1) and not dt.is_floating_point and dt is not D.bool_:
        xa = D.wrap_int(xa, dt) if xk == 1 else xa      # (a Python int wraps to the tensor's type)
        ya = D.wrap_int(ya, dt) if yk == 1 else ya
    _check_broadcast(xa, ya)
    if divides and not dt.is_floating_point and np.size(xa) and np.any(np.asarray(ya) == 0):
        raise RuntimeError("ZeroDivisionError")
    half = HS.floor_divide(xa, xnd, xk, ya, ynd, yk) if dt is D.float16 and fn is np.floor_divide else None
    with quiet():
        r = half if half is not None else np.asarray(fn(np.asarray(xa, dt.np), np.asarray(ya, dt.np)), dt.np)
    return _array_out(LY.follow_pair(r, xa, ya), dt)      # (torch's layout where NumPy's C order differs)


def _rebind(self, res, name):
    """Give self the value of res (written in place, so NumPy views of self
    see it) and, when res is recorded, its tape node. Returns self."""
    T.mark_overwritten(self)
    if self._v is not None:
        self._v = res._v
        if self._writes_to is not None:
            self._write_back(res._v)
    else:
        self._arr[...] = res._arr
    self._version += 1
    if res._rg:
        self._rg = True
        self._tape = res._tape
        self._slot = res._slot
        if self._bulk or res._bulk:
            self._bulk = res._bulk
        self._name = name if name is not None else res._name
        self._gfn = None
    else:
        T.after_write(self)
    return self
