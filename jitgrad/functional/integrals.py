"""torch's diff, trapezoid / trapz, cumulative_trapezoid and gradient (finite
differences with edge_order 1 or 2, spacing as numbers or coordinates),
composed from recorded slices and elementwise ops, with torch's errors."""
from __future__ import annotations

from . import functions as F
from . import more_ops as MO
from ..core import dtypes as D
from ..tensors.construct import tensor
from ..tensors.tensor import Tensor

_named = F._named


def _t(x) -> Tensor:
    return x if isinstance(x, Tensor) else tensor(x)


# ----- integrals ---------------------------------------------------------------------

def _ends(t: Tensor, d: int) -> tuple:
    """t without its last / first entry along d (empty when d is)."""
    head = (slice(None),) * d
    return t[head + (slice(None, -1),)], t[head + (slice(1, None),)]


def _x_steps(name: str, yt: Tensor, x, d: int) -> Tensor:
    """The steps of the sample points x, shaped to broadcast against y's differences along d:
    a vector lies along d, a lower-rank x gains leading dims (numpy's rule, differences first)."""
    xt = _t(x)
    if yt.dtype is D.bool_ or xt.dtype is D.bool_:
        raise RuntimeError(f"{name}: received a bool input for `x` or `y`, but bool is not supported")
    if xt.ndim == 1:
        if xt.shape[0] != yt.shape[d]:
            raise RuntimeError(f"{name}: There must be one `x` value for each sample point")
        xt = F.reshape(xt, tuple(xt.shape[0] if i == d else 1 for i in range(yt.ndim)))
    elif xt.ndim < yt.ndim:
        xt = F.reshape(xt, (1,) * (yt.ndim - xt.ndim) + tuple(xt.shape))
    left, right = _ends(xt, d)
    return right - left


def _dx_scalar(name: str, yt: Tensor, dx) -> float:
    if yt.dtype is D.bool_:
        raise RuntimeError(f"{name}: received a bool input for `y`, but bool is not supported")
    if isinstance(dx, (bool, complex)):
        raise RuntimeError(f"{name}: Currently, we only support dx as a real number.")
    return 1.0 if dx is None else float(dx)


def trapezoid(y, x=None, *, dx=None, dim: int = -1) -> Tensor:
    yt = _t(y)
    d = F._dim(dim, yt.ndim)
    if yt.shape[d] == 0:        # no samples: zeros (numpy's answer), y's shape without dim
        return F.zeros(tuple(s for i, s in enumerate(yt.shape) if i != d), dtype=yt.dtype)
    if x is not None:
        h = _x_steps("trapezoid", yt, x, d)
        left, right = _ends(yt, d)
        return _named(F.sum((left + right) * h, d) / 2., "DivBackward1")
    step = _dx_scalar("trapezoid", yt, dx)
    ends = F.select(yt, d, 0) + F.select(yt, d, -1)
    return _named((F.sum(yt, d) - _named(ends * 0.5, "MulBackward1")) * step, "MulBackward1")


trapz = trapezoid


def cumulative_trapezoid(y, x=None, *, dx=None, dim: int = -1) -> Tensor:
    yt = _t(y)
    d = F._dim(dim, yt.ndim)
    left, right = _ends(yt, d)
    if x is not None:
        h = _x_steps("cumulative_trapezoid", yt, x, d)
        return _named(F.cumsum((left + right) * h, d) / 2., "DivBackward1")
    step = _dx_scalar("cumulative_trapezoid", yt, dx)
    return F.cumsum(_named((left + right) * (step / 2.), "MulBackward1"), d)


def gradient(input, *, spacing=1, dim=None, edge_order: int = 1) -> tuple:
    """Central differences inside, one-sided (first or second order) at the edges; spacing a
    number per dim, or the coordinates of the points (uneven spacing, torch's formulas)."""
    x = _t(input)
    dims = list(range(x.ndim)) if dim is None else [dim] if isinstance(dim, int) else list(dim)
    dims = [F._dim(d, x.ndim) for d in dims]
    for i, d in enumerate(dims):
        if d in dims[:i]:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    steps = list(spacing) if isinstance(spacing, (list, tuple)) else [spacing] * len(dims)
    if dim is None and len(steps) != x.ndim:
        raise RuntimeError("torch.gradient expected spacing to be unspecified, a scalar, or a list of length equal to "
                           f"'self.dim() = {x.ndim}', since dim argument was not given, but got a list of length "
                           f"{len(steps)}")
    if len(steps) != len(dims):
        raise RuntimeError(f"torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim "
                           f"arguments to have the same length, but got a spacing argument of length {len(steps)} "
                           f"and a dim argument of length {len(dims)}.")
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    for d in dims:
        if x.shape[d] < edge_order + 1:
            raise RuntimeError("torch.gradient expected each dimension size to be at least edge_order+1")
    out = []
    if isinstance(spacing, (list, tuple)) and isinstance(steps[0], Tensor):
        # a list of tensors holds coordinates: a 0-d one is refused, not read as a step
        for h in steps:
            if not isinstance(h, Tensor) or h.ndim != 1:
                got = h.ndim if isinstance(h, Tensor) else 0
                raise RuntimeError("torch.gradient expected each element of spacing to have one dimension, but got an "
                                   f"element with {got} dimensions!")
    for d, h in zip(dims, steps):
        if isinstance(h, Tensor):
            if h.ndim:
                out.append(_gradient_coordinates(x, h, d, edge_order))
                continue
            h = h.item()
        n = x.shape[d]

        def at(i, length=1):
            return F.narrow(x, d, i, length)
        # (torch's nodes of a number: MulBackward1 / DivBackward1, which save no tensor)
        inner = _over(_over(at(2, n - 2) - at(0, n - 2), h), 2.0)
        if edge_order == 1:
            first, last = _over(at(1) - at(0), h), _over(at(n - 1) - at(n - 2), h)
        else:
            first = _over(_times(at(0), -1.5) + _times(at(1), 2.0) - _times(at(2), 0.5), h)
            last = _over(_times(at(n - 3), 0.5) - _times(at(n - 2), 2.0) + _times(at(n - 1), 1.5), h)
        out.append(F.cat([first, inner, last], d))
    return tuple(out)


def _times(x, c):
    return _named(x * c, "MulBackward1")


def _over(x, c):
    return _named(x / c, "DivBackward1")


def _gradient_coordinates(x, coords, d, edge_order):
    """torch's gradient along dim d at the points `coords` (its second-order
    formulas for uneven spacing, aten's gradient_helper)."""
    shape = [1] * x.ndim
    shape[d] = -1
    h = diff(coords)
    h1, h2 = h[:-1], h[1:]

    def along(t):
        return F.reshape(t, tuple(shape))

    def at(i, length=1):
        return F.narrow(x, d, i if i >= 0 else x.shape[d] + i, length)
    n = x.shape[d]
    center = (along(-h2 / (h1 * (h1 + h2))) * at(0, n - 2) + along((h2 - h1) / (h1 * h2)) * at(1, n - 2)
              + along(h1 / (h2 * (h1 + h2))) * at(2, n - 2))
    if edge_order == 1:
        first, last = (at(1) - at(0)) / h[0], (at(-1) - at(-2)) / h[-1]
    else:
        a, b = h[0], h[1]
        first = (-(2.0 * a + b) / (a * (a + b)) * at(0) + (a + b) / (a * b) * at(1) + (-a) / (b * (a + b)) * at(2))
        a, b = h[-1], h[-2]
        last = (a / (b * (a + b)) * at(-3) - (a + b) / (a * b) * at(-2) + (2 * a + b) / (a * (a + b)) * at(-1))
    return F.cat([first, center, last], d)


def diff(input, n: int = 1, dim: int = -1, prepend=None, append=None) -> Tensor:
    """n-th forward difference along dim."""
    x = _t(input)
    if x.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = F._dim(dim, x.ndim)
    parts = [p for p in (prepend, x, append) if p is not None]
    if len(parts) > 1:
        x = F.cat([_t(p) for p in parts], d)
    for _ in range(n):
        m = x.shape[d]
        if m == 0:
            break
        hi, lo = F.narrow(x, d, 1, m - 1), F.narrow(x, d, 0, m - 1)
        x = MO.logical_xor(hi, lo) if x.dtype is D.bool_ else hi - lo
    return x
