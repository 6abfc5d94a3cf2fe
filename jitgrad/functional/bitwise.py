"""Bitwise functions on integer and bool tensors (`bitwise_and/or/xor/not`,
`bitwise_left_shift/right_shift`), their methods, in-place forms and the
`<<`, `>>`, `&=`, `|=`, `^=`, `<<=`, `>>=` operators. No gradients (torch
has none); floating operands raise torch's "not implemented for" errors."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes as D
from ..tensors import arith as A
from ..tensors.tensor import Tensor, _array_out, _guard_taint
from .inplace import _check_cast, _inplace

__all__ = ["bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_left_shift",
           "bitwise_right_shift"]


def _promoted(x: Any, y: Any) -> D.dtype:
    infos = [A._operand_info(v) for v in (x, y)]
    return D.result_type([(nd, d) for _, d, nd, _ in infos if d is not None],
                         [k for _, _, _, k in infos if k is not None])


def _result_dtype(kernel: str, x: Any, y: Any) -> D.dtype:
    """torch's promoted dtype of (x, y); a floating one has no bitwise kernel."""
    dt = _promoted(x, y)
    if dt.is_floating_point:
        raise NotImplementedError(f"\"{kernel}_cpu\" not implemented for '{D.TORCH_NAMES[dt.name]}'")
    return dt


def _check_args(name: str, x: Any, y: Any) -> None:
    """torch takes (Tensor, Tensor), (Tensor, Number) or (Number, Tensor)."""
    if isinstance(x, Tensor) or isinstance(y, Tensor):
        return
    got = f"{type(x).__name__}, {type(y).__name__}"
    raise TypeError(f"{name}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                    " * (Tensor input, Tensor other, *, Tensor out = None)\n"
                    " * (Number self, Tensor other)\n"
                    f"      didn't match because some of the arguments have invalid types: "
                    f"(!{type(x).__name__}!, !{type(y).__name__}!)\n"
                    " * (Tensor input, Number other, *, Tensor out = None)\n")


def _apply(kernel: str, fn: Any, x: Any, y: Any) -> Tensor:
    xa = np.asarray(x._data() if isinstance(x, Tensor) else x)
    ya = np.asarray(y._data() if isinstance(y, Tensor) else y)
    A._check_broadcast(xa, ya)      # (torch's TensorIterator broadcasts before its kernel's dtype check)
    dt = _result_dtype(kernel, x, y)
    _guard_taint(kernel, x, y)
    # Python ints wrap to the result dtype, as torch's scalar conversion.
    with np.errstate(all="ignore"):
        res = fn(xa.astype(dt.np), ya.astype(dt.np), dt)
    return _array_out(np.asarray(res, dt.np), dt)


def _and(a, b, dt):
    return np.bitwise_and(a, b)


def _or(a, b, dt):
    return np.bitwise_or(a, b)


def _xor(a, b, dt):
    return np.bitwise_xor(a, b)


def _bits(dt: D.dtype) -> int:
    return np.dtype(dt.np).itemsize * 8


def _shift_left(a, b, dt):
    """torch shifts as unsigned; a shift outside [0, bits) gives 0."""
    if dt is D.bool_:
        raise NotImplementedError("\"lshift_cpu\" not implemented for 'Bool'")
    bits = _bits(dt)
    ok = (b >= 0) & (b < bits)
    unsigned = np.dtype(dt.np).str.replace("i", "u")
    shifted = np.left_shift(a.astype(unsigned), np.where(ok, b, 0).astype(unsigned)).astype(dt.np)
    return np.where(ok, shifted, np.zeros((), dt.np))


def _shift_right(a, b, dt):
    """Arithmetic shift; a shift outside [0, bits) fills with the sign (0 for unsigned)."""
    if dt is D.bool_:
        raise NotImplementedError("\"rshift_cpu\" not implemented for 'Bool'")
    bits = _bits(dt)
    ok = (b >= 0) & (b < bits)
    if dt is D.uint8:
        return np.where(ok, np.right_shift(a, np.where(ok, b, 0).astype(a.dtype)), np.zeros((), a.dtype))
    return np.right_shift(a, np.where(ok, b, bits - 1).astype(a.dtype))


def bitwise_and(input: Any, other: Any) -> Tensor:
    _check_args("bitwise_and", input, other)
    return _apply("bitwise_and", _and, input, other)


def bitwise_or(input: Any, other: Any) -> Tensor:
    _check_args("bitwise_or", input, other)
    return _apply("bitwise_or", _or, input, other)


def bitwise_xor(input: Any, other: Any) -> Tensor:
    _check_args("bitwise_xor", input, other)
    return _apply("bitwise_xor", _xor, input, other)


def bitwise_left_shift(input: Any, other: Any) -> Tensor:
    _check_args("bitwise_left_shift", input, other)
    return _apply("lshift", _shift_left, input, other)


def bitwise_right_shift(input: Any, other: Any) -> Tensor:
    _check_args("bitwise_right_shift", input, other)
    return _apply("rshift", _shift_right, input, other)


def bitwise_not(input: Tensor) -> Tensor:
    if input.dtype.is_floating_point:
        raise NotImplementedError(f"\"bitwise_not_cpu\" not implemented for '{D.TORCH_NAMES[input.dtype.name]}'")
    return ~input


def _reflected(fn):
    def method(self, other):
        return fn(other, self)
    return method


def _in_place(fn):
    def method(self, other):
        _check_cast(_promoted(self, other), self.dtype)     # (torch checks the cast before the kernel)
        return _inplace(self, lambda spec, s, o, name: fn(s, other), None, None, None)
    method.__name__ = fn.__name__ + "_"
    return method


for _fn in (bitwise_and, bitwise_or, bitwise_xor, bitwise_left_shift, bitwise_right_shift):
    setattr(Tensor, _fn.__name__, _fn)
    setattr(Tensor, _fn.__name__ + "_", _in_place(_fn))
Tensor.bitwise_not = bitwise_not
Tensor.bitwise_not_ = lambda self: _inplace(self, lambda spec, s, o, name: bitwise_not(s), None, None, None)
Tensor.__lshift__, Tensor.__rshift__ = bitwise_left_shift, bitwise_right_shift
Tensor.__rlshift__, Tensor.__rrshift__ = _reflected(bitwise_left_shift), _reflected(bitwise_right_shift)
Tensor.__ilshift__, Tensor.__irshift__ = Tensor.bitwise_left_shift_, Tensor.bitwise_right_shift_


def _in_place_operator(fn):
    method = _in_place(fn)

    def operator(self, other):
        if isinstance(other, np.ndarray):
            return NotImplemented       # (rebinds x to NumPy's `x & m`, as torch)
        return method(self, other)
    return operator


# `x &= m` writes into x (Python would otherwise rebind x to `x & m`, leaving aliases unchanged).
Tensor.__iand__ = _in_place_operator(lambda s, o: s & o)
Tensor.__ior__ = _in_place_operator(lambda s, o: s | o)
Tensor.__ixor__ = _in_place_operator(lambda s, o: s ^ o)
