"""The lean path of float arrays below the bulk size through the
arithmetic operators and the elementwise functions: a float32/float64 array
with a same-dtype, same-shape array or with a Python number, or alone (a
unary op). Each function computes the value as `arith._binary` /
`arith._unary` compute it (the same calls on the same operands) and appends
exactly the slots and the record `arith._record_binary` /
`arith._record_unary_like` append, without their generic dispatch
(broadcasting, dtype promotion, isinstance chains); None sends the call to
the general path unchanged (broadcasts, bulk-sized results, bulk handles,
ops without a NumPy form). `tests/test_array_ops.py` compares the tapes,
values and gradients with the general path's.
"""
from typing import Optional

import numpy as np

from ..core import arrays as A
from ..core import kernels as K
from ..core import layouts as LY
from ..core import ops as O
from ..core import smallmath as SM
from ..core import tape as T
from . import tensor as _T
from .arith import _pow_number
from .tensor import STATE, Tensor, _F32T, _F64, _FULL, _PACK, check_inference_saved

# Longest array taking these paths (results of STATE.bulk_min elements or
# more are bulk records: the general path). smallmath's scalar forwards apply
# to the ops of SM.SMALL_OPS up to SM.ARRAY_MAX elements, NumPy beyond, as in
# the general path.
LEAN_MAX = 1 << 16
_ARRAY_MAX = SM.ARRAY_MAX

_new = object.__new__
_POW = K.POW
_DIV = K.DIV
_SMALL_OPS = SM.SMALL_OPS
_EXACT = 2 ** 53
# NumPy's error-state variable (arrays.quiet sets it): None with another
# NumPy's internals, where these paths step aside (quiet is np.errstate there).
_ERR_VAR = getattr(A, "_ERR_VAR", None)
_IGNORE_ALL = getattr(A, "_IGNORE_ALL", None)


def _operand_slot(tape, t: Tensor) -> int:
    """arith._broadcast_slot of a same-shape array operand: its slot, entering
    it if needed (T.slot_of), or its values as constants."""
    if t._rg:
        return t._slot if t._tape is tape else T.slot_of(tape, t)
    return T.push_array(tape, t._arr)


def _finish(out: Tensor, tape, slot: int, name: str, guard: bool) -> Tensor:
    out._rg = True
    out._tape = tape
    out._slot = slot
    out._name = name
    if guard and _T._guard_hook is not None:
        _T._guard_hook.float_dtype(out)     # (arith._record_binary's _guard_float_dtype)
    return out


def _plain(out: Tensor, arr: np.ndarray, dt, st) -> Tensor:
    # (tensor._init, written out)
    out._v = None
    out._arr = arr
    out.dtype = dt
    out._rg = False
    out._tape = None
    out._slot = -1
    out._name = None
    if st.inference:
        out._inf = True
    return out


def pair(spec: tuple, x: Tensor, y: Tensor, name: str) -> Optional[Tensor]:
    """x <op> y of two float arrays of one dtype and shape (the caller checked
    the dtypes: both x.dtype, float32 or float64)."""
    xa, ya = x._arr, y._arr
    if xa is None or ya is None or _ERR_VAR is None or x._bulk or y._bulk:
        return None
    n = xa.size
    st = STATE.ctx
    if not 0 < n <= LEAN_MAX or n >= st.bulk_min or xa.shape != ya.shape:
        return None
    op = spec[0]
    dt = x.dtype
    token = _ERR_VAR.set(_IGNORE_ALL)       # (arrays.quiet)
    try:
        if op in _SMALL_OPS and n <= _ARRAY_MAX:
            r = SM.binary(spec[2], xa, ya, dt.np, op=op)     # as the replay kernel computes it
        else:
            r = spec[3](xa, ya)
            if not (LY.plain(xa) and LY.plain(ya)):
                # (torch's layout: the first operand's where the two disagree,
                # NumPy's C order; size-1 dims' strides count)
                r = LY.follow(r, xa, ya)
    finally:
        _ERR_VAR.reset(token)
    out = _plain(_new(Tensor), r, dt, st)
    xrg, yrg = x._rg, y._rg
    if not ((xrg or yrg) and st.grad_enabled):
        return out
    m = (4 if xrg else 0) | (8 if yrg else 0)
    if x._inf or y._inf:
        check_inference_saved(op, x, y, m)
    tape = st.tape()
    if tape is None:
        tape = T.current()
    a = _operand_slot(tape, x)
    b = _operand_slot(tape, y)
    if not xrg:
        T.note_const_operand(tape, x, a, n)     # (arith._record_binary's)
    elif not yrg:
        T.note_const_operand(tape, y, b, n)
    if op == _DIV:
        m |= K.DIV_TENSOR_SELF
    slot = T.push_array(tape, r)
    if slot > _FULL and st.tape() is tape:
        st.tape = T.dead
    tape.rec.frombytes(_PACK(op, slot, n, a, b, m, -1))
    return _finish(out, tape, slot, name, True)


def with_number(spec: tuple, t: Tensor, number, name: str, reflected: bool) -> Optional[Tensor]:
    """t <op> number (reflected: number <op> t) of a float array t and a
    Python float, or an int a double holds exactly."""
    arr = t._arr
    dt = t.dtype
    if (arr is None or _ERR_VAR is None or t._bulk or (dt is not _F64 and dt is not _F32T)
            or not (number.__class__ is float or number.__class__ is int and -_EXACT <= number <= _EXACT)):
        return None
    n = arr.size
    st = STATE.ctx
    if not 0 < n <= LEAN_MAX or n >= st.bulk_min:
        return None
    op = spec[0]
    token = _ERR_VAR.set(_IGNORE_ALL)       # (arrays.quiet)
    try:
        c = dt.np.type(number)      # (1e39 in float32: inf, without NumPy's warning, as torch)
        small = op in _SMALL_OPS and n <= _ARRAY_MAX
        if reflected:
            r = SM.binary(spec[2], c, arr, dt.np, op=op) if small else spec[3](c, arr)
            if op == _POW:
                r = LY.c_order(r)       # (torch's pow(Scalar, Tensor) writes C order)
        elif op == _POW:
            r = _pow_number(spec, arr, number, dt)       # torch's pow(Tensor, Scalar)
        elif small:
            r = SM.binary(spec[2], arr, c, dt.np, op=op)
        else:
            r = spec[3](arr, c)
        if not LY.plain(arr) and not (reflected and op == _POW):
            # (NumPy's order "K" differs from torch's in size-1 dims; pow(Tensor, Scalar) is a unary kernel)
            r = LY.follow(r, arr) if op == _POW else LY.follow(r, arr, c)
    finally:
        _ERR_VAR.reset(token)
    out = _plain(_new(Tensor), r, dt, st)
    if not (t._rg and st.grad_enabled):
        return out
    if reflected:
        m = 8 | 1
    else:
        m = 4 | 2 | (K.POW_NUMBER if op == _POW else K.DIV_TENSOR_SELF if op == _DIV else 0)
    if t._inf:
        if reflected:
            check_inference_saved(op, number, t, m & 12)
        else:
            check_inference_saved(op, t, number, m & (12 | K.POW_NUMBER))
    tape = st.tape()
    if tape is None:
        tape = T.current()
    vals = tape.vals
    if reflected:       # (operands in arith._binary's order)
        a = len(vals)
        vals.append(float(number))
        b = t._slot if t._tape is tape else T.slot_of(tape, t)
    else:
        a = t._slot if t._tape is tape else T.slot_of(tape, t)
        b = len(vals)
        vals.append(float(number))
    slot = T.push_array(tape, r)
    if slot > _FULL and st.tape() is tape:
        st.tape = T.dead
    tape.rec.frombytes(_PACK(op, slot, n, a, b, m, -1))
    return _finish(out, tape, slot, name, True)


def unary(spec: tuple, x: Tensor) -> Optional[Tensor]:
    """An op table unary op of a float array x (arith._unary's array path)."""
    arr = x._arr
    dt = x.dtype
    if arr is None or _ERR_VAR is None or x._bulk or (dt is not _F64 and dt is not _F32T):
        return None
    n = arr.size
    st = STATE.ctx
    op, name, sfn, afn = spec
    if not 0 < n <= LEAN_MAX or n >= st.bulk_min or afn is None or op == K.COPY:
        return None
    token = _ERR_VAR.set(_IGNORE_ALL)       # (arrays.quiet)
    try:
        if op in _SMALL_OPS and n <= _ARRAY_MAX:
            r = SM.unary(sfn, arr, dt.np, op=op)        # as the replay kernel computes it
        elif dt is _F32T and op in O.F32_FORMS:
            r = np.asarray(O.F32_FORMS[op][1](arr), dt.np)      # (torch's float32 steps)
        else:
            r = np.asarray(afn(arr), dt.np)
        if not LY.plain(arr):
            r = LY.follow(r, arr)       # (NumPy's order "K" differs from torch's in size-1 dims)
    finally:
        _ERR_VAR.reset(token)
    out = _plain(_new(Tensor), r, dt, st)
    if not (x._rg and st.grad_enabled):
        return out
    tape = st.tape()
    if tape is None:
        tape = T.current()
    a = x._slot if x._tape is tape else T.slot_of(tape, x)
    slot = T.push_array(tape, r)
    if slot > _FULL and st.tape() is tape:
        st.tape = T.dead
    tape.rec.frombytes(_PACK(op, slot, n, a, -1, 0, -1))
    return _finish(out, tape, slot, name, False)
