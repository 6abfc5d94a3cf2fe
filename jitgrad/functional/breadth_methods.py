"""Tensor methods and in-place forms of the breadth functions
(`x.diagonal()`, `x.index_add_(...)`, ...), attached by registration."""
import numpy as np

from . import breadth_index as BI
from . import breadth_math as BM
from . import breadth_random as BR
from . import breadth_scatter as BSC
from . import breadth_shapes as BS
from . import order_stats as OS
from . import functions as F
from ..core import dtypes as D
from ..core.grad_mode import no_grad
from ..tensors.mem_overlap import check_no_partial_overlap, put_expanded
from ..tensors.tensor import Tensor
from .inplace import _inplace, refuse_with_itself

_METHODS = {
    BM: ["addmm", "addmv", "addbmm", "baddbmm", "addr", "addcmul", "addcdiv", "deg2rad", "rad2deg", "sgn",
         "positive", "signbit", "isposinf", "isneginf", "isreal", "fmax", "fmin", "float_power", "ldexp",
         "heaviside", "floor_divide", "gcd", "lcm", "nansum", "nanmean", "logcumsumexp", "cummax", "cummin",
         "renorm"],
    BS: ["diagonal", "diag_embed", "diagflat", "tensordot", "inner", "vdot", "kron", "cross", "diff",
         "rot90", "take", "take_along_dim", "dsplit", "dist", "cov", "corrcoef"],
    BI: ["index_add", "index_copy", "index_fill", "scatter_add", "scatter", "scatter_reduce", "index_put",
         "masked_scatter"],
    OS: ["median", "nanmedian", "kthvalue", "msort", "quantile", "nanquantile", "mode", "bincount", "isin", "histc",
         "argwhere", "unique_consecutive"],
}
# Methods whose in-place form writes the function's result into self.
_INPLACE = ["addmm", "addmv", "addbmm", "baddbmm", "addr", "addcmul", "addcdiv", "deg2rad", "rad2deg", "sgn",
            "float_power", "ldexp", "heaviside", "floor_divide", "gcd", "lcm", "renorm", "index_add",
            "index_copy", "index_fill", "scatter_add", "scatter", "scatter_reduce", "index_put", "masked_scatter"]

for _mod, _names in _METHODS.items():
    for _name in _names:
        setattr(Tensor, _name, getattr(_mod, _name))
Tensor.bernoulli = BR.bernoulli
Tensor.multinomial = BR.multinomial
Tensor.arcsinh, Tensor.arccosh, Tensor.arctanh = F.arcsinh, F.arccosh, F.arctanh
Tensor.arcsin, Tensor.arccos, Tensor.arctan = F.arcsin, F.arccos, F.arctan
for _name, _alias in (("asinh", "arcsinh"), ("acosh", "arccosh"), ("atanh", "arctanh")):
    setattr(Tensor, _alias + "_", getattr(Tensor, _name + "_"))


def _bernoulli_(self, p=0.5, *, generator=None):
    """Fill self with draws of probability p (a number or a tensor)."""
    if not isinstance(p, Tensor) and not 0 <= float(p) <= 1:     # (torch's check of a number p; C++'s %g)
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={float(p):g}")
    probs = p if isinstance(p, Tensor) else F.full(tuple(self.shape), float(p), dtype=D.float64)
    return self.copy_(F.expand(BR.bernoulli(probs.detach(), generator=generator), tuple(self.shape)).to(self.dtype))


Tensor.bernoulli_ = _bernoulli_

# torch's aliases of existing methods
for _alias, _name in (("absolute", "abs"), ("absolute_", "abs_"), ("fix", "trunc"), ("fix_", "trunc_"),
                      ("arcsin_", "asin_"), ("arccos_", "acos_"), ("arctan_", "atan_"), ("negative_", "neg_"),
                      ("multiply_", "mul_"), ("subtract_", "sub_"), ("divide_", "div_"), ("true_divide_", "div_")):
    setattr(Tensor, _alias, getattr(Tensor, _name))
for _name in ("diagonal_scatter", "select_scatter", "slice_scatter", "put", "aminmax"):
    setattr(Tensor, _name, getattr(BSC, _name))



def _make_inplace(fn):
    def method(self, *args, **kwargs):
        check_no_partial_overlap(self, (*args, *kwargs.values()))
        refuse_with_itself(self, fn.__name__ + "_", args, kwargs)
        # `other` only tells _inplace whether an operand requires grad (it then reads a copy of self).
        other = next((a for a in args if isinstance(a, Tensor) and a._rg), None)
        return _inplace(self, lambda spec, s, o, name: fn(s, *args, **kwargs), None, other, None)
    method.__name__ = fn.__name__ + "_"
    return method


for _name in _INPLACE:
    _fn = getattr(BM, _name, None) or getattr(BI, _name)
    setattr(Tensor, _name + "_", _make_inplace(_fn))
_float_power_ = Tensor.float_power_


def _float_power_checked(self, exponent):
    """torch's float_power_ writes a double result: only into a double tensor."""
    if self.dtype is not D.float64:
        raise RuntimeError(f"the base given to float_power_ has dtype {D.TORCH_NAMES[self.dtype.name]} but the "
                           "operation's result requires dtype Double")
    return _float_power_(self, exponent)


Tensor.float_power_ = _float_power_checked
_index_put_ = Tensor.index_put_


def _index_put_expanded(self, indices, values, accumulate=False):
    """index_put_ into an expanded view without autograd: torch's deprecated
    write through to the shared elements (put_expanded), else the general path."""
    if self._view is not None and isinstance(values, Tensor) and isinstance(indices, (tuple, list)):
        def validate():
            with no_grad():     # (torch's checks of the arguments)
                BI.index_put(self.detach(), indices, values.detach(), accumulate)
        keys = tuple(np.asarray(i._data()) if isinstance(i, Tensor) else i for i in indices)
        if put_expanded(self, lambda p: p[keys], values, accumulate, validate=validate):
            return self
    return _index_put_(self, indices, values, accumulate)


Tensor.index_put_ = _index_put_expanded
Tensor.scatter_ = _make_inplace(BI.scatter_in_place)
Tensor.put_ = _make_inplace(BSC.put)
Tensor.fill_diagonal_ = _make_inplace(BSC.filled_diagonal)
