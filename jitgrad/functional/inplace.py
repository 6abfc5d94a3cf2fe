"""In-place ops on tensors (`x += y`, `add_`, `fill_`, `copy_`, ...), attached
to Tensor here: they compute the result out of place with the API
functions, check it against self (shape, dtype), then commit it:
`views.commit` writes it into self (and through views into their root)
and moves self to the result's tape node."""
import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from ..core import tape as T
from ..core import saved_nodes as SN
from ..core import upper
from ..tensors.views import check_inplace, commit, overwrite
from ..tensors.mem_overlap import check_no_partial_overlap
from ..tensors.tensor import (_ADD, _DIV, _MUL, _POW, _SUB, STATE, Tensor, _scalar_out, name_node)
from ..tensors.arith import (_binary, _check_broadcast, _record_unary_like)
from ..tensors.construct import (tensor)
from . import arg_types as AT
from . import elementwise as EW
from . import functions as F
from .box_muller import add_scaled
from ..tensors import half_scalars as HS

# The in-place ops compute their result out of place, check it against self
# (shape, dtype), then commit it: indexing.commit writes it into self (and
# through views into their root) and moves self to the result's tape node.


# Operand types of the in-place operators; others: NotImplemented (x += None
# is Python's TypeError; x += ndarray rebinds x to NumPy's `x + ndarray`, as
# torch) or, from the methods, torch's argument error.
_OPERANDS = (Tensor, bool, int, float, complex, np.generic)


def _inplace(self, fn, spec, other, name):
    """`self op= other`: fn(spec, self, other, name) is the out-of-place op."""
    if other.__class__ is complex:      # (jitgrad has no complex dtypes; torch refuses the cast too)
        res = "ComplexDouble" if self.dtype.name == "float64" else "ComplexFloat"
        raise RuntimeError(f"result type {res} can't be cast to the desired output type "
                           f"{D.TORCH_NAMES.get(self.dtype.name, self.dtype.name)}")
    grad = self._rg or (other.__class__ is Tensor and other._rg)
    if not (grad and STATE.grad_enabled) and fn is _binary and _inplace_unrecorded(self, spec, other):
        return self
    check_inplace(self, grad)
    if other.__class__ is Tensor:
        check_no_partial_overlap(self, (other,))
    # The op reads a copy of self (PyTorch's original_self): the overwrite
    # makes self's old slot stale, which must not refuse this op's own record.
    src = self.clone() if grad and STATE.grad_enabled else self
    if src is not self and src._rg:
        name_node(src._tape, src._slot, "")     # (no node in torch: the op's next function is self's node)
    if other is self and upper.has_tangent is not None and fn is _binary and upper.has_tangent(self):
        res = _with_itself(spec, src, self, name)
    else:
        res = fn(spec, src, other, name)
    if res is NotImplemented:
        return res
    if res.shape != self.shape:
        _shape_error(self, res.shape)
    if res.dtype is not self.dtype:
        _check_cast(res.dtype, self.dtype)
        res = F._to_dtype(res, self.dtype)
    node = name if res._rg and name is not None else res._name
    if res._rg and node in SN.SAVES_RESULT_NAMES and self._view is None:
        SN.name_result(res._tape, res._slot, node)      # (elu_, leaky_relu_, ...: torch's node saves the result)
    return commit(self, res, node)


# in-place ops with self as an operand whose torch tangent (read with the overwritten primal)
# is the one jitgrad's records give: their formulas don't read it, or cancel it
_SAME_TANGENT_WITH_ITSELF = frozenset(("copysign_", "addcdiv_", "lerp_"))


def refuse_with_itself(self, name: str, args: tuple, kwargs: dict) -> None:
    """x.op_(..., x, ...) of a dual whose tangent torch's formula would read
    with x's overwritten primal: an error rather than another tangent."""
    if (name not in _SAME_TANGENT_WITH_ITSELF and upper.has_tangent is not None
            and any(a is self for a in (*args, *kwargs.values())) and upper.has_tangent(self)):
        raise NotImplementedError(f"forward AD: {name}() of a dual tensor with itself: torch's tangent reads the "
                                  "overwritten primal, which jitgrad reproduces for mul_, add_ and sub_ only")


def _with_itself(spec, src, x, name):
    """x.op_(x) of a dual: torch's tangent evaluates the op's out-of-place
    formula with the other operand's primal already overwritten (it is x):
    mul_ gives t * p + t * p * p, not 2 * p * t. The other operand enters as
    a copy of x (its tangent) holding the new value; the result keeps the
    true value. Its backward needs that copy, stale as torch's saved x: an
    error, as torch's. Ops whose forms don't take it so raise."""
    res = _binary(spec, src, x, name)
    if spec[0] in (_ADD[0], _SUB[0]):
        return res      # (linear: the same tangent)
    if spec[0] != _MUL[0] or res._v is None and res._arr is None:
        raise NotImplementedError("forward AD: an in-place op of a dual tensor with itself: torch's tangent "
                                  "reads the overwritten primal, which jitgrad reproduces for mul_, add_ and sub_ "
                                  "only")
    new = Tensor._wrap(np.array(res._data(), copy=True), res.dtype) if res._v is None else _scalar_out(res._v, res.dtype)
    _record_unary_like(K.COPY, x, new, "")
    out = _binary(spec, src, new, name)
    values = np.asarray(res._data(), np.float64).reshape(-1)
    if out._v is not None:
        out._v = res._v
    else:
        out._arr[...] = res._arr
    tape = out._tape
    for i, v in enumerate(values):
        tape.vals[out._slot + i] = float(v)
    T.mark_overwritten(new)
    return out


_UFUNCS = {_ADD[0]: np.add, _SUB[0]: np.subtract, _MUL[0]: np.multiply, _DIV[0]: np.true_divide}


def _inplace_unrecorded(self, spec, other):
    """An unrecorded `x -= lr * g` (optimizer updates) in one NumPy pass,
    when nothing needs the general path: a plain float array (no views),
    an operand of its dtype and shape or a Python number."""
    uf = _UFUNCS.get(spec[0])
    if (uf is None or self._arr is None or self._view is not None or self._views
            or not self.dtype.is_floating_point or "_view_slots" in self.__dict__
            or (self.dtype is D.float16 and uf in (np.multiply, np.true_divide))):
        return False        # (float16 * number: torch's float32 opmath of the number, tensors/half_scalars.py)
    c = other.__class__
    if c is Tensor:
        if other.dtype is not self.dtype or other.shape != self.shape:
            return False
        other = other._arr
    elif c is not float and c is not int:
        return False
    T.mark_overwritten(self)
    with np.errstate(all="ignore"):
        uf(self._arr, other, out=self._arr)
    self._version += 1
    T.after_write(self)
    return True


def _shape_error(self, shape):
    raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(shape)}")


def _check_cast(src, dst):
    """PyTorch refuses to write a result it can't cast: float -> integer, number -> bool."""
    if (src.is_floating_point and not dst.is_floating_point) or (dst is D.bool_ and src is not D.bool_):
        raise RuntimeError(f"result type {D.TORCH_NAMES[src.name]} can't be cast to the desired output type "
                           f"{D.TORCH_NAMES[dst.name]}")


def _scaled(self, other, alpha):
    """`other * alpha` of add_ / sub_."""
    if alpha == 1:
        return other
    if isinstance(alpha, float) and not self.dtype.is_floating_point:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    return other * alpha


def _rounded_div(mode, x, y, name):
    """div with a rounding mode: its gradient is zero (DivBackward2)."""
    res = F.div(x.detach(), y.detach() if isinstance(y, Tensor) else y, rounding_mode=mode)
    if STATE.grad_enabled and (x._rg or (isinstance(y, Tensor) and y._rg)) and res.dtype.is_floating_point:
        res = x * 0.0 + (y * 0.0 if isinstance(y, Tensor) else 0.0) + res
        res._name = name
    return res


def _overwrite_all(self, value, name):
    """fill_ / zero_ / copy_: every element of self becomes `value` (a number,
    or a tensor broadcast to self); the old value gets a zero gradient."""
    number = not isinstance(value, Tensor)
    if number:
        value = _scalar_out(np.asarray(value).astype(self.dtype.np).item(), self.dtype)
    check_inplace(self, self._rg or value._rg)
    if not number:
        check_no_partial_overlap(self, (value,))
    if value.shape != self.shape:
        _check_broadcast(self._data(), value._data())
        if np.broadcast_shapes(self.shape, value.shape) != self.shape:
            _shape_error(self, np.broadcast_shapes(self.shape, value.shape))
        value = F.expand(value, self.shape)
    value = F._to_dtype(value, self.dtype)
    # (with a graph torch's backward raises: so does commit; under no_grad nothing is recorded)
    return commit(self, overwrite(self, np.arange(self.numel()), value, name), name,
                  overlap_ok=number and not (self._rg and STATE.grad_enabled))


def __iadd__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented     # Python's own TypeError, as torch
    return _inplace(self, _binary, _ADD, other, "AddBackward0")


def __isub__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented     # Python's own TypeError, as torch
    return _inplace(self, _binary, _SUB, other, "SubBackward0")


def __imul__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented     # Python's own TypeError, as torch
    return _inplace(self, _binary, _MUL, other, "MulBackward0")


def __itruediv__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented     # Python's own TypeError, as torch
    return _inplace(self, _binary, _DIV, other, "DivBackward0")


def __ipow__(self, other):
    if not isinstance(other, _OPERANDS):
        return NotImplemented     # Python's own TypeError, as torch
    return _inplace(self, _binary, _POW, other, "PowBackward0")


def _need_operand(name, other):
    if not isinstance(other, _OPERANDS):
        raise TypeError(f"{name}(): argument 'other' (position 1) must be Tensor, not {AT.tp_name(other)}")


def _fused_unrecorded(self, other, alpha):
    """An unrecorded `p.add_(g, alpha=-lr)` (optimizer updates) rounded once
    as torch's fused multiply-add, for a plain float array (no views) and an
    operand of its dtype and shape."""
    if (alpha == 1 or not isinstance(alpha, (int, float)) or isinstance(alpha, bool)
            or (STATE.grad_enabled and (self._rg or (other.__class__ is Tensor and other._rg)))
            or self._arr is None or self._view is not None or self._views
            or self.dtype.np not in (np.float16, np.float32, np.float64) or "_view_slots" in self.__dict__):
        return False
    if other.__class__ is Tensor:
        if other.dtype is not self.dtype or other.shape != self.shape:
            return False
        other = other._data()
        if self.dtype.np == np.float16:
            if not (self._arr.flags.c_contiguous and other.flags.c_contiguous):
                return False
            T.mark_overwritten(self)
            self._arr[...] = HS.add_scaled(self._arr, other, alpha)    # (torch's float16 loops)
            self._version += 1
            T.after_write(self)
            return True
    else:       # (a Python number or a broadcast operand: torch's scalar loops fuse only some elements)
        return False
    T.mark_overwritten(self)
    with np.errstate(all="ignore"):
        self._arr[...] = add_scaled(self._arr, other, alpha, self.dtype.np)
    self._version += 1
    T.after_write(self)
    return True


def add_(self, other, *rest, alpha=1):
    if rest:
        other, alpha = AT.deprecated_inplace("add_", other, rest, {} if alpha == 1 else {"alpha": alpha})
    _need_operand("add_", other)
    EW.check_alpha(self, other, alpha)
    if _fused_unrecorded(self, other, alpha):
        return self
    return _inplace(self, _binary, _ADD, _scaled(self, other, alpha), "AddBackward0")


def sub_(self, other, *rest, alpha=1):
    if rest:
        other, alpha = AT.deprecated_inplace("sub_", other, rest, {} if alpha == 1 else {"alpha": alpha})
    _need_operand("sub_", other)
    EW.check_alpha(self, other, alpha)
    if alpha != 1 and _fused_unrecorded(self, other, -alpha):
        return self
    return _inplace(self, _binary, _SUB, _scaled(self, other, alpha), "SubBackward0")


def div_(self, other, *, rounding_mode=None):
    _need_operand("div_", other)
    if rounding_mode is None:
        return _inplace(self, _binary, _DIV, other, "DivBackward0")
    return _inplace(self, _rounded_div, rounding_mode, other, "DivBackward2")


def zero_(self):
    return _overwrite_all(self, 0, "ZeroBackward0")


def fill_(self, value):
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value.ndim} dimensions.")
        return _overwrite_all(self, value, "FillBackward3")
    if not isinstance(value, (bool, int, float, np.number, np.bool_)):
        t = AT.tp_name(value)
        raise TypeError(f"fill_() received an invalid combination of arguments - got ({t}), but expected "
                        "one of:\n * (Tensor value)\n      didn't match because some of the arguments have "
                        f"invalid types: (!{t}!)\n * (Number value)\n      didn't match because some of the "
                        f"arguments have invalid types: (!{t}!)\n")
    return _overwrite_all(self, D.checked_number(value, self.dtype), "FillBackward2")


def copy_(self, src, non_blocking=False):
    if non_blocking.__class__ is not bool:
        raise TypeError(f"copy_(): argument 'non_blocking' (position 2) must be bool, not {type(non_blocking).__name__}")
    if not isinstance(src, Tensor):
        if not isinstance(src, (bool, int, float)):
            raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not {AT.tp_name(src)}")
        src = tensor(src)
    return _overwrite_all(self, src, "CopyBackwards")


def mul_(self, other):
    _need_operand("mul_", other)
    return __imul__(self, other)


def pow_(self, exponent):
    if not isinstance(exponent, _OPERANDS):
        t = AT.tp_name(exponent)
        if isinstance(exponent, (list, tuple)) and exponent:
            t = f"{t} of [{', '.join(type(e).__name__ for e in exponent)}]"
        raise TypeError(f"pow_() received an invalid combination of arguments - got ({AT.tp_name(exponent)}), but "
                        "expected one of:\n * (Tensor exponent)\n      didn't match because some of the arguments "
                        f"have invalid types: (!{t}!)\n * (Number exponent)\n      didn't match because some of "
                        f"the arguments have invalid types: (!{t}!)\n")
    return __ipow__(self, exponent)


for _f in (__iadd__, __isub__, __imul__, __itruediv__, __ipow__, add_, sub_, div_, zero_, fill_, copy_, mul_, pow_):
    setattr(Tensor, _f.__name__, _f)
