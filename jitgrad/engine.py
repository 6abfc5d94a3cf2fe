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
from . import tape as T

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
    hi = len(rec) - 1
    # Tensors with hooks: pause just before the record that produced them,
    # when their adjoint is complete, and let the hooks see/replace it.
    for r, t in _hook_stops(tape, rec):
        _sweep_range(tape, rec, vals, meta, freed, adj, reach, retain, hi, r + 1)
        if reach[t._slot]:
            adj[t._slot:t._slot + t.numel()] = _run_hooks(t, adj[t._slot:t._slot + t.numel()])
        hi = r
    _sweep_range(tape, rec, vals, meta, freed, adj, reach, retain, hi, 0)


def _sweep_range(tape, rec, vals, meta, freed, adj, reach, retain, hi, lo):
    stale = _stale_slots(tape, len(vals))
    r = hi
    while r >= lo:
        if ANOMALY.enabled:
            status, r = _anomaly_step(rec, vals, meta, adj, reach, freed, stale, r, lo, retain)
        else:
            status, r = K.sweep(rec, vals, meta, adj, reach, freed, stale, r, lo, retain)
        if status == K.DONE:
            return
        if status == K.FREED:
            raise RuntimeError(FREED_MSG)
        if status == K.MODIFIED:
            raise RuntimeError(_modified_message(tape, rec, r, stale))
        tape.host[r].backward(adj, vals, reach)
        if not retain:
            freed[r] = 1
        r -= 1


def _stale_slots(tape, nvals):
    if not tape.stale:
        return K.NO_STALE
    stale = np.zeros(nvals, np.uint8)
    for slot, (n, _) in tape.stale.items():
        stale[slot:slot + n] = 1
    return stale


def _modified_message(tape, rec, r, stale):
    for col in (3, 4, 1):
        slot = rec[r, col]
        if slot >= 0 and stale[slot]:
            for start, (n, info) in tape.stale.items():
                if start <= slot < start + n:
                    return T.overwritten_message(info, K.backward_name(rec[r, 0]) if col == 1 else None)
    return "one of the variables needed for gradient computation has been modified by an inplace operation"


def _hook_stops(tape, rec):
    stops = []
    for ref in tape.hooked:
        t = ref()
        if t is None or t._tape is not tape or not t._hooks:
            continue
        outs = rec[:, 1]
        hits = np.nonzero((outs >= t._slot) & (outs < t._slot + t.numel()))[0]
        if hits.size:
            stops.append((int(hits[-1]), t))
    return sorted(stops, key=lambda p: -p[0])


class _Anomaly:
    enabled = False


ANOMALY = _Anomaly()


def _anomaly_step(rec, vals, meta, adj, reach, freed, stale, hi, lo, retain):
    """Sweep one record at a time and name the first that produces a nan."""
    for r in range(hi, lo - 1, -1):
        status, at = K.sweep(rec, vals, meta, adj, reach, freed, stale, r, r, retain)
        if status != K.DONE:
            return status, at
        op, n, a, b, m = rec[r, 0], rec[r, 2], rec[r, 3], rec[r, 4], rec[r, 5]
        if op < K.N_ELEMENTWISE:
            sizes = (1 if m & 1 else n, 1 if m & 2 else n)
        else:
            sizes = (m, m)
        for i, (slot, size) in enumerate(zip((a, b), sizes)):
            if slot >= 0 and np.isnan(adj[slot:slot + size]).any():
                raise RuntimeError(f"Function '{K.backward_name(rec[r, 0])}' returned nan values in its "
                                   f"{i}th output.")
    return K.DONE, -1


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
    """Call t's hooks on each adjoint column; a returned tensor replaces it."""
    from .tensor import Tensor
    g = np.array(g)
    for k in range(g.shape[1]):
        for hook in t._hooks:
            res = hook(Tensor._wrap(g[:, k].reshape(t.shape).astype(t.dtype.np), t.dtype))
            if res is not None:
                g[:, k] = np.asarray(res._data(), np.float64).ravel()
    return g
