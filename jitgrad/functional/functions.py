"""All API functions in one namespace (`jitgrad.functional.functions`, which
the layers above use as `F`), gathered from the topic modules beside it:
base, creation, shapes, elementwise, reductions, products."""
from ..tensors.construct import tensor  # noqa: F401  (the constructor is an API function too)
from ..tensors.tensor import _dim  # noqa: F401
from .base import (  # noqa: F401
    _as_tensor, _c_order, _dims, _laid_like, _gather_tensor, _grad_on, _index_add, _named, _new_scalar, _tensors_only, _to_dtype,
    _saved_args, _saved_operand,
    builtins_all, builtins_any, builtins_max, builtins_min, builtins_sum)
from .creation import (  # noqa: F401
    _check_grad_dtype, _creation, _like, _random_dtype, RNG, _size, _size_arg, arange, as_tensor, empty,
    Generator, get_rng_state, initial_seed, _rng_of, set_rng_state,
    empty_like, eye, from_numpy, full, full_like, is_tensor, linspace, manual_seed, numel, ones, ones_like,
    rand, rand_like, randint, randn, randn_like, seed, zeros, zeros_like)
from .shapes import (  # noqa: F401
    _alias, _along, _check_cat, _contiguous, _index_op, _infer_shape, _join, _moved, _multi_view, _permuted,
    _pieces, _reshaped, _shape_arg, _split_sizes, _tensor_list, _tensor_type, broadcast_to, cat, chunk,
    concat, concatenate, expand, flatten, flip, hstack, moveaxis, movedim, narrow, permute, reshape, roll,
    select, split, squeeze, stack, swapaxes, swapdims, t, transpose, unbind, unsqueeze, view, vstack)
from .elementwise import (  # noqa: F401
    _check_int_divisor, _clamp, _clamp_tensors, _integer_input, _make_binary, _make_unary, _record_place,
    _record_routes, _record_zero_grad, _scalar_kind, abs, acos, acosh, add, arccos, arccosh, arcsin, arcsinh,
    arctan, arctanh, arctan2, asin, asinh, atanh,
    atan, atan2, ceil, clamp, clamp_max, clamp_min, clip, copysign, cos, cosh, digamma, div, divide, erf,
    erfc, erfinv, exp, exp2, expm1, floor, fmod, frac, gelu, hypot, lgamma, log, log10, log1p, log2,
    logaddexp, logaddexp2, logit, maximum, minimum, mul, multiply, neg, negative, polygamma, pow, reciprocal,
    relu, remainder, round, rsqrt, sigmoid, sign, silu, sin, sinc, sinh, softplus, sqrt, square, sub,
    subtract, tan, tanh, true_divide, trunc, where, xlogy)
from .reductions import (  # noqa: F401
    _prod_all, _record_sum, _reduce_dims, _reduce_index, _sum_dtype, _sum_scaled, all, any, cumprod, cumsum,
    isfinite, isinf, isnan, mean, mvlgamma, prod, sum)
from .norms import _norm2_all, _root, _sum_squares, norm  # noqa: F401
from .extremes import (  # noqa: F401
    _ValuesIndices, _arg_extreme, _argfn, _extreme, _guard_arg, _kept_shape, _max_min, _max_min_args, amax, amin,
    argmax, argmin, max, min)
from .softmax_family import _detached_max, _softmax_dtype_check, log_softmax, logsumexp, softmax  # noqa: F401
from .products import (  # noqa: F401
    _SHAPE_CPP, _broadcast_shapes, _check_bmm, _check_dot, _check_mm, _check_mv, _matmul_operands,
    _matmul_plan, _matmul_record, _matrix_adjoint, _matrix_transpose, _no_bool, _reverse_dims, _spec, adjoint, bmm,
    dot, ger, matmul, mm, mv, outer)

# What `from jitgrad.functional.functions import *` gives jitgrad's namespace:
# the public functions (not the helpers, nor the builtins these modules shadow).
__all__ = [_n for _n, _v in list(globals().items())
           if not _n.startswith("_") and callable(_v) and not _n.startswith("builtins_")
           and getattr(_v, "__module__", "").startswith("jitgrad.functional.")]
