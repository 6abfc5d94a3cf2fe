"""create_graph's walk (symbolic.py): where a gradient leaves it. A hooked
or retained non-leaf's adjoint is complete just before the last record
writing it (`_stops`, `_at_stop`); a non-leaf input of autograd.grad is
collected there (`_collect_nonleaf`); a leaf's summed gradient goes through
its hooks into `.grad` or grad()'s results (`_deliver_leaf`)."""
import numpy as np

from ..autodiff import engine
from ..functional import functions as F
from ..tensors.tensor import keep_name


def _stops(tape, rec):
    """record index -> non-leaf tensors with hooks or retain_grad() whose
    adjoint is complete just before that record (the last one writing them)."""
    nodes = engine.NODE_HOOKS.get(tape)
    if nodes and any(h is not None and (h.fns or h.pre) for h in (ref() for ref in nodes.values())):
        # (this walker has no node-hook stops: an error, never a hook silently skipped)
        raise NotImplementedError("jitgrad: hooks on graph nodes (grad_fn.register_hook / register_prehook) are "
                                  "not supported with create_graph=True; use Tensor.register_hook")
    stops, seen = {}, set()
    for ref in list(tape.hooked) + list(tape.retained):
        t = ref()
        if t is None or t._tape is not tape or t._name is None or id(t) in seen:
            continue
        seen.add(id(t))
        hits = np.nonzero(engine.writes(rec, t))[0]
        if hits.size:
            stops.setdefault(int(hits[-1]), []).append(t)
    return stops


def _at_stop(tensors, adjs):
    for t in tensors:
        g = adjs.take(t._slot, t.numel())
        if g is None:
            continue
        if t._hooks:
            given = shaped_like(g, t)       # (torch's gradient has the tensor's dtype)
            res = _run_hooks(t, given)
            if res is not given:
                g = _flat(res)
        if t._retains:
            kept = shaped_like(g, t)
            if kept._rg and t._grad is None:
                kept._name = "CloneBackward0"    # torch keeps a clone
            with engine.GRAD_LOCK:
                engine.GA.journal(t)
                t._grad = kept if t._grad is None else t._grad + kept
        adjs.add(t._slot, g)


def _flat(g):
    return keep_name(F.reshape(g, (-1,)), g)


def _run_hooks(t, g):
    """t's hooks in registration order; a returned tensor replaces g."""
    for hook in list(t._hooks):
        res = hook(g)
        if res is not None:
            engine.check_hook_result(res)
            if tuple(res.shape) != tuple(g.shape):
                raise RuntimeError(f"hook '{getattr(hook, '__name__', type(hook).__name__)}' has changed the "
                                   "size of value")
            engine.check_hook_type(hook, g.dtype, res.dtype)
            g = res
    return g


def _collect_nonleaf(found, inputs, tape, adjs, out, n, host=False, names=None):
    # A non-leaf input's adjoint is complete just before the last record
    # writing any of its slots (a host record of a custom Function produces
    # all its outputs at once; a stack of consecutive results is one COPY per
    # part, each of which takes its own part of the adjoint).
    for t in inputs:
        if t._name is None or t._tape is not tape or found[id(t)] is not None:
            continue
        if host:
            if not out <= t._slot < out + n:
                continue
            lo, size = t._slot, t.numel()
        elif t._slot == out and (n == t.numel() or t._bulk):
            lo, size = out, n
        elif not t._bulk and out < t._slot + t.numel() and t._slot < out + n:
            lo, size = t._slot, t.numel()
        else:
            continue
        g = adjs.take(lo, size)
        if g is not None:
            found[id(t)] = g if names is None else names.name(lo, g)
            adjs.add(lo, g)


def shaped_like(g, t):
    """Flat gradient g with t's shape and dtype. The reshape and cast are
    bookkeeping, so the result keeps the backward name of the op that made
    g, as PyTorch's gradients show the last op of the derivative formula."""
    name = g._name
    out = F._to_dtype(g if g.shape == t.shape else F.reshape(g, t.shape), t.dtype)
    if out._rg and name is not None and name != "Proxy":
        out._name = name
    return out


def _deliver_leaf(t, g, found):
    """The summed gradient of leaf t: through its hooks (as torch, also for
    autograd.grad's inputs), then into found or t.grad."""
    if found is not None:
        if id(t) in found:
            if t._hooks:
                g = _flat(_run_hooks(t, shaped_like(g, t)))
            found[id(t)] = g
        return
    g = shaped_like(g, t)
    if t._hooks:
        g = _run_hooks(t, g)
    if g._rg and t._grad is None:
        g._name = "CopyBackwards"   # PyTorch copies the first graph-carrying grad
    with engine.GRAD_LOCK:
        engine.GA.journal(t)
        t._grad = g if t._grad is None else t._grad + g
