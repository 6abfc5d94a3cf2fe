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
from .tensor import (STATE, Tensor, _array_out, _binary, _check_broadcast, _dim, _finish, _param_unary, _push_operand,
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
    if cond.dtype != np.bool_:
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor with dtype "
                           + _TORCH_NAMES[D.from_numpy(cond.dtype).name])
    a, b = (x if isinstance(x, (int, float)) else _as_tensor(x) for x in (input, other))
    dt = D.result_type([(t.ndim, t.dtype) for t in (a, b) if isinstance(t, Tensor)],
                       [_scalar_kind(t) for t in (a, b) if not isinstance(t, Tensor)])
    av, bv = (t._data() if isinstance(t, Tensor) else t for t in (a, b))
    _check_broadcast(cond, av)
    _check_broadcast(np.broadcast_to(cond, np.broadcast_shapes(cond.shape, np.shape(av))), bv)
    out = _array_out(np.asarray(np.where(cond, av, bv), dt.np), dt)
    if _grad_on(a, b) and dt.is_floating_point:
        _record_where(out, np.broadcast_to(cond, out.shape).ravel(), a, b)
    return out


def _scalar_kind(v):
    """PyTorch's category of a Python scalar: 0 bool, 1 int, 2 float."""
    return 0 if isinstance(v, bool) else 1 if isinstance(v, int) else 2


def _record_where(out, cond, a, b):
    """Each branch's gradient: the output's where the branch was picked, 0 elsewhere."""
    tape = T.current()
    slot = _push_out(tape, out)
    one = len(tape.vals)
    tape.vals.append(1.0)
    for src, take in ((a, cond), (b, ~cond)):
        if not (isinstance(src, Tensor) and src._rg):
            continue
        pos = np.nonzero(take)[0]
        if pos.size == 0:
            _record_zero_grad(tape, src, slot, out.numel())
            continue
        bidx = np.broadcast_to(np.arange(src.numel()).reshape(src.shape), out.shape).ravel()
        picked = _gather_tensor(src, bidx[pos])
        off = T.push_meta(tape, np.concatenate(([one], pos)))
        T.record(tape, K.SUM_IDX, slot, out.numel(), T.slot_of(tape, picked), -1, pos.size, off)
    _finish(out, tape, slot, "WhereBackward0")


def _record_zero_grad(tape, x, out_slot, n_out):
    """Record that the tensor at out_slot depends on x with a zero gradient, so
    x gets zeros (+0.0) rather than None, as in torch. A SUM_IDX maps every
    element of x to a fresh slot no record writes (its adjoint stays -0.0),
    scaled by -1."""
    a = T.slot_of(tape, x)
    discard = len(tape.vals)
    tape.vals.extend((0.0, -1.0))
    idx = np.full(x.numel(), discard - out_slot)
    off = T.push_meta(tape, np.concatenate(([discard + 1], idx)))
    T.record(tape, K.SUM_IDX, out_slot, n_out, a, -1, x.numel(), off)


def _index_add(g, idx, n):
    """A flat tensor of n elements with out[idx[i]] += g.flatten()[i] (the
    transpose of _gather_tensor): one SUM_IDX record."""
    val = np.zeros(n, g.dtype.np)
    np.add.at(val, idx, g._data().ravel())
    out = _array_out(val, g.dtype)
    if g._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, g)
        scale = len(tape.vals)
        tape.vals.append(1.0)
        slot = _push_out(tape, out)
        off = T.push_meta(tape, np.concatenate(([scale], idx)))
        T.record(tape, K.SUM_IDX, slot, n, a, -1, idx.size, off)
        _finish(out, tape, slot, "IndexAddBackward0")
    return out


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


def _reduce_dims(dim, ndim):
    """The dims a reduction reduces: all for None or (), none of a 0-d tensor
    (which accepts dim 0 and -1), as in torch."""
    if dim is None or (isinstance(dim, (tuple, list)) and not dim):
        return tuple(range(ndim))
    dims = _dims(dim, ndim)
    return dims if ndim else ()


def _reduce_index(shape, dims):
    """For each input element, the flat index of the output element it reduces into."""
    kept = [1 if i in dims else s for i, s in enumerate(shape)]
    outn = math.prod(kept)
    return np.broadcast_to(np.arange(outn).reshape(kept), shape).ravel()


def _sum_dtype(x, dtype):
    if dtype is not None:
        return dtype
    return x.dtype if x.dtype.is_floating_point else D.int64


def _named(out, name):
    """Give a composite's result the backward name torch prints."""
    if out._rg and out._name is not None:
        out._name = name
    return out


def sum(input, dim=None, keepdim=False, *, dtype=None):
    x = _as_tensor(input)
    return _sum_scaled(x, dim, keepdim, _sum_dtype(x, dtype), 1.0,
                       "SumBackward0" if dim is None else "SumBackward1")


def mean(input, dim=None, keepdim=False, *, dtype=None):
    x = _as_tensor(input)
    dt = dtype or x.dtype
    if not dt.is_floating_point:
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating "
                           f"point or complex dtype. Got: {_TORCH_NAMES[x.dtype.name]}")
    count = math.prod(x.shape[d] for d in _reduce_dims(dim, x.ndim))
    return _sum_scaled(x, dim, keepdim, dt, 1.0 / count if count else math.nan,
                       "MeanBackward0" if dim is None else "MeanBackward1")


_TORCH_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
                "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _sum_scaled(x, dim, keepdim, dt, scale, name):
    """scale * sum(x over dim), in dtype dt."""
    dims = _reduce_dims(dim, x.ndim)
    if x._v is not None:        # 0-d: no NumPy on the scalar path
        v = x._v * scale if scale != 1.0 else x._v
        out = _new_scalar(float(v), dt) if dt.is_floating_point else _scalar_out(int(v), dt)
    elif dt.is_floating_point:
        val = x._arr.sum(axis=dims, keepdims=keepdim, dtype=dt.np)
        out = _array_out(np.asarray(val * dt.np.type(scale) if scale != 1.0 else val, dt.np), dt)
    else:
        out = _array_out(np.asarray(x._arr.sum(axis=dims, keepdims=keepdim, dtype=dt.np)), dt)
    if x._rg and STATE.grad_enabled and dt.is_floating_point:
        _record_sum(x, out, dims, scale, name)
    return out


def _record_sum(x, out, dims, scale, name):
    """Record out = scale * sum(x over dims); `out` already holds its value."""
    tape = T.current()
    a = T.slot_of(tape, x)
    c = len(tape.vals)
    tape.vals.append(scale)
    slot = _push_out(tape, out)
    if len(dims) == x.ndim:
        T.record(tape, K.SUM, slot, 1, a, -1, x.numel(), c)
    else:
        off = T.push_meta(tape, np.concatenate(([c], _reduce_index(x.shape, dims))))
        T.record(tape, K.SUM_IDX, slot, out.numel(), a, -1, x.numel(), off)
    _finish(out, tape, slot, name)


def prod(input, dim=None, keepdim=False, *, dtype=None):
    x = _to_dtype(_as_tensor(input), _sum_dtype(input, dtype))
    if dim is None:
        return _prod_all(x)
    d = _dim(dim, x.ndim)
    if x.ndim == 0:
        return _named(_prod_all(x), "ProdBackward1")
    n = x.shape[d]
    if n == 0:      # the empty product
        return _named(sum(x, d, keepdim) + 1, "ProdBackward1")
    # The last running product: multiplications only, so zeros are exact.
    c = cumprod(x, d)
    out = narrow(c, d, n - 1, 1) if keepdim else select(c, d, n - 1)
    return _named(out, "ProdBackward1")


def _prod_all(x):
    dt = x.dtype
    out = _array_out(np.asarray(x._data().prod(dtype=dt.np), dt.np), dt)
    if x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        slot = _push_out(tape, out)
        T.record(tape, K.PROD, slot, 1, a, -1, x.numel(), -1)
        _finish(out, tape, slot, "ProdBackward0")
    return out


def cumprod(input, dim, *, dtype=None):
    """Running product along dim: a Hillis-Steele scan (log2(n) products of the
    running result with itself shifted by 1, 2, 4, ...). Made of
    multiplications only, its gradient is exact where the input has zeros."""
    x = _to_dtype(_as_tensor(input), _sum_dtype(input, dtype))
    d = _dim(dim, x.ndim)
    n = x.shape[d] if x.ndim else 1
    out, s = x.clone(), 1
    while s < n:
        shape = x.shape[:d] + (s,) + x.shape[d + 1:]
        out = out * cat([ones(shape, dtype=x.dtype), narrow(out, d, 0, n - s)], d)
        s *= 2
    return _named(out, "CumprodBackward0")


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    x = _as_tensor(input)
    if not x.dtype.is_floating_point:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. "
                           f"Got {_TORCH_NAMES[x.dtype.name]}")
    dims = _reduce_dims(dim, x.ndim)
    p = 2 if p == "fro" else p
    if p == 2 and len(dims) == x.ndim and not keepdim:
        return _norm2_all(x)
    if p == math.inf:
        out = amax(abs(x), dims, keepdim)
    elif p == -math.inf:
        out = amin(abs(x), dims, keepdim)
    elif p == 0:    # counts nonzeros: a grad_fn, but no gradient reaches x (as in torch)
        out = sum((x != 0).to(x.dtype), dims, keepdim)
        if x._rg and STATE.grad_enabled:
            tape = T.current()
            _finish(out, tape, _push_out(tape, out), "LinalgVectorNormBackward0")
    elif p == 1:
        out = sum(abs(x), dims, keepdim)
    else:
        out = _root(sum(x * x if p == 2 else abs(x) ** p, dims, keepdim), p)
    return _named(out, "LinalgVectorNormBackward0")


def _root(s, p):
    """s ** (1/p), with torch's zero gradient where s == 0 (a zero vector has
    no direction): the masked-out branch of `where` passes no gradient."""
    zero = s == 0
    return where(zero, 0.0, where(zero, 1.0, s) ** (1.0 / p))


def _norm2_all(x):
    arr = x._data().astype(np.float64).ravel()
    out = _new_scalar(math.sqrt(float(np.dot(arr, arr))), x.dtype)
    if x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        slot = _push_out(tape, out)
        T.record(tape, K.NORM, slot, 1, a, -1, x.numel(), -1)
        _finish(out, tape, slot, "LinalgVectorNormBackward0")
    return out


def cumsum(input, dim, *, dtype=None):
    x = _to_dtype(_as_tensor(input), _sum_dtype(input, dtype))
    d = _dim(dim, x.ndim)
    if x.ndim == 0:
        return _named(x.clone(), "CumsumBackward0")
    out = _array_out(np.cumsum(x._arr, axis=d, dtype=x.dtype.np), x.dtype)
    if x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        slot = _push_out(tape, out)
        shape = x.shape
        off = T.push_meta(tape, np.array([math.prod(shape[:d]), shape[d], math.prod(shape[d + 1:])]))
        T.record(tape, K.CUMSUM, slot, out.numel(), a, -1, x.numel(), off)
        _finish(out, tape, slot, "CumsumBackward0")
    return out


def _extreme(x, dim, keepdim, npfn, fn, name):
    """amax/amin (and max()/min() without dim): the gradient splits evenly among ties."""
    dims = _reduce_dims(dim, x.ndim)
    if x.numel() == 0 and (dim is None or builtins_any(x.shape[d] == 0 for d in dims)):
        raise RuntimeError(f"{fn}(): Expected reduction dim to be specified for input.numel() == 0. "
                           "Specify the reduction dim with the 'dim' argument.")
    arr = x._data()
    best = npfn(arr, axis=dims, keepdims=True)
    out = _array_out(np.asarray(best if keepdim else best.reshape(_kept_shape(x.shape, dims))), x.dtype)
    if x._rg and STATE.grad_enabled:
        mask = (arr == best) | (np.isnan(arr) & np.isnan(best))
        weights = Tensor._wrap((mask / mask.sum(axis=dims, keepdims=True)).astype(x.dtype.np))
        # The gradient of sum(x * weights); the value stays the exact extreme.
        _record_sum(x * weights, out, dims, 1.0, name)
    return out


def _kept_shape(shape, dims):
    return tuple(s for i, s in enumerate(shape) if i not in dims)


def amax(input, dim=(), keepdim=False):
    return _extreme(_as_tensor(input), dim, keepdim, np.max, "amax", "AmaxBackward0")


def amin(input, dim=(), keepdim=False):
    return _extreme(_as_tensor(input), dim, keepdim, np.min, "amin", "AminBackward0")


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
    """max(x, dim) / min(x, dim): (values, indices); the gradient goes to the index."""
    name = "MaxBackward0" if kind == "max" else "MinBackward0"
    d = _dim(dim, x.ndim)
    if x.ndim == 0:
        return _ValuesIndices(_named(x.clone(), name), tensor(0), kind)
    if x.shape[d] == 0:
        raise IndexError(f"{kind}(): Expected reduction dim {d} to have non-zero size.")
    idx = _arg_extreme(x._data(), d, kind)
    idx_k = np.expand_dims(idx, d)
    pos = np.take_along_axis(np.arange(x.numel()).reshape(x.shape), idx_k, axis=d)
    vals = reshape(_gather_tensor(x, pos.ravel()), pos.shape if keepdim else idx.shape)
    ind = Tensor._wrap((idx_k if keepdim else idx).astype(np.int64))
    return _ValuesIndices(_named(vals, name), ind, kind)


def _arg_extreme(arr, d, kind):
    """Index of the first max (min) along d; a nan wins, as in torch."""
    idx = (np.argmax if kind == "max" else np.argmin)(arr, axis=d)
    nans = np.isnan(arr)
    return np.where(nans.any(axis=d), np.argmax(nans, axis=d), idx) if nans.any() else idx


def max(input, dim=None, keepdim=False, *, other=None):
    if isinstance(dim, Tensor):
        return maximum(input, dim)
    x = _as_tensor(input)
    if dim is None:
        return _extreme(x, None, False, np.max, "max", "MaxBackward1")
    return _max_min(x, dim, keepdim, "max")


def min(input, dim=None, keepdim=False):
    if isinstance(dim, Tensor):
        return minimum(input, dim)
    x = _as_tensor(input)
    if dim is None:
        return _extreme(x, None, False, np.min, "min", "MinBackward1")
    return _max_min(x, dim, keepdim, "min")


def _argfn(kind):
    def f(input, dim=None, keepdim=False):
        x = _as_tensor(input)
        if x.dtype is D.bool_:
            raise RuntimeError(f"arg{kind}(): does not support bool input")
        if dim is None:
            if x.numel() == 0:
                raise RuntimeError(f"arg{kind}(): Expected reduction dim to be specified for input.numel() == 0.")
            r = _arg_extreme(x._data().ravel(), 0, kind)
            return Tensor._wrap(np.asarray(r, np.int64).reshape((1,) * x.ndim if keepdim else ()))
        d = _dim(dim, x.ndim)
        if x.ndim == 0:
            return tensor(0)
        r = _arg_extreme(x._data(), d, kind)
        return Tensor._wrap((np.expand_dims(r, d) if keepdim else r).astype(np.int64))
    f.__name__ = "arg" + kind
    return f


argmax = _argfn("max")
argmin = _argfn("min")


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
    """log(sum(exp(x))) shifted by the detached max, so large inputs don't overflow."""
    x = _as_tensor(input)
    if not x.dtype.is_floating_point:
        x = _to_dtype(x, D.get_default_dtype())
    dims = _reduce_dims(dim, x.ndim)
    m = amax(x, dims, keepdim=True).detach()
    m = where(isfinite(m), m, 0.0)      # all -inf (or inf) rows: no shift
    out = log(sum(exp(x - m), dims, keepdim=True)) + m
    if not keepdim:
        out = reshape(out, _kept_shape(x.shape, dims))
    return _named(out, "LogsumexpBackward0")


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
    """Host record of matmul: its backward is two BLAS products through NumPy,
    for all K adjoint columns at once."""
    __slots__ = ("a", "b", "out", "ashape", "bshape", "oshape", "arg", "brg")

    def backward(self, adj, vals, reach):
        k = adj.shape[1]
        n_out = math.prod(self.oshape)
        # Seeds first: G[k] is the adjoint of the output for seed k.
        G = adj[self.out:self.out + n_out].T.reshape((k,) + self.oshape)
        A = vals[self.a:self.a + math.prod(self.ashape)].reshape(self.ashape)
        B = vals[self.b:self.b + math.prod(self.bshape)].reshape(self.bshape)
        A2 = A[None, :] if A.ndim == 1 else A
        B2 = B[:, None] if B.ndim == 1 else B
        if A.ndim == 1:
            G = np.expand_dims(G, -2)
        if B.ndim == 1:
            G = np.expand_dims(G, -1)
        if self.arg:
            ga = G @ np.swapaxes(B2, -1, -2)
            ga = _sum_to(ga, (k,) + A2.shape, lead=1).reshape(k, -1)
            adj[self.a:self.a + ga.shape[1]] += ga.T
            reach[self.a:self.a + ga.shape[1]] = 1
        if self.brg:
            gb = np.swapaxes(A2, -1, -2) @ G
            gb = _sum_to(gb, (k,) + B2.shape, lead=1).reshape(k, -1)
            adj[self.b:self.b + gb.shape[1]] += gb.T
            reach[self.b:self.b + gb.shape[1]] = 1


    def jvp(self, tan, vals):
        """Forward mode: tangent of the product from the operands' tangents."""
        k = tan.shape[1]
        n_out = math.prod(self.oshape)
        A = vals[self.a:self.a + math.prod(self.ashape)].reshape(self.ashape)
        B = vals[self.b:self.b + math.prod(self.bshape)].reshape(self.bshape)
        tA = tan[self.a:self.a + A.size].T.reshape((k,) + self.ashape)
        tB = tan[self.b:self.b + B.size].T.reshape((k,) + self.bshape)
        t = np.matmul(tA, B) if B.ndim > 1 or tA.ndim > 1 else tA @ B
        t = t + (np.matmul(A, tB) if B.ndim > 1 else np.einsum("...i,ki->k...", A, tB))
        tan[self.out:self.out + n_out] += np.asarray(t).reshape(k, n_out).T

    def vjp(self, g, proxy):
        """create_graph: the same products as recorded tensor ops."""
        A = reshape(proxy(self.a, math.prod(self.ashape)), self.ashape)
        B = reshape(proxy(self.b, math.prod(self.bshape)), self.bshape)
        G = reshape(g, self.oshape)
        A2 = unsqueeze(A, 0) if A.ndim == 1 else A
        B2 = unsqueeze(B, 1) if B.ndim == 1 else B
        if A.ndim == 1:
            G = unsqueeze(G, -2)
        if B.ndim == 1:
            G = unsqueeze(G, -1)
        res = []
        if self.arg:
            ga = _sum_to_tensor(matmul(G, transpose(B2, -1, -2)), A2.shape)
            res.append((self.a, reshape(ga, (-1,))))
        if self.brg:
            gb = _sum_to_tensor(matmul(transpose(A2, -1, -2), G), B2.shape)
            res.append((self.b, reshape(gb, (-1,))))
        return res


def _sum_to_tensor(g, shape):
    while g.ndim > len(shape):
        g = sum(g, 0)
    for i, s in enumerate(shape):
        if s == 1 and g.shape[i] != 1:
            g = sum(g, i, keepdim=True)
    return g


def _sum_to(g, shape, lead=0):
    """Sum broadcast dims of g away so it has `shape` (the first `lead` dims
    are kept as they are)."""
    while g.ndim > len(shape):
        g = g.sum(axis=lead)
    for i in range(lead, len(shape)):
        if shape[i] == 1 and g.shape[i] != 1:
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
