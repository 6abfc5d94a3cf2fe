"""The Python side of the op table: how each elementwise op runs eagerly.

Each row: name -> (opcode, PyTorch backward name, scalar forward, array
forward). The opcode's value and local derivatives live in
``kernels.elementwise``; ``tests/test_op_table.py`` walks this table and checks
every row against that kernel, against PyTorch and against finite
differences, so a new row is tested as soon as it exists.

Scalar forwards work on Python floats (0-d tensors never touch NumPy on the
hot path) and must return what NumPy would: inf/nan instead of exceptions.
"""
import math
import operator

import numpy as np

from . import kernels as K

inf, nan = math.inf, math.nan


def _guard(f, at_pole=None):
    """math function -> total function: domain errors give nan, overflow inf."""
    def g(x):
        try:
            return f(x)
        except ValueError:
            return at_pole(x) if at_pole is not None else nan
        except OverflowError:
            return inf
    g.__name__ = f.__name__
    return g


def _log_pole(x):
    return -inf if x == 0 else nan


def _div(x, y):
    try:
        return x / y
    except ZeroDivisionError:
        if x != x or x == 0:
            return nan
        return math.copysign(inf, x) * math.copysign(1.0, y)


def _pow(x, y):
    try:
        r = x ** y
    except ZeroDivisionError:           # 0 ** negative: inf, signed for odd y
        return math.copysign(inf, x) if float(y).is_integer() and y % 2 == 1 else inf
    except OverflowError:
        return inf if x > 0 or float(y).is_integer() and y % 2 == 0 else -inf
    if r.__class__ is complex:         # negative base, fractional exponent
        return nan
    return float(r)


def _np_pow(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind == "f" and y.ndim == 0 and x.ndim:
        # torch's special exponents (np.power has no fast path for them).
        e = float(y)
        if e == 2.0:
            return x * x
        if e == 1.0:
            return x.copy()
        if e == 0.5:
            return np.sqrt(x)
        if e == -1.0:
            return np.reciprocal(x)
    if x.dtype == np.bool_:     # NumPy has no bool power; the caller casts back
        x = x.astype(np.int64)
    if x.dtype.kind == "f" or y.dtype.kind == "f" or not (y < 0).any():
        return np.power(x, y)
    # Integer powers with negative exponents truncate, as C's (and torch's) do.
    odd = np.abs(y) % 2 == 1
    neg = np.where(x == 1, 1, np.where(x == -1, np.where(odd, -1, 1), 0))
    return np.where(y < 0, neg, np.power(x, np.maximum(y, 0)))


def _sigmoid(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _relu(x):
    return x if x >= 0 or x != x else 0.0    # keeps nan and -0.0, as torch


def _sign(x):
    return float((x > 0) - (x < 0))     # torch: sign(nan) = 0


def _rsqrt(x):
    return _div(1.0, _sqrt(x))


def _softplus(x):
    return x if x > 20 else math.log1p(math.exp(x))


def _silu(x):
    return x * _sigmoid(x)


def _gelu(x):
    return 0.5 * x * (1.0 + math.erf(x / math.sqrt(2.0)))


def _np_sigmoid(x):
    # torch's 1 / (1 + exp(-x)): exact in the far negative tail, where
    # 0.5 * (tanh(x / 2) + 1) cancels to 0 (sigmoid(-30) is 9.4e-14).
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def _np_relu(x):
    return np.where(x < 0, 0, x)    # keeps nan and -0.0, as torch


def _clamp_min(x, c):
    return np.where(x < c, np.asarray(c, x.dtype), x)


def _clamp_max(x, c):
    return np.where(x > c, np.asarray(c, x.dtype), x)


def _np_sign(x):
    if x.dtype == np.bool_:
        return x
    return np.where(x != x, 0, np.sign(x))


def _integral(f):
    """math.floor & co. as float -> float functions, total on inf and nan,
    with IEEE's signed zeros (ceil(-0.5) is -0.0)."""
    def g(x):
        return math.copysign(float(f(x)), x) if math.isfinite(x) else x
    g.__name__ = f.__name__
    return g


_trunc = _integral(math.trunc)


_sqrt = _guard(math.sqrt)

BINARY = {
    "add": (K.ADD, "AddBackward0", operator.add, np.add),     # C functions: the hot path
    "sub": (K.SUB, "SubBackward0", operator.sub, np.subtract),
    "mul": (K.MUL, "MulBackward0", operator.mul, np.multiply),
    "div": (K.DIV, "DivBackward0", _div, np.divide),
    "pow": (K.POW, "PowBackward1", _pow, _np_pow),
    "maximum": (K.MAXIMUM, "MaximumBackward0", lambda x, y: nan if x != x or y != y else max(x, y), np.maximum),
    "minimum": (K.MINIMUM, "MinimumBackward0", lambda x, y: nan if x != x or y != y else min(x, y), np.minimum),
    "atan2": (K.ATAN2, "Atan2Backward0", math.atan2, np.arctan2),
}

UNARY = {
    "neg": (K.NEG, "NegBackward0", lambda x: -x, np.negative),
    "exp": (K.EXP, "ExpBackward0", _guard(math.exp), np.exp),
    "log": (K.LOG, "LogBackward0", _guard(math.log, _log_pole), np.log),
    "sin": (K.SIN, "SinBackward0", _guard(math.sin), np.sin),
    "cos": (K.COS, "CosBackward0", _guard(math.cos), np.cos),
    "tan": (K.TAN, "TanBackward0", _guard(math.tan), np.tan),
    "tanh": (K.TANH, "TanhBackward0", math.tanh, np.tanh),
    "sigmoid": (K.SIGMOID, "SigmoidBackward0", _sigmoid, _np_sigmoid),
    "relu": (K.RELU, "ReluBackward0", _relu, _np_relu),
    "abs": (K.ABS, "AbsBackward0", abs, np.abs),
    "sqrt": (K.SQRT, "SqrtBackward0", _sqrt, np.sqrt),
    "log1p": (K.LOG1P, "Log1PBackward0", _guard(math.log1p, lambda x: -inf if x == -1 else nan), np.log1p),
    "expm1": (K.EXPM1, "Expm1Backward0", _guard(math.expm1), np.expm1),
    "sign": (K.SIGN, "SignBackward0", _sign, _np_sign),
    "square": (K.SQUARE, "PowBackward0", lambda x: x * x, np.square),
    "reciprocal": (K.RECIPROCAL, "ReciprocalBackward0", lambda x: _div(1.0, x), np.reciprocal),
    "asin": (K.ASIN, "AsinBackward0", _guard(math.asin), np.arcsin),
    "acos": (K.ACOS, "AcosBackward0", _guard(math.acos), np.arccos),
    "atan": (K.ATAN, "AtanBackward0", math.atan, np.arctan),
    "sinh": (K.SINH, "SinhBackward0", _guard(math.sinh), np.sinh),
    "cosh": (K.COSH, "CoshBackward0", _guard(math.cosh), np.cosh),
    "log2": (K.LOG2, "Log2Backward0", _guard(math.log2, _log_pole), np.log2),
    "log10": (K.LOG10, "Log10Backward0", _guard(math.log10, _log_pole), np.log10),
    "exp2": (K.EXP2, "Exp2Backward0", lambda x: _pow(2.0, x), np.exp2),
    "rsqrt": (K.RSQRT, "RsqrtBackward0", _rsqrt, lambda x: 1.0 / np.sqrt(x)),
    "softplus": (K.SOFTPLUS, "SoftplusBackward0", _guard(_softplus), lambda x: np.where(x > 20, x, np.log1p(np.exp(np.minimum(x, 20))))),
    "gelu": (K.GELU, "GeluBackward0", _gelu, None),
    "silu": (K.SILU, "SiluBackward0", _silu, lambda x: x * _np_sigmoid(x)),
    "erf": (K.ERF, "ErfBackward0", math.erf, None),
    "floor": (K.FLOOR, "FloorBackward0", _integral(math.floor), np.floor),
    "ceil": (K.CEIL, "CeilBackward0", _integral(math.ceil), np.ceil),
    "round": (K.ROUND, "RoundBackward0", _integral(round), np.round),
    "trunc": (K.TRUNC, "TruncBackward0", _trunc, np.trunc),
    "frac": (K.FRAC, "FracBackward0", lambda x: x - _trunc(x), lambda x: x - np.trunc(x)),
}

# Ops whose forward keeps integer dtypes (the rest promote ints to float).
INT_PRESERVING = {"neg", "abs", "sign", "square", "floor", "ceil", "round", "trunc", "relu"}

# Ops with one float attribute `c` (carried in a constant slot).
PARAM_UNARY = {
    # torch keeps x unless it is past the bound: clamp(-0.0, min=0) is -0.0.
    "clamp_min": (K.CLAMP_MIN, "ClampMinBackward0", lambda x, c: x if x >= c or x != x else c, _clamp_min),
    "clamp_max": (K.CLAMP_MAX, "ClampMaxBackward0", lambda x, c: x if x <= c or x != x else c, _clamp_max),
    "leaky_relu": (K.LEAKY_RELU, "LeakyReluBackward0", lambda x, c: x if x > 0 else x * c,
                   lambda x, c: np.where(x > 0, x, x * c)),
    "elu": (K.ELU, "EluBackward0", lambda x, c: x if x > 0 else c * math.expm1(x),
            lambda x, c: np.where(x > 0, x, c * np.expm1(np.where(x > 0, 0, x)))),
}


# Integer and bool inputs torch rejects: name -> (kernel name torch reports,
# rejected dtype names). The error reads '"<kernel>" not implemented for 'Long''.
_NOT_IMPLEMENTED = {
    "abs": ("abs_cpu", {"bool"}),
    "floor": ("floor_vml_cpu", {"bool"}), "ceil": ("ceil_vml_cpu", {"bool"}),
    "round": ("round_vml_cpu", {"bool"}), "trunc": ("trunc_vml_cpu", {"bool"}),
    "frac": ("frac_cpu", {"int64", "bool"}), "softplus": ("softplus_cpu", {"int64", "bool"}),
    "gelu": ("GeluKernelImpl", {"int64", "bool"}), "silu": ("silu_cpu", {"int64", "bool"}),
    "leaky_relu": ("leaky_relu_cpu", {"int64", "bool"}), "elu": ("elu_cpu", {"int64", "bool"}),
}
_BOOL_ERRORS = {
    "neg": "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
           "invert a mask, use the `~` or `logical_not()` operator instead.",
    "relu": "Boolean inputs not supported for relu",
}
_TORCH_TYPE = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def check_integer_input(name, dtype):
    """Raise torch's error if op `name` rejects a (non-float) input `dtype`."""
    if dtype.name == "bool" and name in _BOOL_ERRORS:
        raise RuntimeError(_BOOL_ERRORS[name])
    kernel, rejected = _NOT_IMPLEMENTED.get(name, (None, ()))
    if ("bool" if dtype.name == "bool" else "int64") in rejected:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_TORCH_TYPE[dtype.name]}\'')


# Ops that compute a bool input as int64 (square is pow(x, 2): bool ** int -> int64).
BOOL_AS_INT = {"square"}


def check_bool_binary(op, dtype, x_bool, y_bool, y_is_number):
    """Raise torch's error for a binary op torch rejects on bool operands."""
    if op == K.SUB and (x_bool or y_bool):
        if x_bool and y_bool:
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                               "Use the `^` or `logical_xor()` operator instead.")
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
    if op == K.POW and dtype.name == "bool" and not y_is_number:   # bool ** True is allowed
        raise NotImplementedError('"pow" not implemented for \'Bool\'')
