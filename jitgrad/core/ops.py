"""The op table: every primitive's facts, side by side, in one place.

An entry declares an op's name, PyTorch backward name, kind and arity, its
scalar forward (Python floats, total: inf/nan instead of exceptions), its
NumPy forward, its vector-Jacobian product on tensors (used by
`create_graph` and by bulk records), which values its backward reads, which
Tensor methods it gets, how integer inputs behave, and the domain its tests
sample. Opcodes are the entries' positions: elementwise ops first (the sweep
tests `op < N_ELEMENTWISE`), structural ops from `STRUCTURAL_BASE`.
Everything indexed by opcode is derived below.

The jitted value-and-partials of each elementwise op are the one branch it
has in `kernels.elementwise` (Numba cannot call these Python rules);
`tests/test_op_table.py` checks, for every entry, that the two agree at
sample points, and against PyTorch and finite differences.

Rules take (g, x, y, out, c) -- incoming gradient, operands, result,
constant attribute -- and return (d/dx, d/dy) contributions; binary rules
also take `need`, which of the two the caller wants. Short rules stand
inline below; the longer ones and their helpers are in `oprules.py`, the
scalar and NumPy forwards' helpers in `opmath.py`.
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from . import dtypes as D
from . import opmath as M
from . import oprules as R
from . import specfun
from . import vector_ties as VT
from .opmath import LN2, LN10
from .opmath import floor_divide  # noqa: F401  (re-exported: functional/elementwise.py calls O.floor_divide)

INV_SQRT_PI = 1.0 / math.sqrt(math.pi)
STRUCTURAL_BASE = 128      # room for elementwise ops below it
# Test samplers: (kind, lo, hi); "signed" draws magnitudes in [lo, hi] of either sign.
SIGNED = ("signed", 0.25, 2.0)
POSITIVE = ("uniform", 0.25, 2.0)


@dataclass(frozen=True)
class Op:
    name: str
    backward: str                          # PyTorch's grad_fn name
    kind: str                              # "unary" | "binary" | "param" | "structural"
    scalar: Optional[Callable] = None      # Python floats -> float
    array: Optional[Callable] = None       # NumPy forward; None: kernels.value_map
    vjp: Optional[Callable] = None         # (g, x, y, out, c[, need]) -> (gx, gy)
    saves: str = "x"                       # values backward reads: letters of "xyo" (o: result)
    via_result: bool = False               # the sweep differentiates through the result
    masked: str = ""                       # operands whose gradient torch masks (where(mask, g, 0)):
                                           # a zero partial gives +0.0 even for an inf/nan/negative g
    method: bool = True                    # Tensor.<name>
    inplace: bool = False                  # Tensor.<name>_
    keeps_int: bool = False                # integer inputs keep their dtype
    rejects: tuple = ()                    # (torch kernel name, dtype names torch rejects)
    domain: tuple = ()                     # test sampler per operand (default SIGNED)
    param: float = 0.5                     # test value of a param op's attribute
    transpose: str = ""                    # structural: the op its backward is
    names: dict = field(default_factory=dict)   # backward names by case ("scalar_y": ...)
    artifacts: tuple = ()                  # test points where torch's float32 value is a rounding artifact
    param_first: bool = False              # a param op called as f(c, x) (polygamma(n, x))
    numbers: str = "both"                  # binary: where torch takes a Python number ("both", "other", "none")
    keeps_zero: str = ""                   # operands whose torch backward passes a ZeroTensor gradient on as
                                           # one (sgn's): "x"/"y"/"xy"; the others materialise it (0 * inf = nan)
    operands: int = 1                      # "nondiff" entries: how many operands
    opcode: int = -1                       # assigned from the table order

    @property
    def arity(self) -> int:
        return 2 if self.kind in ("binary", "select") else self.operands if self.kind == "nondiff" else 1


def _polygamma(x, n):
    return specfun.polygamma(int(n), x)


# torch's float32 digamma/polygamma at the negative integers: its reflection
# pi^2 / sin(pi x)^2 evaluated with a float32 sin (a rounding artifact). For
# negative x that reflection also cancels in float32, so the tests sample
# these ops on positive x (jitgrad computes in float64 there).
_POLES = (-2.0, -1.0)


def _U(name, backward, scalar, array, vjp, **kw):
    return Op(name, backward, "unary", scalar, array, vjp, **kw)


def _B(name, backward, scalar, array, vjp, saves="xy", **kw):
    return Op(name, backward, "binary", scalar, array, vjp, saves=saves, **kw)


def _P(name, backward, scalar, array, vjp, **kw):
    kw.setdefault("method", False)
    return Op(name, backward, "param", scalar, array, vjp, **kw)


def _N(name, operands, fn):
    """A non-differentiable elementwise entry; `fn` gives a Python bool or float."""
    return Op(name, "NotDifferentiable", "nondiff", lambda *v: float(fn(*v)), None, None, saves="",
              method=False, operands=operands)


_ANY_INT = ("int64", "bool")

TABLE: list[Op] = [
    # --- binary elementwise -------------------------------------------------
    _B("add", "AddBackward0", operator.add, np.add, lambda g, x, y, out, c, need=R.BOTH: (g, g), saves="", keeps_zero="xy"),
    _B("sub", "SubBackward0", operator.sub, np.subtract,
       lambda g, x, y, out, c, need=R.BOTH: (g, -g if need[1] else None), saves="", keeps_zero="x"),
    _B("mul", "MulBackward0", operator.mul, np.multiply,
       lambda g, x, y, out, c, need=R.BOTH: (g * y if need[0] else None, g * x if need[1] else None), keeps_zero="xy"),
    _B("div", "DivBackward0", M._div, np.divide,
       # torch's -g * ((x / y) / y), with out for its x / y (the same value).
       lambda g, x, y, out, c, need=R.BOTH: (g / y if need[0] else None, -g * (out / y) if need[1] else None), keeps_zero="x"),
    _B("pow", "PowBackward1", M._pow, M._np_pow, R.pow_rule, saves="xyo", domain=(POSITIVE, ("uniform", -2.0, 2.0)), keeps_zero="y"),
    _B("maximum", "MaximumBackward0", lambda x, y: math.nan if x != x or y != y else max(x, y), VT.torch_maximum,
       R.maximum_rule, numbers="none", masked="xy"),
    _B("minimum", "MinimumBackward0", lambda x, y: math.nan if x != x or y != y else min(x, y), VT.torch_minimum,
       R.minimum_rule, numbers="none", masked="xy"),
    _B("atan2", "Atan2Backward0", math.atan2, np.arctan2, R.atan2_rule, inplace=True, numbers="none", keeps_zero="xy"),
    _B("xlogy", "XlogyBackward0", M._xlogy, M._np_xlogy, R.xlogy_rule, inplace=True,
       domain=(SIGNED, POSITIVE), names={"scalar_y": "XlogyBackward2", "scalar_x": "XlogyBackward1"}, keeps_zero="y"),
    _B("hypot", "HypotBackward0", M._hypot, np.hypot, R.hypot_rule, saves="xyo", inplace=True, numbers="none",
       rejects=("hypot_cpu", _ANY_INT), keeps_zero="xy"),
    _B("logaddexp", "LogaddexpBackward0", M._logaddexp, np.logaddexp, R.logaddexp_rule, numbers="none",
       rejects=("logaddexp_cpu", _ANY_INT), keeps_zero="xy"),
    _B("logaddexp2", "Logaddexp2Backward0", M._logaddexp2, M._np_logaddexp2, R.logaddexp2_rule, numbers="none",
       rejects=("logaddexp2_cpu", _ANY_INT), keeps_zero="xy"),
    _B("copysign", "CopysignBackward0", math.copysign, np.copysign, R.copysign_rule, saves="xo", inplace=True,
       numbers="other", masked="y",
       names={"scalar_y": "CopysignBackward1"}, keeps_zero="x"),
    _B("fmod", "FmodBackward1", M._fmod, np.fmod, R.fmod_rule, inplace=True, keeps_int=True, numbers="other",
       rejects=("fmod_cpu", ("bool",)), domain=(SIGNED, POSITIVE), names={"scalar_y": "FmodBackward0"}, keeps_zero="x"),
    _B("remainder", "RemainderBackward1", M._remainder, M._np_remainder, R.remainder_rule, inplace=True,
       keeps_int=True, rejects=("remainder_cpu", ("bool",)), domain=(SIGNED, POSITIVE),
       names={"scalar_y": "RemainderBackward0"}, keeps_zero="x"),
    # --- unary elementwise --------------------------------------------------
    _U("neg", "NegBackward0", lambda x: -x, np.negative, lambda g, x, y, out, c: (-g, None), saves="",
       keeps_int=True, inplace=True),
    _U("exp", "ExpBackward0", M._guard(math.exp), np.exp, lambda g, x, y, out, c: (g * out, None), saves="o",
       via_result=True, inplace=True, keeps_zero="x"),
    _U("log", "LogBackward0", M._guard(math.log, M._log_pole), np.log, lambda g, x, y, out, c: (g / x, None),
       inplace=True, domain=(POSITIVE,), keeps_zero="x"),
    _U("sin", "SinBackward0", M._guard(math.sin), np.sin, lambda g, x, y, out, c: (g * x.cos(), None),
       inplace=True, keeps_zero="x"),
    _U("cos", "CosBackward0", M._guard(math.cos), np.cos, lambda g, x, y, out, c: (-g * x.sin(), None),
       inplace=True, keeps_zero="x"),
    _U("tan", "TanBackward0", M._guard(math.tan), np.tan, lambda g, x, y, out, c: (g * (1.0 + out * out), None),
       saves="o", via_result=True, inplace=True, domain=(("uniform", -1.2, 1.2),), keeps_zero="x"),
    _U("tanh", "TanhBackward0", math.tanh, np.tanh,
       lambda g, x, y, out, c: (R.fused_backward(g * (1.0 - out * out), g, out, "TanhBackwardBackward0"), None),
       saves="o", via_result=True, inplace=True),
    _U("sigmoid", "SigmoidBackward0", M._sigmoid, M._np_sigmoid,
       lambda g, x, y, out, c: (R.fused_backward(g * (1.0 - out) * out, g, out, "SigmoidBackwardBackward0"),
                                None),
       saves="o", via_result=True, inplace=True),
    _U("relu", "ReluBackward0", M._relu, M._np_relu,
       lambda g, x, y, out, c: (R.rename(R.masked(g, ~(R.val(x) <= 0), x), "ThresholdBackwardBackward0"), None),
       saves="o", keeps_int=True, inplace=True, masked="x"),
    _U("abs", "AbsBackward0", abs, np.abs, lambda g, x, y, out, c: (g * x.sign(), None), keeps_int=True,
       inplace=True, rejects=("abs_cpu", ("bool",)), keeps_zero="x"),
    _U("sqrt", "SqrtBackward0", M._sqrt, np.sqrt, lambda g, x, y, out, c: (g * 0.5 / out, None), saves="o",
       via_result=True, inplace=True, domain=(POSITIVE,), keeps_zero="x"),
    _U("log1p", "Log1PBackward0", M._guard(math.log1p, lambda x: -math.inf if x == -1 else math.nan), np.log1p,
       lambda g, x, y, out, c: (g / (1.0 + x), None), inplace=True, domain=(("uniform", -0.7, 2.0),), keeps_zero="x"),
    _U("expm1", "Expm1Backward0", M._guard(math.expm1), np.expm1, lambda g, x, y, out, c: (g * (out + 1.0), None),
       saves="o", via_result=True, inplace=True, keeps_zero="x"),
    _U("sign", "SignBackward0", M._sign, M._np_sign, R.zero, saves="", keeps_int=True, inplace=True, masked="x"),
    _U("square", "PowBackward0", lambda x: x * x, np.square, lambda g, x, y, out, c: R.pow_rule(g, x, 2.0, out, c),
       keeps_int=True, inplace=True, keeps_zero="x"),
    _U("reciprocal", "ReciprocalBackward0", lambda x: M._div(1.0, x), np.reciprocal,
       lambda g, x, y, out, c: (-g * (out * out), None), saves="o", via_result=True, inplace=True),
    _U("asin", "AsinBackward0", M._guard(math.asin), np.arcsin,
       lambda g, x, y, out, c: (g * (-x * x + 1.0).rsqrt(), None), inplace=True,     # (torch's form)
       domain=(("uniform", -0.9, 0.9),), keeps_zero="x"),
    _U("acos", "AcosBackward0", M._guard(math.acos), np.arccos,
       lambda g, x, y, out, c: (g * -((-x * x + 1.0).rsqrt()), None), inplace=True,     # (torch's form)
       domain=(("uniform", -0.9, 0.9),), keeps_zero="x"),
    _U("atan", "AtanBackward0", math.atan, np.arctan, lambda g, x, y, out, c: (g / (1.0 + x * x), None),
       inplace=True, keeps_zero="x"),
    _U("asinh", "AsinhBackward0", math.asinh, np.arcsinh,
       lambda g, x, y, out, c: (g * (x * x + 1.0).rsqrt(), None), inplace=True, keeps_zero="x"),
    _U("acosh", "AcoshBackward0", M._guard(math.acosh, M._acosh_pole), np.arccosh,
       lambda g, x, y, out, c: (g * (x * x - 1.0).rsqrt(), None), inplace=True,
       domain=(("uniform", 1.25, 3.0),), keeps_zero="x"),
    _U("atanh", "AtanhBackward0", M._guard(math.atanh, M._atanh_pole), np.arctanh,
       lambda g, x, y, out, c: (g / (1.0 - x * x), None), inplace=True, domain=(("uniform", -0.9, 0.9),), keeps_zero="x"),
    _U("sinh", "SinhBackward0", M._guard(math.sinh, odd=True), np.sinh, lambda g, x, y, out, c: (g * x.cosh(), None),
       inplace=True, keeps_zero="x"),
    _U("cosh", "CoshBackward0", M._guard(math.cosh), np.cosh, lambda g, x, y, out, c: (g * x.sinh(), None),
       inplace=True, keeps_zero="x"),
    _U("log2", "Log2Backward0", M._guard(math.log2, M._log_pole), np.log2,
       lambda g, x, y, out, c: (g / (x * LN2), None), inplace=True, domain=(POSITIVE,), keeps_zero="x"),
    _U("log10", "Log10Backward0", M._guard(math.log10, M._log_pole), np.log10,
       lambda g, x, y, out, c: (g / (x * LN10), None), inplace=True, domain=(POSITIVE,), keeps_zero="x"),
    _U("exp2", "Exp2Backward0", lambda x: M._pow(2.0, x), np.exp2, lambda g, x, y, out, c: (g * out * LN2, None),
       saves="o", via_result=True, inplace=True, keeps_zero="x"),
    _U("rsqrt", "RsqrtBackward0", M._rsqrt, lambda x: 1.0 / np.sqrt(x),
       lambda g, x, y, out, c: (-0.5 * g * out ** 3, None), saves="o", via_result=True, inplace=True,
       domain=(POSITIVE,), keeps_zero="x"),
    _U("softplus", "SoftplusBackward0", M._guard(M._softplus),
       lambda x: np.where(x > 20, x, np.log1p(np.exp(np.minimum(x, 20)))),
       lambda g, x, y, out, c: (R.rename(R.pick(R.val(x) > 20.0, g, g * x.sigmoid()), "SoftplusBackwardBackward0"),
                                None), method=False,
       rejects=("softplus_cpu", _ANY_INT)),
    _U("gelu", "GeluBackward0", M._gelu, None, R.gelu_rule, method=False, rejects=("GeluKernelImpl", _ANY_INT)),
    _U("silu", "SiluBackward0", M._silu, M._np_silu, R.silu_rule, method=False,
       rejects=("silu_cpu", _ANY_INT)),
    _U("erf", "ErfBackward0", math.erf, None,
       lambda g, x, y, out, c: (g * (2.0 * INV_SQRT_PI) * (-x * x).exp(), None), inplace=True, keeps_zero="x"),
    _U("erfc", "ErfcBackward0", math.erfc, None,
       lambda g, x, y, out, c: (g * (-2.0 * INV_SQRT_PI) * (-x * x).exp(), None), inplace=True, keeps_zero="x"),
    _U("erfinv", "ErfinvBackward0", specfun.erfinv, None,
       lambda g, x, y, out, c: (g * (0.5 * math.sqrt(math.pi)) * (out * out).exp(), None), inplace=True,
       domain=(("uniform", -0.9, 0.9),), keeps_zero="x"),
    _U("lgamma", "LgammaBackward0", specfun.lgamma, None, lambda g, x, y, out, c: (g * x.digamma(), None), inplace=True, keeps_zero="x"),
    _U("digamma", "DigammaBackward0", specfun.digamma, None, lambda g, x, y, out, c: (g * x.polygamma(1), None),
       inplace=True, artifacts=_POLES, domain=(POSITIVE,), keeps_zero="x"),
    _U("sinc", "SincBackward0", M._sinc, M._np_sinc, R.sinc_rule, inplace=True),
    _U("floor", "FloorBackward0", M._integral(math.floor), np.floor, R.zero, saves="", keeps_int=True,
       inplace=True, rejects=("floor_vml_cpu", ("bool",)), masked="x"),
    _U("ceil", "CeilBackward0", M._integral(math.ceil), np.ceil, R.zero, saves="", keeps_int=True, inplace=True,
       rejects=("ceil_vml_cpu", ("bool",)), masked="x"),
    _U("round", "RoundBackward0", M._integral(round), np.round, R.zero, saves="", keeps_int=True, inplace=True,
       rejects=("round_vml_cpu", ("bool",)), masked="x"),
    _U("trunc", "TruncBackward0", M._trunc, np.trunc, R.zero, saves="", keeps_int=True, inplace=True,
       rejects=("trunc_vml_cpu", ("bool",)), masked="x"),
    _U("frac", "FracBackward0", lambda x: x - M._trunc(x), lambda x: x - np.trunc(x),
       lambda g, x, y, out, c: (g, None), saves="", inplace=True, rejects=("frac_cpu", _ANY_INT), keeps_zero="x"),
    Op("copy", "CopyBackwards", "unary", lambda x: x, np.copy, lambda g, x, y, out, c: (g, None), saves="",
       method=False, keeps_zero="x"),
    # --- elementwise with one float attribute `c` (a constant slot) ---------
    _P("clamp_min", "ClampMinBackward0", lambda x, c: x if x >= c or x != x else c, M._clamp_min,
       lambda g, x, y, out, c: (R.masked(g, R.val(x) >= c), None), method=True, inplace=True, masked="x"),
    _P("clamp_max", "ClampMaxBackward0", lambda x, c: x if x <= c or x != x else c, M._clamp_max,
       lambda g, x, y, out, c: (R.masked(g, R.val(x) <= c), None), method=True, inplace=True, masked="x"),
    _P("leaky_relu", "LeakyReluBackward0", lambda x, c: x if x > 0 else x * c, lambda x, c: np.where(x > 0, x, x * c),
       lambda g, x, y, out, c: (R.rename(g * R.live_mask(np.where(R.val(x) > 0, 1.0, c), x),
                                       "LeakyReluBackwardBackward0"), None),
       rejects=("leaky_relu_cpu", _ANY_INT), param=0.2),
    _P("elu", "EluBackward0", lambda x, c: x if x > 0 else c * math.expm1(x),
       lambda x, c: np.where(x > 0, x, c * np.expm1(np.where(x > 0, 0, x))),
       # (torch's double backward masks by x < 0: out's derivative is left out at x == 0)
       lambda g, x, y, out, c: (R.rename(R.pick(~(R.val(x) <= 0), g, g * (R.pick(R.val(x) < 0, out, out.detach()) + c)),
                                         "EluBackwardBackward0"), None),
       rejects=("elu_cpu", _ANY_INT), param=1.3),
    _P("polygamma", "PolygammaBackward0", _polygamma, None,
       lambda g, x, y, out, c: (g * x.polygamma(int(c) + 1), None), param=1, param_first=True,
       artifacts=_POLES, domain=(POSITIVE,), keeps_zero="x"),
    _P("logit", "LogitBackward0", M._logit_scalar, M._np_logit, R.logit_rule, domain=(("uniform", 0.05, 0.95),),
       param=-1.0, inplace=True),
    # --- where(cond, a, b) while jitgrad.compile records a cond computed on the tape:
    # mask_keep(a, cond) + mask_drop(b, cond), bit for bit np.where (the unpicked side
    # is -0.0, which adds exactly); d/da is torch's where(cond, g, 0), cond gets none.
    Op("mask_keep", "WhereBackward0", "select", lambda x, y: x if y != 0 else -0.0, None,
       lambda g, x, y, out, c, need=R.BOTH: (R.masked(g, R.val(y) != 0) if need[0] else None, None),
       saves="y", masked="xy", method=False, domain=(SIGNED, ("uniform", 0.0, 2.0))),
    Op("mask_drop", "WhereBackward0", "select", lambda x, y: -0.0 if y != 0 else x, None,
       lambda g, x, y, out, c, need=R.BOTH: (R.masked(g, R.val(y) == 0) if need[0] else None, None),
       saves="y", masked="xy", method=False, domain=(SIGNED, ("uniform", 0.0, 2.0))),
    # --- no gradient (comparisons, logical ops, masks, casts): recorded only while
    # jitgrad.compile records (values: 1.0/0.0 for bools, integers exact in
    # float64); the sweeps skip them (opcodes NONDIFF_BASE .. N_ELEMENTWISE - 1).
    *(_N(name, 2, fn) for name, fn in (
        ("gt", operator.gt), ("lt", operator.lt), ("ge", operator.ge), ("le", operator.le),
        ("eq", operator.eq), ("ne", operator.ne), ("logical_and", lambda x, y: x != 0 and y != 0),
        ("logical_or", lambda x, y: x != 0 or y != 0), ("logical_xor", lambda x, y: (x != 0) != (y != 0)))),
    *(_N(name, 1, fn) for name, fn in (
        ("logical_not", lambda x: x == 0), ("isnan", lambda x: x != x), ("isinf", math.isinf),
        ("isfinite", math.isfinite), ("to_bool", lambda x: x != 0),
        # trunc toward zero, +0.0 for -0.5 (an int64 zero); recorded under range guards
        ("to_int64", lambda x: M._trunc(x) + 0.0),
        ("to_float32", lambda x: x), ("to_float64", lambda x: x))),      # (float32 rounding: the forward mode)
    # The softmax family's shift (functional/softmax_family._detached_max) while
    # compile records: the max where finite, else 0; softmax's keeps +inf (torch's
    # nan slice). One record where a cast and a where of two comparisons were eight.
    _N("shift_of_max", 1, lambda x: x if -math.inf < x < math.inf else 0.0),
    _N("shift_of_max_keep_inf", 1, lambda x: x if x > -math.inf else 0.0),
    # Sorting and selection under compile (functional/selection.py): the
    # positions a sort / topk / max(dim) / argmax / median / kthvalue picks,
    # recomputed at replay (`replay_forward._fwd_select`: its layout in meta,
    # and it rewrites the index map of the gather that reads the picks).
    # Not elementwise: its element-by-element value is only the kernels' default.
    _N("select_order", 1, lambda x: x),
    # --- structural: one branch each in the sweeps; `transpose` is the op
    # their backward is (gather and scatter-add are each other's) ---------
    Op("sum", "SumBackward0", "structural", transpose="expand", saves=""),
    Op("sum_idx", "SumBackward1", "structural", transpose="gather", saves=""),
    Op("gather", "IndexBackward0", "structural", transpose="sum_idx", saves=""),
    Op("scatter", "CopySlices", "structural", transpose="gather", saves=""),
    Op("norm", "LinalgVectorNormBackward0", "structural", transpose="", saves="xo"),
    Op("cumsum", "CumsumBackward0", "structural", transpose="reverse cumsum", saves=""),
    Op("prod", "ProdBackward0", "structural", transpose="", saves="xo"),
    Op("host", "MmBackward0", "structural", transpose="matmul by the other operand", saves="xy"),
    Op("bulk", "BulkBackward", "structural", transpose="symbolic rules on arrays", saves=""),
    # Ops whose torch backward is a kernel of its own, as jitgrad.compile records
    # them (core/loss_kernels.py): the value a copy of the composite's, the
    # reverse eager mode's kernel arithmetic, in Numba.
    Op("mse_loss", "MseLossBackward0", "structural", transpose="torch's mse_loss_backward", saves="xy"),
    Op("huber_loss", "HuberLossBackward0", "structural", transpose="torch's huber_loss_backward", saves="xy"),
    Op("smooth_l1_loss", "SmoothL1LossBackward0", "structural", transpose="torch's smooth_l1_loss_backward",
       saves="xy"),
    Op("var", "VarBackward0", "structural", transpose="torch's var_backward", saves="x"),
    Op("batch_norm", "NativeBatchNormBackward0", "structural", transpose="torch's batch_norm_backward",
       saves="xy"),
]

# ----- derived: opcodes and everything indexed by them ----------------------


def _assign_opcodes(table):
    out, k_elem, k_struct = [], 0, STRUCTURAL_BASE
    for op in table:
        if op.kind == "structural":
            code, k_struct = k_struct, k_struct + 1
        else:
            code, k_elem = k_elem, k_elem + 1
        object.__setattr__(op, "opcode", code)
        out.append(op)
    assert k_elem <= STRUCTURAL_BASE
    return out


TABLE = _assign_opcodes(TABLE)
BY_NAME: dict[str, Op] = {op.name: op for op in TABLE}
BY_CODE: dict[int, Op] = {op.opcode: op for op in TABLE}
N_ELEMENTWISE = sum(op.kind != "structural" for op in TABLE)
# Non-differentiable entries are the last elementwise opcodes.
NONDIFF_BASE = min(op.opcode for op in TABLE if op.kind == "nondiff")
assert all((op.kind == "nondiff") == (NONDIFF_BASE <= op.opcode < N_ELEMENTWISE) for op in TABLE)
N_CODES = max(BY_CODE) + 1


def codes(names: str) -> tuple:
    """Opcodes of space-separated op names (KeyError for an unknown name)."""
    return tuple(BY_NAME[n].opcode for n in names.split())


SAVES_A, SAVES_B, SAVES_OUT = 1, 2, 4
# Which values each opcode's backward reads (bits above), for the kernels.
SAVES = np.zeros(N_CODES, np.int64)
for _op in TABLE:
    SAVES[_op.opcode] = ((SAVES_A if "x" in _op.saves else 0) | (SAVES_B if "y" in _op.saves else 0)
                         | (SAVES_OUT if "o" in _op.saves else 0))
SAVES.setflags(write=False)

# Old-style rows, name -> (opcode, backward name, scalar forward, array forward).
_ROW = (lambda op: (op.opcode, op.backward, op.scalar, op.array))
BINARY = {op.name: _ROW(op) for op in TABLE if op.kind == "binary"}
UNARY = {op.name: _ROW(op) for op in TABLE if op.kind == "unary" and op.name != "copy"}
PARAM_UNARY = {op.name: _ROW(op) for op in TABLE if op.kind == "param"}
RULES = {op.opcode: op.vjp for op in TABLE if op.vjp is not None}
INT_PRESERVING = {op.name for op in TABLE if op.keeps_int and op.kind == "unary"}
READS_NOTHING = {op.opcode for op in TABLE if op.kind != "structural" and not op.saves}
# Integer inputs of these binary ops give floats (true division and friends).
FLOAT_RESULT = {op.opcode for op in TABLE if op.kind == "binary" and not op.keeps_int} - set(codes("add sub mul pow maximum minimum"))
METHODS = [op.name for op in TABLE if op.method and op.kind != "structural"]
INPLACE = [op.name for op in TABLE if op.inplace]
NAMES = {op.opcode: op.backward for op in TABLE}
# Bits 1 (d/dx) and 2 (d/dy) of the masked gradients, by opcode, for the kernels.
MASKED = np.zeros(N_CODES, np.int64)
for _op in TABLE:
    MASKED[_op.opcode] = (1 if "x" in _op.masked else 0) | (2 if "y" in _op.masked else 0)
MASKED.setflags(write=False)
# Bits 1 (x) and 2 (y): operands whose torch backward keeps a ZeroTensor
# gradient a ZeroTensor (sgn's backward returns one; a kept one skips the
# multiply, so 0 * inf never happens), for the sweep (kernels' KEEPS_ZERO).
# pow's x keeps it only for a number exponent (POW_NUMBER: pow(Tensor, Scalar)).
KEEPS_ZERO = np.zeros(N_CODES, np.int64)
for _op in TABLE:
    KEEPS_ZERO[_op.opcode] = (1 if "x" in _op.keeps_zero else 0) | (2 if "y" in _op.keeps_zero else 0)
KEEPS_ZERO.setflags(write=False)


def backward_name(code: int) -> str:
    """PyTorch's backward name of an opcode (for messages; tensors carry their own)."""
    op = BY_CODE.get(code)
    return op.backward if op is not None else f"op{code}"


# ----- integer and bool inputs ----------------------------------------------

_BOOL_ERRORS = {
    "neg": "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
           "invert a mask, use the `~` or `logical_not()` operator instead.",
    "relu": "Boolean inputs not supported for relu",
}
# Ops that compute a bool input as int64 (square is pow(x, 2): bool ** int -> int64).
BOOL_AS_INT = {"square"}


def check_integer_input(name: str, dtype) -> None:
    """Raise torch's error if op `name` rejects a (non-float) input `dtype`."""
    if dtype.name == "bool" and name in _BOOL_ERRORS:
        raise RuntimeError(_BOOL_ERRORS[name])
    op = BY_NAME.get(name)
    if op is None or not op.rejects:
        return
    kernel, rejected = op.rejects
    if ("bool" if dtype.name == "bool" else "int64") in rejected:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{D.TORCH_NAMES[dtype.name]}\'')


_SUB, _POW = codes("sub pow")

# opcode -> (scalar, NumPy) float32 forms of the ops whose float32 kernel in
# torch rounds between steps (opmath's float32 forms; the replay's are
# replay_scalar.fwd_scalar32).
F32_FORMS = {code: forms for code, forms in zip(codes("sigmoid silu softplus rsqrt sinc"), (
    (M._sigmoid32, M._np_sigmoid32), (M._silu32, M._np_silu32), (M._softplus32, M._np_softplus32),
    (M._rsqrt32, lambda x: np.float32(1.0) / np.sqrt(x)), (M._sinc32, M._np_sinc)))}


# Binary ops with float32 step forms (scalar, as F32_FORMS' first): eager's
# 0-d and small-array paths and the replay's fwd_scalar32 take them.
F32_BINARY_FORMS = {code: form for code, form in zip(codes("logaddexp2"), (M._logaddexp2_32,))}


def check_bool_binary(code: int, dtype, x_bool: bool, y_bool: bool, y_is_number: bool) -> None:
    """Raise torch's error for a binary op torch rejects on bool operands."""
    if code == _SUB and (x_bool or y_bool):
        if x_bool and y_bool:
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                               "Use the `^` or `logical_xor()` operator instead.")
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
    if code == _POW and dtype.name == "bool" and not y_is_number:   # bool ** True is allowed
        raise NotImplementedError('"pow" not implemented for \'Bool\'')
