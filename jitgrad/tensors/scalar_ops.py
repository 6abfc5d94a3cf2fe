"""The 0-d float fast path of the arithmetic operators and the elementwise
functions, inlined into each operator (one Python call per op, no generic
dispatch).

`binary_operator(spec, ...)` and `unary_function(spec, ...)` wrap the general
implementation (`arith._binary` / `arith._unary` behind the operator): when
the operands are 0-d float32/float64 tensors of one dtype (or such a tensor
and a Python int/float), they compute the value with the op table's scalar
forward (rounded once to float32 for float32) and append exactly the slots
and the record `arith._binary` / `arith._unary` append; anything else goes to
the general implementation unchanged. `tests/test_scalar_ops.py` compares
the tapes byte for byte.
"""
import functools
import operator
from array import array as _array
from typing import Callable, Optional

import numpy as np

from ..core import dtypes as D
from ..core import layouts as LY
from ..core import kernels as K
from ..core import opmath as M
from ..core import ops as O
from ..core import tape as T
from ..core.arrays import quiet
from . import array_ops as AO
from . import tensor as _T
from .tensor import STATE, Tensor, _F32T, _F64, _FULL, _PACK, _init

_new = object.__new__
_alloc = functools.partial(_new, Tensor)    # (a new Tensor: ~10 ns cheaper than _new(Tensor))


def binary_operator(spec: tuple, name: str, general: Callable, reflected: bool = False,
                    tensor_name: Optional[str] = None) -> Callable:
    """Operator method `self <op> other` (reflected: `other <op> self`) with
    the 0-d fast path of `arith._binary`; `general(self, other)` otherwise.
    `tensor_name`: the backward name when other is a tensor (pow)."""
    op, _, sfn, _ = spec
    other_name = tensor_name or name
    exact = op in _IEEE_OPS
    # The Python operator itself where it gives sfn's value whenever it
    # returns a float without raising (sfn then handles the rest): one
    # Python call fewer per op.
    raw = _RAW_BINARY.get(sfn, sfn)
    # x ** number is torch's pow(Tensor, Scalar), x * x for 2 (opmath.pow_number),
    # recorded with the POW_NUMBER flag; x ** tensor and number ** x are pow().
    number_pow = op == K.POW and not reflected
    raw_number, raw_number32 = (M.pow_number, M.pow_number32) if number_pow else (raw, raw)
    m_number = 4 | K.POW_NUMBER if number_pow else 4
    rounded = [(None, None)]        # the last Python number rounded to float32, and its value

    def number_or_general(self, other):
        # self is not a 0-d float tensor: a small float array with a Python
        # number, or the general implementation.
        dt = self.dtype
        if (exact and self._v is None and (dt is _F64 or dt is _F32T)
                and (other.__class__ is float or other.__class__ is int and -_EXACT_INT <= other <= _EXACT_INT)):
            arr = self._arr
            if (0 < arr.size <= SMALL_ARRAY_MAX and arr.size < STATE.ctx.bulk_min     # (else bulk records it)
                    and (arr.ndim == 1 or LY.plain(arr))):      # (NumPy's result keeps other layouts)
                out = _small_array(op, raw, self, arr, other, dt, name, reflected)
                if out is not None:
                    return out
        if self._v is None and self.__class__ is Tensor:
            out = AO.with_number(spec, self, other, name, reflected)     # (a larger small array)
            if out is not None:
                return out
        return general(self, other)

    # Two written-out forms (operands in arith._binary's order: self first,
    # or, reflected, other first), each with a branch per operand that
    # requires grad: the fewest tests per op. Operands enter the tape in that
    # order: their slot when they require grad, else a constant; m: which
    # require grad.
    def method(self, other):
        sv = self._v
        dt = self.dtype
        oc = other.__class__
        if oc is float or oc is int:
            if sv is None or (dt is not _F64 and dt is not _F32T):
                return number_or_general(self, other)
            st = STATE.ctx
            ov = other
            if exact and dt is _F32T:
                # torch casts the number to float32 first (as arith._binary);
                # a loop's constant is the same object every time: remembered
                # (one (number, rounded) tuple: threads read a consistent pair).
                memo = rounded[0]
                if memo[0] is other:
                    ov = memo[1]
                else:
                    buf = st.f32
                    buf[0] = other
                    ov = buf[0]
                    rounded[0] = (other, ov)
            org = False
            nm = name
            if number_pow and ov == 2.0:
                fn, arg = _MUL, sv       # (x ** 2, the common one: pow_number's x * x without a Python call)
            else:
                fn, arg = (raw_number32 if dt is _F32T else raw_number), ov
            mc = m_number
        elif oc is Tensor:
            ov = other._v
            if sv is None or ov is None or other.dtype is not dt or (dt is not _F64 and dt is not _F32T):
                if (sv is None and ov is None and other.dtype is dt and (dt is _F64 or dt is _F32T)
                        and self.__class__ is Tensor):
                    out = AO.pair(spec, self, other, other_name)     # (two small arrays of one shape)
                    if out is not None:
                        return out
                return general(self, other)
            st = STATE.ctx
            org = other._rg
            nm = other_name
            fn, arg = raw, ov
            mc = 4
        else:
            return general(self, other)
        try:
            v = fn(sv, arg)
        except Exception:
            v = None
        if v.__class__ is not float:        # (an exception, or pow's complex)
            v = sfn(sv, ov)
        if dt is _F32T:
            buf = st.f32
            buf[0] = v
            v = buf[0]
        out = _alloc()
        out._v = v
        out._arr = None
        out.dtype = dt
        srg = self._rg
        if (srg or org) and st.grad_enabled:
            tape = st.tape()
            if tape is None:    # (no `or`: a Python-level Tape.__bool__ call per op)
                tape = T.current()
            vals = tape.vals
            if srg:
                a = self._slot if self._tape is tape else T.slot_of(tape, self)
                if org:
                    b = other._slot if other._tape is tape else T.slot_of(tape, other)
                    slot = len(vals)
                    vals.append(v)
                    m = 12
                else:
                    if oc is Tensor and other._inf:
                        _T.check_inference_saved(op, self, other, 4)
                    b = len(vals)
                    slot = b + 1
                    vals.append(ov)
                    vals.append(v)
                    m = mc
                    if oc is Tensor:
                        T.note_const_operand(tape, other, b, 1)
            else:
                if self._inf:
                    _T.check_inference_saved(op, self, other, 8)
                a = len(vals)
                vals.append(sv)
                b = other._slot if other._tape is tape else T.slot_of(tape, other)
                slot = len(vals)
                vals.append(v)
                m = 8
                T.note_const_operand(tape, self, a, 1)
            if op == _DIV:
                m |= K.DIV_TENSOR_SELF      # (self is the numerator, a tensor)
            tape.rec.frombytes(_PACK(op, slot, 1, a, b, m, -1))
            if slot > _FULL:
                st.tape = T.dead   # the next op opens a new tape (bounded memory)
            out._rg = True
            out._tape = tape
            out._slot = slot
            out._name = nm
        else:
            out._rg = False
            out._tape = None
            out._slot = -1
            out._name = None
            if st.inference:
                out._inf = True
        return out

    def reflected_method(self, other):
        sv = self._v
        dt = self.dtype
        oc = other.__class__
        if oc is float or oc is int:
            if sv is None or (dt is not _F64 and dt is not _F32T):
                return number_or_general(self, other)
            st = STATE.ctx
            ov = other
            if exact and dt is _F32T:
                # torch casts the number to float32 first (as arith._binary);
                # a loop's constant is the same object every time: remembered
                # (one (number, rounded) tuple: threads read a consistent pair).
                memo = rounded[0]
                if memo[0] is other:
                    ov = memo[1]
                else:
                    buf = st.f32
                    buf[0] = other
                    ov = buf[0]
                    rounded[0] = (other, ov)
            org = False
            nm = name
        elif oc is Tensor:
            ov = other._v
            if sv is None or ov is None or other.dtype is not dt or (dt is not _F64 and dt is not _F32T):
                return general(self, other)
            st = STATE.ctx
            org = other._rg
            nm = other_name
        else:
            return general(self, other)
        try:
            v = raw(ov, sv)
        except Exception:
            v = None
        if v.__class__ is not float:
            v = sfn(ov, sv)
        if dt is _F32T:
            buf = st.f32
            buf[0] = v
            v = buf[0]
        out = _alloc()
        out._v = v
        out._arr = None
        out.dtype = dt
        srg = self._rg
        if (srg or org) and st.grad_enabled:
            tape = st.tape()
            if tape is None:
                tape = T.current()
            vals = tape.vals
            if org:
                a = other._slot if other._tape is tape else T.slot_of(tape, other)
                if srg:
                    b = self._slot if self._tape is tape else T.slot_of(tape, self)
                    slot = len(vals)
                    vals.append(v)
                    m = 12
                else:
                    if self._inf:
                        _T.check_inference_saved(op, other, self, 4)
                    b = len(vals)
                    slot = b + 1
                    vals.append(sv)
                    vals.append(v)
                    m = 4
                    T.note_const_operand(tape, self, b, 1)
            else:
                if oc is Tensor and other._inf:
                    _T.check_inference_saved(op, other, self, 8)
                a = len(vals)
                vals.append(ov)
                b = self._slot if self._tape is tape else T.slot_of(tape, self)
                slot = len(vals)
                vals.append(v)
                m = 8
                if oc is Tensor:
                    T.note_const_operand(tape, other, a, 1)
            if op == _DIV and oc is Tensor:
                m |= K.DIV_TENSOR_SELF      # (other is the numerator, a tensor)
            tape.rec.frombytes(_PACK(op, slot, 1, a, b, m, -1))
            if slot > _FULL:
                st.tape = T.dead
            out._rg = True
            out._tape = tape
            out._slot = slot
            out._name = nm
        else:
            out._rg = False
            out._tape = None
            out._slot = -1
            out._name = None
            if st.inference:
                out._inf = True
        return out

    if reflected:
        method = reflected_method
    _inherit_names(method, general)
    return method


# A float array of at most this many elements and a Python number: the
# value from Python floats (fewer NumPy calls), for the IEEE basic ops, whose
# float32 result computed in float64 and rounded once is NumPy's float32 one
# (longer arrays: array_ops.with_number, NumPy's call costing less there).
SMALL_ARRAY_MAX = 4
_IEEE_OPS = frozenset(O.codes("add sub mul div"))
_DIV = O.BINARY["div"][0]
_MUL = operator.mul
_RAW_BINARY = {O.BINARY["div"][2]: operator.truediv, O.BINARY["pow"][2]: operator.pow}
_EXACT_INT = 2 ** 53     # larger ints: NumPy's rounding of them (the general path)


def _small_array(op: int, f: Callable, t: Tensor, arr, number, dt, name: str, reflected: bool) -> Optional[Tensor]:
    """`t <op> number` (reflected: `number <op> t`) of a small float array t:
    the value and the records of arith._binary's array path
    (arith._record_binary: operands, result, one record); None: the general path.
    f: the op's scalar forward or the Python operator giving its values."""
    xs = arr.tolist() if arr.ndim == 1 else arr.ravel().tolist()
    c = c64 = float(number)
    if op == _DIV and (0.0 in xs if reflected else c == 0):
        return None     # x / 0: the op table's scalar rule, not the hardware's NaN bits: NumPy's (general path)
    f32 = dt is _F32T
    st = STATE.ctx
    if f32:
        buf = st.f32
        buf[0] = c                  # NumPy casts the weak Python scalar to float32
        c = buf[0]
    # (x / c: c != 0 here, so the operator never raises)
    res = [f(c, v) for v in xs] if reflected else [f(v, c) for v in xs]
    if f32:
        res = _array("f", res).tolist()     # (_round32, written out)
    out = _new(Tensor)
    val = np.array(res, dt.np)
    out._v = None       # (_init, written out)
    out._arr = val if arr.ndim == 1 else val.reshape(arr.shape)
    out.dtype = dt
    n = len(res)
    if not (t._rg and st.grad_enabled):
        out._rg = False
        out._tape = None
        out._slot = -1
        out._name = None
        if st.inference:
            out._inf = True
    else:
        tape = st.tape()
        if tape is None:
            tape = T.current()
        vals = tape.vals
        if reflected:           # (number first, as _broadcast_slot pushes operands in order)
            a = len(vals)
            vals.append(c64)
            b = t._slot if t._tape is tape and not t._bulk else T.slot_of(tape, t)
            flags = 1 | 8
        else:
            a = t._slot if t._tape is tape and not t._bulk else T.slot_of(tape, t)
            b = len(vals)
            vals.append(c64)
            flags = 2 | 4 | (K.DIV_TENSOR_SELF if op == _DIV else 0)
        slot = len(vals)
        vals.extend(res)
        tape.rec.frombytes(_PACK(op, slot, n, a, b, flags, -1))
        if slot > _FULL and st.tape() is tape:
            st.tape = T.dead
        out._rg = True
        out._tape = tape
        out._slot = slot
        out._name = name
        if out.dtype is _F32T:
            _T._guard_float_dtype(out)     # compile: float32 math (arith._record_binary)
    return out


SMALL_TENSOR_MAX = 16      # the longest list jitgrad.tensor() takes the path below for


def tensor_of_numbers(data, dtype, requires_grad: bool) -> Optional[Tensor]:
    """jitgrad.tensor(data) of a short list of Python floats, or of 0-d
    float tensors of one dtype: the array construct.tensor builds (the same
    np.array call on the same Python floats), without its generic walk over
    nested data; None: the general path."""
    if data.__class__ is not list or not 0 < len(data) <= SMALL_TENSOR_MAX:
        return None
    first = data[0]
    if first.__class__ is float:
        for v in data:
            if v.__class__ is not float:
                return None
        values = data
        dt = dtype or D.get_default_dtype()
    elif first.__class__ is Tensor:
        if _T._guard_hook is not None:
            return None         # compile: tensor() of tensor values runs eagerly (general path)
        kind = first.dtype
        if kind is not _F32T and kind is not _F64:
            return None
        values = []
        add = values.append
        for t in data:
            if t.__class__ is not Tensor or t._v is None or t.dtype is not kind:
                return None
            add(t._v)
        if STATE.grad_enabled:
            for t in data:      # (torch converts, and warns, element by element)
                if t._rg:
                    _T.warn_scalar_conversion(stacklevel=5)     # (the caller of jitgrad.tensor)
        dt = dtype or kind
    else:
        return None
    if dt is not _F32T and dt is not _F64:
        return None
    out = _new(Tensor)
    if dt is _F32T:
        with quiet():   # (a float beyond float32's range is inf, without NumPy's warning)
            arr = np.array(values, np.float32)
    else:
        arr = np.array(values, np.float64)
    _init(out, None, arr, dt)
    if requires_grad:
        out._rg = True
    return out


def _round32(values) -> list:
    """Python floats rounded to float32 (as NumPy's cast: inf on overflow)."""
    return _array("f", values).tolist()


def unary_function(spec: tuple, general: Callable) -> Callable:
    """`jitgrad.<name>(input)` with the 0-d fast path of `arith._unary`;
    `general(input, out=out)` otherwise."""
    op, name, sfn, _ = spec
    raw = getattr(sfn, "raw", sfn)     # math.f for a guarded f: sfn only when it raises
    form32 = O.F32_FORMS.get(op, (None,))[0]     # (torch's float32 steps, where they differ)

    def function(input, *, out=None):
        if input.__class__ is Tensor and out is None:     # (general() writes an out=)
            v = input._v
            dt = input.dtype
            if v is not None and (dt is _F64 or dt is _F32T):
                st = STATE.ctx
                if dt is _F32T and form32 is not None:
                    v = form32(v)
                else:
                    try:
                        v = raw(v)
                    except Exception:
                        v = sfn(v)
                    if dt is _F32T:
                        buf = st.f32
                        buf[0] = v
                        v = buf[0]
                res = _alloc()
                res._v = v
                res._arr = None
                res.dtype = dt
                if input._rg and st.grad_enabled:
                    tape = st.tape()
                    if tape is None:
                        tape = T.current()
                    a = input._slot if input._tape is tape else T.slot_of(tape, input)
                    vals = tape.vals
                    slot = len(vals)
                    vals.append(v)
                    tape.rec.frombytes(_PACK(op, slot, 1, a, -1, 0, -1))
                    if slot > _FULL:
                        st.tape = T.dead
                    res._rg = True
                    res._tape = tape
                    res._slot = slot
                    res._name = name
                else:
                    res._rg = False
                    res._tape = None
                    res._slot = -1
                    res._name = None
                    if st.inference:
                        res._inf = True
                return res
            if v is None and input.__class__ is Tensor:
                res = AO.unary(spec, input)     # (a small float array)
                if res is not None:
                    return res
        return general(input, out=out)

    _inherit_names(function, general)
    return function


def _inherit_names(fast: Callable, general: Callable) -> None:
    # (jitgrad's namespace exports functions by their module and name)
    for attr in ("__name__", "__qualname__", "__module__", "__doc__"):
        setattr(fast, attr, getattr(general, attr))
