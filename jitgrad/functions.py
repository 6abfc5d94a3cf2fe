"""Tensor functions beyond elementwise arithmetic: reductions, shapes,
joining, matmul, creation. Each records primitives from kernels.py; the
ones built from other functions (mean of a dim, norms with p != 2) need no
derivative code of their own.
"""
import math

import numpy as np

from . import dtypes as D
from . import kernels as K
from . import ops as O
from . import tape as T
from .tensor import (STATE, Tensor, _array_out, _binary, _dim, _finish, _param_unary, _push_operand,
                     _push_out, _record_unary_like, _scalar_out, _unary, round32, tensor)


def _grad_on(*ts):
    # builtins_any: this module's `any` is torch.any.
    return STATE.grad_enabled and builtins_any(isinstance(t, Tensor) and t._rg for t in ts)


def _new_scalar(v, dt):
    return _scalar_out(round32(v) if dt is D.float32 else v, dt)


# ----- elementwise functions (one per op-table row) ------------------------

def _make_unary(name):
    spec = O.UNARY[name]

    def f(input, *, out=None):
        x = _as_tensor(input)
        if not x.dtype.is_floating_point:
            x = _integer_input(name, x)
        return _unary(spec, x)
    f.__name__ = name
    f.__doc__ = f"Elementwise {name}; backward is the op table's rule ({spec[1]})."
    return f


for _name in O.UNARY:
    globals()[_name] = _make_unary(_name)
negative = globals()["neg"]
arcsin, arccos, arctan = globals()["asin"], globals()["acos"], globals()["atan"]


def _integer_input(name, x):
    """An int/bool input of op `name`: torch's error, or the dtype torch computes in."""
    O.check_integer_input(name, x.dtype)
    return _to_dtype(x, D.int64) if x.dtype is D.bool_ and name in O.BOOL_AS_INT else x


def _as_tensor(x):
    if isinstance(x, Tensor):
        return x
    return tensor(x)


def add(input, other, *, alpha=1):
    return input + (other if alpha == 1 else other * alpha)


def sub(input, other, *, alpha=1):
    other = other if alpha == 1 else other * alpha
    if not isinstance(input, Tensor):     # torch.sub(2, x) is no rsub
        return _binary(O.BINARY["sub"], input, other, "SubBackward0")
    return input - other


subtract = sub


def mul(input, other):
    return input * other if isinstance(input, Tensor) else _as_tensor(input) * other


multiply = mul


def div(input, other, *, rounding_mode=None):
    if rounding_mode is None:
        if not isinstance(input, Tensor):     # torch.div(2, x) is no reciprocal
            return _binary(O.BINARY["div"], input, other, "DivBackward0")
        return input / other
    q = _as_tensor(input).detach() / other
    r = q.floor() if rounding_mode == "floor" else q.trunc()
    return r if r.dtype is _as_tensor(input).dtype or not _as_tensor(input).dtype.is_floating_point is False else r


divide = true_divide = div


def pow(input, exponent):
    if isinstance(input, Tensor):
        return input ** exponent
    return exponent.__rpow__(input)


def maximum(input, other):
    return _binary(O.BINARY["maximum"], input, other, "MaximumBackward0")


def minimum(input, other):
    return _binary(O.BINARY["minimum"], input, other, "MinimumBackward0")


def atan2(input, other):
    return _binary(O.BINARY["atan2"], input, other, "Atan2Backward0")


arctan2 = atan2


def clamp(input, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        out = input
        if min is not None:
            out = maximum(out, min)
        if max is not None:
            out = minimum(out, max)
        return out
    if min is not None and max is not None:
        out = _param_unary(O.PARAM_UNARY["clamp_min"], input, float(min))
        out = _param_unary(O.PARAM_UNARY["clamp_max"], out, float(max))
        if out._rg:
            out._name = "ClampBackward1"
        return out
    if min is not None:
        return _param_unary(O.PARAM_UNARY["clamp_min"], input, float(min))
    return _param_unary(O.PARAM_UNARY["clamp_max"], input, float(max))


clip = clamp


def clamp_min(input, min):
    return clamp(input, min=min)


def clamp_max(input, max):
    return clamp(input, max=max)


def where(condition, input=None, other=None):
    cond = condition._data() if isinstance(condition, Tensor) else np.asarray(condition)
    if input is None:
        return tuple(Tensor._wrap(i) for i in np.nonzero(cond))
    c = Tensor._wrap(cond.astype(np.float64))
    # where(c, a, b) = a * c + b * (1 - c), without 0 * inf: mask first.
    a = _as_tensor(input) if not isinstance(input, (int, float)) else input
    b = _as_tensor(other) if not isinstance(other, (int, float)) else other
    dt = D.result_type([(t.ndim, t.dtype) for t in (a, b) if isinstance(t, Tensor)],
                       [2 if isinstance(t, float) else 1 for t in (a, b) if not isinstance(t, Tensor)])
    av = a._data() if isinstance(a, Tensor) else a
    bv = b._data() if isinstance(b, Tensor) else b
    val = np.where(cond, av, bv).astype(dt.np)
    if not _grad_on(a, b):
        return _array_out(val, dt)
    shape = val.shape
    pos = np.arange(val.size).reshape(shape)
    cb = np.broadcast_to(cond, shape).ravel()
    pieces = []
    tape = T.current()
    out = _array_out(np.array(val), dt)
    slot = _push_out(tape, out)
    scale = len(tape.vals)
    tape.vals.append(1.0)
    last = -1
    for src, mask in ((a, cb), (b, ~cb)):
        if not (isinstance(src, Tensor) and src._rg):
            continue
        srcb = expand(src, shape) if src.shape != shape else src
        take = np.nonzero(mask)[0]
        sub = _gather_tensor(srcb, take)
        off = T.push_meta(tape, np.concatenate(([scale], take)))
        last = T.record(tape, K.SUM_IDX, slot, val.size, T.slot_of(tape, sub), -1, take.size, off)
        pieces.append(sub)
    return _finish(out, tape, slot, "WhereBackward0")


def _gather_tensor(x, idx):
    """x.flatten()[idx] as a recorded tensor."""
    idx = np.asarray(idx, np.int64)
    val = x._data().ravel()[idx]
    out = _array_out(np.array(val), x.dtype)
    if x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        slot = _push_out(tape, out)
        off = T.push_meta(tape, idx)
        T.record(tape, K.GATHER, slot, idx.size, a, -1, x.numel(), off)
        _finish(out, tape, slot, "IndexBackward0")
    return out


# ----- reductions ----------------------------------------------------------

def _dims(dim, ndim):
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, int):
        dim = (dim,)
    out = tuple(_dim(d, ndim) for d in dim)
    if len(set(out)) != len(out):
        raise RuntimeError(f"dim {out[0]} appears multiple times in the list of dims")
    return out


def _reduce_index(shape, dims):
    """For each input element, the flat index of the output element it reduces into."""
    kept = [1 if i in dims else s for i, s in enumerate(shape)]
    outn = math.prod(kept)
    return np.broadcast_to(np.arange(outn).reshape(kept), shape).ravel()


def _sum_dtype(x, dtype):
    if dtype is not None:
        return dtype
    return x.dtype if x.dtype.is_floating_point else D.int64


def sum(input, dim=None, keepdim=False, *, dtype=None):
    x = input
    dt = _sum_dtype(x, dtype)
    return _sum_scaled(x, dim, keepdim, dt, 1.0, "SumBackward0" if dim is None else "SumBackward1")


def mean(input, dim=None, keepdim=False, *, dtype=None):
    x = input
    dt = dtype or x.dtype
    if not dt.is_floating_point:
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating "
                           f"point or complex dtype. Got: {_TORCH_NAMES[x.dtype.name]}")
    dims = _dims(dim, x.ndim)
    count = math.prod(x.shape[d] for d in dims) if x.ndim else 1
    return _sum_scaled(x, dim, keepdim, dt, 1.0 / count if count else math.nan,
                       "MeanBackward0" if dim is None else "MeanBackward1")


_TORCH_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
                "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _sum_scaled(x, dim, keepdim, dt, scale, name):
    if dim is None or x.ndim == 0:
        if dim is not None:
            _dims(dim, 1)
        if x._v is not None:
            v = x._v * scale if scale != 1.0 else x._v
            out = _new_scalar(float(v), dt) if dt.is_floating_point else _scalar_out(int(v), dt)
            if keepdim and dim is not None:
                pass
        else:
            total = x._arr.sum(dtype=np.float64 if dt.is_floating_point else dt.np)
            if dt.is_floating_point:
                total = np.asarray(x._arr.astype(dt.np, copy=False).sum(dtype=dt.np) if scale == 1.0
                                   else total * scale).astype(dt.np)
            out = _array_out(np.asarray(total, dt.np), dt)
            if keepdim and dim is not None:
                out = _array_out(np.asarray(total, dt.np).reshape((1,) * x.ndim), dt)
        if x._rg and STATE.grad_enabled:
            tape = T.current()
            a = T.slot_of(tape, x)
            c = len(tape.vals)
            tape.vals.append(scale)
            slot = _push_out(tape, out)
            T.record(tape, K.SUM, slot, 1, a, -1, x.numel(), c)
            _finish(out, tape, slot, name)
        return out
    dims = _dims(dim, x.ndim)
    arr = x._arr.astype(dt.np, copy=False)
    if dt.is_floating_point:
        val = arr.sum(axis=dims, keepdims=keepdim, dtype=dt.np)
        if scale != 1.0:
            val = (val.astype(np.float64) * scale).astype(dt.np)
    else:
        val = arr.sum(axis=dims, keepdims=keepdim)
    out = _array_out(np.asarray(val, dt.np), dt)
    if x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        c = len(tape.vals)
        tape.vals.append(scale)
        slot = _push_out(tape, out)
        idx = _reduce_index(x.shape, dims)
        off = T.push_meta(tape, np.concatenate(([c], idx)))
        T.record(tape, K.SUM_IDX, slot, out.numel(), a, -1, x.numel(), off)
        _finish(out, tape, slot, name)
    return out


def prod(input, dim=None, keepdim=False, *, dtype=None):
    x = input
    dt = _sum_dtype(x, dtype)
    if dim is not None:
        # Product along a dim as a composite: exp-free, via moving the dim last.
        d = _dim(dim, x.ndim)
        moved = movedim(x, d, -1)
        pieces = unbind(moved, -1)
        out = pieces[0]
        for p in pieces[1:]:
            out = out * p
        if keepdim:
            out = unsqueeze(out, d)
        if out._rg:
            out._name = "ProdBackward1"
        return out
    if x._v is not None:
        return mul(x, 1.0) if x._rg else _scalar_out(x._v, dt)
    val = np.asarray(x._arr.prod(dtype=dt.np), dt.np)
    out = _array_out(val, dt)
    if x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        slot = _push_out(tape, out)
        T.record(tape, K.PROD, slot, 1, a, -1, x.numel(), -1)
        _finish(out, tape, slot, "ProdBackward0")
    return out


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    x = input
    if p in ("fro", 2, 2.0) and dim is None and not keepdim:
        if not x.dtype.is_floating_point:
            raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {_TORCH_NAMES[x.dtype.name]}")
        arr = x._data().astype(np.float64)
        v = math.sqrt(float(np.dot(arr.ravel(), arr.ravel()))) if arr.size else 0.0
        out = _new_scalar(v, x.dtype)
        if x._rg and STATE.grad_enabled:
            tape = T.current()
            a = T.slot_of(tape, x)
            slot = _push_out(tape, out)
            T.record(tape, K.NORM, slot, 1, a, -1, x.numel(), -1)
            _finish(out, tape, slot, "LinalgVectorNormBackward0")
        return out
    if p == "fro":
        p = 2
    if p == float("inf"):
        out = amax(abs(x), dim=dim, keepdim=keepdim)
    elif p == float("-inf"):
        out = amin(abs(x), dim=dim, keepdim=keepdim)
    elif p == 0:
        out = sum((x != 0).to(x.dtype), dim=dim, keepdim=keepdim)
    elif p == 1:
        out = sum(abs(x), dim=dim, keepdim=keepdim)
    elif p == 2:
        out = sqrt(sum(x * x, dim=dim, keepdim=keepdim))
    else:
        out = sum(abs(x) ** p, dim=dim, keepdim=keepdim) ** (1.0 / p)
    if out._rg:
        out._name = "LinalgVectorNormBackward0"
    return out


def cumsum(input, dim, *, dtype=None):
    x = input
    d = _dim(dim, x.ndim)
    dt = _sum_dtype(x, dtype)
    if x.ndim == 0:
        out = _scalar_out(x._v, dt)
        if x._rg and STATE.grad_enabled:
            _record_unary_like(K.COPY, x, out, "CumsumBackward0")
        return out
    val = np.cumsum(x._arr.astype(dt.np, copy=False), axis=d, dtype=dt.np)
    out = _array_out(val, dt)
    if x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        slot = _push_out(tape, out)
        shape = x.shape
        off = T.push_meta(tape, np.array([math.prod(shape[:d]), shape[d], math.prod(shape[d + 1:])]))
        T.record(tape, K.CUMSUM, slot, out.numel(), a, -1, x.numel(), off)
        _finish(out, tape, slot, "CumsumBackward0")
    return out


def _extreme(x, dim, keepdim, npfn, name_all, name_dim):
    if dim is None:
        if x.numel() == 0:
            raise RuntimeError(f"{name_all}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
        arr = x._data()
        flat = arr.ravel()
        best = npfn(flat)
        if x._rg and STATE.grad_enabled:
            # Ties share the gradient evenly, as torch's max()/amax() do.
            hits = np.nonzero(flat == best)[0]
            if np.isnan(best):
                hits = np.nonzero(np.isnan(flat))[0][:1]
            picked = _gather_tensor(x, hits)
            out = mean(picked)
            out._name = name_all
            return out
        return _array_out(np.asarray(best), x.dtype)
    dims = _dims(dim, x.ndim)
    arr = x._data()
    best = npfn(arr, axis=dims, keepdims=True)
    if not (x._rg and STATE.grad_enabled):
        return _array_out(np.asarray(best if keepdim else np.squeeze(best, axis=dims)), x.dtype)
    mask = (arr == best) | (np.isnan(arr) & np.isnan(best))
    w = mask / mask.sum(axis=dims, keepdims=True)
    out = sum(x * Tensor._wrap(w.astype(x.dtype.np)), dim=dims, keepdim=keepdim)
    out._name = name_dim
    return out


def amax(input, dim=None, keepdim=False):
    if dim == ():
        dim = None
    return _extreme(input, dim, keepdim, np.max, "MaxBackward1", "AmaxBackward0")


def amin(input, dim=None, keepdim=False):
    if dim == ():
        dim = None
    return _extreme(input, dim, keepdim, np.min, "MinBackward1", "AminBackward0")


class _ValuesIndices(tuple):
    """torch.return_types.max/min: a named pair."""

    def __new__(cls, values, indices, kind):
        t = tuple.__new__(cls, (values, indices))
        t._kind = kind
        return t

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]

    def __repr__(self):
        return f"torch.return_types.{self._kind}(\nvalues={self[0]!r},\nindices={self[1]!r})"


def _max_min(x, dim, keepdim, kind):
    argfn = np.argmax if kind == "max" else np.argmin
    if dim is None:
        return amax(x) if kind == "max" else amin(x)
    if isinstance(dim, Tensor):
        return maximum(x, dim) if kind == "max" else minimum(x, dim)
    d = _dim(dim, x.ndim)
    if x.ndim == 0:
        return _ValuesIndices(x.clone(), tensor(0), kind)
    arr = x._data()
    idx = argfn(arr, axis=d)
    nanpos = np.isnan(arr).any(axis=d)
    if nanpos.any():
        idx = np.where(nanpos, np.argmax(np.isnan(arr), axis=d), idx)
    idx_k = np.expand_dims(idx, d)
    pos = np.arange(arr.size).reshape(arr.shape)
    flat = np.take_along_axis(pos, idx_k, axis=d)
    vals = _gather_tensor(x, flat.ravel())
    vals = reshape(vals, flat.shape if keepdim else idx.shape)
    if vals._rg:
        vals._name = "MaxBackward0" if kind == "max" else "MinBackward0"
    ind = Tensor._wrap((idx_k if keepdim else idx).astype(np.int64))
    return _ValuesIndices(vals, ind, kind)


def max(input, dim=None, keepdim=False, *, other=None):
    if isinstance(dim, Tensor):
        return maximum(input, dim)
    return _max_min(input, dim, keepdim, "max")


def min(input, dim=None, keepdim=False):
    if isinstance(dim, Tensor):
        return minimum(input, dim)
    return _max_min(input, dim, keepdim, "min")


def argmax(input, dim=None, keepdim=False):
    arr = input._data()
    if dim is None:
        return tensor(int(np.argmax(arr.ravel())))
    r = np.argmax(arr, axis=_dim(dim, input.ndim))
    return Tensor._wrap(np.expand_dims(r, dim) if keepdim else r)


def argmin(input, dim=None, keepdim=False):
    arr = input._data()
    if dim is None:
        return tensor(int(np.argmin(arr.ravel())))
    r = np.argmin(arr, axis=_dim(dim, input.ndim))
    return Tensor._wrap(np.expand_dims(r, dim) if keepdim else r)


def all(input, dim=None, keepdim=False):
    arr = input._data()
    if dim is None:
        return _scalar_out(bool(np.all(arr)), D.bool_)
    return Tensor._wrap(np.all(arr, axis=_dim(dim, input.ndim), keepdims=keepdim))


def any(input, dim=None, keepdim=False):
    arr = input._data()
    if dim is None:
        return _scalar_out(bool(np.any(arr)), D.bool_)
    return Tensor._wrap(np.any(arr, axis=_dim(dim, input.ndim), keepdims=keepdim))


def logsumexp(input, dim, keepdim=False):
    m = amax(input, dim=dim, keepdim=True).detach()
    m = where(isfinite(m), m, zeros_like(m))
    out = log(sum(exp(input - m), dim=dim, keepdim=True)) + m
    if not keepdim:
        out = squeeze(out, _dims(dim, input.ndim))
    if out._rg:
        out._name = "LogsumexpBackward0"
    return out


def isfinite(input):
    return Tensor._wrap(np.isfinite(input._data()))


def isnan(input):
    return Tensor._wrap(np.isnan(input._data()))


def isinf(input):
    return Tensor._wrap(np.isinf(input._data()))


# ----- shapes (index maps for the sweep; values through NumPy) --------------

def _index_op(x, value, idx, name):
    """A tensor holding `value` whose element i is x.flatten()[idx[i]]."""
    out = _array_out(np.array(value, x.dtype.np), x.dtype)
    if x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        slot = _push_out(tape, out)
        if idx is None:
            T.record(tape, K.COPY, slot, out.numel(), a, -1, 0, -1)
        else:
            off = T.push_meta(tape, idx)
            T.record(tape, K.GATHER, slot, out.numel(), a, -1, x.numel(), off)
        _finish(out, tape, slot, name)
    return out


def _same_order(x, shape, name):
    """Reshape-like ops: same elements in the same flat order."""
    val = np.reshape(x._data(), shape)
    return _index_op(x, val, None, name)


def _infer_shape(shape, numel):
    shape = list(shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if -1 in shape:
        known = math.prod(s for s in shape if s != -1)
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape[shape.index(-1)] = numel // known
    if math.prod(shape) != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


def _shape_arg(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def reshape(input, *shape):
    shape = _infer_shape(_shape_arg(shape), input.numel())
    return _same_order(input, shape, "ViewBackward0")


def view(input, *shape):
    if len(shape) == 1 and isinstance(shape[0], D.dtype):
        raise NotImplementedError("view(dtype) is not supported")
    return reshape(input, *shape)


def flatten(input, start_dim=0, end_dim=-1):
    if input.ndim == 0:
        return reshape(input, 1)
    s = _dim(start_dim, input.ndim)
    e = _dim(end_dim, input.ndim)
    shape = input.shape
    new = shape[:s] + (math.prod(shape[s:e + 1]),) + shape[e + 1:]
    return _same_order(input, new, "ViewBackward0")


def squeeze(input, dim=None):
    shape = input.shape
    if dim is None:
        new = tuple(s for s in shape if s != 1)
        name = "SqueezeBackward0"
    else:
        dims = _dims(dim, input.ndim) if input.ndim else ()
        new = tuple(s for i, s in enumerate(shape) if not (i in dims and s == 1))
        name = "SqueezeBackward1" if isinstance(dim, int) else "SqueezeBackward2"
    return _same_order(input, new, name)


def unsqueeze(input, dim):
    d = _dim(dim, input.ndim + 1)
    shape = input.shape
    return _same_order(input, shape[:d] + (1,) + shape[d:], "UnsqueezeBackward0")


def permute(input, *dims):
    dims = _shape_arg(dims)
    if len(dims) != input.ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match "
                           f"the length of the desired ordering of dimensions i.e. input.dim() = {input.ndim} "
                           f"is not equal to len(dims) = {len(dims)}")
    dims = tuple(_dim(d, input.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    val = np.transpose(input._data(), dims)
    idx = np.transpose(np.arange(input.numel()).reshape(input.shape), dims).ravel() if input._rg else None
    return _index_op(input, val, idx, "PermuteBackward0")


def transpose(input, dim0, dim1):
    n = input.ndim
    if n == 0:
        _dim(dim0, 1), _dim(dim1, 1)
        return _same_order(input, (), "TransposeBackward0")
    perm = list(range(n))
    d0, d1 = _dim(dim0, n), _dim(dim1, n)
    perm[d0], perm[d1] = perm[d1], perm[d0]
    out = permute(input, perm)
    if out._rg:
        out._name = "TransposeBackward0"
    return out


swapaxes = swapdims = transpose


def t(input):
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    if input.ndim < 2:
        return _same_order(input, input.shape, "TBackward0")
    out = permute(input, (1, 0))
    if out._rg:
        out._name = "TBackward0"
    return out


def movedim(input, source, destination):
    n = input.ndim
    s, d = _dim(source, n), _dim(destination, n)
    order = [i for i in range(n) if i != s]
    order.insert(d, s)
    return permute(input, order)


def expand(input, *sizes):
    sizes = _shape_arg(sizes)
    shape = input.shape
    if len(sizes) < len(shape):
        raise RuntimeError(f"expand(torch.FloatTensor{{{list(shape)}}}, size={list(sizes)}): the number of sizes "
                           f"provided ({len(sizes)}) must be greater or equal to the number of dimensions in the tensor ({len(shape)})")
    lead = len(sizes) - len(shape)
    target = tuple(shape[i - lead] if (s == -1 and i >= lead) else s for i, s in enumerate(sizes))
    for i, s in enumerate(shape):
        if s != 1 and s != target[lead + i]:
            raise RuntimeError(f"The expanded size of the tensor ({target[lead + i]}) must match the existing size ({s}) "
                               f"at non-singleton dimension {lead + i}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(shape)}")
    val = np.broadcast_to(input._data(), target)
    idx = np.broadcast_to(np.arange(input.numel()).reshape(shape), target).ravel() if input._rg else None
    return _index_op(input, val, idx, "ExpandBackward0")


def broadcast_to(input, shape):
    return expand(input, shape)


def _join(tensors, dim, name, new_axis):
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError(f"{'stack' if new_axis else 'cat'}(): expected a non-empty list of Tensors")
    ts = [_as_tensor(t) for t in tensors]
    dt = ts[0].dtype
    for t in ts[1:]:
        dt = D.promote_types(dt, t.dtype)
    arrs = [t._data().astype(dt.np, copy=False) for t in ts]
    if new_axis:
        shapes = {a.shape for a in arrs}
        if len(shapes) > 1:
            s = [list(a.shape) for a in arrs]
            first = s[0]
            bad = next(i for i, x in enumerate(s) if x != first)
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {first} at entry 0 and {s[bad]} at entry {bad}")
        d = _dim(dim, arrs[0].ndim + 1)
        val = np.stack(arrs, axis=d)
    else:
        arrs = [a for a in arrs if not (a.ndim == 1 and a.size == 0)] or arrs[:1]
        d = _dim(dim, arrs[0].ndim)
        try:
            val = np.concatenate(arrs, axis=d)
        except ValueError:
            raise RuntimeError("Sizes of tensors must match except in dimension "
                               f"{d}. Expected size {arrs[0].shape} but got a different size") from None
    out = _array_out(val, dt)
    if not _grad_on(*ts):
        return out
    tape = T.current()
    slot = _push_out(tape, out)
    last = -1
    if d == 0:
        # Consecutive blocks of the result: one COPY record per input.
        off = 0
        for t in ts:
            n = t.numel()
            if t._rg and n:
                last = T.record(tape, K.COPY, slot + off, n, T.slot_of(tape, t), -1, 0, -1)
            off += n
    else:
        pos = np.arange(val.size).reshape(val.shape)
        scale = len(tape.vals)
        tape.vals.append(1.0)
        start = 0
        for t in ts:
            width = 1 if new_axis else (t.shape[d] if t.ndim else 1)
            if t._rg and t.numel():
                sl = [slice(None)] * val.ndim
                sl[d] = start if new_axis else slice(start, start + width)
                idx = pos[tuple(sl)].ravel()
                moff = T.push_meta(tape, np.concatenate(([scale], idx)))
                last = T.record(tape, K.SUM_IDX, slot, val.size, T.slot_of(tape, t), -1, t.numel(), moff)
            start += width
    if last < 0:
        return out
    return _finish(out, tape, slot, name)


def stack(tensors, dim=0, *, out=None):
    return _join(tensors, dim, "StackBackward0", True)


def cat(tensors, dim=0, *, out=None):
    return _join(tensors, dim, "CatBackward0", False)


concat = concatenate = cat


def hstack(tensors):
    ts = [_as_tensor(t) for t in tensors]
    return cat(ts, 0 if ts[0].ndim == 1 else 1)


def vstack(tensors):
    return cat([t if t.ndim > 1 else unsqueeze(t, 0) for t in map(_as_tensor, tensors)], 0)


def unbind(input, dim=0):
    d = _dim(dim, input.ndim)
    return tuple(select(input, d, i) for i in range(input.shape[d]))


def select(input, dim, index):
    d = _dim(dim, input.ndim)
    size = input.shape[d]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} at dimension {d}")
    key = (slice(None),) * d + (index,)
    return input[key]


def split(tensor, split_size_or_sections, dim=0):
    d = _dim(dim, tensor.ndim)
    size = tensor.shape[d]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        bounds = list(range(0, size, step)) or [0]
        sections = [(b, builtins_min(b + step, size)) for b in bounds]
    else:
        if builtins_sum(split_size_or_sections) != size:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size at "
                               f"dimension {d}), but got split_sizes={list(split_size_or_sections)}")
        sections, b = [], 0
        for s in split_size_or_sections:
            sections.append((b, b + s))
            b += s
    return tuple(narrow(tensor, d, s, e - s) for s, e in sections)


def chunk(input, chunks, dim=0):
    d = _dim(dim, input.ndim)
    size = input.shape[d]
    step = -(-size // chunks) if chunks > 0 else 0
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: 0")
    return split(input, builtins_max(step, 1), d)


def narrow(input, dim, start, length):
    d = _dim(dim, input.ndim)
    key = (slice(None),) * d + (slice(start, start + length),)
    return input[key]


def roll(input, shifts, dims=None):
    if dims is None:
        flat = flatten(input)
        return reshape(roll(flat, shifts, 0), input.shape)
    val = np.roll(input._data(), shifts, axis=dims)
    idx = np.roll(np.arange(input.numel()).reshape(input.shape), shifts, axis=dims).ravel() if input._rg else None
    return _index_op(input, val, idx, "RollBackward0")


def flip(input, dims):
    dims = _dims(dims, input.ndim)
    val = np.flip(input._data(), dims)
    idx = np.flip(np.arange(input.numel()).reshape(input.shape), dims).ravel() if input._rg else None
    return _index_op(input, val, idx, "FlipBackward0")


# ----- linear algebra: host records (BLAS through NumPy, both directions) ---

class _MatmulBackward:
    __slots__ = ("a", "b", "out", "ashape", "bshape", "oshape", "arg", "brg")

    def backward(self, adj, vals, reach):
        g = adj[self.out:self.out + math.prod(self.oshape)].reshape(self.oshape)
        A = vals[self.a:self.a + math.prod(self.ashape)].reshape(self.ashape)
        B = vals[self.b:self.b + math.prod(self.bshape)].reshape(self.bshape)
        A2 = A[None, :] if A.ndim == 1 else A
        B2 = B[:, None] if B.ndim == 1 else B
        G = g
        if A.ndim == 1:
            G = np.expand_dims(G, -2)
        if B.ndim == 1:
            G = np.expand_dims(G, -1)
        if self.arg:
            ga = G @ np.swapaxes(B2, -1, -2)
            ga = _sum_to(ga, A2.shape).reshape(self.ashape)
            adj[self.a:self.a + ga.size] += ga.ravel()
            reach[self.a:self.a + ga.size] = 1
        if self.brg:
            gb = np.swapaxes(A2, -1, -2) @ G
            gb = _sum_to(gb, B2.shape).reshape(self.bshape)
            adj[self.b:self.b + gb.size] += gb.ravel()
            reach[self.b:self.b + gb.size] = 1


def _sum_to(g, shape):
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for i, s in enumerate(shape):
        if s == 1 and g.shape[i] != 1:
            g = g.sum(axis=i, keepdims=True)
    return g


def matmul(input, other):
    a, b = _as_tensor(input), _as_tensor(other)
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D")
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {a.dtype.name.replace('float32', 'float').replace('float64', 'double')} != {b.dtype.name.replace('float32', 'float').replace('float64', 'double')}")
    A, B = a._data(), b._data()
    ka = A.shape[-1]
    kb = B.shape[0] if B.ndim == 1 else B.shape[-2]
    if ka != kb:
        if A.ndim == 1 and B.ndim == 1:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{A.shape[0]}] and src [{B.shape[0]}] to have the same number of elements, but got {A.shape[0]} and {B.shape[0]} elements respectively")
        if A.ndim <= 2 and B.ndim <= 2:
            a2 = A.shape if A.ndim == 2 else (1, A.shape[0])
            b2 = B.shape if B.ndim == 2 else (B.shape[0], 1)
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a2[0]}x{a2[1]} and {b2[0]}x{b2[1]})")
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{A.shape[0]}, {ka}] but got: [{B.shape[0]}, {kb}].")
    val = np.matmul(A, B)
    out = _array_out(np.asarray(val, a.dtype.np), a.dtype)
    if _grad_on(a, b) and a.dtype.is_floating_point:
        tape = T.current()
        op = _MatmulBackward()
        op.a = _push_operand(tape, a)
        op.b = _push_operand(tape, b)
        op.ashape, op.bshape, op.oshape = A.shape, B.shape, np.shape(val)
        op.arg, op.brg = a._rg, b._rg
        slot = _push_out(tape, out)
        op.out = slot
        rec = T.record(tape, K.HOST, slot, out.numel(), op.a, op.b, 0, -1)
        tape.host[rec] = op
        name = "DotBackward0" if A.ndim == 1 and B.ndim == 1 else (
            "MmBackward0" if A.ndim == 2 and B.ndim == 2 else
            "MvBackward0" if A.ndim == 2 and B.ndim == 1 else "UnsafeViewBackward0" if A.ndim > 2 else "SqueezeBackward4" if B.ndim == 1 else "MmBackward0")
        _finish(out, tape, slot, name)
    return out


def mm(input, mat2):
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    return matmul(input, mat2)


def bmm(input, mat2):
    if input.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    out = matmul(input, mat2)
    if out._rg:
        out._name = "BmmBackward0"
    return out


def dot(input, other):
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors")
    return matmul(input, other)


def mv(input, vec):
    return matmul(input, vec)


def outer(input, vec2):
    return unsqueeze(input, 1) * unsqueeze(vec2, 0)


# ----- dtype conversion ------------------------------------------------------

def _to_dtype(x, dt):
    if dt is x.dtype:
        return x
    val = x._data().astype(dt.np)
    out = _array_out(val, dt)
    if x._rg and STATE.grad_enabled and dt.is_floating_point:
        _record_unary_like(K.COPY, x, out, "ToCopyBackward0")
    return out


def _copy_to(dst, src):
    """The functional part of dst.copy_(src): src broadcast to dst's shape and dtype."""
    src = _as_tensor(src)
    if src.shape != dst.shape:
        src = expand(src, dst.shape)
    return _to_dtype(src, dst.dtype) if src.dtype is not dst.dtype else src + 0 if src._rg else src.clone()


# ----- creation --------------------------------------------------------------

def _size(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if isinstance(s, Tensor):
            s = int(s)
        if not isinstance(s, (int, np.integer)):
            raise TypeError(f"zeros(): argument 'size' (position 1) must be tuple of ints, but found element of type {type(s).__name__}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
    return tuple(int(s) for s in size)


def _creation(value_fn, size, dtype, requires_grad):
    dt = dtype or D.get_default_dtype()
    out = _array_out(np.asarray(value_fn(_size(size), dt.np), dt.np), dt)
    if requires_grad:
        out.requires_grad_(True)
    return out


def zeros(*size, dtype=None, device=None, requires_grad=False, out=None):
    return _creation(np.zeros, size, dtype, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False, out=None):
    return _creation(np.ones, size, dtype, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False, out=None):
    return _creation(np.zeros, size, dtype, requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False):
    if dtype is None:
        dtype = D.bool_ if isinstance(fill_value, bool) else D.int64 if isinstance(fill_value, int) else D.get_default_dtype()
    return _creation(lambda s, d: np.full(s, fill_value, d), (tuple(size) if not isinstance(size, int) else (size,)),
                     dtype, requires_grad)


def _like(x, dtype):
    return dtype or x.dtype


def zeros_like(input, *, dtype=None, device=None, requires_grad=False):
    return zeros(input.shape, dtype=_like(input, dtype), requires_grad=requires_grad)


def ones_like(input, *, dtype=None, device=None, requires_grad=False):
    return ones(input.shape, dtype=_like(input, dtype), requires_grad=requires_grad)


def empty_like(input, *, dtype=None, device=None, requires_grad=False):
    return zeros_like(input, dtype=dtype, requires_grad=requires_grad)


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False):
    return full(input.shape, fill_value, dtype=_like(input, dtype), requires_grad=requires_grad)


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if dtype is None:
        dtype = D.get_default_dtype() if builtins_any(isinstance(v, float) for v in vals) else D.int64
    arr = np.arange(*vals, dtype=np.float64 if dtype.is_floating_point else np.int64).astype(dtype.np)
    out = _array_out(arr, dtype)
    if requires_grad:
        if not dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        out._rg = True
    return out


def linspace(start, end, steps, *, dtype=None, requires_grad=False):
    dt = dtype or D.get_default_dtype()
    out = _array_out(np.linspace(start, end, steps).astype(dt.np), dt)
    if requires_grad:
        out.requires_grad_(True)
    return out


def eye(n, m=None, *, dtype=None, requires_grad=False):
    dt = dtype or D.get_default_dtype()
    out = _array_out(np.eye(n, m).astype(dt.np), dt)
    if requires_grad:
        out.requires_grad_(True)
    return out


_rng = np.random.default_rng()


def manual_seed(seed):
    global _rng
    _rng = np.random.default_rng(int(seed))
    return _rng


def seed():
    manual_seed(np.random.SeedSequence().entropy % (2 ** 63))


def randn(*size, dtype=None, device=None, requires_grad=False, generator=None):
    return _creation(lambda s, d: _rng.standard_normal(s), size, dtype, requires_grad)


def rand(*size, dtype=None, device=None, requires_grad=False, generator=None):
    return _creation(lambda s, d: _rng.random(s), size, dtype, requires_grad)


def randint(low, high=None, size=None, *, dtype=None, requires_grad=False):
    if high is None:
        low, high = 0, low
    return _array_out(_rng.integers(low, high, size=tuple(size)).astype((dtype or D.int64).np), dtype or D.int64)


def randn_like(input, *, dtype=None, requires_grad=False):
    return randn(input.shape, dtype=_like(input, dtype), requires_grad=requires_grad)


def rand_like(input, *, dtype=None, requires_grad=False):
    return rand(input.shape, dtype=_like(input, dtype), requires_grad=requires_grad)


def from_numpy(ndarray):
    return Tensor._wrap(ndarray)


def as_tensor(data, dtype=None, device=None):
    if isinstance(data, Tensor) and (dtype is None or dtype is data.dtype):
        return data
    return tensor(data, dtype=dtype)


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()


import builtins as _b  # noqa: E402  (the names above shadow the builtins)

builtins_min, builtins_max, builtins_sum, builtins_any = _b.min, _b.max, _b.sum, _b.any

__all__ = [_n for _n, _v in list(globals().items())
           if not _n.startswith("_") and callable(_v) and getattr(_v, "__module__", None) == __name__
           and not _n.startswith("builtins_")]
