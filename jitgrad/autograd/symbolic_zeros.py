"""torch's ZeroTensor gradients in the create_graph walk (symbolic.py), as
the numeric sweep has them (kernels.REACH_ZERO, sweep._zero_tensor_record):
sgn's backward is a ZeroTensor, which the nodes that keep one (the op
table's keeps_zero; sum, norm, prod, permutes) pass on without their
multiply, so x.clamp(0).sqrt().sgn() differentiates to 0 at 0, not 0 * inf.
A ZeroTensor here is a tensor of zeros marked `_zero_tensor`; a real
gradient added to one replaces it (ZeroTensor + g is g)."""
from ..core import kernels as K
from ..core import ops as O
from ..core import oprules as R
from ..functional import functions as F


def zero_tensor(like, k: int, links=()):
    """torch's ZeroTensor gradient of k slots (0-d for one slot, as adjoints are):
    zeros, in the graph of `links` (the node's saved values, the incoming
    gradient: torch's backward formula multiplies them by the ZeroTensor, a
    zero that keeps their graph) with derivative zero: sgn(t) * 0, whose own
    backward is a ZeroTensor again (no 0 * inf at a second order)."""
    z = F.zeros((k,) if k != 1 else (), dtype=like.dtype)
    for t in links:
        if t is not None and t._rg:
            z = z + (t.sgn() * 0.0).nan_to_num(0.0, 0.0, 0.0).sum() if t.numel() != k else \
                z + F.reshape((t.sgn() * 0.0).nan_to_num(0.0, 0.0, 0.0), z.shape)
    return mark(z)


def mark(z):
    z.__dict__["_zero_tensor"] = True
    return z


def is_zero_tensor(g) -> bool:
    return g is not None and g.__dict__.get("_zero_tensor", False)


def summed(pieces):
    """The sum of an adjoint's pieces in order, with torch's ZeroTensor
    arithmetic: ZeroTensor + g is g, g + ZeroTensor adds +0.0, two
    ZeroTensors stay one; the sum is in the graph of each (AddBackward0)."""
    total = pieces[0]
    for p in pieces[1:]:
        if is_zero_tensor(p):
            total = mark(total + p if p._rg else total) if is_zero_tensor(total) else \
                total + p if p._rg else total + 0.0
        elif is_zero_tensor(total):
            # (g - (+0.0) is g, bit for bit: -0.0 stays)
            total = R.rename(p - total, "AddBackward0") if total._rg else p
        else:
            total = total + p
    return total


def contributions(op, n, a, b, m, ia, g, vals, real_vjp, result):
    """(slot, tensor) contributions of record `op` reached by a ZeroTensor
    `g` (or sgn's record, whose backward makes one), or None when every
    operand computes from its zeros (the caller's general rule then runs).
    `real_vjp(g)`: the record's contributions from a plain gradient;
    `result()`: the record's result (a proxy)."""
    if op >= K.N_ELEMENTWISE:
        if (op == K.SUM and float(vals[ia]) == 1.0) or (op == K.GATHER and b == K.GATHER_KEEPS_ZERO):
            return [(slot, mark(c)) for slot, c in real_vjp(g)]     # (an expand, a permute: no multiply)
        if op == K.NORM or op == K.PROD:
            return [(a, zero_tensor(g, m, (g, result())))]
        return None
    sign = op == K.SIGN and m & K.ZERO_TENSOR_GRAD
    keep = 1 if sign else int(O.KEEPS_ZERO[op]) | (1 if op == K.POW and m & K.POW_NUMBER else 0)
    if op == K.COPY and n == 1:
        keep = 0        # (x[i]: torch's select backward materialises it)
    with_b = b >= 0 and not (op == K.POW and (m & 8) == 0)
    kx, ky = bool(keep & 1), with_b and bool(keep & 2)
    zero_x = op == K.POW and not kx
    if not kx and not ky and not zero_x:
        return None
    na, nb = 1 if m & 1 else n, 1 if m & 2 else n
    need_x, need_y = b < 0 or bool(m & 4), with_b and bool(m & 8)
    materialised = (need_x and not kx and not zero_x) or (need_y and not ky)
    computed = dict(real_vjp(g)) if materialised else {}
    links = () if sign else (g, result())       # (sgn's own ZeroTensor is a factory's: no graph)
    res = []
    if need_x:
        if kx:
            res.append((a, zero_tensor(g, na, links)))
        elif zero_x:
            res.append((a, F.zeros((na,) if na != 1 else (), dtype=g.dtype)))
        elif a in computed:
            res.append((a, computed[a]))
    if need_y:
        if ky:
            res.append((b, zero_tensor(g, nb, links)))
        elif b in computed:
            res.append((b, computed[b]))
    return res
