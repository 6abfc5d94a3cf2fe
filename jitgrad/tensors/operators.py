"""Tensor's Python operators (+, -, *, /, **, //, %, comparisons, bitwise)
and clone, attached to Tensor on import. The hot binary operators are wrapped
by scalar_ops.binary_operator (the inlined 0-d fast path); the general path
and the records live in arith.py.
"""
import numbers
import operator
from array import array as _array

import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from ..core import layouts as LY
from ..core import saved_nodes as SN
from ..core import ops as O
from . import tensor as _T
from . import tracked as TR
from .arith import (_binary, _check_broadcast, _nondiff, _record_unary_like, _unary)
from .scalar_ops import binary_operator
from .tensor import (STATE, Tensor, _ADD, _DIV, _MUL, _NEG, _POW, _SUB, _array_out, _scalar_out)


def _compare(fn, x, y):
    if _T._guard_hook is not None and isinstance(y, Tensor) and isinstance(x, Tensor) and x.dtype is not y.dtype:
        # compile replays comparisons and their guards in float64; torch
        # compares mixed dtypes in the promoted one (float32 for a float32
        # vector and a 0-d float64): such a call runs eagerly.
        _T._guard_taint("a comparison of tensors of two dtypes", TR.plain(x), TR.plain(y))
    elif _T._guard_hook is not None and TR.recording(x, y):
        # compile records the comparison (replayed, no guard).
        x, y = TR.plain(x), TR.plain(y)
        r = _compare_values(fn, x, y)
        return r if r is NotImplemented else TR.record(_COMPARE_CODES[fn], r, x, TR.weak_number(x, y))
    r = _compare_values(fn, x, y)
    if _T._guard_hook is not None and r is not NotImplemented:
        _T._guard_hook.compare(fn, x, y, r)
    return r


_PY_COMPARE = {np.greater: operator.gt, np.less: operator.lt, np.greater_equal: operator.ge,
               np.less_equal: operator.le, np.equal: operator.eq, np.not_equal: operator.ne}
_COMPARE_CODES = {np.greater: K.GT, np.less: K.LT, np.greater_equal: K.GE, np.less_equal: K.LE,
                  np.equal: K.EQ, np.not_equal: K.NE}


def _compare_values(fn, x, y):
    if y.__class__ is int and isinstance(x, Tensor) and not x.dtype.is_floating_point and x.dtype is not D.bool_:
        y = D.wrap_int(y, x.dtype)      # torch casts the number to the tensor's type (uint8 > -1 is 0 > 255)
    if x.__class__ is Tensor and x._v is not None:
        yc = y.__class__
        if yc is Tensor and y._v is not None and x.dtype.is_floating_point and y.dtype.is_floating_point:
            # 0-d floats: Python compares their exact values, as NumPy / torch
            # do after promoting to the wider dtype.
            return _scalar_out(_PY_COMPARE[fn](x._v, y._v), D.bool_)
        if yc is float and x.dtype.is_floating_point:
            if x.dtype is D.float32:
                y = _array("f", (y,))[0]     # torch casts the number to float32 first (inf past its range)
            return _scalar_out(_PY_COMPARE[fn](x._v, y), D.bool_)
    ya = y._data() if isinstance(y, Tensor) else y
    if isinstance(x, Tensor) and x._v is not None and (ya.__class__ in (float, int, bool)):
        return _scalar_out(bool(fn(x._v, ya)), D.bool_)
    if ya is None or isinstance(ya, (str, list, tuple)) or (y.__class__ is np.ndarray and fn is not np.equal):
        # as torch: `t == [1, 2]` is False, `t < [1, 2]` a TypeError; an
        # ndarray compares with == only (`t != arr` is then Python's True)
        return NotImplemented
    xa = x._data()
    _check_broadcast(xa, ya)
    if isinstance(y, Tensor) and x.dtype is not y.dtype:
        # torch compares in the promoted dtype: a float32 vector with a 0-d
        # float64 tensor in float32 (NumPy would compare in float64)
        dt = D.result_type([(x.ndim, x.dtype), (y.ndim, y.dtype)], []).np
        xa, ya = np.asarray(xa).astype(dt, copy=False), np.asarray(ya).astype(dt, copy=False)
    r = np.asarray(fn(xa, ya))
    if not (LY.plain(xa) and (ya.__class__ is not np.ndarray or LY.plain(ya))):
        r = LY.follow(r, xa, ya)        # (torch's layout where NumPy's C order differs)
    return _array_out(r, D.bool_)


def _check_bitwise(name, x, y):
    """&, |, ^ are bitwise ops: torch refuses floating operands."""
    if (isinstance(y, Tensor) and y.dtype.is_floating_point) or isinstance(y, float) or x.dtype.is_floating_point:
        dts = [(t.ndim, t.dtype) for t in (x, y) if isinstance(t, Tensor)]
        dt = D.result_type(dts, [2] if isinstance(y, float) else [])
        raise NotImplementedError(f"\"bitwise_{name}_cpu\" not implemented for '{D.TORCH_NAMES[dt.name]}'")


# ----- the operators (the hot path: see _binary for the 0-d fast path)
# Other operand types (None, str, list, ...): NotImplemented, so Python
# tries the other operand and raises its own TypeError, as for torch. An
# ndarray too, as torch: `t * arr` is then NumPy's `arr.__rmul__` (the
# tensor read through __array__, NumPy's dtypes, no gradient) and
# `arr * t` a TypeError.
_OPERANDS = (Tensor, bool, int, float, complex, np.generic)


def __add__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented
    return _binary(_ADD, self, other, "AddBackward0")


def __radd__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented
    return _binary(_ADD, other, self, "AddBackward0")


def __sub__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented
    return _binary(_SUB, self, other, "SubBackward0")


def __rsub__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented
    return _binary(_SUB, other, self, "RsubBackward1")


def __mul__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented
    return _binary(_MUL, self, other, "MulBackward0")


def __rmul__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented
    return _binary(_MUL, other, self, "MulBackward0")


def __truediv__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented
    return _binary(_DIV, self, other, "DivBackward0")


def __rtruediv__(self, other):
    if not isinstance(other, _OPERANDS) and other.__class__ is not np.ndarray:
        return NotImplemented
    # torch's Tensor.__rtruediv__ is self.reciprocal() * other: two roundings
    # (not other / self's one) and the graph MulBackward0 -> ReciprocalBackward0
    return self.reciprocal() * other


def __pow__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented
    return _binary(_POW, self, other, "PowBackward1" if isinstance(other, Tensor) else "PowBackward0")


def __rpow__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented
    return _binary(_POW, other, self, "PowBackward2")


def __neg__(self):
    if self.dtype is D.bool_:
        O.check_integer_input("neg", self.dtype)
    return _unary(_NEG, self)


def __pos__(self):
    return self


def __abs__(self):
    if self.dtype is D.bool_:
        O.check_integer_input("abs", self.dtype)
    return _unary(O.UNARY["abs"], self)


def __floordiv__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented
    return _nondiff(np.floor_divide, self, other, True)


def __rfloordiv__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented
    return _nondiff(np.floor_divide, other, self, True)


def __mod__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented
    return _remainder(self, other)


def __rmod__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented
    return _remainder(other, self)


_REMAINDER = O.BINARY["remainder"]


def _remainder(x, y):
    """`x % y`: the op table's remainder (differentiable for floats, as torch's
    RemainderBackward); integers by zero raise torch's error."""
    for v in (x, y):
        if isinstance(v, float) or v.__class__ is Tensor and v.dtype.is_floating_point:
            break
    else:
        yv = np.asarray(y._data() if y.__class__ is Tensor else y)
        xv = np.asarray(x._data() if x.__class__ is Tensor else x)
        if np.any(yv == 0) and np.broadcast(xv, yv).size:   # (an empty result: no error, as torch)
            raise RuntimeError("ZeroDivisionError")
    if x.__class__ is not Tensor and y.__class__ is Tensor:
        return y._remainder_of_number(x)        # (functional.elementwise: torch has no derivative there)
    out = _binary(_REMAINDER, x, y, "RemainderBackward1" if y.__class__ is Tensor else "RemainderBackward0")
    if (y.__class__ is not Tensor or not y._rg) and out.__class__ is Tensor and out._name is not None:
        SN.note_saves_nothing(out._tape, out._slot)      # (torch's node saves only for the divisor's gradient)
    return out


# ----- comparisons (no gradient; bool results)
def __eq__(self, other):
    return _compare(np.equal, self, other)


def __ne__(self, other):
    return _compare(np.not_equal, self, other)


def __lt__(self, other):
    return _compare(np.less, self, other)


def __le__(self, other):
    return _compare(np.less_equal, self, other)


def __gt__(self, other):
    return _compare(np.greater, self, other)


def __ge__(self, other):
    return _compare(np.greater_equal, self, other)


def __contains__(self, element):
    """`v in t`: whether any element equals v, as torch (not Python's
    iteration over the first dim, which compares whole rows)."""
    if isinstance(element, (Tensor, numbers.Number)):
        return bool((element == self).any().item())
    raise RuntimeError(f"Tensor.__contains__ only supports Tensor or scalar, but you passed in a {type(element)}.")


def equal(self, other):
    return self.shape == other.shape and bool(np.array_equal(self._data(), other._data()))


def __and__(self, other):
    if isinstance(other, np.ndarray):
        return NotImplemented       # (NumPy's operator then, as torch)
    _check_bitwise("and", self, other)
    return _bitwise(np.bitwise_and, K.LOGICAL_AND, self, other)


def __or__(self, other):
    if isinstance(other, np.ndarray):
        return NotImplemented       # (NumPy's operator then, as torch)
    _check_bitwise("or", self, other)
    return _bitwise(np.bitwise_or, K.LOGICAL_OR, self, other)


def __xor__(self, other):
    if isinstance(other, np.ndarray):
        return NotImplemented       # (NumPy's operator then, as torch)
    _check_bitwise("xor", self, other)
    return _bitwise(np.bitwise_xor, K.LOGICAL_XOR, self, other)


def _bitwise(fn, code, x, y):
    """&, |, ^; compile records them on bools (the logical op)."""
    if (_T._guard_hook is not None and x.dtype is D.bool_ and (y.__class__ is bool or isinstance(y, Tensor)
                                                                and y.dtype is D.bool_) and TR.recording(x, y)):
        x, y = TR.plain(x), TR.plain(y)
        xa, ya = x._data(), (y._data() if isinstance(y, Tensor) else y)
        _check_broadcast(xa, ya)
        return TR.record(code, _array_out(np.asarray(fn(xa, ya)), D.bool_), x, y)
    return _nondiff(fn, x, y)


def __invert__(self):
    if self.dtype.is_floating_point:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    if _T._guard_hook is not None and self.dtype is D.bool_ and TR.recording(self):
        x = TR.plain(self)
        return TR.record(K.LOGICAL_NOT, Tensor._wrap(np.logical_not(x._data())), x)
    return Tensor._wrap(np.logical_not(self._data()) if self.dtype is D.bool_ else np.invert(self._data()))


def _preserved_copy(arr, strides):
    """A copy of arr laid out as torch's preserve_format lays out a tensor of
    `strides` (its dims ordered by stride: a transposed or permuted input keeps
    its layout; an expanded one, with a 0 stride, is contiguous)."""
    if 0 in strides or arr.ndim < 2:
        return np.array(arr, order="C")
    order = sorted(range(arr.ndim), key=lambda d: -strides[d])     # (stable: ties keep dim order)
    inverse = np.argsort(order)
    return np.array(arr.transpose(order), order="C").transpose(inverse)     # (np.array: always a copy)


def clone(self, *args, memory_format=None):
    if args:        # (torch's memory_format is keyword-only)
        raise TypeError(f"clone() takes 0 positional arguments but {len(args)} {'was' if len(args) == 1 else 'were'} "
                        "given")
    return copy_of(self, getattr(memory_format, "_name", None) == "contiguous_format")


def copy_of(self, contiguous: bool):
    """clone(): a copy laid out as torch's preserve_format (contiguous: as
    contiguous_format; x.contiguous() of a non-contiguous x)."""
    if self._v is not None:
        out = _scalar_out(self._v, self.dtype)
    else:
        arr = self._arr
        if arr.flags.c_contiguous or contiguous:
            res = np.array(arr, order="C")
            if not contiguous and arr.ndim > 1 and 1 in arr.shape:
                res = LY.like(res, arr, self.stride())
            out = _array_out(res, self.dtype)
        else:
            st = self.stride()
            if 1 in arr.shape:      # (size-1 dims: empty_like's rule, their strides too)
                res = LY.like(np.array(arr, order="C"), arr, st)
            else:
                res = _preserved_copy(arr, st)
            out = _array_out(res, self.dtype)
    if self._rg and STATE.grad_enabled:
        _record_unary_like(K.COPY, self, out, "CloneBackward0")
    return out


for _f in (__rmod__, __add__, __radd__, __sub__, __rsub__, __mul__, __rmul__, __truediv__, __rtruediv__, __pow__, __rpow__, __neg__, __pos__, __abs__, __floordiv__, __rfloordiv__, __mod__, __eq__, __ne__, __lt__, __le__, __gt__, __ge__, __contains__, equal, __and__, __or__, __xor__, __invert__, clone):
    setattr(Tensor, _f.__name__, _f)
# The operators of the hot path get the inlined 0-d fast path (scalar_ops.py).
for _f, _spec, _bname, _tname in ((__add__, _ADD, "AddBackward0", None), (__radd__, _ADD, "AddBackward0", None), (__sub__, _SUB, "SubBackward0", None), (__rsub__, _SUB, "RsubBackward1", None), (__mul__, _MUL, "MulBackward0", None), (__rmul__, _MUL, "MulBackward0", None), (__truediv__, _DIV, "DivBackward0", None), (__pow__, _POW, "PowBackward0", "PowBackward1"), (__rpow__, _POW, "PowBackward2", None)):
    setattr(Tensor, _f.__name__, binary_operator(_spec, _bname, _f, _f.__name__.startswith("__r"), _tname))
Tensor.eq = __eq__
Tensor.ne = __ne__
Tensor.lt = __lt__
Tensor.le = __le__
Tensor.gt = __gt__
Tensor.ge = __ge__
Tensor.__rand__ = __and__
Tensor.__ror__ = __or__
Tensor.__rxor__ = __xor__
