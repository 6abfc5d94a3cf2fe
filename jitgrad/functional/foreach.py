"""torch._foreach_*: the multi-tensor functions optimisers and EMA code call
(`torch._foreach_lerp_(ema, params, 1 - decay)`). Each runs its tensor
op element by element, as torch's slow path does (so a shape error leaves
the earlier tensors updated, as torch's does); out-of-place results carry
torch's Foreach* node names, which depend on the overload, in a tuple (the
in-place forms return their list)."""
from __future__ import annotations

from numbers import Number

from ..tensors.tensor import Tensor
from . import base as F

# torch's node name per (op, overload): List (a tensor list), Scalar (a number
# or a 0-d tensor: torch's Tensor overload is named like Scalar but for mul /
# div), ScalarList (a list of numbers)
_NAMES = {
    "add": ("ForeachAddBackward0List", "ForeachAddBackward1Scalar", "ForeachAddBackward1ScalarList", None),
    "sub": ("ForeachSubBackward0List", "ForeachSubBackward1Scalar", "ForeachSubBackward1ScalarList", None),
    "mul": ("ForeachMulBackward0List", "ForeachMulBackward1Scalar", "ForeachMulBackward1ScalarList",
            "ForeachMulBackward0Tensor"),
    "div": ("ForeachDivBackward0", "ForeachDivBackward1Scalar", "ForeachDivBackward1ScalarList",
            "ForeachDivBackward0Tensor"),
    "maximum": ("ForeachMaximumBackward0List", "ForeachMaximumBackward0", "ForeachMaximumBackward1", None),
    "minimum": ("ForeachMinimumBackward0List", "ForeachMinimumBackward0", "ForeachMinimumBackward1", None),
    "pow": ("ForeachPowBackward0", "ForeachPowBackward0Scalar", "ForeachPowBackward1", None),
    "clamp_min": ("ForeachClampMinBackward1List", "ForeachClampMinBackward0Scalar",
                  "ForeachClampMinBackward0ScalarList", None),
    "clamp_max": ("ForeachClampMaxBackward1List", "ForeachClampMaxBackward0Scalar",
                  "ForeachClampMaxBackward0ScalarList", None),
}


def _same_length(a, b):
    if len(a) != len(b):
        raise RuntimeError(f"Tensor lists must have the same number of tensors, got {len(a)} and {len(b)}")


def _per_tensor(self, other, name):
    """(other per tensor, node name) for a tensor list, a scalar list, a number or a 0-d tensor."""
    names = _NAMES[name]
    if isinstance(other, (list, tuple)):
        if all(isinstance(o, Tensor) for o in other):
            _same_length(self, other)
            return list(other), names[0]
        if len(other) != len(self):
            raise RuntimeError("Tensor list must have same number of elements as scalar list.")
        return list(other), names[2]
    if isinstance(other, Tensor):
        return [other] * len(self), names[3] or names[1]
    return [other] * len(self), names[1]


def _apply(name, x, o, alpha):
    if name in ("add", "sub"):
        return getattr(x, name)(o, alpha=alpha) if alpha != 1 else getattr(x, name)(o)
    if name in ("maximum", "minimum") and isinstance(o, Number):
        return x.clamp_min(o) if name == "maximum" else x.clamp_max(o)
    return getattr(x, name)(o)


def _binary(name):
    def op(self, other, *, alpha=1):
        others, node = _per_tensor(self, other, name)
        outs = [_apply(name, x, o, alpha) for x, o in zip(self, others)]
        return tuple(F._named(r, node, x, *((o,) if isinstance(o, Tensor) else ())) for r, x, o in zip(outs, self, others))

    def op_(self, other, *, alpha=1):
        others, _ = _per_tensor(self, other, name)
        for x, o in zip(self, others):
            if name in ("maximum", "minimum"):
                x.copy_(_apply(name, x, o, alpha))
            elif name in ("add", "sub") and alpha != 1:
                getattr(x, name + "_")(o, alpha=alpha)
            else:
                getattr(x, name + "_")(o)
        return self
    op.__name__, op_.__name__ = f"_foreach_{name}", f"_foreach_{name}_"
    return op, op_


_UNARY = ("neg", "sqrt", "abs", "exp", "log", "log1p", "expm1", "sign", "sigmoid", "reciprocal", "sin", "cos",
          "tanh", "floor", "ceil", "round", "trunc", "frac", "erf", "rsqrt")


def _unary(name):
    node = "Foreach" + name.capitalize() + "Backward0"

    def op(self):
        return tuple(F._named(getattr(x, name)(), node, x) for x in self)

    def op_(self):
        for x in self:
            getattr(x, name + "_")()
        return self
    op.__name__, op_.__name__ = f"_foreach_{name}", f"_foreach_{name}_"
    return op, op_


def _foreach_lerp(self, tensors1, weight):
    _same_length(self, tensors1)
    ws = list(weight) if isinstance(weight, (list, tuple)) else [weight] * len(self)
    node = "ForeachLerpBackward1List" if isinstance(weight, (list, tuple)) else "ForeachLerpBackward0Scalar"
    return tuple(F._named(x.lerp(e, w), node, x, e) for x, e, w in zip(self, tensors1, ws))


def _foreach_lerp_(self, tensors1, weight):
    _same_length(self, tensors1)
    ws = list(weight) if isinstance(weight, (list, tuple)) else [weight] * len(self)
    for x, e, w in zip(self, tensors1, ws):
        x.lerp_(e, w)
    return self


def _addc(kind):
    def values(self, value):
        if isinstance(value, (list, tuple)):
            if len(value) != len(self):
                raise RuntimeError("Tensor list must have same number of elements as scalar list.")
            return list(value), f"Foreach{kind.capitalize()}Backward0ScalarList"
        return [value] * len(self), f"Foreach{kind.capitalize()}Backward0Scalar"

    def op(self, tensor1, tensor2, value=1):
        _same_length(self, tensor1)
        _same_length(self, tensor2)
        vs, node = values(self, value)
        return tuple(F._named(getattr(x, kind)(a, b, value=v), node, x, a, b)
                     for x, a, b, v in zip(self, tensor1, tensor2, vs))

    def op_(self, tensor1, tensor2, value=1):
        _same_length(self, tensor1)
        _same_length(self, tensor2)
        vs, _ = values(self, value)
        for x, a, b, v in zip(self, tensor1, tensor2, vs):
            getattr(x, kind + "_")(a, b, value=v)
        return self
    op.__name__, op_.__name__ = f"_foreach_{kind}", f"_foreach_{kind}_"
    return op, op_


def _foreach_norm(self, ord=2, dtype=None):
    return tuple(F._named(x.norm(ord) if dtype is None else x.to(dtype).norm(ord), "ForeachNormBackward0", x)
                 for x in self)


def _foreach_zero_(self):
    for x in self:
        x.zero_()
    return self


def _foreach_copy_(self, src, non_blocking=False):
    _same_length(self, src)
    for x, s in zip(self, src):
        x.copy_(s)
    return self


FUNCTIONS = {"_foreach_lerp": _foreach_lerp, "_foreach_lerp_": _foreach_lerp_, "_foreach_norm": _foreach_norm,
             "_foreach_zero_": _foreach_zero_, "_foreach_copy_": _foreach_copy_}
for _name in _NAMES:
    FUNCTIONS["_foreach_" + _name], FUNCTIONS["_foreach_" + _name + "_"] = _binary(_name)
for _name in _UNARY:
    FUNCTIONS["_foreach_" + _name], FUNCTIONS["_foreach_" + _name + "_"] = _unary(_name)
for _name in ("addcmul", "addcdiv"):
    FUNCTIONS["_foreach_" + _name], FUNCTIONS["_foreach_" + _name + "_"] = _addc(_name)
