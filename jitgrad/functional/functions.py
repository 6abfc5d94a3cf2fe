"""Tensor functions beyond elementwise arithmetic: reductions, shapes,
joining, matmul, creation. Each records primitives from kernels.py; the
ones built from other functions (mean of a dim, norms with p != 2) need no
derivative code of their own.
"""
import math
import operator

import numpy as np

from ..core import dtypes as D
from ..core.warn import warn_once
from ..core import kernels as K
from ..core import ops as O
from ..core import tape as T
from ..tensors.tensor import (_guard_extreme, _guard_finite, _guard_read, _guard_recording, STATE, Tensor, _array_out, _binary, _check_broadcast, _dim, _finish, _nondiff, _param_unary, _push_operand, _push_out, _record_unary_like, _scalar_out, _unary, round32, tensor)
from ..autodiff.engine import ANOMALY, check_anomaly  # noqa: F401  (check_anomaly: used by the layers above)
from ..autodiff.bulk import record_matmul, record_sum
from ..autodiff.matmul import MatmulBackward, matmul_grads, sum_to_tensor as _sum_to_tensor  # noqa: F401
from ..tensors.indexing import (_identity, _record_gather, _result, register_view as _register_view, view as _view)


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
arcsinh, arccosh, arctanh = globals()["asinh"], globals()["acosh"], globals()["atanh"]


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
    out = _nondiff(rnd, input, other)
    if _grad_on(input, other) and out.dtype.is_floating_point:
        # A step function: torch's gradient is zero (not None).
        _record_routes(out, [(input, False), (other, False)], "DivBackward2")
    return out


divide = true_divide = div


def pow(input, exponent):
    if isinstance(input, Tensor):
        return input ** exponent
    return exponent.__rpow__(input)


def _tensors_only(fn, input, other):
    """torch's TypeError for functions that take no Python numbers."""
    for pos, (arg, v) in enumerate((("input", input), ("other", other)), 1):
        if not isinstance(v, Tensor):
            raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be Tensor, not {type(v).__name__}")


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
                            f"({type(input).__name__}, {type(other).__name__})")
        for v in (input, other):
            if isinstance(v, Tensor) and not v.dtype.is_floating_point:
                O.check_integer_input(name, v.dtype)
        if op.keeps_int:
            _check_int_divisor(input, other)
        bname = op.names.get("scalar_y" if y_num else "scalar_x" if x_num else "", op.backward)
        return _binary(spec, input, other, bname)
    f.__name__ = name
    f.__doc__ = f"Elementwise {name}; backward is the op table's rule ({op.backward})."
    return f


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


def mvlgamma(input, p):
    """Multivariate log-gamma of dimension p: sum_i lgamma(x - i/2) + const."""
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    x = _as_tensor(input)
    if not x.dtype.is_floating_point:
        raise RuntimeError("mvlgamma is not implemented for integral types")
    if bool((x._data() <= (p - 1) / 2).any()):
        raise RuntimeError("All elements must be greater than (p-1)/2")
    const = p * (p - 1) / 4 * math.log(math.pi)
    terms = stack([(x - i / 2).lgamma() for i in range(p)]).sum(0) + const
    return _named(terms, "MvlgammaBackward0")



def clamp(input, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    return _clamp("clamp", _as_tensor(input), min, max, "ClampBackward")


clip = clamp


def clamp_min(input, min):
    return _clamp("clamp_min", _as_tensor(input), min, None, "ClampMinBackward")


def clamp_max(input, max):
    return _clamp("clamp_max", _as_tensor(input), None, max, "ClampMaxBackward")


def _clamp(fn, x, lo, hi, name):
    """Scalar bounds: the ClampMin/ClampMax rows of the op table (name ...1 for
    clamp, ...0 for clamp_min/max); tensor bounds: masks routing the gradient."""
    args = [a for a in (lo, hi) if a is not None] if fn == "clamp" else [lo if hi is None else hi]
    if builtins_all(isinstance(a, Tensor) for a in args):
        return _clamp_tensors(x, lo, hi, name + "1" if fn != "clamp" else name + "0")
    # Mixed bounds: torch's argument parser takes a 0-d tensor that needs no
    # grad as the Number of the scalar overload, clamp(x, 0, torch.tensor(1.)).
    lo, hi = (a.item() if isinstance(a, Tensor) and a.ndim == 0 and not a._rg else a for a in (lo, hi))
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
        val = x._data()
        val = np.maximum(val, lo) if lo is not None else val
        return _array_out(np.asarray(np.minimum(val, hi) if hi is not None else val, dt.np), dt)
    out = x
    if lo is not None:
        out = _param_unary(O.PARAM_UNARY["clamp_min"], out, float(lo))
    if hi is not None:
        out = _param_unary(O.PARAM_UNARY["clamp_max"], out, float(hi))
    return _named(out, name + "1" if fn == "clamp" else name + "0")


def _clamp_tensors(x, lo, hi, name):
    """clamp with tensor bounds; torch's masks: x gets the gradient where
    lo <= x <= hi, lo where x < lo < hi, hi where x > hi or hi < lo."""
    for a, b in ((x, lo), (x, hi), (lo, hi)):
        if a is not None and b is not None and (_guard_recording(a) or _guard_recording(b)):
            a >= b, a <= b      # noqa: B015  (compile: the masks below are fixed by these guards)
    xv, lov, hiv = (None if t is None else t._data() for t in (x, lo, hi))
    dt = D.result_type([(t.ndim, t.dtype) for t in (x, lo, hi) if t is not None], [])
    val = xv
    for b, fn in ((lov, np.maximum), (hiv, np.minimum)):
        if b is not None:
            _check_broadcast(val, b)
            val = fn(val, b)
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
        _record_routes(out, [(x, x_ok), (lo, lo_ok), (hi, hi_ok)], name)
    return out


def where(condition, input=None, other=None):
    cond = condition._data() if isinstance(condition, Tensor) else np.asarray(condition)
    if input is None:
        return tuple(Tensor._wrap(i) for i in np.nonzero(cond))
    if cond.dtype != np.bool_:
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor with dtype "
                           + D.TORCH_NAMES[D.from_numpy(cond.dtype).name])
    a, b = (x if isinstance(x, (int, float)) else _as_tensor(x) for x in (input, other))
    dt = D.result_type([(t.ndim, t.dtype) for t in (a, b) if isinstance(t, Tensor)],
                       [_scalar_kind(t) for t in (a, b) if not isinstance(t, Tensor)])
    av, bv = (t._data() if isinstance(t, Tensor) else t for t in (a, b))
    _check_broadcast(cond, av)
    _check_broadcast(np.broadcast_to(cond, np.broadcast_shapes(cond.shape, np.shape(av))), bv)
    out = _array_out(np.asarray(np.where(cond, av, bv), dt.np), dt)
    if _grad_on(a, b) and dt.is_floating_point:
        _record_routes(out, [(a, cond), (b, ~cond)], "WhereBackward0")
    return out


def _scalar_kind(v):
    """PyTorch's category of a Python scalar: 0 bool, 1 int, 2 float."""
    return 0 if isinstance(v, bool) else 1 if isinstance(v, int) else 2


def _record_routes(out, routes, name):
    """Record `out` as passing its gradient to each (src, mask) of `routes`
    where the mask (broadcast to out's shape) holds, +0.0 elsewhere: the
    backward of where and of clamp with tensor bounds. Constant sources are
    placed too, so that the records reproduce out's value."""
    tape = T.current()
    slot = _push_out(tape, out)
    n = out.numel()
    for src, mask in routes:
        if src is None:
            continue
        pos = np.nonzero(np.broadcast_to(mask, out.shape).ravel())[0]
        if isinstance(src, Tensor) and src._rg:
            if pos.size == 0:
                _record_zero_grad(tape, src, slot, n)
                continue
            bidx = np.broadcast_to(np.arange(src.numel()).reshape(src.shape), out.shape).ravel()
            picked = _gather_tensor(src, bidx[pos])
            _record_place(tape, T.slot_of(tape, picked), pos, slot, n)
        elif pos.size:
            const = np.broadcast_to(src._data() if isinstance(src, Tensor) else src, out.shape).ravel()[pos]
            _record_place(tape, T.push_array(tape, const), pos, slot, n)
    _finish(out, tape, slot, name)


def _record_place(tape, a, pos, out_slot, n_out, scale=1.0):
    """Record out[pos[i]] += scale * vals[a + i] (other records fill the rest of out)."""
    c = len(tape.vals)
    tape.vals.append(scale)
    off = T.push_meta(tape, np.concatenate(([c], pos)))
    T.record(tape, K.SUM_IDX, out_slot, n_out, a, -1, len(pos), off)


def _record_zero_grad(tape, x, out_slot, n_out):
    """Record that the tensor at out_slot depends on x with a zero gradient, so
    x gets zeros (+0.0) rather than None, as in torch: all of x enters out
    with weight 0, which the sweep turns into a +0.0 gradient for each element."""
    if n_out and x.numel():
        m = x.numel()
        _record_place(tape, T.slot_of(tape, _gather_tensor(x, np.arange(m))), np.zeros(m, np.int64),
                      out_slot, n_out, 0.0)


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


def _gather_tensor(x, idx, shape=None):
    """x.flatten()[idx] (reshaped to `shape`) as a recorded tensor."""
    idx = np.asarray(idx, np.int64)
    val = x._data().ravel()[idx]
    if shape is not None:
        val = val.reshape(shape)
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


_named = O.rename    # give a composite's result the backward name torch prints


def sum(input, dim=None, keepdim=False, *, dtype=None, axis=None):
    x = _as_tensor(input)
    dim = axis if axis is not None else dim      # NumPy's name, accepted by torch
    return _sum_scaled(x, dim, keepdim, _sum_dtype(x, dtype), 1.0,
                       "SumBackward0" if dim is None else "SumBackward1")


def mean(input, dim=None, keepdim=False, *, dtype=None, axis=None):
    dim = axis if axis is not None else dim
    x = _as_tensor(input)
    dt = dtype or x.dtype
    if not dt.is_floating_point:
        which = "Optional" if dtype else "Input"
        raise RuntimeError(f"mean(): could not infer output dtype. {which} dtype must be either a floating "
                           f"point or complex dtype. Got: {D.TORCH_NAMES[dt.name]}")
    count = math.prod(x.shape[d] for d in _reduce_dims(dim, x.ndim))
    return _sum_scaled(x, dim, keepdim, dt, 1.0 / count if count else math.nan,
                       "MeanBackward0" if dim is None else "MeanBackward1")




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
    if x.numel() >= STATE.bulk_min:
        return record_sum(x, out, dims, scale, name)
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
                           f"Got {D.TORCH_NAMES[x.dtype.name]}")
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
    out = _new_scalar(math.sqrt(_sum_squares(x._data().ravel())), x.dtype)
    if x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        slot = _push_out(tape, out)
        T.record(tape, K.NORM, slot, 1, a, -1, x.numel(), -1)
        _finish(out, tape, slot, "LinalgVectorNormBackward0")
    return out


def _sum_squares(arr):
    """sum(arr ** 2): in float64 for small arrays (correctly rounded), BLAS
    in the array's own precision for large float32 ones (as torch, which
    accumulates float32 norms in float32: 12x faster than converting)."""
    if arr.dtype == np.float64 or (arr.dtype == np.float32 and arr.size >= 4096):
        return float(np.dot(arr, arr))
    total = 0.0
    for i in range(0, arr.size, 1 << 14):
        block = arr[i:i + (1 << 14)].astype(np.float64)
        total += float(np.dot(block, block))
    return total


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
    if x.numel() == 0 and dim not in (None, (), []):
        for d in dims:
            if x.shape[d] == 0:
                raise IndexError(f"{fn}(): Expected reduction dim {d} to have non-zero size.")
    if x.numel() == 0 and (dim is None or builtins_any(x.shape[d] == 0 for d in dims)):
        raise RuntimeError(f"{fn}(): Expected reduction dim to be specified for input.numel() == 0. "
                           "Specify the reduction dim with the 'dim' argument.")
    arr = x._data()
    best = npfn(arr, axis=dims, keepdims=True)
    shape = best.shape if keepdim else _kept_shape(x.shape, dims)
    out = _array_out(np.asarray(best.reshape(shape)), x.dtype)
    if not (x._rg and STATE.grad_enabled):
        return out
    mask = (arr == best) | (np.isnan(arr) & np.isnan(best))
    _guard_extreme(x, mask, dims, npfn is np.max)     # compile: positions are guards
    counts = mask.sum(axis=dims, keepdims=True)
    if (counts == 1).all():     # no ties: a gather of the extremes
        hits = np.nonzero(mask.ravel())[0]
        order = np.argsort(_reduce_index(x.shape, dims)[hits], kind="stable")
        return _named(_gather_tensor(x, hits[order], shape), name)
    # Ties: the gradient of sum(x * weights); the value stays the exact extreme.
    _record_sum(x * Tensor._wrap((mask / counts).astype(x.dtype.np)), out, dims, 1.0, name)
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
    if x._rg:
        picked = np.zeros(x.numel(), bool)
        picked[pos.ravel()] = True
        _guard_extreme(x, picked.reshape(x.shape), (d,), kind == "max")
    vals = _gather_tensor(x, pos.ravel(), pos.shape if keepdim else idx.shape)
    ind = Tensor._wrap((idx_k if keepdim else idx).astype(np.int64))
    return _ValuesIndices(_named(vals, name), ind, kind)


def _arg_extreme(arr, d, kind):
    """Index of the first max (min) along d; a nan wins, as in torch."""
    idx = (np.argmax if kind == "max" else np.argmin)(arr, axis=d)
    nans = np.isnan(arr)
    return np.where(nans.any(axis=d), np.argmax(nans, axis=d), idx) if nans.any() else idx


def _max_min_args(kind, input, dim):
    if dim is not None and not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{kind}() received an invalid combination of arguments - got (Tensor, {type(dim).__name__}), "
                        f"but expected one of:\n * (Tensor input, *, Tensor out = None)\n * (Tensor input, Tensor "
                        f"other, *, Tensor out = None)\n * (Tensor input, int dim, bool keepdim = False, *, tuple of "
                        f"Tensors out = None)\n")


def max(input, dim=None, keepdim=False, *, other=None):
    if isinstance(dim, Tensor):
        return maximum(input, dim)
    _max_min_args("max", input, dim)
    x = _as_tensor(input)
    if dim is None:
        return _extreme(x, None, False, np.max, "max", "MaxBackward1")
    return _max_min(x, dim, keepdim, "max")


def min(input, dim=None, keepdim=False):
    if isinstance(dim, Tensor):
        return minimum(input, dim)
    _max_min_args("min", input, dim)
    x = _as_tensor(input)
    if dim is None:
        return _extreme(x, None, False, np.min, "min", "MinBackward1")
    return _max_min(x, dim, keepdim, "min")


def _guard_arg(x, r, d, kind):
    """compile: the position argmax/argmin chose becomes a guard."""
    if not x._rg:
        return
    picked = np.zeros(x.shape, bool)
    if d is None:
        picked.ravel()[int(r)] = True
        dims = tuple(range(x.ndim))
    else:
        np.put_along_axis(picked, np.expand_dims(r, d), True, axis=d)
        dims = (d,)
    _guard_extreme(x, picked, dims, kind == "max")


def _argfn(kind):
    def f(input, dim=None, keepdim=False):
        x = _as_tensor(input)
        if x.dtype is D.bool_:
            raise RuntimeError(f"arg{kind}(): does not support bool input")
        if dim is None:
            if x.numel() == 0:
                raise IndexError(f"arg{kind}(): Expected reduction dim to be specified for input.numel() == 0.")
            r = _arg_extreme(x._data().ravel(), 0, kind)
            _guard_arg(x, np.asarray(r), None, kind)
            return Tensor._wrap(np.asarray(r, np.int64).reshape((1,) * x.ndim if keepdim else ()))
        d = _dim(dim, x.ndim)
        if x.ndim == 0:
            return tensor(0)
        if x.shape[d] == 0:
            raise IndexError(f"arg{kind}(): Expected reduction dim {d} to have non-zero size.")
        r = _arg_extreme(x._data(), d, kind)
        _guard_arg(x, r, d, kind)
        return Tensor._wrap((np.expand_dims(r, d) if keepdim else r).astype(np.int64))
    f.__name__ = "arg" + kind
    return f


argmax = _argfn("max")
argmin = _argfn("min")


def all(input, dim=None, keepdim=False):
    _guard_read(input, "truth")
    arr = input._data()
    if dim is None:
        return _scalar_out(bool(np.all(arr)), D.bool_)
    return Tensor._wrap(np.all(arr, axis=_dim(dim, input.ndim), keepdims=keepdim))


def any(input, dim=None, keepdim=False):
    _guard_read(input, "truth")
    arr = input._data()
    if dim is None:
        return _scalar_out(bool(np.any(arr)), D.bool_)
    return Tensor._wrap(np.any(arr, axis=_dim(dim, input.ndim), keepdims=keepdim))


def _detached_max(x, dims):
    """max of x over dims (kept), without gradient, 0 where not finite: the
    shift that keeps exp from overflowing in logsumexp and softmax."""
    if x.numel() == 0:     # nothing to shift (amax of an empty dim is an error)
        dims = _reduce_dims(dims, x.ndim)
        return Tensor._wrap(np.zeros(tuple(1 if i in dims else s for i, s in enumerate(x.shape)), x.dtype.np))
    if _guard_recording(x):
        # jitgrad.compile records: the shift is recomputed at replay (amax's
        # positions and m's finiteness are guards); the same values as below.
        m = amax(x, dims, keepdim=True)
        return where((m > -math.inf) & (m < math.inf), m, 0.0)
    m = amax(x.detach(), dims, keepdim=True)
    return where(isfinite(m), m, 0.0)


def _softmax_dtype_check(name, x, dim):
    """torch's softmax kernels exist for floating dtypes only."""
    if not x.dtype.is_floating_point:
        last = isinstance(dim, int) and dim in (x.ndim - 1, -1) or x.ndim <= 1
        raise NotImplementedError(f'"{name}{"_lastdim" if last else ""}_kernel_impl" not implemented for '
                                  f"'{D.TORCH_NAMES[x.dtype.name]}'")


def softmax(input, dim, dtype=None):
    """exp(x - max) / sum(exp(x - max)): the detached max keeps exp finite."""
    x = _as_tensor(input)
    x = _to_dtype(x, dtype or x.dtype)
    _softmax_dtype_check("softmax", x, dim)
    e = (x - _detached_max(x, dim)).exp()
    return _named(e / sum(e, dim, keepdim=True), "SoftmaxBackward0")


def log_softmax(input, dim, dtype=None):
    x = _as_tensor(input)
    x = _to_dtype(x, dtype or x.dtype)
    _softmax_dtype_check("log_softmax", x, dim)
    s = x - _detached_max(x, dim)
    return _named(s - sum(s.exp(), dim, keepdim=True).log(), "LogSoftmaxBackward0")


def logsumexp(input, dim, keepdim=False):
    """log(sum(exp(x))) shifted by the detached max, so large inputs don't overflow."""
    x = _as_tensor(input)
    if not x.dtype.is_floating_point:
        x = _to_dtype(x, D.get_default_dtype())
    dims = _reduce_dims(dim, x.ndim)
    m = _detached_max(x, dims)
    out = sum((x - m).exp(), dims, keepdim=True).log() + m
    if not keepdim:
        out = reshape(out, _kept_shape(x.shape, dims))
    return _named(out, "LogsumexpBackward0")


def isfinite(input):
    _guard_finite(input)
    return Tensor._wrap(np.isfinite(input._data()))


def isnan(input):
    _guard_finite(input)
    return Tensor._wrap(np.isnan(input._data()))


def isinf(input):
    _guard_finite(input)
    return Tensor._wrap(np.isinf(input._data()))


# ----- shapes (views: NumPy views of the value, index maps for the sweep) ----

def _index_op(x, value, idx, name):
    """A new tensor (a copy, not a view) holding `value`, whose element i is
    x.flatten()[idx[i]] (idx None: the same order)."""
    out = _array_out(np.array(value, x.dtype.np), x.dtype)
    if x._rg and STATE.grad_enabled:
        _record_gather(x, out, idx, name)
    return out


def _reshaped(x, shape, name):
    """x's elements in x's order, in `shape`: a view."""
    return _view(x, lambda a: a.reshape(shape), name, same_order=True)


def _alias(x):
    return _view(x, _identity, "AliasBackward0", same_order=True)


def _infer_shape(shape, numel):
    """PyTorch's infer_size: -1 takes what is left, with its errors."""
    infer, known = None, 1
    for i, s in enumerate(shape):
        if s == -1:
            if infer is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        elif s >= 0:
            known *= s
        else:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {list(shape)}")
    if numel == known or (infer is not None and known > 0 and numel % known == 0):
        if infer is None:
            return tuple(shape)
        if known == 0:
            raise RuntimeError(f"cannot reshape tensor of 0 elements into shape {list(shape)} because the "
                               "unspecified dimension size -1 can be any value and is ambiguous")
        return tuple(shape[:infer]) + (numel // known,) + tuple(shape[infer + 1:])
    raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")


def _shape_arg(shape, fname="view"):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    try:
        return tuple(operator.index(s) for s in shape)
    except TypeError:
        got = ", ".join(type(v).__name__ for v in shape)
        raise TypeError(f"{fname}() received an invalid combination of arguments - got ({got}), but "
                        "expected one of:\n * (torch.dtype dtype)\n * (tuple of ints size)\n") from None


def _contiguous(x):
    return x._v is not None or x._arr.flags.c_contiguous


def reshape(input, *shape):
    x = input
    shape = _infer_shape(_shape_arg(shape, "reshape"), x.numel())
    if x._v is None and not _contiguous(x) and not np.may_share_memory(x._arr.reshape(shape), x._arr):
        # Not expressible as a view of x: PyTorch copies (not a view either).
        return _index_op(x, x._arr.reshape(shape), None, "UnsafeViewBackward0")
    return _reshaped(x, shape, "ViewBackward0" if _contiguous(x) else "ReshapeAliasBackward0")


def view(input, *shape):
    if len(shape) == 1 and isinstance(shape[0], D.dtype):
        raise NotImplementedError("view(dtype) is not supported")
    if not shape:
        raise TypeError("view() received an invalid combination of arguments - got (), but expected one of:\n"
                        " * (torch.dtype dtype)\n * (tuple of ints size)\n")
    x = input
    shape = _infer_shape(_shape_arg(shape), x.numel())
    if x._v is None and not _contiguous(x) and not np.may_share_memory(x._arr.reshape(shape), x._arr):
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                           "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
    return _reshaped(x, shape, "ViewBackward0")


def flatten(input, start_dim=0, end_dim=-1):
    x = input
    if x.ndim == 0:
        _dim(start_dim, 0), _dim(end_dim, 0)
        return reshape(x, 1)
    s, e = _dim(start_dim, x.ndim), _dim(end_dim, x.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return x    # PyTorch returns the input itself
    shape = x.shape
    return reshape(x, shape[:s] + (math.prod(shape[s:e + 1]),) + shape[e + 1:])


def squeeze(input, dim=None):
    shape = input.shape
    if dim is None:
        new = tuple(s for s in shape if s != 1)
        name = "SqueezeBackward0"
    else:
        dims = _dims(dim, input.ndim)
        new = tuple(s for i, s in enumerate(shape) if not (i in dims and s == 1))
        name = "SqueezeBackward1" if isinstance(dim, int) else "SqueezeBackward2"
    return _reshaped(input, new, name)


def unsqueeze(input, dim):
    d = _dim(dim, input.ndim + 1)
    shape = input.shape
    return _reshaped(input, shape[:d] + (1,) + shape[d:], "UnsqueezeBackward0")


def permute(input, *dims):
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    dims = _shape_arg(dims, "permute")
    if len(dims) != input.ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match "
                           f"the length of the desired ordering of dimensions i.e. input.dim() = {input.ndim} "
                           f"is not equal to len(dims) = {len(dims)}")
    dims = tuple(_dim(d, input.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _permuted(input, dims, "PermuteBackward0")


def _permuted(x, dims, name):
    if x.ndim < 2:
        return _reshaped(x, x.shape, name)
    return _view(x, lambda a: np.transpose(a, dims), name)


def transpose(input, dim0, dim1):
    n = input.ndim
    d0, d1 = _dim(dim0, n), _dim(dim1, n)
    perm = list(range(n))
    if n:
        perm[d0], perm[d1] = perm[d1], perm[d0]
    return _permuted(input, tuple(perm), "TransposeBackward0")


swapaxes = swapdims = transpose


def t(input):
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return _permuted(input, tuple(range(input.ndim))[::-1], "TBackward0")


def movedim(input, source, destination):
    n = input.ndim
    src = (source,) if isinstance(source, int) else tuple(source)
    dst = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} dims) should "
                           f"contain the same number of dims as destination ({list(dst)} dims)")
    src = tuple(_dim(d, n) for d in src)
    dst = tuple(_dim(d, n) for d in dst)
    for what, ds in (("source", src), ("destination", dst)):
        if len(set(ds)) != len(ds):
            raise RuntimeError(f"movedim: repeated dim in `{what}` ({list(ds)})")
    if n == 0:
        return _alias(input)
    order = [None] * n
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(i for i in range(n) if i not in src)
    order = tuple(o if o is not None else next(rest) for o in order)
    return _permuted(input, order, "PermuteBackward0")


moveaxis = movedim


def _tensor_type(x):
    return f"torch.{D.TORCH_NAMES[x.dtype.name]}Tensor"


def expand(input, *sizes):
    sizes = _shape_arg(sizes, "expand")
    shape = tuple(input.shape)
    if len(sizes) < len(shape):
        raise RuntimeError(f"expand({_tensor_type(input)}{{{list(shape)}}}, size={list(sizes)}): the number of "
                           f"sizes provided ({len(sizes)}) must be greater or equal to the number of dimensions "
                           f"in the tensor ({len(shape)})")
    lead = len(sizes) - len(shape)
    target = list(sizes)
    for i in range(len(sizes) - 1, -1, -1):
        size = shape[i - lead] if i >= lead else 1
        if target[i] == -1:
            if i < lead:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                                   f"non-existing dimension {i}")
            target[i] = size
        if size != target[i] and size != 1:
            raise RuntimeError(f"The expanded size of the tensor ({target[i]}) must match the existing size "
                               f"({size}) at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  "
                               f"Tensor sizes: {list(shape)}")
    target = tuple(target)
    return _view(input, lambda a: np.broadcast_to(a, target), "ExpandBackward0", copy=True)


def broadcast_to(input, size):
    return expand(input, size)


def _tensor_list(tensors, fname):
    if isinstance(tensors, Tensor):
        raise TypeError(f"{fname}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    ts = list(tensors)
    for i, t in enumerate(ts):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return ts


def _check_cat(ts, dim):
    """PyTorch's cat checks; returns the dim. 1-D empty tensors are skipped."""
    ref = next((t for t in ts if not (t.ndim == 1 and t.numel() == 0)), ts[0])
    for i, t in enumerate(ts):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    d = _dim(dim, ref.ndim)
    for i, t in enumerate(ts):
        if t is ref or (t.ndim == 1 and t.numel() == 0):
            continue
        if t.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and {t.ndim}")
        for j, (p, q) in enumerate(zip(ref.shape, t.shape)):
            if j != d and p != q:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size {p} "
                                   f"but got size {q} for tensor number {i} in the list.")
    return d


def _join(ts, d, name, new_axis):
    """stack / cat of checked tensors along d: values by NumPy, the gradient
    of each input is its block of the result."""
    dt = ts[0].dtype
    for t in ts[1:]:
        dt = D.promote_types(dt, t.dtype)
    arrs = [t._data().astype(dt.np, copy=False) for t in ts]
    if new_axis:
        val = np.stack(arrs, axis=d)
    else:
        keep = [a for a in arrs if not (a.ndim == 1 and a.size == 0)]
        val = np.concatenate(keep, axis=d) if keep else arrs[0].copy()
    out = _array_out(val, dt)
    if not (_grad_on(*ts) and dt.is_floating_point):
        return out
    tape = T.current()
    slot = _push_out(tape, out)
    pos = np.arange(val.size).reshape(val.shape)
    scale = len(tape.vals)
    tape.vals.append(1.0)
    start = 0
    for t in ts:
        if not new_axis and t.ndim == 1 and t.numel() == 0:
            continue
        width = 1 if new_axis else t.shape[d]
        key = (slice(None),) * d + ((start,) if new_axis else (slice(start, start + width),))
        if t._rg and t.numel():
            block = pos[key].ravel()
            if d == 0:   # a contiguous block of the result
                T.record(tape, K.COPY, slot + block[0], block.size, T.slot_of(tape, t), -1, 0, -1)
            else:
                off = T.push_meta(tape, np.concatenate(([scale], block)))
                T.record(tape, K.SUM_IDX, slot, val.size, T.slot_of(tape, t), -1, t.numel(), off)
        start += width
    return _finish(out, tape, slot, name)


def stack(tensors, dim=0, *, out=None):
    ts = _tensor_list(tensors, "stack")
    if not ts:
        raise RuntimeError("stack expects a non-empty TensorList")
    shapes = [list(t.shape) for t in ts]
    for i, s in enumerate(shapes):
        if s != shapes[0]:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {shapes[0]} at entry 0 "
                               f"and {s} at entry {i}")
    return _join(ts, _dim(dim, ts[0].ndim + 1), "StackBackward0", True)


def cat(tensors, dim=0, *, out=None):
    ts = _tensor_list(tensors, "cat")
    if not ts:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    return _join(ts, _check_cat(ts, dim), "CatBackward0", False)


concat = concatenate = cat


def hstack(tensors):
    ts = [_as_tensor(t) for t in tensors]
    return cat(ts, 0 if ts[0].ndim == 1 else 1)


def vstack(tensors):
    return cat([t if t.ndim > 1 else unsqueeze(t, 0) for t in map(_as_tensor, tensors)], 0)


def _multi_view(x, fns, name):
    """Several views of x (unbind, split, chunk), recorded as one GATHER whose
    output holds them back to back; each is a PyTorch multi-output view."""
    data = x._data()
    vals = [np.asarray(f(data)) for f in fns]
    outs = [_result(v, x.dtype) for v in vals]
    if outs and x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        base = np.arange(x.numel()).reshape(x.shape)
        idx = np.concatenate([np.asarray(f(base)).reshape(-1) for f in fns])
        slot = T.push_array(tape, np.concatenate([v.reshape(-1) for v in vals]))
        T.record(tape, K.GATHER, slot, idx.size, a, -1, x.numel(), T.push_meta(tape, idx))
        for o in outs:
            _finish(o, tape, slot, name)
            slot += o.numel()
    for i, (o, f) in enumerate(zip(outs, fns)):
        _register_view(o, x, f, name, multi=i)
    return tuple(outs)


def _along(d, key):
    """f(a) = a[..., key] with key on dim d."""
    full = (slice(None),) * d + (key,)
    return lambda a: a[full]


def unbind(input, dim=0):
    if input.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = _dim(dim, input.ndim)
    return _multi_view(input, [_along(d, i) for i in range(input.shape[d])], "UnbindBackward0")


def select(input, dim, index):
    if input.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = _dim(dim, input.ndim)
    index, size = int(index), input.shape[d]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} "
                         f"at dimension {d}")
    return _view(input, _along(d, index % size), "SelectBackward0")


def _split_sizes(size, split_size):
    if split_size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={split_size}")
    if split_size == 0 and size != 0:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}")
    n = builtins_max(-(-size // split_size), 1) if split_size else 1
    return [split_size] * (n - 1) + [size - split_size * (n - 1)]


def _pieces(x, d, sizes, name):
    fns, start = [], 0
    for s in sizes:
        fns.append(_along(d, slice(start, start + s)))
        start += s
    return _multi_view(x, fns, name)


def split(tensor, split_size_or_sections=None, dim=0, *, split_size=None):
    x, sections = tensor, split_size_or_sections if split_size is None else split_size
    if x.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = _dim(dim, x.ndim)
    size = x.shape[d]
    if isinstance(sections, (int, np.integer)):
        return _pieces(x, d, _split_sizes(size, int(sections)), "SplitBackward0")
    sections = [int(s) for s in sections]
    if builtins_any(s < 0 for s in sections):
        raise RuntimeError("split_with_sizes expects split_sizes have only non-negative entries, but got "
                           f"split_sizes={sections}")
    if builtins_sum(sections) != size:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size "
                           f"at dimension {d}), but got split_sizes={sections}")
    return _pieces(x, d, sections, "SplitWithSizesBackward0")


def chunk(input, chunks, dim=0):
    if input.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = _dim(dim, input.ndim)
    size = input.shape[d]
    step = -(-size // chunks)
    if step == 0:   # an empty dim: `chunks` empty pieces
        return _pieces(input, d, [0] * chunks, "SplitWithSizesBackward0")
    return _pieces(input, d, _split_sizes(size, step), "SplitBackward0")


def narrow(input, dim, start, length):
    if input.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = _dim(dim, input.ndim)
    start, length, size = int(start), int(length), input.shape[d]
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    start = start + size if start < 0 else start
    if start > size - length:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return _view(input, _along(d, slice(start, start + length)), "SliceBackward0")


def _moved(x, f):
    """x's values moved by f (roll, flip), with the index map of the move."""
    idx = np.asarray(f(np.arange(x.numel()).reshape(x.shape))).ravel() if x._rg else None
    return f(x._data()), idx


def roll(input, shifts, dims=None):
    x = input
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    dims = () if dims is None else ((dims,) if isinstance(dims, int) else tuple(dims))
    if not dims:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        f = lambda a: np.roll(a.reshape(-1), shifts[0]).reshape(a.shape)  # noqa: E731
    else:
        if len(shifts) != len(dims):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
        if x.ndim == 0:
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        axes = tuple(_dim(d, x.ndim) for d in dims)
        f = lambda a: np.roll(a, shifts, axis=axes)  # noqa: E731
    val, idx = _moved(x, f)
    return _index_op(x, val, idx, "RollBackward0")


def flip(input, *dims):
    dims = dims[0] if len(dims) == 1 and not isinstance(dims[0], int) else dims
    axes = _dims(dims, input.ndim)    # checked even for 0-d, which has no axes to flip
    axes = axes if input.ndim else ()
    val, idx = _moved(input, lambda a: np.flip(a, axes) if axes else a)
    return _index_op(input, val, idx, "FlipBackward0")


# ----- linear algebra: host records (BLAS through NumPy, both directions) ---



# C++ type names, as some of PyTorch's matmul errors print them.


def _no_bool(kernel, dt):
    if dt is D.bool_:
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


def _check_mm(s1, d1, s2, d2):
    """mat1 (s1) @ mat2 (s2): PyTorch's mm checks, in its order."""
    if s1[1] != s2[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({s1[0]}x{s1[1]} and {s2[0]}x{s2[1]})")
    if d1 is not d2:
        raise RuntimeError("expected m1 and m2 to have the same dtype, but got: "
                           f"{D.CPP_NAMES[d1.name]} != {D.CPP_NAMES[d2.name]}")
    _no_bool("addmm_impl_cpu_", d1)


def _check_mv(s1, d1, s2, d2):
    if s1[1] != s2[0]:
        raise RuntimeError(f"size mismatch, got input ({s1[0]}), mat ({s1[0]}x{s1[1]}), vec ({s2[0]})")
    if d1 is not d2:
        raise RuntimeError("addmv input tensors must have the same dtype, but got "
                           f"{D.TORCH_NAMES[d2.name]}, {D.TORCH_NAMES[d1.name]}, and {D.TORCH_NAMES[d2.name]}")
    _no_bool("addmv_impl_cpu", d1)


def _check_dot(k1, d1, k2, d2):
    if d1 is not d2:
        raise RuntimeError("dot : expected both vectors to have same dtype, but found "
                           f"{D.TORCH_NAMES[d1.name]} and {D.TORCH_NAMES[d2.name]}")
    if k1 != k2:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{k1}] and src [{k2}] to have the same "
                           f"number of elements, but got {k1} and {k2} elements respectively")
    _no_bool("dot", d1)


def _check_bmm(s1, d1, s2, d2):
    if s2[0] != s1[0] or s2[1] != s1[2]:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{s1[0]}, {s1[2]}] but got: [{s2[0]}, {s2[1]}].")
    if d1 is not d2:
        raise RuntimeError(f"expected scalar type {D.TORCH_NAMES[d1.name]} but found {D.TORCH_NAMES[d2.name]}")
    _no_bool("bmm", d1)


def _broadcast_shapes(s1, s2):
    """PyTorch's broadcast of two shapes, with its error message."""
    n = builtins_max(len(s1), len(s2))
    s1, s2 = (1,) * (n - len(s1)) + tuple(s1), (1,) * (n - len(s2)) + tuple(s2)
    for i, (p, q) in enumerate(zip(s1, s2)):
        if p != q and p != 1 and q != 1:
            raise RuntimeError(f"The size of tensor a ({p}) must match the size of tensor b ({q}) "
                               f"at non-singleton dimension {i}")
    return tuple(q if p == 1 else p for p, q in zip(s1, s2))


def _matmul_plan(a, b):
    """Check `a @ b` the way PyTorch's matmul dispatches it (dot, mv, mm, a
    folded mm, bmm), so errors match; returns the grad_fn name it gives.
    a and b are (shape, dtype, requires_grad)."""
    (sa, da, ra), (sb, db, rb) = a, b
    na, nb = len(sa), len(sb)
    if na == 1 and nb == 1:
        _check_dot(sa[0], da, sb[0], db)
        return "DotBackward0"
    if na == 2 and nb == 1:
        _check_mv(sa, da, sb, db)
        return "MvBackward0"
    if na == 1 and nb == 2:
        _check_mm((1, sa[0]), da, sb, db)
        return "SqueezeBackward4"
    if na == 2 and nb == 2:
        _check_mm(sa, da, sb, db)
        return "MmBackward0"
    if na >= 3 and nb <= 2:
        # a's batch folds into its rows: one mm / mv.
        folded = (math.prod(sa[:-1]), sa[-1])
        (_check_mm if nb == 2 else _check_mv)(folded, da, sb, db)
        return "UnsafeViewBackward0"
    if nb >= 3 and na <= 2 and (ra or (na == 1 and (sb[-2] == 1 or math.prod(sb) == 0))):
        # b's batch folds: (b^T folded) @ a^T, transposed back.
        folded = (math.prod(sb[:-2]) * sb[-1], sb[-2])
        if na == 1:
            _check_mv(folded, db, sa, da)
            return "UnsafeViewBackward0"
        _check_mm(folded, db, (sa[1], sa[0]), da)
        # .mT().contiguous() copies unless the transpose is already contiguous.
        n, p = sa[0], sb[-1]
        empty = math.prod(sb[:-2]) * n * p == 0
        return "TransposeBackward0" if n == 1 or p == 1 or empty else "CloneBackward0"
    if na == 3 and nb == 3 and sa[0] != sb[0]:
        # A broadcast batch of 1 that requires grad is squeezed, then folded.
        if sa[0] == 1 and ra:
            return _matmul_plan((sa[1:], da, ra), b)
        if sb[0] == 1 and rb:
            return _matmul_plan(a, (sb[1:], db, rb))
    n = sa[-2] if na > 1 else 1
    m2, p = (sb[-2], sb[-1]) if nb > 1 else (sb[0], 1)
    batch = math.prod(_broadcast_shapes(sa[:-2], sb[:-2]))
    _check_bmm((batch, n, sa[-1]), da, (batch, m2, p), db)
    return "UnsafeViewBackward0"


def _matmul_operands(input, other, fname):
    for pos, (name, t) in enumerate((("input", input), ("other", other)), 1):
        if not isinstance(t, Tensor):
            raise TypeError(f"{fname}(): argument '{name}' (position {pos}) must be Tensor, "
                            f"not {type(t).__name__}")
    return input, other


def _spec(t):
    return tuple(t.shape), t.dtype, t._rg


def _matmul_record(a, b, name):
    """The value of a @ b (shapes already checked) and its host record."""
    out = _array_out(np.asarray(np.matmul(a._data(), b._data()), a.dtype.np), a.dtype)
    if _grad_on(a, b) and a.dtype.is_floating_point:
        if out.numel() >= STATE.bulk_min or a.numel() >= STATE.bulk_min or b.numel() >= STATE.bulk_min:
            return record_matmul(a, b, out, name)
        tape = T.current()
        op = MatmulBackward()
        op.a = _push_operand(tape, a) if a._rg else -1
        op.b = _push_operand(tape, b) if b._rg else -1
        op.aval = None if a._rg else np.array(a._data(), np.float64)
        op.bval = None if b._rg else np.array(b._data(), np.float64)
        op.ashape, op.bshape, op.oshape = tuple(a.shape), tuple(b.shape), tuple(out.shape)
        op.arg, op.brg = a._rg, b._rg
        op.out = slot = _push_out(tape, out)
        op.name = name
        tape.host[T.record(tape, K.HOST, slot, out.numel(), op.a, op.b, 0, -1)] = op
        _finish(out, tape, slot, name)
    return out


def matmul(input, other):
    a, b = _matmul_operands(input, other, "matmul")
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D")
    return _matmul_record(a, b, _matmul_plan(_spec(a), _spec(b)))


def mm(input, mat2):
    a, b = _matmul_operands(input, mat2, "mm")
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _check_mm(a.shape, a.dtype, b.shape, b.dtype)
    return _matmul_record(a, b, "MmBackward0")


def bmm(input, mat2):
    a, b = _matmul_operands(input, mat2, "bmm")
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    _check_bmm(a.shape, a.dtype, b.shape, b.dtype)
    return _matmul_record(a, b, "BmmBackward0")


def dot(input, other):
    a, b = _matmul_operands(input, other, "dot")
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    _check_dot(a.shape[0], a.dtype, b.shape[0], b.dtype)
    return _matmul_record(a, b, "DotBackward0")


def mv(input, vec):
    a, b = _matmul_operands(input, vec, "mv")
    if a.ndim != 2 or b.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {b.ndim}")
    _check_mv(a.shape, a.dtype, b.shape, b.dtype)
    return _matmul_record(a, b, "MvBackward0")


def outer(input, vec2):
    a, b = _matmul_operands(input, vec2, "outer")
    for name, t in (("self", a), ("vec2", b)):
        if t.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
    return reshape(a, -1, 1) * b


ger = outer


_SHAPE_CPP = "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:{}.)"


def _reverse_dims(x):
    """x.T: all dims reversed (deprecated by PyTorch unless x is a matrix)."""
    if x.ndim == 0:
        warn_once("Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases. "
                   + _SHAPE_CPP.format(4321))
    elif x.ndim != 2:
        warn_once("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
                   "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
                   "matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
                   "tensor. " + _SHAPE_CPP.format(4314))
    return _permuted(x, tuple(range(x.ndim - 1, -1, -1)), "PermuteBackward0")


def _matrix_transpose(x):
    """x.mT: the last two dims swapped."""
    if x.ndim == 0:
        warn_once("Tensor.mT is deprecated on 0-D tensors. This function is the identity in these cases. "
                   + _SHAPE_CPP.format(4373))
        return _alias(x)
    if x.ndim == 1:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.")
    return transpose(x, -2, -1)


adjoint = _matrix_transpose


# ----- dtype conversion ------------------------------------------------------

def _to_dtype(x, dt):
    if dt is x.dtype:
        return x
    if not dt.is_floating_point:
        _guard_read(x, "truth" if dt is D.bool_ else "int")    # compile: trunc(x) / x != 0 are guards
    val = x._data().astype(dt.np)
    out = _array_out(val, dt)
    if x._rg and STATE.grad_enabled and dt.is_floating_point:
        _record_unary_like(K.COPY, x, out, "ToCopyBackward0")
    return out


# ----- creation --------------------------------------------------------------

def _size(size, fname="zeros"):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    elif len(size) == 1 and not isinstance(size[0], (int, np.integer, Tensor)):
        raise TypeError(f"{fname}(): argument 'size' (position 1) must be tuple of ints, not {type(size[0]).__name__}")
    for i, s in enumerate(size):
        if isinstance(s, Tensor):
            s = int(s)
        if not isinstance(s, (int, np.integer)):
            raise TypeError(f"{fname}(): argument 'size' failed to unpack the object at pos {i + 1} with error "
                            f"\"type must be tuple of ints,but got {type(s).__name__}\"")
        if s < 0:
            if fname == "zeros":
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
    return tuple(int(s) for s in size)


def _size_arg(size, kw, fname):
    """The size of a creation function, also given as `size=` (torch accepts both)."""
    if kw:
        extra = set(kw) - {"size"}
        if extra:
            raise TypeError(f"{fname}() got an unexpected keyword argument '{extra.pop()}'")
        if size:
            raise TypeError(f"{fname}() received an invalid combination of arguments: size given twice")
        size = kw["size"]
        return tuple(size) if isinstance(size, (tuple, list)) else (size,)
    return size


def _check_grad_dtype(dt, requires_grad):
    if requires_grad and not dt.is_floating_point:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")


def _creation(value_fn, size, dtype, requires_grad, fname="zeros"):
    dt = dtype or D.get_default_dtype()
    shape = _size(size, fname)
    _check_grad_dtype(dt, requires_grad)
    out = _array_out(np.asarray(value_fn(shape, dt.np), dt.np), dt)
    if requires_grad:
        out.requires_grad_(True)
    return out


def zeros(*size, dtype=None, device=None, requires_grad=False, out=None, **kw):
    size = _size_arg(size, kw, "zeros")
    return _creation(np.zeros, size, dtype, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False, out=None, **kw):
    size = _size_arg(size, kw, "ones")
    return _creation(np.ones, size, dtype, requires_grad, "ones")


def empty(*size, dtype=None, device=None, requires_grad=False, out=None, **kw):
    size = _size_arg(size, kw, "empty")
    return _creation(np.zeros, size, dtype, requires_grad, "empty")


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False):
    if dtype is None:
        dtype = D.bool_ if isinstance(fill_value, bool) else D.int64 if isinstance(fill_value, int) else D.get_default_dtype()
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}")
    return _creation(lambda s, d: np.full(s, fill_value, d), (tuple(size),), dtype, requires_grad, "full")


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
    if vals[2] == 0:
        raise RuntimeError("step must be nonzero")
    if dtype is None:
        dtype = D.get_default_dtype() if builtins_any(isinstance(v, float) for v in vals) else D.int64
    if dtype is D.bool_:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    if not dtype.is_floating_point and int(vals[2]) == 0:
        raise ValueError("step must be nonzero")
    if not (math.isfinite(vals[0]) and math.isfinite(vals[1])):
        raise RuntimeError(f"unsupported range: {vals[0]} -> {vals[1]}")
    if (vals[2] > 0 and vals[1] < vals[0]) or (vals[2] < 0 and vals[1] > vals[0]):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    arr = np.arange(*vals, dtype=np.float64 if dtype.is_floating_point else np.int64).astype(dtype.np)
    out = _array_out(arr, dtype)
    if requires_grad:
        if not dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        out._rg = True
    return out


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False):
    dt = dtype or D.get_default_dtype()
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    _check_grad_dtype(dt, requires_grad)
    out = _array_out(np.linspace(start, end, steps).astype(dt.np), dt)
    if requires_grad:
        out.requires_grad_(True)
    return out


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False):
    dt = dtype or D.get_default_dtype()
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    _check_grad_dtype(dt, requires_grad)
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


def _random_dtype(dtype, kernel):
    if dtype is not None and not dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{D.TORCH_NAMES[dtype.name]}'")
    return dtype


def randn(*size, dtype=None, device=None, requires_grad=False, generator=None, **kw):
    size = _size_arg(size, kw, "randn")
    dtype = _random_dtype(dtype, "normal_kernel_cpu")
    return _creation(lambda s, d: _rng.standard_normal(s), size, dtype, requires_grad)


def rand(*size, dtype=None, device=None, requires_grad=False, generator=None, **kw):
    size = _size_arg(size, kw, "rand")
    dtype = _random_dtype(dtype, "check_uniform_bounds")
    return _creation(lambda s, d: _rng.random(s), size, dtype, requires_grad)


def randint(low, high=None, size=None, *, dtype=None, device=None, requires_grad=False, generator=None):
    if size is None and isinstance(high, (tuple, list)):     # randint(high, size)
        low, high, size = 0, low, high
    elif high is None:
        low, high = 0, low
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"randint(): argument 'size' (position 2) must be tuple of ints, not {type(size).__name__}")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    dt = dtype or D.int64
    _check_grad_dtype(dt, requires_grad)
    out = _array_out(_rng.integers(low, high, size=_size((tuple(size),), "randint")).astype(dt.np), dt)
    return out.requires_grad_(True) if requires_grad else out


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

builtins_min, builtins_max, builtins_sum, builtins_any, builtins_all = _b.min, _b.max, _b.sum, _b.any, _b.all

__all__ = [_n for _n, _v in list(globals().items())
           if not _n.startswith("_") and callable(_v) and getattr(_v, "__module__", None) == __name__
           and not _n.startswith("builtins_")]
