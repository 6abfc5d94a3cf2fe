"""vmap's points of one compiled value-and-grad tape at once.

Every point replays the same records, so each run of records between two
host records is one Numba call for all points (kernels.forward_points /
sweep_points, each point its row of a (points, slots) array), and each
matmul host record is one stacked NumPy product for all points instead of
one per point. Each point's products are the ones its own replay makes
(the same BLAS routine per matrix pair: a 1-D operand stays a row or a
column of its own matrix; eager mode's memory layouts, as
blas_records.numpy_product). Other host records run point by point.
"""
import math
import weakref

import numpy as np

from . import blas_records as BR
from ..autodiff.host_ops import ReplayHost
from ..autodiff.matmul import MatmulBackward, products_only, single_column_plan
from ..core import kernels as K
from ..core.arrays import quiet
from ..core.grad_mode import ANOMALY
from .compiler import _host_forward as one_host_forward
from .program import partials


def batchable(e) -> bool:
    """Whether tape e's value and gradient can run all points at once: no
    random draws (each point draws in turn). (Select records rewrite index
    maps: each point its own row of them; host records read none.)"""
    return e.first_scalar >= 0 and _points_replay(e)


def _points_replay(e) -> bool:
    return e.mode == "replay" and not e.draws and not ANOMALY.enabled


def value_and_grad_points(e, leaves, rows: dict, argnums) -> tuple | None:
    """(V, grads) of tape e at B points: `leaves` the tensor arguments of
    one point, rows {j: (B, *shape) array} the values of leaf j at each
    point; V (B, slots) every point's values, grads [(B, *shape) array per
    argnum]. None where a guard flips at some point or a sweep stops
    otherwise (the caller replays point by point and reports it)."""
    got = _values(e, leaves, rows)
    return None if got is None else _value_and_grad(e, *got, argnums)


def same_structure(a, b) -> bool:
    """Whether tapes a and b run the same records on the same slots (the
    tapes of vmap's integer groups: cross_entropy's targets differ only in
    index maps and constants), so that one batch runs both, each point with
    its own tape's values and index maps. Kept per pair: what it compares is
    fixed once a tape is built (every vmap call asked again for each group,
    ~25 us a pair), except a matmul's constant operand: not kept then."""
    seen = _SAME.get(a)
    hit = None if seen is None else seen.get(id(b))
    if hit is not None and hit[0]() is b:
        return hit[1]
    same = _same_structure(a, b)
    if not any(getattr(h, f, None) is not None for e in (a, b) for h in e.host.values() for f in ("aval", "bval")):
        if seen is None:
            seen = _SAME[a] = {}
        elif len(seen) >= 256:
            seen.clear()
        seen[id(b)] = (weakref.ref(b), same)
    return same


_SAME: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()    # tape a -> {id(b): (ref to b, verdict)}


def _same_structure(a, b) -> bool:
    if not (a.rec.shape == b.rec.shape and np.array_equal(a.rec, b.rec) and np.array_equal(a.fmode, b.fmode)
            and a.vals0.size == b.vals0.size and a.meta.size == b.meta.size and a.outs == b.outs
            and a.args == b.args and a.first_scalar == b.first_scalar and a.host.keys() == b.host.keys()
            and all(np.array_equal(x, y) for x, y in zip(a.guards, b.guards))
            and (a.freed is None) == (b.freed is None) and (a.freed is None or np.array_equal(a.freed, b.freed))):
        return False
    for r, h in a.host.items():
        g = b.host[r]
        if _matmul(h) is None or _matmul(g) is None:
            return False
        for f in ("a", "b", "out", "ashape", "bshape", "oshape", "arg", "brg", "exact", "layout"):
            if getattr(h, f, None) != getattr(g, f, None):
                return False
        for f in ("aval", "bval"):
            x, y = getattr(h, f, None), getattr(g, f, None)
            if (x is None) != (y is None) or x is not None and not np.array_equal(x, y):
                return False
    return True


def value_and_grad_groups(parts, B: int, argnums) -> tuple | None:
    """value_and_grad_points of tapes of one structure (same_structure) at
    B points together: parts [(tape, leaves, rows, point indices)], each
    point its tape's values (_fill) and index maps. (V, grads) in point order."""
    e0 = parts[0][0]
    V = np.empty((B, e0.vals0.size))
    META = np.empty((B, e0.meta.size), np.int64)
    for e, leaves, rows, idx in parts:
        V[idx] = e._fill(leaves, draw=False)
        META[idx] = e.meta
        for j, r in rows.items():
            slot, n = e.args[j][0], e.args[j][1]
            if slot >= 0:
                V[idx, slot:slot + n] = r.reshape(len(idx), n)
    if not _forward(e0, V, META):
        return None
    return _value_and_grad(e0, V, META, argnums)


def _value_and_grad(e, V, META, argnums):
    B, S = V.shape
    ADJ = np.zeros((B, S, 1))
    REACH = np.zeros((B, S), np.uint8)
    ADJ[:, e.first_scalar, 0] = 1.0
    REACH[:, e.first_scalar] = 1
    if not _reverse(e, V, META, ADJ, REACH, _host_backward):
        return None
    grads = []
    for i in argnums:
        slot, n, shape, dt, rg = e.args[i]
        if slot < 0:
            grads.append(np.zeros((B,) + tuple(shape), dt.np))
        else:
            g = np.where(REACH[:, slot:slot + n] != 0, ADJ[:, slot:slot + n, 0], 0.0)
            grads.append(g.astype(dt.np).reshape((B,) + tuple(shape)))
    return V, grads


def jacobian_points(e, leaves, rows: dict, argnums) -> list | None:
    """vmap(jacrev(f)): the Jacobian of tape e's one output (shape out) with
    respect to each argument in argnums at B points, [(B, *out, *arg)
    array per argnum], one reverse sweep of all output elements per point
    (as eager jacrev's rows); None where the points can't run together."""
    if not (_points_replay(e) and len(e.outs) == 1 and e.outs[0][0] == "slot"):
        return None
    _, oslot, n_out, oshape, odt, name, rg = e.outs[0]
    got = _values(e, leaves, rows)
    if got is None or n_out == 0:
        return None
    V, META = got
    B, S = V.shape
    ADJ = np.zeros((B, S, n_out))
    REACH = np.zeros((B, S), np.uint8)
    ADJ[:, oslot + np.arange(n_out), np.arange(n_out)] = 1.0
    REACH[:, oslot:oslot + n_out] = 1
    # (one output element: matmul records' stacked single-column reverse, as value_and_grad_points)
    if not _reverse(e, V, META, ADJ, REACH, _host_backward if n_out == 1 else _host_backward_each):
        return None
    out = []
    for i in argnums:
        slot, n, shape, dt, arg_rg = e.args[i]
        shape = tuple(shape)
        if slot < 0:
            out.append(np.zeros((B,) + tuple(oshape) + shape, dt.np))
            continue
        g = np.where(REACH[:, slot:slot + n, None] != 0, ADJ[:, slot:slot + n, :], 0.0)
        out.append(np.swapaxes(g, 1, 2).astype(dt.np).reshape((B,) + tuple(oshape) + shape))
    return out


def _values(e, leaves, rows):
    """(every point's slots (B, S) after the forward, the index maps: a row
    per point where select records rewrite them, else one), or None where a
    guard flips at some point."""
    B = next(iter(rows.values())).shape[0]
    V = np.empty((B, e.vals0.size))
    V[:] = e._fill(leaves, draw=False)
    for j, r in rows.items():
        slot, n = e.args[j][0], e.args[j][1]
        if slot >= 0:
            V[:, slot:slot + n] = r.reshape(B, n)
    META = np.tile(e.meta, (B, 1)) if e.dyn_meta else e.meta[None, :]
    return (V, META) if _forward(e, V, META) else None


def _forward(e, V, META) -> bool:
    """Tape e's forward at every point (rows of V, their index maps META);
    False where a guard flips at some point."""
    rec, fmode = e.rec, e.fmode
    prog = e.program()
    pd = partials(prog)
    nrec = len(rec)
    lo = 0
    while True:
        h = K.forward_points(prog, rec, V, META, fmode, pd, lo, nrec)
        if h < 0:
            break
        _host_forward(e, h, V)
        lo = h + 1
    ga, gb, gk, gc, gw, gs = e.guards
    return not (ga.size and K.guards_points(V, ga, gb, gk, gc, gw) >= 0)


def _reverse(e, V, META, ADJ, REACH, host_backward) -> bool:
    """The reverse sweep at every point from the seeds in ADJ; False where it
    stops otherwise than at host records (freed or overwritten values)."""
    r = len(e.rec) - 1
    while r >= 0:
        status, r = K.sweep_points(e.rec, V, META, ADJ, REACH, e.freed, r)
        if status == K.DONE:
            return True
        if status != K.AT_HOST:
            return False
        host_backward(e, r, V, ADJ, REACH)
        r -= 1
    return True


def _host_backward_each(e, r, V, ADJ, REACH):
    """A host record's backward for every adjoint column, point by point."""
    h = e.host[r]
    for q in range(V.shape[0]):
        h.backward(ADJ[q], V[q], REACH[q])


def _matmul(h):
    """Host record h when a stacked product replays it (a plain matmul record)."""
    if type(h) is not MatmulBackward or getattr(h, "fold", None) is not None \
            or getattr(h, "const_info", None) is not None:
        return None
    return h


def _host_forward(e, r, V):
    h = _matmul(e.host.get(r))
    if h is None:       # (the per-point replay's own host forward)
        from_plan = e.blas.get(r)
        f32 = bool(e.fmode[r] & K.FM_R32)
        for p in range(V.shape[0]):
            if from_plan is not None and not isinstance(e.host[r], ReplayHost):
                from_plan.run(V[p], f32)
            else:
                one_host_forward(e, r, V[p])
        return
    dt = np.float32 if e.fmode[r] & K.FM_R32 else np.float64
    ashape, bshape = tuple(h.ashape), tuple(h.bshape)
    B = V.shape[0]
    if getattr(h, "exact", False) or products_only(ashape, bshape):
        nd = max(len(ashape), len(bshape))
        A = _operand(h.a, h.aval, ashape, V, dt, nd)
        Bm = _operand(h.b, h.bval, bshape, V, dt, nd)
        res = A * Bm        # (as eager mode: the products as they are, -0.0 kept)
    else:
        a2 = (1,) + ashape if len(ashape) == 1 else ashape
        b2 = bshape + (1,) if len(bshape) == 1 else bshape
        nd = max(len(a2), len(b2))
        A = _operand(h.a, h.aval, a2, V, dt, nd)
        Bm = _operand(h.b, h.bval, b2, V, dt, nd)
        layout = getattr(h, "layout", None)
        if layout is not None:
            if len(ashape) >= 2:
                A = BR._laid_out(A, layout[0])
            if len(bshape) >= 2:
                Bm = BR._laid_out(Bm, layout[1])
        with quiet():
            res = np.matmul(A, Bm)
    n = math.prod(h.oshape)
    V[:, h.out:h.out + n] = np.asarray(res, dt).reshape(B, n)


def _operand(slot, const, shape, V, dt, nd):
    """A matmul operand at every point: (B, 1.., *shape) from the slots, so
    that each point's matrix meets its own; a constant as it is."""
    if slot < 0:
        return np.asarray(const, np.float64).reshape(shape).astype(dt)
    B = V.shape[0]
    return V[:, slot:slot + math.prod(shape)].reshape((B,) + (1,) * (nd - len(shape)) + shape).astype(dt)


def _host_backward(e, r, V, ADJ, REACH):
    h = e.host[r]
    p = single_column_plan(h)
    if p is None:
        for q in range(V.shape[0]):
            h.backward(ADJ[q], V[q], REACH[q])
        return
    m, n_p, a_mul, b_mul = p
    B = V.shape[0]
    ashape, bshape = tuple(h.ashape), tuple(h.bshape)
    a2 = (1,) + ashape if len(ashape) == 1 else ashape
    b2 = bshape + (1,) if len(bshape) == 1 else bshape
    A2 = _operand64(h.a, h.aval, a2, V)
    B2 = _operand64(h.b, h.bval, b2, V)
    G = ADJ[:, h.out:h.out + m * n_p, 0].reshape(B, m, n_p)
    with quiet():       # (inf * 0: nan, as torch, without NumPy's warning)
        if h.arg:
            Bt = np.swapaxes(B2, -1, -2)
            _assign_or_add(ADJ, REACH, h.a, G * Bt if a_mul else G @ Bt)
        if h.brg:
            At = np.swapaxes(A2, -1, -2)
            _assign_or_add(ADJ, REACH, h.b, At * G if b_mul else At @ G)


def _operand64(slot, const, shape, V):
    """As MatmulBackward.operands reads an operand (its float64 slots), at every point."""
    if slot < 0:
        return np.asarray(const).reshape(shape)
    return V[:, slot:slot + math.prod(shape)].reshape((V.shape[0],) + shape)


def _assign_or_add(ADJ, REACH, slot, g):
    """matmul._assign_or_add at every point: added where reached, else assigned."""
    g = g.reshape(ADJ.shape[0], -1)
    n = g.shape[1]
    seg = ADJ[:, slot:slot + n, 0]
    ADJ[:, slot:slot + n, 0] = np.where(REACH[:, slot:slot + n] != 0, seg + g, g)
    REACH[:, slot:slot + (n or 1)] = 1
