"""Calling a graph node directly, as torch's Node.__call__: `y.grad_fn(g)`
returns the gradients its backward passes to its next functions (a tuple
with None for an input without one, the tensor itself for one input), in
grad mode (they carry a graph where the saved values do), without the
engine's sum to a broadcast input's shape; AccumulateGrad's call adds its
gradient to the leaf's .grad and returns ()."""
import numpy as np

from ..autodiff import grad_accumulation as GA
from ..core import kernels as K
from ..core import oprules as R
from ..core import tape as T
from ..core.grad_mode import enable_grad
from ..functional import functions as F
from ..tensors.tensor import Tensor
from .graph import AccumulateGrad, TapeNode, _operands, reflected_number
from .symbolic import _Proxies, _tape_facts, _vjp


def _count(grads, want=1):
    if len(grads) != want:
        raise TypeError(f"expected {want} arguments, got {len(grads)} instead")


def call_node(node, *grads):
    _count(grads)
    g = grads[0]
    if g is None:
        return None
    tape, rec, r = node._rec()
    op, out, n, a, b, m, ia = (int(v) for v in rec[r]) if r >= 0 else (-1,) * 7
    if not _one_record(tape, node, op, out, rec[r] if r >= 0 else None):
        raise RuntimeError(f"jitgrad: calling {node._name} directly is not supported (only the nodes of one "
                           "elementwise op or a sum)")
    _, vals, meta, freed = tape.arrays()
    if freed[r] and K.saves_values(op):
        raise RuntimeError(T.FREED_MSG)
    if not isinstance(g, Tensor) or g.numel() != max(n, 1):
        shape = list(node._of[0]) if node._of is not None else [n]
        got = list(g.shape) if isinstance(g, Tensor) else []
        raise RuntimeError(f"The expanded size of the tensor ({shape[-1] if shape else 1}) must match the existing "
                           f"size ({got[-1] if got else 1}) at non-singleton dimension {max(len(shape) - 1, 0)}.  "
                           f"Target sizes: {shape}.  Tensor sizes: {got}")
    facts = _tape_facts(tape, rec, len(vals))
    with enable_grad():
        g64 = F.reshape(g.double(), (-1,) if n > 1 else ())
        got = dict(_vjp(tape, op, out, n, a, b, m, ia, g64, vals, meta, _Proxies(tape, vals, facts.live)))
    operands = _operands(rec[r])
    if reflected_number(tape, rec[r]):
        operands = operands[::-1]       # (3 * x: torch's node is x.mul(3), its inputs (x, 3))
    res = []
    for (slot, k), (nxt, _) in zip(operands, node.next_functions):
        c = got.get(slot)
        if c is None or nxt is None:
            res.append(None)
            continue
        name = c._name      # (the op's node: the reshape and cast below are bookkeeping)
        shape = _shape_of(nxt, k, g)
        if tuple(c.shape) != shape:
            c = R.rename(F.reshape(c, shape), name)
        res.append(R.rename(c.to(g.dtype), name) if c.dtype is not g.dtype else c)
    return res[0] if len(res) == 1 else tuple(res)


def _one_record(tape, node, op, out, row) -> bool:
    """Whether node's backward is its record's alone: an elementwise op's (not a
    view's copy, not a composite's last record) or a sum's."""
    if row is None or out != node._slot:
        return False
    if op == K.SUM:
        return node._name == "SumBackward0"
    if op >= K.N_ELEMENTWISE or op == K.COPY or op >= K.NONDIFF_BASE:
        return False
    if op == K.DIV and reflected_number(tape, row, K.DIV):
        return False        # (3 / x: torch's node is x.reciprocal().mul(3))
    name = K.backward_name(op)
    return node._name == name or (op == K.POW and node._name.startswith("PowBackward"))


def _shape_of(nxt, k, g):
    """The shape of the input behind next function `nxt` (k elements)."""
    if k == g.numel():
        return tuple(g.shape)
    if isinstance(nxt, AccumulateGrad) and nxt.variable is not None and nxt.variable.numel() == k:
        return tuple(nxt.variable.shape)
    if isinstance(nxt, TapeNode) and nxt._of is not None and int(np.prod(nxt._of[0])) == k:
        return nxt._of[0]
    return (k,)


def call_accumulate(node, *grads):
    _count(grads)
    leaf, g = node.variable, grads[0]
    if leaf is not None and g is not None:
        GA.accumulate(leaf, np.asarray(g.detach()._data(), np.float64).reshape(-1))
    return ()


TapeNode.__call__ = call_node           # type: ignore[method-assign]
AccumulateGrad.__call__ = call_accumulate   # type: ignore[attr-defined]
