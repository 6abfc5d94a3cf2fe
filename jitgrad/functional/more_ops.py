"""More of PyTorch's everyday tensor functions, each built from recorded
primitives (gathers, elementwise ops, reductions): no derivative code here.
"""

import numpy as np


from ..core import dtypes as D
from ..core import saved_nodes as SN
from .base import _saved_operand
from . import arg_types as AT
from . import functions as F
from . import torch_strides as TS
from .inplace import _inplace
from .expanded_writes import masked_fill_expanded
from .elementwise import _record_routes, _where_value
from . import small
from ..core import kernels as K
from ..core import layouts as LY
from ..tensors.tensor import (Tensor, _guard_finite, _guard_read, _guard_taint, _guard_vmap_dynamic)
from ..tensors.arith import (_check_broadcast)
from ..core.grad_mode import STATE
from ..autodiff.bulk import record_no_derivative
from ..tensors import tracked as TR
from ..tensors.construct import (tensor)
from . import lerp_record as LR
from . import masked_grad as MG
from . import selection as SEL
from .statistics import std, std_mean, var, var_mean  # noqa: F401  (torch's namespace: __all__)
from .half_via_float32 import via_float32
from .sorting import _Pair, _t, _take_along, _stable_order, argsort, sort, topk  # noqa: F401  (MO.* of other modules)


# ----- comparisons of whole tensors (no gradient) ---------------------------

def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    a, b = _t(input), _t(other)
    if a.dtype is not b.dtype:     # (torch's check: no promotion)
        raise RuntimeError(f"{D.TORCH_NAMES[a.dtype.name]} did not match {D.TORCH_NAMES[b.dtype.name]}")
    _check_broadcast(np.asarray(a._data()), np.asarray(b._data()))     # (torch's message, not NumPy's)
    _guard_taint("isclose", a, b)       # (a mask of the values: compile runs the signature eagerly)
    return Tensor._wrap(np.isclose(_t(input)._data(), _t(other)._data(), rtol, atol, equal_nan))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    AT.need_tensor("allclose", input)
    AT.need_tensor("allclose", other, "other", 2)
    _guard_taint("allclose()", _t(input), _t(other))
    return bool(np.allclose(_t(input)._data(), _t(other)._data(), rtol, atol, equal_nan))


def equal(input, other):
    a, b = _t(input), _t(other)
    _guard_taint("equal()", a, b)
    return a.shape == b.shape and bool(np.array_equal(a._data(), b._data()))


def count_nonzero(input, dim=None, *more):
    if more:        # (x.count_nonzero(0, 1): the method's int varargs, as torch's parser takes them)
        dim = (dim, *more)
    _guard_read(_t(input), "truth")
    axis = None if dim is None else F._dims(dim, _t(input).ndim)      # (torch's dim errors)
    if _t(input).ndim == 0:     # (a 0-D tensor's dim 0 / -1 is the tensor itself)
        axis = None
    return Tensor._wrap(np.asarray(np.count_nonzero(_t(input)._data(), axis=axis), np.int64))


def _vmap_dynamic_op(op: str) -> str:
    return (f"vmap: We do not support batching operators that can output dynamic shape. Attempted to vmap over "
            f"aten::{op}. Please file an issue at https://github.com/pytorch/pytorch/issues if you need this feature.")


def nonzero(input, *, as_tuple=False, _vmap_check=True):
    if _vmap_check:     # (argwhere: torch's vmap falls back to a loop, with a warning)
        _guard_vmap_dynamic(_t(input), "Batching rule not implemented for aten::nonzero_numpy. We could not "
                            "generate a fallback." if as_tuple else _vmap_dynamic_op("nonzero"))
    _guard_read(_t(input), "truth")
    data = np.asarray(_t(input)._data())
    if data.ndim == 0:      # (torch: a 0-D tensor has one element and no dims to index)
        hit = bool(data)
        if as_tuple:
            return (Tensor._wrap(np.zeros(int(hit), np.int64)),)
        return Tensor._wrap(np.zeros((int(hit), 0), np.int64))
    idx = np.nonzero(data)
    if as_tuple:
        return tuple(Tensor._wrap(i.astype(np.int64)) for i in idx)
    return Tensor._wrap(np.stack(idx, axis=1).astype(np.int64) if idx else np.zeros((0, 0), np.int64))


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    # (torch.unique is Python: it calls _unique2 or unique_dim, whose parser checks these)
    flags = (("bool", "sorted", sorted), ("bool", "return_inverse", return_inverse),
             ("bool", "return_counts", return_counts))
    if dim is None:
        AT.check_named("_unique2", flags)
    else:
        AT.check_positional("unique_dim", (("Tensor", "input", input), ("int", "dim", dim)))
        AT.check_named("unique_dim", flags)
    _guard_vmap_dynamic(_t(input), _vmap_dynamic_op("_unique2" if dim is None else "unique_dim"))
    _guard_taint("unique()", _t(input))
    # (torch: every nan is its own value)
    res = np.unique(_t(input)._data(), return_inverse=return_inverse, return_counts=return_counts, axis=dim,
                    equal_nan=False)
    if not (return_inverse or return_counts):
        return _unique_values(Tensor._wrap(res), _t(input), dim)
    vals, *rest = res
    # the inverse indexes the input's elements, or with dim= its slices along dim
    inverse_shape = _t(input).shape if dim is None else (_t(input).shape[dim],)
    rest = [Tensor._wrap(r.astype(np.int64).reshape(inverse_shape) if return_inverse and i == 0 else
                         r.astype(np.int64)) for i, r in enumerate(rest)]
    return (_unique_values(Tensor._wrap(vals), _t(input), dim), *rest)


def _unique_values(vals: Tensor, x: Tensor, dim) -> Tensor:
    """unique's values of an input that requires grad: torch's node without a
    derivative (grad_fn=<Unique2Backward0>; a backward through it raises)."""
    if not (x.requires_grad and STATE.grad_enabled and x.dtype.is_floating_point):
        return vals
    op = "_unique2" if dim is None else "unique_dim"
    return record_no_derivative(vals, f"the derivative for '{op}' is not implemented.",
                                "Unique2Backward0" if dim is None else "UniqueDimBackward0", NotImplementedError)


# ----- construction and masking ----------------------------------------------

def repeat(input, *sizes):
    x = _t(input)
    sizes = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else sizes
    if len(sizes) < x.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    shape = (1,) * (len(sizes) - x.ndim) + tuple(x.shape)
    idx = np.tile(np.arange(x.numel()).reshape(shape), sizes)
    return F._named(F._gather_tensor(x, idx.ravel(), idx.shape), "RepeatBackward0", x,
                    saved={"repeats": tuple(int(v) for v in sizes), "self_sym_sizes": tuple(x.shape)})


def _shape_of(mask) -> tuple:
    return tuple(mask.shape) if isinstance(mask, Tensor) else np.shape(mask)


def _broadcast_pair(a: tuple, b: tuple) -> tuple:
    """The broadcast shape of a and b, or torch's error naming them tensor a and b."""
    for i, (p, q) in enumerate(zip(reversed(a), reversed(b))):
        if p != q and p != 1 and q != 1:
            raise RuntimeError(f"The size of tensor a ({p}) must match the size of tensor b ({q}) at "
                               f"non-singleton dimension {max(len(a), len(b)) - 1 - i}")
    return tuple(np.broadcast_shapes(a, b))


def masked_fill(input, mask, value):
    x = _t(input)
    if isinstance(mask, Tensor) and mask.dtype is not D.bool_:
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype "
                           + D.CPP_NAMES.get(mask.dtype.name, mask.dtype.name))
    # (a tensor value: torch's masked_fill.Tensor, MaskedFillBackward1)
    name = "MaskedFillBackward1" if isinstance(value, Tensor) else "MaskedFillBackward0"
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value.ndim} dimension(s).")
    if isinstance(value, Tensor) and value.numel() == 1 and not value.requires_grad:
        value = value.item()
    if isinstance(value, (int, float, np.generic)):
        value = D.checked_number(value, x.dtype)
        if x.dtype is D.bool_:
            value = bool(value)     # (where's float result would check a float's range)
    # (out of place, torch broadcasts the mask and x together: a larger mask makes a larger result)
    shape = _broadcast_pair(_shape_of(mask), tuple(x.shape))
    if mask.__class__ is TR.Tracked and mask.dtype is D.bool_ and x.dtype.is_floating_point:
        out = F.where(mask, value, x)       # compile: the mask stays on the tape
        return F._named(F._to_dtype(out, x.dtype), name)
    m = mask._data() if isinstance(mask, Tensor) else np.asarray(mask)
    # where, not x * keep: masked-out nan/inf must not leak into the result.
    out = F.where(Tensor._wrap(np.broadcast_to(m.astype(bool), shape)), value, x)
    return F._named(F._c_order(F._to_dtype(out, x.dtype)), name, *((x, value) if isinstance(value, Tensor) else (x,)),
                    saved={"mask": mask if isinstance(mask, Tensor) else Tensor._wrap(m)})


def _triangle(x, diagonal, upper, name):
    """where(mask, x, 0) of the triangle's mask (torch's: a contiguous result)."""
    if x.__class__ is Tensor and x._rg and x._arr is not None and x._arr.ndim == 2 and x.dtype.is_floating_point \
            and STATE.grad_enabled and diagonal.__class__ is int and small.ENABLED:
        keep, kept, dropped = _triangle_mask(x._arr.shape, diagonal, upper)
        if kept.size:
            # (where's value and records, the mask's positions kept: an
            # energy's triu(1) per step paid the mask and its positions)
            out, a, b, _ = _where_value(keep, x, 0.0)
            _record_routes(out, [(a, kept), (b, dropped)], "WhereBackward0", positions=True)
            F._named(out, "WhereBackward0", a, b)
            return F._named(F._c_order(out), name, x, saved={"diagonal": SN.uint(diagonal)})
    keep = (np.triu if upper else np.tril)(np.ones(x.shape[-2:]), diagonal)
    # (a zero of x's kind: where with 0.0 would promote a bool / integer mask to float)
    zero = False if x.dtype is D.bool_ else 0 if not x.dtype.is_floating_point else 0.0
    return F._named(F._c_order(F.where(Tensor._wrap(keep.astype(bool)), x, zero)), name, x,
                    saved={"diagonal": SN.uint(diagonal)})


_TRIANGLES: dict = {}       # (shape, diagonal, upper) -> (mask, its positions, the others), read-only


def _triangle_mask(shape, diagonal, upper):
    key = (shape, diagonal, upper)
    masks = _TRIANGLES.get(key)
    if masks is None:
        keep = (np.triu if upper else np.tril)(np.ones(shape), diagonal).astype(bool)
        masks = (keep, np.flatnonzero(keep), np.flatnonzero(~keep))
        for m in masks:
            m.flags.writeable = False
        if len(_TRIANGLES) >= 64:
            _TRIANGLES.clear()
        _TRIANGLES[key] = masks
    return masks


def _check_matrix(x: Tensor, name: str) -> None:
    if x.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")


def tril(input, diagonal=0):
    x = _t(input)
    _check_matrix(x, "tril")
    return _triangle(x, diagonal, False, "TrilBackward0")


def triu(input, diagonal=0):
    x = _t(input)
    _check_matrix(x, "triu")
    return _triangle(x, diagonal, True, "TriuBackward0")


def diag(input, diagonal=0):
    x = _t(input)
    if x.ndim == 1:
        n = x.shape[0] + abs(diagonal)
        pos = np.arange(x.shape[0])
        rows, cols = (pos, pos + diagonal) if diagonal >= 0 else (pos - diagonal, pos)
        return F._named(F._index_add(x, rows * n + cols, n * n, write=True).reshape(n, n), "DiagEmbedBackward0", x)
    if x.ndim != 2:
        raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{x.ndim}D")
    r, c = x.shape
    k = np.arange(max(0, min(r, c - diagonal) if diagonal >= 0 else min(r + diagonal, c)))
    rows, cols = (k, k + diagonal) if diagonal >= 0 else (k - diagonal, k)
    return F._named(F._gather_tensor(x, rows * c + cols), "DiagonalBackward0_copy")   # torch 2.13's name


def trace(input):
    x = _t(input)
    if x.ndim != 2:
        raise RuntimeError("trace: expected a matrix, but got tensor with dim " + str(x.ndim))
    return F._named(F.sum(diag(x)), "TraceBackward0", x)


_META_NAMES = {**D.CPP_NAMES, "bfloat16": "c10::BFloat16"}      # (C++ type names: 'long int', 'int', 'bool')


_LERP_OVERLOADS = (" * (Tensor input, Tensor end, Tensor weight, *, Tensor out = None)\n"
                   " * (Tensor input, Tensor end, Number weight, *, Tensor out = None)\n")
_LERP_METHOD_OVERLOADS = " * (Tensor end, Tensor weight)\n * (Tensor end, Number weight)\n"


def _type_names(args) -> str:
    return ", ".join("Tensor" if isinstance(a, Tensor) else type(a).__name__ for a in args)


@via_float32
def lerp(input, end, weight=None):
    if weight is None or not isinstance(input, Tensor) or not isinstance(end, Tensor):
        given = (input, end) if weight is None else (input, end, weight)
        raise TypeError(f"lerp() received an invalid combination of arguments - got ({_type_names(given)}), but "
                        f"expected one of:\n{_LERP_OVERLOADS}")
    # torch's checks: end, and a weight tensor of at least one dim, of input's dtype
    for what, t in (("end", end), ("weight", weight)):
        if (isinstance(input, Tensor) and isinstance(t, Tensor) and t.dtype is not input.dtype
                and (what == "end" or t.ndim > 0)):
            raise RuntimeError(f"expected dtype {_META_NAMES.get(input.dtype.name, input.dtype.name)} for `{what}` "
                               f"but got dtype {_META_NAMES.get(t.dtype.name, t.dtype.name)}")
    if not input.dtype.is_floating_point:
        kernel = "lerp_kernel_tensor" if isinstance(weight, Tensor) else "lerp_kernel_scalar"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{D.TORCH_NAMES[input.dtype.name]}'")
    # (torch's TensorIterator broadcasts input, end, weight in that order: its message names them so)
    shape = _broadcast_pair(tuple(input.shape), tuple(end.shape))
    if isinstance(weight, Tensor):
        _broadcast_pair(shape, tuple(weight.shape))
    exact = _lerp_exact(input, end, weight)
    if exact is not None:
        return exact
    if isinstance(weight, Tensor):
        return F._named(input + weight * (end - input), "LerpBackward1", input, end, weight)
    return F._named(input + weight * (end - input), "LerpBackward0", input, end)


def _lerp_exact(input, end, weight):
    """lerp of float tensors of one dtype with a number or float tensor
    weight: torch's value (one fma) and, when one requires grad, torch's
    backward (functional/lerp_record.py); None for anything else."""
    if not (isinstance(input, Tensor) and isinstance(end, Tensor) and input.dtype is end.dtype
            and input.dtype in (D.float32, D.float64)):
        return None
    if isinstance(weight, Tensor):
        if not weight.dtype.is_floating_point or weight.dtype not in (D.float32, D.float64):
            return None
        tensors = (input, end, weight)
    elif isinstance(weight, (int, float)) and not isinstance(weight, bool):
        tensors = (input, end)
    else:
        return None
    try:
        np.broadcast_shapes(*(t.shape for t in tensors))
    except ValueError:
        return None     # (the composite raises torch's error)
    if STATE.grad_enabled and any(t._rg for t in tensors):
        return F._named(LR.record_lerp(input, end, weight), "LerpBackward1" if len(tensors) == 3 else "LerpBackward0",
                        *tensors)
    w = weight._data() if isinstance(weight, Tensor) else weight
    return Tensor._wrap(LR.lerp_value(input._data(), end._data(), w, input.dtype.np), input.dtype)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    x = _t(input)
    _guard_finite(x)
    arr = x._data()
    bad = ~np.isfinite(arr)
    if not bad.any():
        return F._named(x * 1.0, "NanToNumBackward0", x) if x.requires_grad else x.clone()
    fixed = np.nan_to_num(arr, nan=nan, posinf=posinf, neginf=neginf)
    if x._rg and STATE.grad_enabled and x.dtype.is_floating_point:
        return F._named(MG.times_mask(x, ~bad, fixed), "NanToNumBackward0", x)    # (torch's grad * isfinite(x))
    return F._named(F.where(Tensor._wrap(bad), Tensor._wrap(fixed), x), "NanToNumBackward0", x)


# ----- Tensor.new_* ------------------------------------------------------------

def _new(fill, name):
    def method(self, *size, dtype=None, device=None, requires_grad=False):
        if not size:
            raise TypeError(f'{name}() missing 1 required positional arguments: "size"')
        size = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
        if any(s < 0 for s in size):
            bad = next(s for s in size if s < 0)
            raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {list(size)}")
        dt = dtype or self.dtype
        out = Tensor._wrap(np.full(size, fill, dt.np), dt)
        return out.requires_grad_(True) if requires_grad else out
    return method


def new_tensor(self, data, *rest, dtype=None, device=None, requires_grad=False):
    if rest:
        raise TypeError(f"new_tensor() takes 1 positional argument but {1 + len(rest)} were given")
    return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)


def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
    dt = dtype or self.dtype
    if isinstance(fill_value, (int, float, np.generic)):
        fill_value = D.checked_number(fill_value, dt)
    out = Tensor._wrap(np.full(tuple(size), fill_value, dt.np), dt)
    return out.requires_grad_(True) if requires_grad else out


Tensor.new_zeros = _new(0, "new_zeros")
Tensor.new_ones = _new(1, "new_ones")
Tensor.new_empty = _new(0, "new_empty")
Tensor.new_tensor = new_tensor
Tensor.new_full = new_full
for _name in ("var", "std", "sort", "argsort", "topk", "repeat", "masked_fill", "tril", "triu", "diag",
              "trace", "lerp", "nan_to_num", "isclose", "allclose", "equal", "count_nonzero", "nonzero",
              "unique"):
    setattr(Tensor, _name, globals()[_name])


def check_lerp_method(name, end, weight):
    """Tensor.lerp / lerp_ without a weight: torch's message of its method overloads."""
    if weight is None:
        given = () if end is None else (end,)
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({_type_names(given)}), "
                        f"but expected one of:\n{_LERP_METHOD_OVERLOADS}")


def _lerp_method(self, end=None, weight=None):
    check_lerp_method("lerp", end, weight)
    return lerp(self, end, weight)


Tensor.lerp = _lerp_method

__all__ = ["isclose", "allclose", "equal", "count_nonzero", "nonzero", "unique", "var", "std", "sort",
           "argsort", "topk", "repeat", "masked_fill", "tril", "triu", "diag", "trace", "lerp", "nan_to_num"]


def gather(input, dim, index, *, sparse_grad=False):
    """out[i][j][k] = input[i][index[i][j][k]][k] (dim 1), as torch.gather:
    a gather of flat positions, so its gradient is the index map's."""
    x = input
    d = F._dim(dim, x.ndim)
    if not isinstance(index, Tensor) or index.dtype.name not in ("int64", "int32"):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    if index.ndim != max(x.ndim, 1) and not (x.ndim == 0 and index.ndim <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    ishape = tuple(index.shape) if index.ndim else (1,) * max(x.ndim, 1)
    shape = x.shape if x.ndim else (1,)
    for i, (s, n) in enumerate(zip(ishape, shape)):
        if i != d and s > n:
            raise RuntimeError(f"Size does not match at dimension {i} expected index {list(index.shape)} to be "
                               f"no larger than self {list(x.shape)} apart from dimension {d}")
    if index.__class__ is TR.Tracked and x.ndim and index.numel() and SEL.recording(x) and index._tape is x._tape:
        # compile: an index recorded from the inputs (an argsort): its values are read at replay
        gshape = list(ishape)
        gshape[d] = shape[d]
        rows = np.moveaxis(np.ravel_multi_index(tuple(np.indices(gshape)), shape), d, -1).reshape(-1, shape[d])
        outpos = np.moveaxis(np.arange(index.numel()).reshape(ishape), d, -1).reshape(-1, ishape[d])
        out = SEL.by_index(F.reshape(x, (-1,)), index, rows, outpos, outpos, ishape, True)
        if out is not None:
            return F._named(out, "GatherBackward0", x)
    idx = np.asarray(index._data(), np.int64).reshape(ishape)
    bad = (idx < 0) | (idx >= shape[d])
    if bad.any():
        raise RuntimeError(f"index {int(idx[bad].flat[0])} is out of bounds for dimension {d} with size {shape[d]}")
    grids = list(np.indices(idx.shape, sparse=True))
    grids[d] = idx
    pos = np.ravel_multi_index(tuple(np.broadcast_arrays(*grids)), shape).ravel()
    out = F._gather_tensor(F.reshape(x, (-1,)), pos, tuple(index.shape), summed=True)   # torch: scatter_add
    return F._named(out, "GatherBackward0", x, saved={"dim": SN.uint(dim), "index": _saved_operand(index, 1),
                                                     "self": SN.Input(0), "sparse_grad": bool(sparse_grad)})


def rsub(input, other, *, alpha=1):
    """other - alpha * input (torch.rsub)."""
    name = "RsubBackward0" if isinstance(other, Tensor) else "RsubBackward1"
    return F._named(other - (input if alpha == 1 else input * alpha), name)


Tensor.gather = gather
__all__ += ["gather", "rsub"]


# ----- comparison and logical functions (no gradient) ------------------------

def _type_name(v):
    return "Tensor" if isinstance(v, Tensor) else type(v).__name__


def _comparison(name, method):
    def f(input, other, *, out=None):
        if not isinstance(input, Tensor) or not isinstance(other, (Tensor, bool, int, float, np.number)):
            raise TypeError(f"{name}() received an invalid combination of arguments - got ({_type_name(input)}, "
                            f"{_type_name(other)}), but expected one of:\n * (Tensor input, Tensor other, *, "
                            "Tensor out = None)\n * (Tensor input, Number other, *, Tensor out = None)\n")
        return method(input, other)
    f.__name__ = f.__qualname__ = name
    return f


eq = _comparison("eq", Tensor.__eq__)
ne = not_equal = _comparison("ne", Tensor.__ne__)
lt = less = _comparison("lt", Tensor.__lt__)
le = less_equal = _comparison("le", Tensor.__le__)
gt = greater = _comparison("gt", Tensor.__gt__)
ge = greater_equal = _comparison("ge", Tensor.__ge__)


def _need_tensor(fname, arg, pos, v):
    if not isinstance(v, Tensor):
        raise TypeError(f"{fname}(): argument '{arg}' (position {pos}) must be Tensor, not {type(v).__name__}")


def _logical(name, npfn):
    code = getattr(K, name.upper())

    def f(input, other, *, out=None):
        _need_tensor(name, "input", 1, input)
        _need_tensor(name, "other", 2, other)
        recorded = TR.recording(input, other)       # compile: recorded, no gradient
        if recorded:
            input, other = TR.plain(input), TR.plain(other)
        a, b = input._data(), other._data()
        _check_broadcast(a, b)
        r = Tensor._wrap(LY.follow_pair(np.asarray(npfn(a, b)), a, b))     # (torch's layout: the first operand's)
        return TR.record(code, r, input, other) if recorded else r
    f.__name__ = f.__qualname__ = name
    return f


logical_and = _logical("logical_and", np.logical_and)
logical_or = _logical("logical_or", np.logical_or)
logical_xor = _logical("logical_xor", np.logical_xor)


def logical_not(input, *, out=None):
    _need_tensor("logical_not", "input", 1, input)
    if TR.recording(input):
        x = TR.plain(input)
        return TR.record(K.LOGICAL_NOT, Tensor._wrap(np.asarray(np.logical_not(x._data()))), x)
    return Tensor._wrap(np.asarray(np.logical_not(input._data())))


# ----- selection -------------------------------------------------------------

def index_select(input, dim, index, *, out=None):
    _need_tensor("index_select", "index", 2, index)
    if index.dtype.name not in ("int64", "int32"):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    d = F._dim(dim, input.ndim)      # (torch wraps dim first)
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    idx = np.asarray(index._data(), np.int64).reshape(-1)
    size = input.shape[d] if input.ndim else 1
    bad = (idx < 0) | (idx >= size)
    if bad.any():
        if d != 1:      # (torch's kernel for dim 1 words it differently)
            raise IndexError("index out of range in self")
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={int(idx[bad][0])} axis_dim={size}")
    if input.ndim == 0:
        return F._named(F.reshape(input, ()) * 1 if idx.size else input, "IndexSelectBackward0")
    out = input[(slice(None),) * d + (Tensor._wrap(idx),)]
    return F._named(F._c_order(out), "IndexSelectBackward0",
                    saved={"dim": SN.uint(dim), "index": index, "self_sym_sizes": tuple(input.shape)})


def masked_select(input, mask, *, out=None):
    _need_tensor("masked_select", "mask", 2, mask)
    if mask.dtype.name != "bool":
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    _guard_vmap_dynamic(mask, "vmap: Attempted to vmap over `mask` in torch.masked_select(self, mask) We cannot "
                        "support this because for each batch this would return a differently shaped Tensor. Please "
                        "file an issue at https://github.com/pytorch/pytorch/issues if you need this feature.")
    shape = _broadcast_pair(tuple(mask.shape), tuple(input.shape))
    if mask.__class__ is TR.Tracked and SEL.recording(input) and mask._tape is input._tape:
        # compile: a mask recorded from the inputs (x > 0): which elements are kept is
        # recomputed at replay, their count guarded
        x = input if tuple(input.shape) == shape else F.expand(input, shape)     # (as below)
        n = int(np.prod(shape))
        mpos = np.broadcast_to(np.arange(mask.numel()).reshape(tuple(mask.shape)), shape).ravel()
        out = SEL.by_mask(F.reshape(x, (-1,)), mask, np.arange(n).reshape(1, n), mpos, (), False)
        return F._named(out, "MaskedSelectBackward0")
    x = input if tuple(input.shape) == shape else F.expand(input, shape)
    m = mask if tuple(mask.shape) == shape else Tensor._wrap(np.broadcast_to(mask._data(), shape))
    # torch's backward masked_scatters into zeros (a copy: -0.0 stays), not x[m]'s index_put
    pos = np.flatnonzero(np.asarray(m._data()))
    return F._named(F._gather_tensor(F.reshape(x, (-1,)), pos), "MaskedSelectBackward0")


def _masked_fill_(self, mask, value):
    shape = _broadcast_pair(tuple(self.shape), _shape_of(mask))
    if shape != tuple(self.shape):
        raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(shape)}")
    if masked_fill_expanded(self, mask, value) is not None:
        return self
    name = "MaskedFillBackward1" if isinstance(value, Tensor) else "MaskedFillBackward0"
    return _inplace(self, lambda _s, x, _o, _n: masked_fill(x, mask, value), None, None, name)


def clone(input, *, memory_format=None):
    return input.clone()


def detach(input):
    return input.detach()


def is_floating_point(input):
    return input.dtype.is_floating_point


def _type_as(self, other):
    AT.need_tensor("type_as", other, "other", 1)
    return F._to_dtype(self, other.dtype)


from .shape_helpers import (ravel, fliplr, flipud, unflatten, tensor_split, hsplit, vsplit,  # noqa: E402,F401
                            atleast_3d, dstack, column_stack)
from .dtype_info import finfo, iinfo, result_type  # noqa: E402,F401


def tile(input, *dims):
    dims = tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
    return repeat(input, (1,) * (input.ndim - len(dims)) + tuple(dims))


for _name in ("eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal",
              "not_equal", "logical_and", "logical_or", "logical_xor", "logical_not", "index_select",
              "masked_select", "ravel", "tile", "fliplr", "flipud", "unflatten", "tensor_split", "hsplit",
              "vsplit"):
    setattr(Tensor, _name, globals()[_name])
Tensor.masked_fill_ = _masked_fill_
Tensor.type_as = _type_as


def _stride(self, dim=None):
    st = TS.strides(self)
    return st if dim is None else st[F._dim(dim, self.ndim)]


from .repeats import repeat_interleave  # noqa: E402

Tensor.repeat_interleave = repeat_interleave
Tensor.stride = _stride
__all__.append("repeat_interleave")


def _cast_method(dt):
    return lambda self, memory_format=None: F._to_dtype(self, dt)


Tensor.short = _cast_method(D.int16)
Tensor.char = _cast_method(D.int8)
Tensor.byte = _cast_method(D.uint8)
__all__ += ["finfo", "iinfo", "result_type"]
__all__ += ["eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal", "not_equal",
            "logical_and", "logical_or", "logical_xor", "logical_not", "index_select", "masked_select", "clone",
            "detach", "is_floating_point", "ravel", "tile", "fliplr", "flipud", "unflatten", "tensor_split",
            "hsplit", "vsplit", "atleast_3d", "dstack", "column_stack", "var_mean", "std_mean"]
