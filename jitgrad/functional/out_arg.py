"""`out=` for the top-level functions (torch.mul(a, b, out=c), torch.matmul(...,
out=y), torch.max(x, 1, out=(values, indices)), torch.zeros(3, out=t)).

The functions compute their result as usual; the wrapper checks it the way
torch checks an out argument (no autograd through out=, the dtype cast
allowed, matmul's exact dtype), resizes `out` when its shape differs (torch's
deprecation warning when it had elements) and copies the result into it, so
views and the version counter behave as for any in-place write. Without
`out=` the wrapper only forwards the call: before this, an `out=` was
accepted and ignored (a silently unchanged tensor) or a TypeError.
"""
from __future__ import annotations

import functools
import warnings
from typing import Any, Callable

from ..core import dtypes as D
from ..core.grad_mode import STATE, no_grad
from ..tensors.mem_overlap import check_no_internal_overlap, check_no_partial_overlap
from ..tensors.tensor import Tensor

# torch's functions with an out= argument (torch 2.13, from their signatures).
ELEMENTWISE = (
    "abs acos acosh add addbmm addcdiv addcmul addmm addmv addr all amax amin angle any asin asinh atan atan2 "
    "atanh baddbmm bernoulli bitwise_and bitwise_left_shift bitwise_not bitwise_or bitwise_right_shift "
    "bitwise_xor bucketize cat ceil cholesky cholesky_inverse cholesky_solve clamp clip column_stack concat "
    "concatenate copysign cos cosh cross cumprod cumsum deg2rad diag diff digamma div divide dstack eq erf "
    "erfc erfinv exp exp2 expm1 fix float_power floor floor_divide fmax fmin fmod frac gather gcd ge ger "
    "greater greater_equal gt heaviside histc hstack hypot i0 igamma igammac index_select inner inverse "
    "isneginf isposinf kron lcm ldexp le lerp less less_equal lgamma log log10 log1p log2 logaddexp "
    "logaddexp2 logcumsumexp logical_and logical_not logical_or logical_xor logit logsumexp lt masked_select "
    "matrix_power maximum mean minimum msort mul multinomial multiply mvlgamma nan_to_num nanmean nanquantile "
    "narrow_copy ne neg negative nextafter nonzero norm normal not_equal outer polygamma pow quantile rad2deg "
    "reciprocal remainder renorm round row_stack rsqrt searchsorted sgn sigmoid sign signbit sin sinc sinh "
    "sqrt square stack std sub subtract sum take_along_dim tan tanh tensordot tril triu trunc var vstack where xlogy"
).split()
# torch checks these results' dtype exactly ("Expected out tensor to have dtype float, but got double").
EXACT_DTYPE = "matmul mm bmm mv dot vdot chain_matmul".split()
# Creation functions: the result takes out's dtype unless dtype= says otherwise.
CREATION = "arange empty eye full linspace logspace ones rand randint randn randperm range zeros".split()
# Several results: out= is a tuple of tensors (torch.return_types.<name>_out).
TUPLES = ("aminmax cummax cummin frexp geqrf histogram kthvalue lu_unpack max median min mode nanmedian "
          "qr slogdet sort std_mean svd topk triangular_solve var_mean").split()

def _requires_grad(value: Any) -> bool:
    if isinstance(value, Tensor):
        return value.requires_grad
    if isinstance(value, (list, tuple)):
        return any(_requires_grad(v) for v in value)
    return False


def _can_cast(src: D.dtype, dst: D.dtype) -> bool:
    """torch.can_cast: no cast to a lower kind (float -> integer, integer -> bool)."""
    def kind(d: D.dtype) -> int:
        return 0 if d is D.bool_ else (2 if d.is_floating_point else 1)
    return kind(src) <= kind(dst)


def _type_name(dtype: D.dtype) -> str:
    """Float, Long, ...: the ScalarType name torch's cast error uses."""
    return D.TORCH_NAMES.get(dtype.name, dtype.name)


def _into(name: str, result: Tensor, out: Tensor, exact: bool, level: int) -> Tensor:
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if exact and result.dtype is not out.dtype:
        raise RuntimeError(f"Expected out tensor to have dtype {_type_name(result.dtype).lower()}, "
                           f"but got {_type_name(out.dtype).lower()} instead")
    if not _can_cast(result.dtype, out.dtype):
        raise RuntimeError(f"result type {_type_name(result.dtype)} can't be cast to the desired output type "
                           f"{_type_name(out.dtype)}")
    if tuple(out.shape) != tuple(result.shape):
        if out.numel() != 0:
            warnings.warn(
                f"An output with one or more elements was resized since it had shape {list(out.shape)}, which does "
                f"not match the required output shape {list(result.shape)}. This behavior is deprecated, and in a "
                "future PyTorch release outputs will not be resized unless they have zero elements. You can "
                "explicitly reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0). "
                "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/Resize.cpp:30.)",
                UserWarning, stacklevel=level)
        out.resize_(tuple(result.shape))
    with no_grad():
        out.copy_(result.detach())
    return out


def _with_out(name: str, fn: Callable, kind: str) -> Callable:
    @functools.wraps(fn)
    def call(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        if out is None:
            return fn(*args, **kwargs)
        return call_with_out(name, fn, args, kwargs, out, kind)
    return call


def call_with_out(name: str, fn: Callable, args: tuple, kwargs: dict, out: Any, kind: str, level: int = 4) -> Any:
    """fn(*args, **kwargs) written into out, as torch's name(..., out=out); level: the
    user's frame seen from _into (for the resize warning)."""
    if STATE.grad_enabled and (_requires_grad(args) or _requires_grad(tuple(kwargs.values()))
                               or _requires_grad(out)):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    for o in (out if isinstance(out, (tuple, list)) else (out,)):
        if isinstance(o, Tensor):
            check_no_internal_overlap(o)
            check_no_partial_overlap(o, (*args, *kwargs.values()))
    if kind == "creation":
        dtype = kwargs.get("dtype")
        if isinstance(out, Tensor) and dtype is None:
            kwargs["dtype"] = out.dtype
        elif isinstance(out, Tensor) and dtype is not out.dtype:
            raise RuntimeError(f"dtype {_type_name(dtype)} does not match dtype of out parameter "
                               f"({_type_name(out.dtype)})")
        return _into(name, fn(*args, **kwargs), out, False, level)
    result = fn(*args, **kwargs)
    if isinstance(result, tuple):
        if not isinstance(out, (tuple, list)) or len(out) != len(result):
            raise TypeError(f"{name}(): argument 'out' must be tuple of {len(result)} Tensors")
        outs = [_into(name, r, o, False, level) for r, o in zip(result, out)]
        kind_name = getattr(result, "_kind", None)
        if kind_name is not None and len(outs) == 2:
            return type(result)(outs[0], outs[1], kind_name + "_out")
        return tuple(outs)
    return _into(name, result, out, kind == "exact", level)


# Functions that warn with a stacklevel pointing at the user's line: a
# wrapper's frame would make it point into jitgrad, so they are left as they are.
WARN_AT_CALLER = set("cholesky cross std var chain_matmul range qr std_mean triangular_solve var_mean".split())


def install(namespace: dict) -> None:
    """Wrap the namespace's functions that take out= in torch (jitgrad/__init__ calls this once)."""
    for kind, names in (("elementwise", ELEMENTWISE), ("exact", EXACT_DTYPE), ("creation", CREATION),
                        ("tuple", TUPLES)):
        for name in names:
            if name in WARN_AT_CALLER:
                continue
            fn = namespace.get(name)
            if callable(fn) and not isinstance(fn, type) and not getattr(fn, "_takes_out", False):
                wrapped = _with_out(name, fn, kind)
                wrapped._takes_out = True       # type: ignore[attr-defined]
                namespace[name] = wrapped
