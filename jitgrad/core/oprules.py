"""The op table's derivative rules: vector-Jacobian products on tensors.

A rule takes (g, x, y, out, c) -- incoming gradient, operands, result,
constant attribute -- and returns the (d/dx, d/dy) contributions; binary
rules also take `need`, which of the two the caller wants. `create_graph`
records them (autograd/symbolic.py) and bulk records evaluate them on arrays
(autodiff/bulk.py). Short rules stand inline in `ops.TABLE`; the longer ones
and the helpers they share live here. They use only Tensor methods and
operators, so this bottom-layer module imports no tensor code.
"""
from __future__ import annotations

import math

import numpy as np


def val(t):
    return t._data()


def const(values, like):
    """A constant tensor of `values` (float64, as the masks torch builds)."""
    return type(like)._wrap(np.asarray(values, np.float64))


def live_mask(values, x):
    """The constant `values`, as a tensor that depends on x with derivative
    zero (sign(x) * 0 is a finite zero): a gradient built with it stays in the
    graph when x is, as torch's threshold_backward and leaky_relu_backward do."""
    return const(values, x) + x.sign() * 0.0


def pick(cond, a, b):
    """where(cond, a, b) with cond a NumPy bool array; the unpicked branch
    gets no gradient, so inf/nan there never leak (0 * inf)."""
    return a.where(type(a)._wrap(np.asarray(cond, bool)), b)


def masked(g, cond, x=None):
    """torch's where(cond, g, 0): +0.0 where cond fails, even for an inf/nan
    g (g * 0 would give nan or -0.0). With x, the result also depends on x
    with derivative zero, as torch's threshold_backward does."""
    out = pick(np.broadcast_to(np.asarray(cond, bool), g.shape), g, g.new_zeros(g.shape))
    return out if x is None else out * live_mask(np.ones(np.shape(cond)), x)


def weighted(g, w):
    """g * w for max/min weights w (1, 0.5, 0): +0.0 where w is 0, as torch's masks."""
    w = np.broadcast_to(w, g.shape)
    return masked(g * const(w, g), w != 0)


def rename(t, name):
    """Give t the backward name torch prints (a composite, or the backward of
    a fused backward op: the formula here is the same arithmetic, recorded
    as ordinary ops)."""
    if t._rg and t._name is not None:
        t._name = name
    return t


def fused_backward(res, g, out, name):
    """The create_graph gradient `res` of an op whose torch backward is one
    fused kernel (tanh_backward, sigmoid_backward), named as its node. That
    kernel's forward-mode formula starts with kernel(grad_output_t, ...): a
    +0.0 tangent where g has none, so `res` gets a zero that is -0.0 (adds
    nothing) with a +0.0 tangent when g has no graph and out has one."""
    if out._rg and not g._rg:
        res = res + pick(np.zeros(res.shape, bool), out * -0.0, res.new_zeros(res.shape).neg())
    return rename(res, name)


def zero(g, x, y, out, c, need=(True, True)):
    return g.new_zeros(g.shape), None      # torch's zeros_like: +0.0 whatever g's sign


BOTH = (True, True)


def pow_rule(g, x, y, out, c, need=BOTH):
    if y.__class__ is float:
        # A Python number exponent: torch's pow_backward, y * x.pow(y - 1).
        if y == 0.0:
            return g.new_zeros(g.shape), None
        return g * (y * x ** (y - 1.0)), None       # (x ** 2: 2 * x.pow(1), whose own gradient has a graph)
    xv, yv = val(x), val(y)
    zero = g.new_zeros(g.shape)
    dx = dy = None
    if need[0]:
        dx = g * (y * x ** (y - 1.0))       # torch's pow_backward: MulBackward0
        if np.any(yv == 0):
            dx = pick(np.broadcast_to(yv == 0, g.shape), zero, dx)
    if need[1]:
        # torch's pow_backward_exponent: grad * where(base == 0 and y >= 0, 0, out * log(x))
        dy = g * pick(np.broadcast_to((xv == 0) & (yv >= 0), out.shape), out.new_zeros(out.shape), out * x.log())
    return dx, dy


def _max_weights(xv, yv):
    """d max(x, y) / dx as kernels.elementwise has it: 1, 0, a tie 0.5, and
    1 where either is nan (torch passes the gradient to both then)."""
    return np.where(xv > yv, 1.0, np.where(xv < yv, 0.0, np.where(xv == yv, 0.5, 1.0)))


def maximum_rule(g, x, y, out, c, need=BOTH):
    xv, yv = val(x), val(y)
    return (weighted(g, _max_weights(xv, yv)) if need[0] else None,
            weighted(g, _max_weights(yv, xv)) if need[1] else None)


def minimum_rule(g, x, y, out, c, need=BOTH):
    xv, yv = val(x), val(y)
    return (weighted(g, _max_weights(yv, xv)) if need[0] else None,
            weighted(g, _max_weights(xv, yv)) if need[1] else None)


def atan2_rule(g, x, y, out, c, need=BOTH):
    r = x * x + y * y
    if not np.any(val(r) == 0):
        # (torch's atan2_backward: grad * other * recip, grad * -self * recip: MulBackward0 nodes)
        recip = r.reciprocal()
        return (g * y * recip if need[0] else None), (g * -x * recip if need[1] else None)
    # torch zeroes 1/r at the origin, keeping the signs of y and -x: the factor
    # is picked, so g's own gradient there is finite (torch: g * y * masked 1/r)
    # and only x, y get the nan of 0 / 0
    zero = np.broadcast_to(val(r) == 0, r.shape)
    return (g * pick(zero, y * 0.0, y / r) if need[0] else None,
            -g * pick(zero, x * 0.0, x / r) if need[1] else None)


def gelu_rule(g, x, y, out, c):
    cdf = 0.5 * (1.0 + (x * (1.0 / math.sqrt(2.0))).erf())
    pdf = (-0.5 * x * x).exp() * (1.0 / math.sqrt(2.0 * math.pi))
    return rename(g * (cdf + x * pdf), "GeluBackwardBackward0"), None


def silu_rule(g, x, y, out, c):
    s = x.sigmoid()
    return g * s * (1.0 + x * (1.0 - s)), None


def xlogy_rule(g, x, y, out, c, need=BOTH):
    # torch: xlogy(g, y) (0 for g == 0), masked_fill'ed with 0 where x == 0 and y <= 0; d/dy = g x / y.
    dx = dy = None
    if need[0]:
        xv, yv = np.broadcast_arrays(val(x), val(y))
        dx = rename(pick(np.broadcast_to((xv == 0) & (yv <= 0), g.shape), g.new_zeros(g.shape), g.xlogy(y)),
                    "MaskedFillBackward0")
    if need[1]:
        dy = g * x / y
    return dx, dy


def hypot_rule(g, x, y, out, c, need=BOTH):
    return (g * x / out if need[0] else None), (g * y / out if need[1] else None)


def logaddexp_rule(g, x, y, out, c, need=BOTH):
    return (g / (1.0 + (y - x).exp()) if need[0] else None), (g / (1.0 + (x - y).exp()) if need[1] else None)


def logaddexp2_rule(g, x, y, out, c, need=BOTH):
    return (g / (1.0 + (y - x).exp2()) if need[0] else None), (g / (1.0 + (x - y).exp2()) if need[1] else None)


def copysign_rule(g, x, y, out, c, need=BOTH):
    # torch: d/dx = out / x, 0 at x == 0 (a function of x: it carries a
    # graph, with derivative zero); y gets a zero gradient.
    xv, ov = np.broadcast_arrays(val(x), val(out))
    with np.errstate(all="ignore"):
        w = np.where(xv == 0, 0.0, ov / xv)
    return (g * live_mask(w, x) if need[0] else None), (g * 0.0 if need[1] else None)


def fmod_rule(g, x, y, out, c, need=BOTH):
    # torch: d/dy = -trunc(x / y), a step function (its own derivative is zero).
    return (g * 1.0 if need[0] else None), (-g * x.div(y, rounding_mode="trunc") if need[1] else None)


def remainder_rule(g, x, y, out, c, need=BOTH):
    return (g * 1.0 if need[0] else None), (-g * x.div(y, rounding_mode="floor") if need[1] else None)


def sinc_rule(g, x, y, out, c):
    # torch: (cos(pi x) * pi x - sin(pi x)) / (x x pi), 0 where x x pi is 0.
    px = x * math.pi
    xxpi = x * x * math.pi
    d = ((px.cos() * px - px.sin()) / xxpi)
    return pick(np.broadcast_to(val(xxpi) == 0, g.shape), g * 0.0, g * d), None


def logit_rule(g, x, y, out, c):
    # torch: 1 / (x (1 - x)), nan outside [0, 1]; with eps (c >= 0) zero outside [eps, 1 - eps].
    d = g / (x * (1.0 - x)).abs()      # +inf at -0.0, as torch
    xv = val(x)
    if c >= 0:
        return pick(np.broadcast_to((xv < c) | (xv > 1.0 - c), g.shape), g * 0.0, d), None
    # (a constant nan: g * nan would send nan * 0 back into g's graph at second order)
    return pick(np.broadcast_to((xv < 0) | (xv > 1), g.shape), g.new_zeros(g.shape) + math.nan, d), None
