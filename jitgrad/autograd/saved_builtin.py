"""saved_tensors_hooks on jitgrad's built-in ops, as torch calls them.

A built-in op keeps what it saved in tape slots, so there is no Python
object to pack when it records. While hooks are active, a profile function
(autodiff/anomaly_trace.listen) tells us when a call from user code returns
and which records it appended; the graph nodes among them that its result
reaches get their saved tensors (graph_saved's `_saved_*`, in torch's pack
order) packed then. A backward unpacks them (newest node first, each node's
in pack order), before the sweep of their tape; the sweep differentiates
with the recorded values, so an unpack hook that returns other values is an
error, not a silently different gradient. Nodes whose saved tensors
graph_saved does not know (composites such as linear's addmm) pack nothing.
"""
from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from ..autodiff import anomaly_trace as AT
from ..autodiff import engine
from ..autodiff.matmul import MatmulBackward
from ..tensors.tensor import Tensor
from .function import SAVED_HOOKS, SAVED_HOOKS_CHANGED
from ..core import kernels as K
from .graph import TapeNode, _records
from .graph_saved import PACKED, REGISTERED, _result, _saved, _value

# torch's pack order, where it is not self, other, ..., result
_ORDER = {
    "MulBackward0": ("_saved_other", "_saved_self"),
    "DivBackward0": ("_saved_other", "_saved_self"),
    "PowBackward1": ("_saved_exponent", "_saved_self", "_saved_result"),
    "PowBackward2": ("_saved_exponent", "_saved_result"),
    "MmBackward0": ("_saved_mat2", "_saved_self"),
    "BmmBackward0": ("_saved_mat2", "_saved_self"),
}
_SECOND = ("_saved_other", "_saved_mat2", "_saved_vec", "_saved_tensor")     # a product's second operand
_DEFAULT = ("_saved_self", "_saved_other", "_saved_mat2", "_saved_vec", "_saved_tensor", "_saved_exponent",
            "_saved_result")

_VISITED: "weakref.WeakKeyDictionary[Any, set]" = weakref.WeakKeyDictionary()     # records whose nodes were packed

_DIFFERENT = ("jitgrad: an unpack hook of torch.autograd.graph.saved_tensors_hooks returned values that differ from "
              "the tensor {} saved; jitgrad's built-in ops differentiate with the values they recorded, so the "
              "gradient torch computes from the unpacked values is not available")


def _results(value) -> list:
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        return [v for item in value for v in _results(item)]
    return []


def _new_nodes(value, tape, start, end) -> dict:
    """record -> node, for the nodes of records start..end of tape that value's graph reaches."""
    found: dict = {}
    todo = [t.grad_fn for t in _results(value) if t.requires_grad]
    seen = set()
    while todo:
        node = todo.pop()
        if not isinstance(node, TapeNode) or id(node) in seen or node._tape is not tape:
            continue
        seen.add(id(node))
        r = node._rec()[2]
        if not start <= r < end:
            continue
        found.setdefault(r, node)
        todo.extend(nxt for nxt, _ in node.next_functions)
    return found


def _by_attr(node, skip):
    for attr in _ORDER.get(node._name, _DEFAULT):
        if attr in skip:
            continue
        try:
            yield _saved(node, attr)
        except (AttributeError, RuntimeError):
            continue


# binary ops whose torch node saves other / self / result by these rules
_BINARY = {"Atan2Backward0": "both", "MaximumBackward0": "both", "MinimumBackward0": "both",
           "XlogyBackward0": "both", "FmodBackward1": "if_other", "RemainderBackward1": "if_other",
           "HypotBackward0": "needed_result", "CopysignBackward0": "self_result"}


def _binary_saved(node, tape, r) -> list:
    """What torch's node of a binary op saves, in its pack order (other, self, result)."""
    op, out, n, a, b, m, ia = (int(v) for v in _records(tape)[r])
    if op >= K.N_ELEMENTWISE or b < 0 or node._name != K.backward_name(op):
        return []
    owner = node._tensor() if node._tensor is not None else None
    of = (tuple(owner.shape), owner.dtype) if owner is not None else node._of
    if of is None:
        return []
    shape, dtype = of
    a_rg, b_rg = bool(m & 4), bool(m & 8)
    rule = _BINARY[node._name]

    def this(slot, scalar):
        return lambda: _value(tape, slot, scalar, shape, dtype, r)
    other, self_ = this(b, m & 2), this(a, m & 1)
    result = lambda: _result(owner, tape, out, shape, dtype, node._name)     # noqa: E731
    plan = {"both": [other, self_], "if_other": [other, self_] if b_rg else [],
            "needed_result": ([other] if b_rg else []) + ([self_] if a_rg else []) + [result],
            "self_result": ([self_] if a_rg else []) + [result]}[rule]
    try:
        return [make() for make in plan]
    except RuntimeError:
        return []


def _on_records(tape, start, end, frame, value) -> None:
    if not SAVED_HOOKS:
        return
    pack, unpack = SAVED_HOOKS[-1]
    # torch packs the tensor objects themselves: the call's arguments and results
    local = [v if not isinstance(v, dict) else list(v.values()) for v in frame.f_locals.values()]
    candidates = _results(value) + _results(local)     # (a wrapper's *args / **kwargs too)
    done = _VISITED.setdefault(tape, set())
    nodes = _new_nodes(value, tape, start, end)
    _give_owners(nodes, tape, candidates)
    for r, node in sorted(nodes.items()):
        if r in done:
            continue    # (a nested call from user code: a module's forward inside model(x) packed it)
        done.add(r)
        entries = []
        host = tape.host.get(r)
        skip = set()
        if isinstance(host, MatmulBackward):
            # a product saves each operand only for the other's gradient (a < 0: operand a needs none)
            skip = ({"_saved_self"} if host.b < 0 else set()) | (set(_SECOND) if host.a < 0 else set())
        for saved in _binary_saved(node, tape, r) if node._name in _BINARY else _by_attr(node, skip):
            if isinstance(saved, Tensor):
                own = next((c for c in candidates if c is saved or (
                    c._rg and c._tape is saved._tape and c._slot == saved._slot and c._name == saved._name and
                    c.shape == saved.shape)), None)
                if own is None and not saved.requires_grad:     # (a constant argument: the user's tensor)
                    own = next((c for c in candidates if not c.requires_grad and c.shape == saved.shape and
                                c.dtype is saved.dtype and np.array_equal(c._data(), saved._data())), None)
                if own is None and saved.dim() == 0 and not saved.requires_grad and \
                        not any(c.dim() == 0 and not c.requires_grad for c in candidates):
                    continue    # a Python number operand (x * 2): torch saves a Scalar, nothing to pack
                saved = saved if own is None else own
                entries.append((unpack, pack(saved), np.array(saved._data()), node._name))
        if entries:
            PACKED.setdefault(tape, {})[r] = entries
    for node in nodes.values():
        if node._tensor is _dead:
            node._tensor = None     # (introspection later may still find the tensor)


def _unpack_for_backward(tape, retain: bool) -> None:
    """engine.saved_hooks_unpack: unpack what tape's nodes packed, newest node first."""
    if not PACKED and not REGISTERED:
        return
    packed = PACKED.get(tape) or {}
    registered = REGISTERED.get(tape) or {}
    if not packed and not registered:
        return
    for r in sorted(set(packed) | {r for r, _ in registered}, reverse=True):
        for unpack, obj, values, name in packed.get(r, ()):
            _check_unpacked(unpack(obj), values, name)
        for key in sorted(k for k in registered if k[0] == r):
            unpack, obj, values, name = registered[key]
            _check_unpacked(unpack(obj), values, name)
    if not retain:
        packed.clear()      # (freed with the graph, as torch's)
        registered.clear()


def _check_unpacked(got, values, name) -> None:
    if not isinstance(got, Tensor) or got.shape != values.shape or \
            not np.array_equal(np.asarray(got._data(), values.dtype), values, equal_nan=True):
        raise NotImplementedError(_DIFFERENT.format(name))


def hooks_changed() -> None:
    """saved_tensors_hooks enter / exit: watch user calls while hooks are active."""
    AT.RESULTS[:] = [weakref.WeakKeyDictionary()] if SAVED_HOOKS else []
    AT.listen("saved_tensors_hooks", _on_records if SAVED_HOOKS else None)


def _dead():
    return None


def _give_owners(nodes: dict, tape, candidates: list) -> None:
    """Each node's output tensor (graph_saved reads its shape and dtype) without
    graph._find_owner's scan of the heap per query: a live candidate, else the
    shape and dtype noted when jitgrad's function returned it."""
    shapes = AT.RESULTS[-1].get(tape, {}) if AT.RESULTS else {}
    live = {c._slot: c for c in candidates if c._tape is tape and c._name is not None}
    for node in nodes.values():
        if node._tensor is not None and node._tensor() is not None:
            continue
        t = live.get(node._slot)
        if t is not None:
            node._tensor, node._of = weakref.ref(t), (tuple(t.shape), t.dtype)
        else:
            node._tensor = _dead
            if node._of is None and node._slot in shapes:
                node._of = shapes[node._slot]


engine.saved_hooks_unpack = _unpack_for_backward
SAVED_HOOKS_CHANGED.append(hooks_changed)
