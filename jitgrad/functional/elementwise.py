"""The op table's elementwise functions (jitgrad.sin, jitgrad.atan2, ...) and the
elementwise composites built on them (clamp, where, logit, polygamma)."""

import builtins
import math

import numpy as np

from ..core import dtypes as D
from ..core import layouts as LY
from ..core.arrays import quiet
from ..core import kernels as K
from ..core import ops as O
from ..core import vector_ties as VT
from ..core import tape as T
from ..core import saved_nodes as SN
from ..core.grad_mode import STATE
from ..tensors.tensor import (_guard_recording, _guard_taint, Tensor, _array_out)
from ..tensors.arith import (_binary, _check_broadcast, _finish, _nondiff, _param_unary, _push_out, _record_binary, _unary)
from ..tensors.scalar_ops import unary_function
from ..tensors import tracked as TR
from ..autodiff.bulk import record_no_derivative
from ..autodiff.engine import ANOMALY, check_anomaly  # noqa: F401  (check_anomaly: used by the layers above)
from ..autodiff.matmul import MatmulBackward, matmul_grads, sum_to_tensor as _sum_to_tensor  # noqa: F401

from . import box_muller as _box_muller
from . import out_arg
from .base import (_as_tensor, _gather_tensor, _grad_on, _named, _saved_operand, _tensors_only, _to_dtype, builtins_all,
                   builtins_any)
from . import small_ops
from ..tensors import half_scalars as HS


# ----- elementwise functions (one per op-table row) ------------------------

def _make_unary(name):
    spec = O.UNARY[name]

    def f(input, *, out=None):
        if not isinstance(input, Tensor):      # torch.sin(1.0) is a TypeError
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
        if out is not None:
            return out_arg.call_with_out(name, f, (input,), {}, out, "elementwise", 5)
        x = input
        if not x.dtype.is_floating_point:
            x = _integer_input(name, x)
        return _unary(spec, x)
    f.__name__ = name
    f.__doc__ = f"Elementwise {name}; backward is the op table's rule ({spec[1]})."
    fast = unary_function(spec, f)      # with the inlined 0-d fast path
    fast._takes_out = True          # type: ignore[attr-defined]  (out_arg.install leaves it as it is)
    return fast


for _name in O.UNARY:
    globals()[_name] = _make_unary(_name)
negative = globals()["neg"]
arcsin, arccos, arctan = globals()["asin"], globals()["acos"], globals()["atan"]
arcsinh, arccosh, arctanh = globals()["asinh"], globals()["acosh"], globals()["atanh"]
_round_half_even = globals()["round"]
builtins_abs = builtins.abs


def round(input, *, decimals=None, out=None):  # noqa: A001 - torch's name
    """torch.round; with `decimals` (torch's round.decimals overload, even for
    0: RoundBackward1), its kernel: nearbyint(x * 10**d) / 10**d (d < 0:
    nearbyint(x / 10**-d) * 10**-d), each step in the input's float dtype
    (exact as recorded ops), a zero gradient."""
    if decimals is None or not isinstance(input, Tensor):
        return _round_half_even(input, out=out)
    if out is not None:
        return out_arg.call_with_out("round", round, (input,), {"decimals": decimals}, out, "elementwise", 5)
    if not input.dtype.is_floating_point:
        kernel = "round_vml_cpu" if decimals == 0 else "round_cpu"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{D.TORCH_NAMES[input.dtype.name]}'")
    if decimals == 0:
        return _named(_round_half_even(input), "RoundBackward1", input)
    scale = float(np.asarray(10.0 ** builtins_abs(decimals), input.dtype.np))    # (torch's scalar_t power of ten)
    if decimals > 0:
        return _named(_round_half_even(input * scale) / scale, "RoundBackward1", input)
    return _named(_round_half_even(input / scale) * scale, "RoundBackward1", input)


globals()["round"] = round


def _integer_input(name, x):
    """An int/bool input of op `name`: torch's error, or the dtype torch computes in."""
    O.check_integer_input(name, x.dtype)
    return _to_dtype(x, D.int64) if x.dtype is D.bool_ and name in O.BOOL_AS_INT else x


def _fused(out, input, other, alpha):
    """torch rounds add/sub's x + alpha * y once (a fused multiply-add): the
    value of `out` (computed with two roundings) becomes that, an unrecorded
    result directly, a recorded one by adding the (exact) difference, whose
    gradient is the identity."""
    if not (isinstance(out, Tensor) and out.dtype.is_floating_point
            and out.dtype.np in (np.float16, np.float32, np.float64)
            and isinstance(alpha, (int, float)) and not isinstance(alpha, bool)
            and isinstance(input, Tensor) and isinstance(other, Tensor) and input.shape == other.shape):
        # (a broadcast or Python-number operand takes torch's scalar loops, which
        # fuse some elements and not others: those keep two roundings)
        return out
    # compile: the fused value has no record (the fix-up below is a constant of
    # this call's values, and values whose two roundings agree now may not at
    # replay): the call runs eagerly, never a frozen value
    if _guard_recording(input) or _guard_recording(other):     # (Parameters too)
        _guard_taint("add/sub with alpha (torch's fused multiply-add has no record)")
    dt = out.dtype.np
    xv = input._data() if isinstance(input, Tensor) else np.asarray(input, dt)
    yv = other._data() if isinstance(other, Tensor) else np.asarray(other, dt)
    if dt == np.float16 and not (xv.flags.c_contiguous and yv.flags.c_contiguous and input.dtype is other.dtype):
        return out
    with quiet():
        if dt == np.float16:        # (torch's vectorised and scalar loops round differently)
            exact = HS.add_scaled(xv, yv, alpha)
        else:
            exact = np.broadcast_to(_box_muller.add_scaled(xv.astype(dt), yv.astype(dt), alpha, dt), out.shape)
        cur = out._data()
        fix = np.isfinite(exact) & np.isfinite(cur) & (exact != cur)
        if not fix.any():
            return out
        if not out._rg:
            return Tensor._wrap(np.where(fix, exact, cur), out.dtype)
        return out + Tensor._wrap(np.where(fix, exact - cur, 0.0).astype(dt), out.dtype)


def check_alpha(input, other, alpha) -> None:
    """torch's checks of add / sub's alpha against the result's dtype (alpha=True
    equals 1, but only a bool result takes it)."""
    if alpha.__class__ is int:
        return
    ops = (input, other)
    dt = D.result_type([(t.ndim, t.dtype) for t in ops if isinstance(t, Tensor)],
                       [_scalar_kind(t) for t in ops if not isinstance(t, Tensor)])
    if isinstance(alpha, (bool, np.bool_)):
        if dt is not D.bool_:
            raise RuntimeError("Boolean alpha only supported for Boolean results.")
    elif isinstance(alpha, complex):
        if not dt.is_complex:
            raise RuntimeError("For non-complex input tensors, argument alpha must not be a complex number.")
    elif isinstance(alpha, (float, np.floating)) and not dt.is_floating_point:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")


def _in_result_dtype(input, other):
    """other in the result's dtype before it is scaled by alpha (int32 * 0.5 would be float32 where
    float64 0-D input - int32 is float64: torch scales in the result's dtype)."""
    if not isinstance(other, Tensor):
        return other
    ops = (input, other)
    dt = D.result_type([(t.ndim, t.dtype) for t in ops if isinstance(t, Tensor)],
                       [_scalar_kind(t) for t in ops if not isinstance(t, Tensor)])
    return other.to(dt) if dt is not other.dtype and dt.is_floating_point else other


def add(input, other, *, alpha=1):
    check_alpha(input, other, alpha)
    if alpha == 1:
        return input + other
    other = _in_result_dtype(input, other)
    out = _fused(input + other * alpha, input, other, alpha)
    return _named(out, "AddBackward0", input, other)     # (torch's one node)


def sub(input, other, *, alpha=1):
    check_alpha(input, other, alpha)
    if alpha != 1:      # (other * alpha would turn a bool operand into a number: torch's check first)
        def is_bool(t):
            return t.dtype is D.bool_ if isinstance(t, Tensor) else isinstance(t, (bool, np.bool_))
        O.check_bool_binary(O.BINARY["sub"][0], None, is_bool(input), is_bool(other), not isinstance(other, Tensor))
    if alpha != 1:
        other = _in_result_dtype(input, other)
    scaled = other if alpha == 1 else other * alpha
    if not isinstance(input, Tensor):     # torch.sub(2, x) is no rsub
        out = _binary(O.BINARY["sub"], input, scaled, "SubBackward0")
    else:
        out = input - scaled
    if alpha == 1:
        return out
    return _named(_fused(out, input, other, -alpha), "SubBackward0", input, other)


subtract = sub


def mul(input, other):
    return input * other if isinstance(input, Tensor) else _as_tensor(input) * other


multiply = mul


def div(input, other, *, rounding_mode=None):
    if rounding_mode is None:
        if not isinstance(input, Tensor):     # torch.div(2, x) is no reciprocal
            return _binary(O.BINARY["div"], input, other, "DivBackward0")
        return input / other
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found '{rounding_mode}'")
    if rounding_mode == "floor":
        def rnd(a, b):      # torch's floor division: integers as NumPy, floats via fmod
            if np.result_type(a, b).kind in "biu":
                return np.floor(np.true_divide(a, b))
            return O.floor_divide(a, b)
    else:
        def rnd(a, b):
            return np.trunc(np.true_divide(a, b))
    out = _nondiff(rnd, input, other, True)
    if _grad_on(input, other) and out.dtype.is_floating_point:
        # A step function: torch's gradient is zero (not None).
        _record_routes(out, [(input, False), (other, False)], "DivBackward2")
        SN.note_saved_index(out._tape, out._slot, "DivBackward2")       # (torch's node saves the divisor)
    return out


divide = true_divide = div


def pow(input, exponent):
    if isinstance(input, Tensor):
        return input ** exponent
    return exponent.__rpow__(input)


def maximum(input, other):
    _tensors_only("maximum", input, other)
    return _binary(O.BINARY["maximum"], input, other, "MaximumBackward0")


def minimum(input, other):
    _tensors_only("minimum", input, other)
    return _binary(O.BINARY["minimum"], input, other, "MinimumBackward0")


def atan2(input, other):
    _tensors_only("atan2", input, other)
    return _binary(O.BINARY["atan2"], input, other, "Atan2Backward0")


arctan2 = atan2


def _make_binary(name):
    """jitgrad.<name>(input, other) for a binary op-table entry."""
    op = O.BY_NAME[name]
    numbers = op.numbers        # where torch takes a Python number
    spec = O.BINARY[name]

    def f(input, other, *, out=None):
        x_num, y_num = not isinstance(input, Tensor), not isinstance(other, Tensor)
        if numbers == "none":
            _tensors_only(name, input, other)
        elif numbers == "other" and x_num:
            raise TypeError(f"{name}() received an invalid combination of arguments - got "
                            f"({type(input).__name__}, {type(other).__name__}), but expected one of:\n"
                            " * (Tensor input, Tensor other, *, Tensor out = None)\n"
                            " * (Tensor input, Number other, *, Tensor out = None)\n")
        for v in (input, other):
            if isinstance(v, Tensor) and not v.dtype.is_floating_point:
                O.check_integer_input(name, v.dtype)
        if op.keeps_int:
            _check_int_divisor(input, other)
        bname = op.names.get("scalar_y" if y_num else "scalar_x" if x_num else "", op.backward)
        if name == "remainder" and x_num:
            return _remainder_of_number(input, other)
        res = _binary(spec, input, other, bname)
        if name in ("fmod", "remainder") and (y_num or not other._rg) and res.__class__ is Tensor \
                and res._name is not None:
            SN.note_saves_nothing(res._tape, res._slot)      # (torch's node saves only for the divisor's gradient)
        return res
    f.__name__ = name
    f.__doc__ = f"Elementwise {name}; backward is the op table's rule ({op.backward})."
    return f


def _remainder_of_number(x, y):
    """remainder(number, tensor): torch has no derivative for the tensor (a
    backward reaching it raises)."""
    _check_int_divisor(x, y)
    out = _binary(O.BINARY["remainder"], x, y.detach(), "RemainderBackward0")
    if y._rg and STATE.grad_enabled:
        out = record_no_derivative(out, "derivative for aten::remainder is not implemented")
    return out


Tensor._remainder_of_number = lambda self, number: _remainder_of_number(number, self)     # (for `number % x`)


def _check_int_divisor(x, y):
    """Integer fmod/remainder by zero: torch's error (NumPy would return 0)."""
    for v in (x, y):    # (this module's all/any shadow the builtins)
        if isinstance(v, float) or isinstance(v, Tensor) and v.dtype.is_floating_point:
            return
    if np.any(np.asarray(y._data() if isinstance(y, Tensor) else y) == 0):
        raise RuntimeError("ZeroDivisionError")


xlogy = _make_binary("xlogy")
hypot = _make_binary("hypot")
logaddexp = _make_binary("logaddexp")
logaddexp2 = _make_binary("logaddexp2")
copysign = _make_binary("copysign")
fmod = _make_binary("fmod")
remainder = _make_binary("remainder")


def logit(input, eps=None):
    x = _as_tensor(input)
    if not x.dtype.is_floating_point:
        x = _to_dtype(x, D.get_default_dtype())
    return _param_unary(O.PARAM_UNARY["logit"], x, -1.0 if eps is None else float(eps))


def polygamma(n, input):
    """The n-th derivative of digamma (n = 0: digamma itself)."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"polygamma(): argument 'n' (position 1) must be int, not {type(n).__name__}")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    x = _as_tensor(input)
    if not x.dtype.is_floating_point:
        x = _to_dtype(x, D.get_default_dtype())
    if n == 0:
        return x.digamma()
    return _param_unary(O.PARAM_UNARY["polygamma"], x, float(n))


def clamp(input, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    out = small_ops.clamp_scalar(input, min, max, "ClampBackward1", _CLAMP_MIN, _CLAMP_MAX)   # (0-d, numbers)
    if out is not None:
        return out
    return _clamp("clamp", _as_tensor(input), min, max, "ClampBackward")


clip = clamp


_CLAMP_MIN, _CLAMP_MAX = O.PARAM_UNARY["clamp_min"], O.PARAM_UNARY["clamp_max"]


def clamp_min(input, min):
    out = small_ops.clamp_scalar(input, min, None, "ClampMinBackward0", _CLAMP_MIN, _CLAMP_MAX)
    if out is not None:
        return out
    return _clamp("clamp_min", _as_tensor(input), min, None, "ClampMinBackward")


def clamp_max(input, max):
    out = small_ops.clamp_scalar(input, None, max, "ClampMaxBackward0", _CLAMP_MIN, _CLAMP_MAX)
    if out is not None:
        return out
    return _clamp("clamp_max", _as_tensor(input), None, max, "ClampMaxBackward")


def _clamp(fn, x, lo, hi, name):
    """Scalar bounds: the ClampMin/ClampMax rows of the op table (name ...1 for
    clamp, ...0 for clamp_min/max); tensor bounds: masks routing the gradient."""
    args = [a for a in (lo, hi) if a is not None] if fn == "clamp" else [lo if hi is None else hi]
    if builtins_all(isinstance(a, Tensor) for a in args):
        return _clamp_tensors(x, lo, hi, name + "1" if fn != "clamp" else name + "0")
    # Mixed bounds: torch's argument parser takes a 0-d tensor that needs no
    # grad as the Number of the scalar overload, clamp(x, 0, torch.tensor(1.)).
    lo, hi = (a.item() if isinstance(a, Tensor) and a.ndim == 0 and not a.requires_grad else a for a in (lo, hi))
    args = [a for a in (lo, hi) if a is not None] if fn == "clamp" else [lo if hi is None else hi]
    if builtins_any(isinstance(a, Tensor) or not isinstance(a, (int, float)) for a in args):
        got = ", ".join(["Tensor"] + [type(a).__name__ for a in ((lo, hi) if fn == "clamp" else args)])
        sig = {"clamp": "{} min = None, {} max = None", "clamp_min": "{} min", "clamp_max": "{} max"}[fn]
        raise TypeError(f"{fn}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                        f" * (Tensor input, {sig.format('Tensor', 'Tensor')}, *, Tensor out = None)\n"
                        f" * (Tensor input, {sig.format('Number', 'Number')}, *, Tensor out = None)\n")
    dt = D.result_type([(x.ndim, x.dtype)], [_scalar_kind(a) for a in args])
    x = _to_dtype(x, dt)
    if not dt.is_floating_point:
        lo, hi = (None if a is None else D.checked_number(a, dt) for a in (lo, hi))
        val = x._data()
        val = np.maximum(val, lo) if lo is not None else val
        return _array_out(np.asarray(np.minimum(val, hi) if hi is not None else val, dt.np), dt)
    for a in args:
        D.checked_number(a, dt)     # (torch: a bound past the float type's range is an error)
    out = x
    if lo is not None:
        out = _param_unary(O.PARAM_UNARY["clamp_min"], out, float(lo))
    if hi is not None:
        out = _param_unary(O.PARAM_UNARY["clamp_max"], out, float(hi))
    name = name + "1" if fn == "clamp" else name + "0"
    return _named(out, name, x, saved=SN.clamp_args(name, lo, hi))


def _clamp_tensors(x, lo, hi, name):
    """clamp with tensor bounds; torch's masks: x gets the gradient where
    lo <= x <= hi, lo where x < lo < hi, hi where x > hi or hi < lo."""
    for a, b in ((x, lo), (x, hi), (lo, hi)):
        if a is not None and b is not None and (_guard_recording(a) or _guard_recording(b)):
            TR.escape(a >= b, a <= b)       # compile: the masks below are fixed by guards on these
    xv, lov, hiv = (None if t is None else t._data() for t in (x, lo, hi))
    dt = D.result_type([(t.ndim, t.dtype) for t in (x, lo, hi) if t is not None], [])
    val = xv
    for b, past in ((lov, np.less), (hiv, np.greater)):
        if b is not None:
            _check_broadcast(val, b)
            # x unless past the bound (keeps -0.0, as torch); a NaN bound gives NaN, as torch
            val = np.where(past(val, b) | np.isnan(b) if b.dtype.kind == "f" else past(val, b), b, val)
    if dt.is_floating_point and val.dtype.kind == "f":
        # a tie (-0.0 with +0.0): the bound where torch's kernel takes its vector form
        vec = VT.vector_positions(val.shape, [t.shape for t in (xv, lov, hiv) if t is not None], val.dtype.itemsize)
        for b in (lov, hiv):
            if b is not None:
                val = VT.clamp_tie_pick(val, b, vec)
    out = _array_out(np.asarray(val, dt.np), dt)
    if _grad_on(x, lo, hi) and dt.is_floating_point:
        with np.errstate(invalid="ignore"):
            x_ok = np.ones(val.shape, bool)
            lo_ok = hi_ok = None
            if lov is not None:
                x_ok = x_ok & (xv >= lov)
                lo_ok = (xv < lov) & (lov < hiv) if hiv is not None else xv < lov
            if hiv is not None:
                x_ok = x_ok & (xv <= hiv)
                hi_ok = (xv > hiv) | (hiv < lov) if lov is not None else xv > hiv
            recording = [t for t in (x, lo, hi) if t is not None and _guard_recording(t)]
            if recording and not np.all(x_ok | (False if lo_ok is None else lo_ok) | (False if hi_ok is None else hi_ok)):
                # an element no route picks (a nan x or bound: its value is a nan no record recomputes)
                _guard_taint("clamp with a nan operand", *recording)
        _record_routes(out, [(x, x_ok), (lo, lo_ok), (hi, hi_ok)], name)
        # (torch's node: the input and both bounds, None for an absent one)
        _named(out, name, x, lo, hi, saved={"min": _saved_operand(lo, 1), "max": _saved_operand(hi, 2),
                                            "self": SN.Input(0)})
    return out


_WHERE_OVERLOADS = (" * (Tensor condition)\n * (Tensor condition, Tensor input, Tensor other, *, Tensor out = None)\n"
                    " * (Tensor condition, Number self, Tensor other)\n * (Tensor condition, Tensor input, Number other)\n"
                    " * (Tensor condition, Number self, Number other)\n")


def where(condition, input=None, other=None):
    if (input is None) != (other is None):     # (two arguments: no overload of torch's)
        given = ", ".join("Tensor" if isinstance(a, Tensor) else type(a).__name__
                          for a in (condition, input if other is None else other))
        raise TypeError(f"where() received an invalid combination of arguments - got ({given}), but expected one "
                        f"of:\n{_WHERE_OVERLOADS}")
    if input is not None:
        out = small_ops.where_scalars(condition, input, other)     # (0-d operands)
        if out is not None:
            return out
    if condition.__class__ is TR.Tracked and input is not None:
        return _where_recorded(condition, input, other)
    cond = condition._data() if isinstance(condition, Tensor) else np.asarray(condition)
    if input is None:
        return tuple(Tensor._wrap(i) for i in np.nonzero(cond))
    out, a, b, dt = _where_value(cond, input, other)
    if _grad_on(a, b) and dt.is_floating_point:
        _record_routes(out, [(a, cond), (b, ~cond)], "WhereBackward0")
        # (its next functions: the operands, not the routing records; the node saves the condition)
        _named(out, "WhereBackward0", a, b, saved={"condition": condition if isinstance(condition, Tensor) else
                                                   Tensor._wrap(np.asarray(cond))})
    return out


def _where_value(cond, input, other):
    """(unrecorded result, a, b, dtype) of where(cond, input, other), cond an array."""
    if cond.dtype != np.bool_:
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor with dtype "
                           + D.TORCH_NAMES[D.from_numpy(cond.dtype).name])
    a, b = (x if isinstance(x, (int, float)) else _as_tensor(x) for x in (input, other))
    dt = D.result_type([(t.ndim, t.dtype) for t in (a, b) if isinstance(t, Tensor)],
                       [_scalar_kind(t) for t in (a, b) if not isinstance(t, Tensor)])
    # (a number is checked as the integer type holds it, as torch)
    av, bv = (t._data() if isinstance(t, Tensor) else t if dt.is_floating_point else D.checked_number(t, dt)
              for t in (a, b))
    if dt is D.float32:     # torch makes a number a float32 tensor: checked, as a float16 one is not
        for t in (a, b):
            if t.__class__ is float and math.isfinite(t) and builtins.abs(t) > _F32_MAX:
                raise RuntimeError("value cannot be converted to type float without overflow")
    _check_broadcast(cond, av)
    if np.ndim(bv):     # (a number broadcasts with anything)
        _check_broadcast(np.broadcast_to(cond, np.broadcast_shapes(cond.shape, np.shape(av))), bv)
    with quiet():       # (a float16 result: a number beyond its range is inf, without NumPy's warning)
        r = np.asarray(np.where(cond, av, bv), dt.np)
    if not builtins.all(LY.plain(v) for v in (cond, av, bv) if v.__class__ is np.ndarray):
        r = LY.follow(r, cond, av, bv)      # (torch's TensorIterator layout; np.where writes C order)
    return _array_out(r, dt), a, b, dt


_F32_MAX = float(np.finfo(np.float32).max)


def _where_recorded(condition, input, other):
    """where() while jitgrad.compile records, with a condition on the tape:
    mask_keep(a, cond) + mask_drop(b, cond), bit for bit np.where, gradient
    routed by the mask at replay too. Integer results guard the condition."""
    cond = TR.plain(condition)
    if cond.dtype is not D.bool_ or not D.result_type(
            [(t.ndim, t.dtype) for t in (input, other) if isinstance(t, Tensor)],
            [_scalar_kind(t) for t in (input, other) if not isinstance(t, Tensor)]).is_floating_point:
        TR.escape(condition)        # an integer result: the condition is guarded
        return where(condition._data(), input, other)
    c = cond._data()
    out, a, b, dt = _where_value(c, input, other)
    shape = out.shape
    sides = []
    for code, v, keep in ((K.MASK_KEEP, a, c), (K.MASK_DROP, b, ~c)):
        vv = v._data() if isinstance(v, Tensor) else v
        side = _array_out(np.asarray(np.broadcast_to(np.where(keep, vv, -0.0), shape), dt.np), dt)
        _record_binary(code, v, cond, side, "WhereBackward0")
        sides.append(side)
    _record_binary(K.ADD, sides[0], sides[1], out, "WhereBackward0")
    return out


def _scalar_kind(v):
    """PyTorch's category of a Python scalar: 0 bool, 1 int, 2 float."""
    return 0 if isinstance(v, bool) else 1 if isinstance(v, int) else 2


def _record_routes(out, routes, name, positions=False):
    """Record `out` as passing its gradient to each (src, mask) of `routes`
    where the mask (broadcast to out's shape) holds, +0.0 elsewhere: the
    backward of where and of clamp with tensor bounds. Constant sources are
    placed too, so that the records reproduce out's value. `positions`:
    each mask is given as np.flatnonzero of it (tril / triu keep theirs)."""
    tape = T.current()
    slot = _push_out(tape, out)
    n = out.numel()
    shape = out.shape
    for src, mask in routes:
        if src is None:
            continue
        pos = mask if positions else np.flatnonzero(mask if np.shape(mask) == shape else np.broadcast_to(mask, shape))
        if isinstance(src, Tensor) and src._rg:
            if pos.size == 0:
                _record_zero_grad(tape, src, slot, n)
                continue
            if src.shape == shape:
                picked = _gather_tensor(src, pos)       # (its own positions)
            else:
                bidx = np.broadcast_to(np.arange(src.numel()).reshape(src.shape), shape).ravel()
                # (a broadcast source: torch's sum_to sums its gradient, from +0.0)
                picked = _gather_tensor(src, bidx[pos], summed=True)
            _record_place(tape, T.slot_of(tape, picked), pos, slot, n)
        elif pos.size:
            const = np.broadcast_to(src._data() if isinstance(src, Tensor) else src, out.shape).ravel()[pos]
            _record_place(tape, T.push_array(tape, const), pos, slot, n)
    _finish(out, tape, slot, name)


def _record_place(tape, a, pos, out_slot, n_out, scale=1.0):
    """Record out[pos[i]] += scale * vals[a + i] (other records fill the rest of
    out; each position once: K.SUM_IDX_PLACE)."""
    c = len(tape.vals)
    tape.vals.append(scale)
    off = T.push_meta(tape, np.concatenate(([c], pos)))
    T.record(tape, K.SUM_IDX, out_slot, n_out, a, K.SUM_IDX_PLACE, len(pos), off)


def _record_zero_grad(tape, x, out_slot, n_out):
    """Record that the tensor at out_slot depends on x with a zero gradient, so
    x gets zeros (+0.0) rather than None, as in torch: all of x enters out
    with weight 0, which the sweep turns into a +0.0 gradient for each element."""
    if n_out and x.numel():
        m = x.numel()
        _record_place(tape, T.slot_of(tape, _gather_tensor(x, np.arange(m))), np.zeros(m, np.int64),
                      out_slot, n_out, 0.0)
    else:
        # An empty out or x: an empty link the sweep follows from out's
        # placeholder slot to x's (torch: an empty or zero gradient).
        c = len(tape.vals)
        tape.vals.append(0.0)
        T.record(tape, K.SUM_IDX, out_slot, 0, T.slot_of(tape, x), -1, 0, T.push_meta(tape, np.array([c])))
