"""jitgrad.autograd.functional: jacobian, hessian, vjp, jvp, hvp, vhp with
torch.autograd.functional's signatures, argument handling and nesting.

Jacobians sweep all output rows at once through the batched reverse sweep
(reverse mode) or push all input directions through one tangent sweep
(forward mode); `vectorize` is accepted for compatibility and changes nothing.
"""
import numpy as np

from .. import kernels as K
from .. import tape as T
from ..grad_mode import enable_grad
from ..tensor import Tensor
from . import grad as _grad
from . import sweep_columns


def _as_tuple(x, arg, fn):
    if isinstance(x, Tensor):
        return False, (x,)
    if isinstance(x, (tuple, list)):
        for i, el in enumerate(x):
            if not isinstance(el, Tensor):
                raise TypeError(f"The {arg} given to {fn} must be either a Tensor or a tuple of Tensors "
                                f"but the value at index {i} has type {type(el)}.")
        return True, tuple(x)
    raise TypeError(f"The {arg} given to {fn} must be either a Tensor or a tuple of Tensors but the "
                    f"given {arg} has type {type(x)}.")


def _post(res, is_tuple):
    """Undo the tuple-wrapping: one level, or two for (outputs, inputs)."""
    if isinstance(is_tuple, tuple):
        out_t, in_t = is_tuple
        if not out_t:
            res = res[0]
            return res if in_t else res[0]
        return tuple(r if in_t else r[0] for r in res)
    return res if is_tuple else res[0]


def _prepare(inputs, create_graph):
    """Fresh leaves standing for the inputs (kept in the graph with create_graph)."""
    out = []
    for x in inputs:
        if create_graph and x.requires_grad:
            out.append(x.view_as(x))
        else:
            out.append(x.detach().requires_grad_(True))
    return tuple(out)


def _check_outputs(outs, fn):
    for i, o in enumerate(outs):
        if not isinstance(o, Tensor):
            raise TypeError(f"The outputs of the user-provided function given to {fn} must be either a "
                            f"Tensor or a tuple of Tensors but the value at index {i} has type {type(o)}.")


def _zeros(shape, dtype):
    return Tensor._wrap(np.zeros(shape, dtype.np), dtype)


def _strict_error(i, j):
    raise RuntimeError(f"Output {i} of the user-provided function is independent of input {j}. "
                       "This is not allowed in strict mode.")


def _detach_all(ts, create_graph):
    return tuple(t if create_graph else t.detach() for t in ts)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    if strategy not in ("reverse-mode", "forward-mode"):
        raise ValueError('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
                         'function has more outputs than inputs, "forward-mode" tends to be more performant. '
                         'Otherwise, prefer to use "reverse-mode".')
    in_tuple, ins = _as_tuple(inputs, "inputs", "jacobian")
    with enable_grad():
        xs = _prepare(ins, create_graph)
        T.STATE.tape = T.dead        # the function records on a tape of its own
        start = next(T._serials)
        outs = func(*xs)
    out_tuple, outs = _as_tuple(outs, "outputs of the user-provided function", "jacobian")
    _check_outputs(outs, "jacobian")
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError("torch.autograd.functional.jacobian: `strategy=\"forward-mode\"` "
                                      "is not supported with create_graph=True")
        res = _jacobian_forward(xs, outs, start, strict)
    elif create_graph:
        res = _jacobian_create_graph(xs, outs, strict)
    else:
        res = []
        for i, o in enumerate(outs):
            if not o.requires_grad:
                if strict:
                    _strict_error(i, 0)
                res.append(tuple(_zeros(tuple(o.shape) + tuple(x.shape), x.dtype) for x in xs))
                continue
            seeds = np.eye(o.numel())
            found = sweep_columns([o], [seeds], list(xs), retain_graph=True)
            row = []
            for j, (x, g) in enumerate(zip(xs, found)):
                if g is None:
                    if strict:
                        _strict_error(i, j)
                    row.append(_zeros(tuple(o.shape) + tuple(x.shape), x.dtype))
                else:
                    row.append(Tensor._wrap(g.T.reshape(tuple(o.shape) + tuple(x.shape)).astype(x.dtype.np), x.dtype))
            res.append(tuple(row))
    return _post(tuple(res), (out_tuple, in_tuple))


def _jacobian_create_graph(xs, outs, strict):
    from .. import functions as F
    res = []
    for i, o in enumerate(outs):
        rows = [[] for _ in xs]
        flat = F.reshape(o, (-1,))
        for r in range(o.numel()):
            gs = _grad(flat[r], xs, retain_graph=True, create_graph=True, allow_unused=True) \
                if o.requires_grad else (None,) * len(xs)
            for j, (x, g) in enumerate(zip(xs, gs)):
                if g is None and strict:
                    _strict_error(i, j)
                rows[j].append(_zeros(x.shape, x.dtype) if g is None else g)
        res.append(tuple(F.reshape(F.stack(rj), tuple(o.shape) + tuple(x.shape)) if rj
                         else _zeros(tuple(o.shape) + tuple(x.shape), x.dtype)
                         for x, rj in zip(xs, rows)))
    return tuple(res)


def _jacobian_forward(xs, outs, start, strict):
    sizes = [x.numel() for x in xs]
    total = sum(sizes)
    seeds, off = [], 0
    for n in sizes:
        s = np.zeros((n, total))
        s[np.arange(n), off + np.arange(n)] = 1.0
        seeds.append(s)
        off += n
    tans = forward_tangents(xs, seeds, outs, start)
    res = []
    for i, (o, t) in enumerate(zip(outs, tans)):
        row, off = [], 0
        for j, (x, n) in enumerate(zip(xs, sizes)):
            block = t[:, off:off + n]
            if strict and not block.any() and not _depends(o, x):
                _strict_error(i, j)
            row.append(Tensor._wrap(block.reshape(tuple(o.shape) + tuple(x.shape)).astype(x.dtype.np), x.dtype))
            off += n
        res.append(tuple(row))
    return tuple(res)


def _depends(o, x):
    return bool(o.requires_grad) and o is not None and x is not None and True


def forward_tangents(xs, seeds, outs, start):
    """Forward mode: tangents (n_out x K) of `outs` when input xs[i] moves
    along seeds[i] (n_in x K), by tangent sweeps over the tapes recorded
    since serial `start`."""
    k = seeds[0].shape[1]
    by_leaf = {id(x): s for x, s in zip(xs, seeds)}
    tapes = _tapes_since(outs, start)
    done = {}
    for tape in sorted(tapes, key=lambda tp: tp.serial):
        rec, vals, meta, _ = tape.arrays()
        tan = np.zeros((len(vals), k))
        for leaf, older, older_slot, slot, n in tape.inputs:
            if leaf is not None:
                t = leaf()
                if t is not None and id(t) in by_leaf:
                    tan[slot:slot + n] = by_leaf[id(t)]
            elif older in done:
                tan[slot:slot + n] = done[older][older_slot:older_slot + n]
        r = 0
        while r < len(rec):
            h = K.tangent_sweep(rec, vals, meta, tan, r, len(rec) - 1)
            if h < 0:
                break
            tape.host[h].jvp(tan, vals)
            r = h + 1
        done[tape] = tan
    res = []
    for o in outs:
        if o._name is None:
            res.append(by_leaf.get(id(o), np.zeros((o.numel(), k))).copy())
        elif o._tape in done:
            res.append(done[o._tape][o._slot:o._slot + o.numel()].copy())
        else:
            res.append(np.zeros((o.numel(), k)))
    return res


def _tapes_since(outs, start):
    seen, stack = set(), [o._tape for o in outs if o._name is not None and o._tape is not None]
    while stack:
        tape = stack.pop()
        if tape in seen or tape.serial < start:
            continue
        seen.add(tape)
        stack.extend(older for _, older, _, _, _ in tape.inputs if older is not None)
    return seen


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    in_tuple, ins = _as_tuple(inputs, "inputs", "hessian")

    def jac_func(*xs):
        out = func(*xs)
        if not isinstance(out, Tensor):
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should contain a single element")
        if not out.requires_grad:
            if strict:
                raise RuntimeError("The output of the user-provided function is independent of input 0. "
                                   "This is not allowed in strict mode.")
            return tuple(_zeros(x.shape, x.dtype) for x in xs)
        gs = _grad(out.reshape(()), xs, create_graph=True, allow_unused=True)
        res = []
        for j, (x, g) in enumerate(zip(xs, gs)):
            if g is None:
                if strict:
                    raise RuntimeError(f"The output of the user-provided function is independent of input {j}. "
                                       "This is not allowed in strict mode.")
                g = _zeros(x.shape, x.dtype)
            res.append(g)
        return tuple(res)

    res = jacobian(jac_func, ins, create_graph=create_graph, strict=strict, vectorize=vectorize,
                   strategy=outer_jacobian_strategy)
    return _post(res, (in_tuple, in_tuple))


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    in_tuple, ins = _as_tuple(inputs, "inputs", "vjp")
    with enable_grad():
        xs = _prepare(ins, create_graph)
        outs = func(*xs)
    out_tuple, outs = _as_tuple(outs, "outputs of the user-provided function", "vjp")
    _check_outputs(outs, "vjp")
    vs = _check_v(v, outs, "vjp", "outputs of the user-provided function")
    diff = [i for i, o in enumerate(outs) if o.requires_grad]
    if diff:
        gs = _grad([outs[i] for i in diff], xs, [vs[i] for i in diff], create_graph=create_graph,
                   retain_graph=True, allow_unused=True)
    else:
        gs = (None,) * len(xs)
    res = []
    for j, (x, g) in enumerate(zip(xs, gs)):
        if g is None:
            if strict:
                raise RuntimeError(f"The output of the user-provided function is independent of input {j}. "
                                   "This is not allowed in strict mode.")
            g = _zeros(x.shape, x.dtype)
        res.append(g)
    return _post(_detach_all(outs, create_graph), out_tuple), _post(tuple(res), in_tuple)


def _check_v(v, ref, fn, what):
    if v is None:
        if len(ref) != 1 or ref[0].numel() != 1:
            raise RuntimeError(f"The vector v can only be None if the {what} is a single Tensor with a "
                               "single element." if fn != "vjp" else
                               "The vector v can only be None if the user-provided function returns a "
                               "single Tensor with a single element.")
        return (Tensor._wrap(np.ones(ref[0].shape, ref[0].dtype.np), ref[0].dtype),)
    _, vs = _as_tuple(v, "v", fn)
    if len(vs) != len(ref):
        raise RuntimeError(f"v is a tuple of invalid length: should be {len(ref)} but got {len(vs)}.")
    for i, (a, b) in enumerate(zip(vs, ref)):
        if a.shape != b.shape:
            raise RuntimeError(f"Entry {i} in v has invalid size: should be {b.shape} but got {a.shape}."
                               .replace("jitgrad.Size", "torch.Size"))
    return vs


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    in_tuple, ins = _as_tuple(inputs, "inputs", "jvp")
    vs = _check_v(v, ins, "jvp", "input to the user-provided function")
    if create_graph:
        return _jvp_double_backward(func, ins, vs, in_tuple, strict)
    with enable_grad():
        xs = _prepare(ins, False)
        T.STATE.tape = T.dead
        start = next(T._serials)
        outs = func(*xs)
    out_tuple, outs = _as_tuple(outs, "outputs of the user-provided function", "jvp")
    _check_outputs(outs, "jvp")
    seeds = [np.asarray(vv._data(), np.float64).reshape(-1, 1) for vv in vs]
    tans = forward_tangents(xs, seeds, outs, start)
    res = []
    for i, (o, t) in enumerate(zip(outs, tans)):
        if strict and not o.requires_grad:
            raise RuntimeError(f"The output of the user-provided function is independent of input {i}. "
                               "This is not allowed in strict mode.")
        res.append(Tensor._wrap(t[:, 0].reshape(o.shape).astype(o.dtype.np), o.dtype))
    return _post(_detach_all(outs, False), out_tuple), _post(tuple(res), out_tuple)


def _jvp_double_backward(func, ins, vs, in_tuple, strict):
    # The double-backward trick keeps the result differentiable.
    from .. import functions as F
    with enable_grad():
        xs = _prepare(ins, True)
        outs = func(*xs)
    out_tuple, outs = _as_tuple(outs, "outputs of the user-provided function", "jvp")
    us = tuple(F.zeros_like(o).requires_grad_(True) for o in outs)
    gs = _grad(outs, xs, us, create_graph=True, allow_unused=True)
    pairs = [(g, vv) for g, vv in zip(gs, vs) if g is not None]
    res = _grad([g for g, _ in pairs], us, [vv for _, vv in pairs], create_graph=True, allow_unused=True) \
        if pairs else (None,) * len(us)
    res = tuple(_zeros(o.shape, o.dtype) if r is None else r for o, r in zip(outs, res))
    return _post(outs, out_tuple), _post(res, out_tuple)


def _hvp_like(func, inputs, v, create_graph, strict, fn):
    in_tuple, ins = _as_tuple(inputs, "inputs", fn)
    vs = _check_v(v, ins, fn, "input to the user-provided function")
    with enable_grad():
        xs = _prepare(ins, True)
        out = func(*xs)
        if not isinstance(out, Tensor) or out.numel() != 1:
            raise RuntimeError(f"The function given to {fn} should return a single Tensor with a single element")
        if out.requires_grad:
            gs = _grad(out.reshape(()), xs, create_graph=True, allow_unused=True)
        else:
            gs = (None,) * len(xs)
        terms = [(g * vv).sum() for g, vv in zip(gs, vs) if g is not None and g.requires_grad]
        if terms:
            total = terms[0]
            for t in terms[1:]:
                total = total + t
            res = _grad(total, xs, create_graph=create_graph, allow_unused=True)
        else:
            res = (None,) * len(xs)
    res = tuple(_zeros(x.shape, x.dtype) if r is None else r for x, r in zip(xs, res))
    return (out if create_graph else out.detach()), _post(res, in_tuple)


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    return _hvp_like(func, inputs, v, create_graph, strict, "hvp")


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    return _hvp_like(func, inputs, v, create_graph, strict, "vhp")
