"""Hooks on graph nodes: grad_fn.register_hook(fn(grad_inputs, grad_outputs))
and register_prehook(fn(grad_outputs)), AccumulateGrad's too, attached to
the node classes of autograd.graph. A node's hooks run in the sweep
(autodiff.engine: NODE_HOOKS, _run_node_hooks); the node holds them."""
import gc
import itertools
import weakref

import numpy as np

from ..autodiff import engine as ENG
from ..core import kernels as K
from ..functional.base import COMPOSITE_EDGES
from ..tensors.tensor import Tensor
from ..tensors.attributes import RemovableHandle as _TensorHookHandle
from . import graph as _graph
from .graph import (_ONE_TENSOR_OPERAND, AccumulateGrad, TapeNode, _node_at, _operands, _record_of,
                    reflected_number)

_HOOK_KEYS = itertools.count()


class RemovableHandle(_TensorHookHandle):
    """What a node's register_hook returns (torch.utils.hooks.RemovableHandle)."""
    __module__ = "jitgrad.utils.hooks"

    def __init__(self, fns, key):
        self._fns, self._key = fns, key

    def remove(self):
        self._fns.pop(self._key, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


# ----- AccumulateGrad: through one tensor hook on its leaf


def register_prehook(self, fn):
    """fn(grad_outputs) before the gradient is accumulated; may return a replacement."""
    return self._hook("pre", fn)


def register_hook(self, fn):
    """fn((), grad_outputs) with the gradient being accumulated."""
    return self._hook("post", fn)


def _hook(self, kind, fn):
    leaf = self._leaf()
    fns = self.__dict__.get("_fns")
    if fns is None:
        fns = self._fns = {"pre": {}, "post": {}}
        leaf.register_hook(self._run)   # one tensor hook: pre-hooks, then hooks, as torch orders them
    key = next(_HOOK_KEYS)
    fns[kind][key] = fn
    return RemovableHandle(fns[kind], key)


def _run(self, g):
    out = None
    for fn in list(self._fns["pre"].values()):
        res = fn((g if out is None else out,))
        if res is not None:
            ENG.check_node_hook_result(res)
            out = res[0]
    for fn in list(self._fns["post"].values()):
        fn((), (g if out is None else out,))
    return out


AccumulateGrad.register_prehook = register_prehook     # type: ignore[method-assign]
AccumulateGrad.register_hook = register_hook           # type: ignore[method-assign]
AccumulateGrad._hook = _hook                           # type: ignore[attr-defined]
AccumulateGrad._run = _run                             # type: ignore[attr-defined]


# ----- a record's node: NodeHooks in the sweep


def _node_register_prehook(self, fn):
    """fn(grad_outputs) before the node runs; a returned tuple replaces
    them. The node's one output is a tensor: this is a hook on it."""
    t = self._owner()
    if t is None:       # (an intermediate whose tensor is gone: at the node's record in the sweep)
        hooks = self._hooks()
        key = next(_HOOK_KEYS)
        hooks.pre[key] = fn
        return RemovableHandle(hooks.pre, key)

    def on_grad(g):
        res = fn((g,))
        if res is None:
            return None
        ENG.check_node_hook_result(res)
        return res[0]
    return t.register_hook(on_grad)


def _node_register_hook(self, fn):
    """fn(grad_inputs, grad_outputs) after the node runs (grad_inputs: the
    gradients it passes to each of next_functions, None where it passes
    none); a returned tuple replaces grad_inputs. For a node of one
    recorded primitive (elementwise ops, the matmul family)."""
    hooks = self._hooks()
    key = next(_HOOK_KEYS)
    hooks.fns[key] = fn
    return RemovableHandle(hooks.fns, key)


def _hooks(self):
    hooks = self.__dict__.get("_node_hooks")
    if hooks is None:
        tape, rec, r = self._rec()
        ref = ENG.NODE_HOOKS.get(tape, {}).get(r) if r >= 0 else None
        hooks = None if ref is None else ref()
        if hooks is None:
            hooks = _node_hooks(self, tape, rec, r)
            ENG.NODE_HOOKS.setdefault(tape, {})[r] = weakref.ref(hooks)
        self._node_hooks = hooks
    return hooks


TapeNode.register_prehook = _node_register_prehook     # type: ignore[method-assign]
TapeNode.register_hook = _node_register_hook           # type: ignore[method-assign]
TapeNode._hooks = _hooks                               # type: ignore[attr-defined]


def _unsupported(node, why):
    return NotImplementedError(f"jitgrad: register_hook on {node._name} is not supported ({why}); "
                               "Tensor.register_hook on its output or inputs sees the same gradients")


def _node_hooks(node, tape, rec, r):
    """engine.NodeHooks of a node: its output and, in next_functions' order,
    where each input's gradient is (slot, size, shape, dtype, expand record)."""
    if r < 0:
        raise _unsupported(node, "its graph no longer exists")
    composite = COMPOSITE_EDGES.get(tape, {}).get(node._slot)
    op = int(rec[r, K.REC_OP])
    host = tape.host.get(r)
    owner = node._owner()
    if composite is not None or not (op < K.N_ELEMENTWISE or (op == K.HOST and hasattr(host, "ashape"))) \
            or (owner is not None and owner._bulk):
        raise _unsupported(node, "a node jitgrad records as several operations or by reference")
    if owner is None and node._of is not None:
        oshape, odt = node._of
    elif owner is None:         # (gone: its shape and dtype from what it was computed from)
        like = [t for t in (_tensor_at(tape, s) for s, _ in _operands(rec[r])) if t is not None]
        if op == K.HOST and like:
            oshape, odt = tuple(host.oshape), like[0].dtype
        elif op != K.HOST and like and like[0].numel() == int(rec[r, K.REC_N]):
            oshape, odt = tuple(like[0].shape), like[0].dtype
        else:
            raise _unsupported(node, "its output tensor no longer exists")
    else:
        oshape, odt = tuple(owner.shape), owner.dtype
    if op == K.HOST:
        slots = [(host.a, int(np.prod(host.ashape))), (host.b, int(np.prod(host.bshape)))]
    else:
        slots = _operands(rec[r])
        if node._name in _ONE_TENSOR_OPERAND:
            slots = [slots[_ONE_TENSOR_OPERAND[node._name]]]
        elif reflected_number(tape, rec[r]):
            slots = slots[::-1]
    if op == K.DIV and reflected_number(tape, rec[r], K.DIV):
        raise _unsupported(node, "torch's node is a product with the reciprocal, a node jitgrad does not record")
    if len(slots) == 2 and slots[0][0] == slots[1][0] and slots[0][0] >= 0:
        raise _unsupported(node, "both of its inputs are the same tensor")
    operands = []
    for i, (s, n) in enumerate(slots):
        if _node_at(tape, r, s, n) is None:
            operands.append(None)           # a constant, or nothing that requires grad
            continue
        expand = -1
        r2 = _record_of(tape, s, 1, before=r)
        named = None if r2 < 0 else COMPOSITE_EDGES.get(tape, {}).get(int(rec[r2, 1]))
        if named is not None and named[0] == "":
            expand, s = r2, int(rec[r2, 3])
        t = _tensor_at(tape, s)
        if t is not None:
            shape, dt = tuple(t.shape), t.dtype
        elif op == K.HOST:
            shape, dt = tuple(host.ashape if i == 0 else host.bshape), odt
        elif n == int(np.prod(oshape)) and expand < 0:
            shape, dt = oshape, odt
        else:
            raise _unsupported(node, "the shape of an input that no longer exists is unknown")
        operands.append((s, int(np.prod(shape)) if shape else 1, shape, dt, expand))
    return ENG.NodeHooks((node._slot, int(np.prod(oshape)) if oshape else 1, oshape, odt), operands)


def _tensor_at(tape, slot):
    """A live tensor whose values start at `slot` of tape (a leaf, or a result)."""
    for leaf, _, _, s, _ in tape.inputs:
        if s == slot and leaf is not None and leaf() is not None:
            return leaf()
    for t in gc.get_referrers(tape):
        if isinstance(t, Tensor) and t._tape is tape and t._slot == slot and t._name is not None:
            return t
    return None


def register_multi_grad_hook(tensors, fn, *, mode="all"):
    """torch.autograd.graph.register_multi_grad_hook: mode "all" calls
    fn(grads) once per backward that reaches any of `tensors`, when it has
    finished (None for a tensor it did not reach); mode "any" calls fn(grad)
    with the first of their gradients computed in a backward."""
    if mode not in ("all", "any"):
        raise ValueError(f"Expects mode to be one of ('all', 'any') but got {mode}")
    tensors = tuple(tensors)
    state = {"grads": None, "fired": False}

    def flush():
        grads, state["grads"] = state["grads"], None
        fn(grads)

    def rearm():
        state["fired"] = False

    def make(i):
        def hook(g):
            if mode == "any":
                if not state["fired"]:
                    state["fired"] = True
                    ENG.AFTER_BACKWARD.append(rearm)
                    fn(g)
                return None
            if state["grads"] is None:
                state["grads"] = [None] * len(tensors)
                ENG.AFTER_BACKWARD.append(flush)
            state["grads"][i] = g
            return None
        return hook

    return _MultiHandle([t.register_hook(make(i)) for i, t in enumerate(tensors) if t.requires_grad])


class _MultiHandle:
    def __init__(self, handles):
        self.handles = handles

    def remove(self):
        for h in self.handles:
            h.remove()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
        return False


_graph.register_multi_grad_hook = register_multi_grad_hook     # (torch.autograd.graph's name; graph is below)
