"""Backward: seed adjoints, run the jitted sweep tape by tape, deliver grads.

A graph may span several tapes (a tape is sealed by the first backward
through it, and later operations record on a new one). Tapes are swept
newest first; after each sweep, the adjoint of every input slot either goes
to a leaf or seeds the sweep of the older tape that produced the tensor.

Adjoints have K columns: K = 1 for a plain backward, K seeds at once for
batched gradients and Jacobians (one sweep, not a Python loop).
"""
import numpy as np

from . import kernels as K

FREED_MSG = (
    "Trying to backward through the graph a second time (or directly access saved "
    "tensors after they have already been freed). Saved intermediate values of the "
    "graph are freed when you call .backward() or autograd.grad(). Specify "
    "retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward.")


class _Sweep:
    """Adjoint and reach buffers of the tapes still to sweep."""

    def __init__(self, k):
        self.k = k
        self.adj = {}
        self.reach = {}

    def seed(self, tape, slot, g):
        """Add g (n x K) into the adjoints of slots slot..slot+n of tape."""
        adj = self.adj.get(tape)
        if adj is None:
            rec, vals, meta, freed = tape.arrays()
            # -0.0 + g == g for every g, -0.0 included: the first contribution
            # lands exactly as PyTorch's first assignment does (signed zeros).
            adj = self.adj[tape] = np.full((len(vals), self.k), -0.0)
            self.reach[tape] = np.zeros(len(vals), np.uint8)
        n = g.shape[0]
        adj[slot:slot + n] += g
        self.reach[tape][slot:slot + n] = 1


def run(roots, grads, retain_graph, inputs=None, hooks=True):
    """Backpropagate `grads` (float64 arrays, n x K) from `roots`.

    Without `inputs`, gradients accumulate into the ``.grad`` of leaves (and of
    non-leaves that retain_grad()). With `inputs`, nothing is accumulated and
    the gradient (float64 n x K array, or None if unreached) of each input is
    returned.
    """
    k = grads[0].shape[1]
    work = _Sweep(k)
    found = None if inputs is None else {id(t): None for t in inputs}
    for t, g in zip(roots, grads):
        if t._name is None:
            _deliver_leaf(t, g, found)
        else:
            work.seed(t._tape, t._slot, g)
    while work.adj:
        tape = max(work.adj, key=_serial)
        adj = work.adj.pop(tape)
        reach = work.reach.pop(tape)
        _sweep_tape(tape, adj, reach, retain_graph)
        if found is not None:
            for t in inputs:
                if t._name is not None and t._tape is tape and reach[t._slot:t._slot + t.numel()].any():
                    found[id(t)] = _add(found[id(t)], _grad_of(adj, reach, t._slot, t.numel()))
        else:
            _deliver_retained(tape, adj, reach)
        for leaf, older, older_slot, slot, n in tape.inputs:
            if n == 1:
                if not reach[slot]:
                    continue
            elif not reach[slot:slot + n].any():
                continue
            g = _grad_of(adj, reach, slot, n)
            if leaf is not None:
                t = leaf()
                if t is not None:
                    _deliver_leaf(t, g, found)
            else:
                work.seed(older, older_slot, g)
    if found is not None:
        return [found[id(t)] for t in inputs]
    return None


def _grad_of(adj, reach, slot, n):
    """Adjoint rows slot..slot+n; elements the sweep never reached get +0.0,
    like the zero-filled gradients of PyTorch's select/index backward."""
    g = adj[slot:slot + n]
    if n > 1:
        r = reach[slot:slot + n]
        if not r.all():
            g = np.where(r[:, None], g, 0.0)
    return g


def _serial(tape):
    return tape.serial


def _add(acc, g):
    return g.copy() if acc is None else acc + g


def _sweep_tape(tape, adj, reach, retain):
    rec, vals, meta, freed = tape.arrays()
    r = len(rec) - 1
    while r >= 0:
        status, r = K.sweep(rec, vals, meta, adj, reach, freed, r, 0, retain)
        if status == K.DONE:
            return
        if status == K.FREED:
            raise RuntimeError(FREED_MSG)
        tape.host[r].backward(adj, vals, reach)
        if not retain:
            freed[r] = 1
        r -= 1


def _deliver_leaf(t, g, found):
    if found is not None:
        if id(t) in found:
            found[id(t)] = _add(found[id(t)], g)
        return
    if t._hooks:
        g = _run_hooks(t, g)
    t._accumulate(g[:, 0])


def _deliver_retained(tape, adj, reach):
    for ref in tape.retained:
        t = ref()
        if t is not None and t._tape is tape and t._name is not None and reach[t._slot]:
            t._accumulate(_grad_of(adj, reach, t._slot, t.numel())[:, 0])


def _run_hooks(t, g):
    from .tensor import Tensor
    for hook in t._hooks:
        res = hook(Tensor._wrap(g[:, 0].reshape(t.shape).astype(t.dtype.np)))
        if res is not None:
            g = np.asarray(res._data(), np.float64).reshape(-1, 1)
    return g
