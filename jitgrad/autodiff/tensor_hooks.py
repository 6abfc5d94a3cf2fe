"""Tensor and node hooks as the engine runs them: where the sweep pauses for
a tensor's hooks (`hook_stops`: just before the record that wrote it), the
hooks' calls with torch's checks of what they return, and the node hooks
(`NODE_HOOKS`: grad_fn.register_hook / register_prehook) per tape."""
import weakref

import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from ..tensors.tensor import Tensor


def _hook_stops(tape, rec):
    stops = []
    for ref in tape.hooked:
        t = ref()
        if t is None or t._tape is not tape or not t._hooks:
            continue
        slot = _grad_slot(t, tape)
        hits = np.nonzero(writes(rec, t, slot))[0]
        if hits.size:
            stops.append((int(hits[-1]), t, slot))
    nodes = NODE_HOOKS.get(tape) if NODE_HOOKS else None
    if nodes:
        for r, ref in list(nodes.items()):
            h = ref()
            if h is not None and (h.fns or h.pre):
                stops.append((r, None, h))
    return sorted(stops, key=lambda p: (-p[0], p[1] is None))     # (a tensor's hooks before its node's)


def _grad_slot(t, tape):
    """The slot whose adjoint is t's gradient: its node's output. A tensor
    re-homed after a write without a record (tape.rehome) reads its value
    from a fresh slot, but torch's hooks and retained grad see the node's."""
    origin = t.__dict__.get("_grad_origin")
    if origin is not None and origin[0]() is tape and origin[2] == t._slot:
        return origin[1]
    return t._slot


def writes(rec, t, slot=None):
    """Per record, whether it writes tensor t (at `slot`, default its own):
    its output starts inside t, or it is a host or gather record whose
    outputs span t (a custom Function's outputs share one record, as
    unbind's / split's views share one GATHER)."""
    first = t._slot if slot is None else slot
    outs, end = rec[:, 1], first + (1 if t._bulk else t.numel())
    hit = (outs >= first) & (outs < end)
    spans = (rec[:, 0] == K.HOST) | (rec[:, 0] == K.GATHER)
    return hit | (spans & (outs < first) & (outs + rec[:, 2] > first))


def check_hook_result(res):
    if not hasattr(res, "_rg"):     # (a Tensor: engine.py does not import tensor.py)
        raise TypeError(f"expected Variable, but hook returned '{type(res).__name__}'")


def check_hook_type(hook, was, got):
    if got is not was:
        raise RuntimeError(f"hook '{getattr(hook, '__name__', type(hook).__name__)}' has changed the type of value "
                           f"(was torch.{D.TORCH_NAMES[was.name]}Tensor got torch.{D.TORCH_NAMES[got.name]}Tensor)")


def sum_expanded(tape, rec, vals, r, slot, n) -> bool:
    """Whether the gradient torch hands the hooks of the tensor at slot..slot+n
    (made by record r; -1: a tape input) is sum's expand of one number (stride
    0: an in-place write into it is torch's overlap error, a write to one
    element writes all): its one reader on the tape is a sum of all of it."""
    if n < 2:
        return False
    after = rec[r + 1:]
    op = after[:, K.REC_OP]
    if ((op == K.HOST) | (op == K.BULK)).any():
        return False        # (their operands are not in the record: reads unknown)
    a, b = after[:, K.REC_A], after[:, K.REC_B]
    readers = np.flatnonzero(((a >= slot) & (a < slot + n)) | ((b >= slot) & (b < slot + n)))
    if len(readers) != 1:
        return False
    row = after[readers[0]]
    return bool(row[K.REC_OP] == K.SUM and row[K.REC_A] == slot and row[5] == n and vals[row[K.REC_IA]] == 1.0)


def _run_hooks(t, g, expanded=False):
    """Call t's hooks on each adjoint column; a returned tensor replaces it
    (a hook returning None may have written the gradient in place: torch
    goes on with the written values). `expanded`: the gradient is sum's
    expand of one number (sum_expanded), handed over as such."""
    g = np.array(g)
    for k in range(g.shape[1]):
        one = expanded
        for hook in t._hooks:
            if one:
                given = Tensor._wrap(np.asarray(g[0, k]).astype(t.dtype.np), t.dtype).expand(tuple(t.shape))
            else:
                given = Tensor._wrap(g[:, k].reshape(t.shape).astype(t.dtype.np), t.dtype)
            res = hook(given)
            if res is None:
                g[:, k] = np.asarray(given._data(), np.float64).ravel()
            else:
                check_hook_result(res)
                if tuple(res.shape) != tuple(t.shape):
                    raise RuntimeError(f"hook '{getattr(hook, '__name__', hook)}' has changed the size of value")
                check_hook_type(hook, t.dtype, res.dtype)
                g[:, k] = np.asarray(res._data(), np.float64).ravel()
                one = False     # (the next hook gets the returned tensor's values)
    return g


# ----- hooks on graph nodes (grad_fn.register_hook) -------------------------------

# tape -> {record index: weakref of NodeHooks}, registered by autograd.graph;
# the node holds its NodeHooks (hooks that capture tensors must not keep the
# tape alive from here)
NODE_HOOKS = weakref.WeakKeyDictionary()


class NodeHooks:
    """The hooks of one record's node and how to read its gradients: the
    output (slot, size, shape, dtype) and per input (torch's order) None
    (a constant) or (slot, size, shape, dtype, expand record or -1)."""

    def __init__(self, out, operands):
        self.out, self.operands = out, operands
        self.fns, self.pre = {}, {}


def check_node_hook_result(res) -> None:
    """A node's hooks return a tuple (or None), as torch requires."""
    if not isinstance(res, tuple):
        raise TypeError(f"expected tuple, but hook returned '{type(res).__name__}'")
