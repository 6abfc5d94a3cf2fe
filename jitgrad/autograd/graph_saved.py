"""Saved values of graph nodes (grad_fn._saved_self, ...): read back from
the tape's slots as torch's node saved them, attached to TapeNode as its
attribute lookup. Freed by a backward without retain_graph, as torch's."""
import math
import weakref
from typing import Any, Callable

import numpy as np

from ..core import kernels as K
from ..core import ops as O
from ..core import tape as T
from ..core import saved_nodes as SN
from ..tensors.tensor import Tensor
from ..tensors.views import _Row
from ..functional.base import COMPOSITE_EDGES
from ..functional import reductions as RD
from .graph import AccumulateGrad, TapeNode, _find_owner, _node_for_record, _record_of, _records, reflected_number


_LISTED = ("_saved_self", "_saved_other", "_saved_exponent", "_saved_result", "_saved_alpha", "_saved_dim",
           "_saved_keepdim", "_saved_mat2", "_saved_vec", "_saved_tensor", "_saved_self_sym_sizes",
           "_saved_self_sym_numel")


def _dir(self):
    names = set(object.__dir__(self))
    noted = _noted(self)
    for attr in _LISTED + tuple("_saved_" + k for k in (noted or ()) if "_saved_" + k not in _LISTED):
        try:
            v = _saved(self, attr)
        except RuntimeError:
            v = Tensor      # (freed by backward: still an attribute, as torch lists it)
        except AttributeError:
            continue
        names.add(attr)
        if v is Tensor or isinstance(v, Tensor) or _has_tensor(v):
            names.add("_raw" + attr)
    return sorted(names)


def _getattr(self, attr):
    if attr.startswith("_saved_"):
        v = _saved(self, attr)
        hooks = _registered(self, attr)
        if hooks is None:
            return v
        got = hooks[0](hooks[1])      # (torch unpacks on every read)
        return v if _same_values(got, v) else got
    if attr.startswith("_raw_saved_"):
        saved = "_saved_" + attr[len("_raw_saved_"):]
        try:
            _saved(self, saved)
        except RuntimeError:
            pass        # (freed by backward: still there, its hooks can't be set)
        return SavedTensor(self, saved)
    raise AttributeError(f"'{type(self).__name__}' object has no attribute '{attr}'")


# tape -> {(record, "_saved_x"): (unpack hook, packed object, the saved values, node name)}:
# hooks set on one saved tensor by grad_fn._raw_saved_x.register_hooks (unpacked by a
# backward before its sweep, with those saved_tensors_hooks packed: saved_builtin.py)
REGISTERED: "weakref.WeakKeyDictionary[Any, dict]" = weakref.WeakKeyDictionary()

_SET_TWICE = ("Calling register_hooks on a saved tensor whose hooks have already been set. Hint: only one pair of "
              "hooks is allowed at a time.")
_SET_FREED = ("Calling register_hooks on a saved tensor after it has been freed. Saved intermediate values of the "
              "graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
              "backward through the graph a second time or if you need to access saved variables after calling "
              "backward.")


class SavedTensor:
    """grad_fn._raw_saved_<name> (torch._C._autograd.SavedTensor): one saved
    tensor of a node. register_hooks(pack_hook, unpack_hook) packs it now;
    every later read of grad_fn._saved_<name>, and the backward, unpack it."""
    __slots__ = ("_node", "_attr")

    def __init__(self, node, attr: str) -> None:
        self._node, self._attr = node, attr

    def register_hooks(self, pack_hook: Callable, unpack_hook: Callable) -> None:
        if not callable(pack_hook) or not callable(unpack_hook):
            raise TypeError("register_hooks(): incompatible function arguments: pack_hook and unpack_hook must be "
                            "callables")
        node, attr = self._node, self._attr
        tape, rec, r = node._rec()
        try:
            value = _saved(node, attr)
        except RuntimeError:
            raise RuntimeError(_SET_FREED) from None
        if not isinstance(value, Tensor):
            raise RuntimeError(_SET_TWICE)      # (a number: torch saved no tensor to hook)
        table = REGISTERED.setdefault(tape, {})
        if (r, attr) in table or packed_by_context(tape, r):
            raise RuntimeError(_SET_TWICE)
        obj = pack_hook(value.detach())
        table[(r, attr)] = (unpack_hook, obj, np.array(value._data()), node._name)


def _registered(node, attr):
    table = REGISTERED.get(node._tape) if node._tape is not None else None
    if not table:
        return None
    return table.get((node._rec()[2], attr))


def _same_values(got, v) -> bool:
    return (isinstance(got, Tensor) and isinstance(v, Tensor) and got.shape == v.shape
            and np.array_equal(np.asarray(got._data(), np.float64), np.asarray(v._data(), np.float64), equal_nan=True))


# tape -> {record: [(unpack hook, packed object, the saved values, node name)]}: what
# saved_tensors_hooks packed for built-in ops' nodes (saved_builtin.py)
PACKED: "weakref.WeakKeyDictionary[Any, dict]" = weakref.WeakKeyDictionary()


def packed_by_context(tape, r: int) -> bool:
    return bool(PACKED.get(tape, {}).get(r))


TapeNode.__dir__ = _dir             # type: ignore[method-assign]
TapeNode.__getattr__ = _getattr     # type: ignore[attr-defined]


# ----- saved values ---------------------------------------------------------------

_SECOND_OPERAND = {"MmBackward0": "_saved_mat2", "BmmBackward0": "_saved_mat2", "MvBackward0": "_saved_vec",
                   "DotBackward0": "_saved_tensor"}
_FROM_RESULT = {K.EXP, K.TAN, K.TANH, K.SIGMOID, K.RELU, K.SQRT, K.EXPM1, K.RECIPROCAL, K.EXP2, K.RSQRT}


def _saved(node, attr):
    tape, rec, r = node._rec()
    if r < 0:
        raise AttributeError(f"'{type(node).__name__}' object has no attribute '{attr}'")
    op, out, n, a, b, m, ia = (int(v) for v in rec[r])
    owner = node._tensor() if node._tensor is not None else _find_owner(node, tape)
    of = (tuple(owner.shape), owner.dtype) if owner is not None else node._of    # (the tensor's, kept by the node)
    shape, dtype = of if of is not None else ((n,), None)
    name = node._name
    table = {}
    if op < K.N_ELEMENTWISE and name != K.backward_name(op) and not name.startswith("PowBackward") and \
            not (op == K.DIV and name == "MulBackward0" and reflected_number(tape, rec[r], K.DIV)):
        op = -1     # a composite named by torch's op (softmax...): its saved values are not this record's
    if op in (K.ADD, K.SUB) and b >= 0:
        table["_saved_alpha"] = lambda: 1
    elif op == K.DIV and b >= 0 and reflected_number(tape, rec[r], K.DIV):
        # 3 / x: torch's node is x.reciprocal().mul(3), which saves the number only
        table["_saved_self"] = lambda: None
        table["_saved_other"] = lambda: _value(tape, a, m & 1, (), dtype, r)
    elif op in (K.MUL, K.DIV) and b >= 0:
        a_rg, b_rg = bool(m & 4), bool(m & 8)
        if op == K.MUL and reflected_number(tape, rec[r]):     # 3 * x: torch's node is x.mul(3)
            a, b, m, a_rg, b_rg = b, a, (m & 2) >> 1 | (m & 1) << 1, b_rg, a_rg
        table["_saved_self"] = lambda: _value(tape, a, m & 1, shape, dtype, r) if b_rg else None
        table["_saved_other"] = lambda: _value(tape, b, m & 2, shape, dtype, r) if (a_rg or op == K.DIV) else None
    elif op == K.POW and b >= 0:
        if name == "PowBackward0":          # a number exponent
            table["_saved_self"] = lambda: _value(tape, a, m & 1, shape, dtype, r)
            table["_saved_exponent"] = lambda: _number(tape.vals[b])
        elif name == "PowBackward2":        # a number base
            table["_saved_self"] = lambda: _number(tape.vals[a])
            table["_saved_exponent"] = lambda: _value(tape, b, m & 2, shape, dtype, r)
            table["_saved_result"] = lambda: _result(owner, tape, out, shape, dtype, name)
        else:
            table["_saved_self"] = lambda: _value(tape, a, m & 1, shape, dtype, r)
            table["_saved_exponent"] = lambda: _value(tape, b, m & 2, shape, dtype, r)
            table["_saved_result"] = lambda: _result(owner, tape, out, shape, dtype, name)
    elif op in _FROM_RESULT:
        table["_saved_result"] = lambda: _result(owner, tape, out, shape, dtype, name)
    elif 0 <= op < K.N_ELEMENTWISE and b >= 0 and op not in (K.ADD, K.SUB, K.MUL, K.DIV, K.POW):
        saves = O.TABLE[op].saves       # (maximum, atan2, hypot, fmod, xlogy, copysign...: as torch's nodes)
        if "x" in saves:
            table["_saved_self"] = lambda: _value(tape, a, m & 1, shape, dtype, r)
        if "y" in saves:
            table["_saved_other"] = lambda: _value(tape, b, m & 2, shape, dtype, r)
        if "o" in saves:
            table["_saved_result"] = lambda: _result(owner, tape, out, shape, dtype, name)
    elif 0 <= op < K.N_ELEMENTWISE and K.saves_values(op):
        table["_saved_self"] = lambda: _value(tape, a, m & 1, shape, dtype, r)
    elif op == K.HOST and hasattr(tape.host.get(r), "ashape"):     # (two-operand host records: matmul, losses...)
        h = tape.host[r]
        A, B = h.aval if h.a < 0 else _slot_value(tape, h.a, h.ashape), h.bval if h.b < 0 else \
            _slot_value(tape, h.b, h.bshape)
        table["_saved_self"] = lambda: _on_graph(tape, h.a, A, dtype, r)
        table[_SECOND_OPERAND.get(name, "_saved_other")] = lambda: _on_graph(tape, h.b, B, dtype, r)
    if name in _SAVES_RESULT:
        table["_saved_result"] = lambda: _result(owner, tape, out, shape, dtype, name)
        if name in ("MaxBackward1", "MinBackward1"):
            table["_saved_self"] = lambda: _input_tensor(node)
    if name in ("SumBackward1", "MeanBackward1"):
        args = RD.REDUCE_ARGS.get(tape, {}).get(node._slot)
        if args is not None:
            table["_saved_dim"], table["_saved_keepdim"] = (lambda: args[0]), (lambda: args[1])
    if name in _SAVES_INPUT_SIZES:
        table["_saved_self_sym_sizes"] = lambda: _input_shape(node)
        if name.startswith("Mean"):
            table["_saved_self_sym_numel"] = lambda: math.prod(_input_shape(node))
    noted = _noted(node)
    if noted:
        for k, v in noted.items():
            table["_saved_" + k] = _arg_reader(node, v, owner, tape, shape, dtype, name)
    if attr not in table:
        raise AttributeError(f"'{type(node).__name__}' object has no attribute '{attr}'")
    freed = tape.freed is not None and r < len(tape.freed) and bool(tape.freed[r])
    try:
        v = table[attr]()       # (each value built only when asked for)
    except RuntimeError:
        if freed:
            raise RuntimeError(T.FREED_MSG) from None
        raise
    if freed and (isinstance(v, Tensor) or _has_tensor(v)):
        raise RuntimeError(T.FREED_MSG)     # backward without retain_graph freed this record's saved values
    return v


def _noted(node):
    """The arguments torch's node saved, noted by the op (saved_nodes.note_args), or None."""
    args = node._tape.node_args if node._tape is not None else None
    got = args.get(node._slot) if args else None
    if got is None and node._name == "SelectBackward0":
        return _select_args(node.__dict__.get("_select_fn"))
    return got[1] if got is not None and got[0] == node._name else None


def _select_args(fn):
    """SelectBackward0's dim and index, read from its tensor's view function
    (x[i] records nothing else: the hot op of scalar loops; a negative index is noted)."""
    if isinstance(fn, _Row):
        return {"dim": 0, "index": fn.i}
    key = getattr(fn, "key", None)
    if not isinstance(key, tuple):
        return None
    last = max((j for j, k in enumerate(key) if k.__class__ is int), default=None)
    if last is None:
        return None
    # (torch selects one int after another: the last one's dim counts the slices and Nones before it)
    return {"dim": sum(1 for k in key[:last] if k.__class__ is not int), "index": SN.uint(key[last])}


def _has_tensor(v) -> bool:
    return isinstance(v, tuple) and any(isinstance(e, Tensor) for e in v)


def _arg_reader(node, v, owner, tape, shape, dtype, name):
    if isinstance(v, SN.Input):
        if v < 0:
            return lambda: _result(owner, tape, node._slot, shape, dtype, name)
        like = (shape, dtype) if v.__class__ is SN.InputLike else getattr(v, "like", None)
        return lambda: _input_tensor(node, v, like)
    return lambda: v


# nodes that save their input's sizes (not freed by backward: numbers, not tensors)
_SAVES_INPUT_SIZES = {"SumBackward0", "SumBackward1", "MeanBackward0", "MeanBackward1", "ViewBackward0",
                      "ExpandBackward0", "SelectBackward0", "SliceBackward0", "SqueezeBackward1", "IndexBackward0"}


# composites (several records) whose torch node saves its result
_SAVES_RESULT = {"SoftmaxBackward0", "LogSoftmaxBackward0", "MaxBackward1", "MinBackward1"}


def _input_tensor(node, i=0, like=None):
    """The node's i-th input as torch saved it: the leaf, or that result on the
    graph (`like`: its (shape, dtype) when its tensor is gone)."""
    nf = node.next_functions
    first = nf[i][0] if len(nf) > i else None
    if isinstance(first, AccumulateGrad) and first.variable is not None:
        return first.variable
    if isinstance(first, TapeNode):
        owner = first._owner()
        of = first._of or like
        if owner is not None or of is not None:
            return _result(owner, first._tape, first._slot, of[0], of[1], first._name)
    raise RuntimeError(_GONE.replace("output tensor", "input tensor"))


def _input_shape(node):
    """The shape of the node's input: a leaf's, or the one its node remembers."""
    nf = node.next_functions
    first = nf[0][0] if nf else None
    if isinstance(first, AccumulateGrad) and first.variable is not None:
        return tuple(first.variable.shape)
    if isinstance(first, TapeNode):
        owner = first._owner()
        of = (tuple(owner.shape), owner.dtype) if owner is not None else first._of
        if of is not None:
            return of[0]
    raise RuntimeError(_GONE.replace("output tensor", "input tensor"))


def _number(v):
    v = float(v)
    return int(v) if v.is_integer() else v


def _slot_value(tape, slot, shape):
    n = int(np.prod(shape)) if shape else 1
    return np.array(tape.vals[slot:slot + n]).reshape(shape)


_GONE = ("jitgrad: this node's output tensor no longer exists, and the shape and dtype of its saved "
         "values are not on the tape; read _saved_* through a tensor that is still alive (y.grad_fn)")


def _leaf_or(tape, slot, arr, dtype):
    """The leaf held in `slot` if there is one alive, else a tensor of arr
    (dtype None: the node's tensor is gone, its dtype unknown: an error, not a guess)."""
    if slot >= 0:
        for leaf, _, _, s, _ in tape.inputs:
            if s == slot and leaf is not None and leaf() is not None:
                return leaf()
    if dtype is None:
        raise RuntimeError(_GONE)
    return Tensor._wrap(np.asarray(arr), dtype)


def _value(tape, slot, scalar, shape, dtype, r):
    """The operand in `slot` of record r, as torch saved it (before a broadcast)."""
    r2 = _record_of(tape, slot, 1, before=r)
    if r2 >= 0 and not scalar:
        named = COMPOSITE_EDGES.get(tape, {}).get(int(_records(tape)[r2, 1]))
        if named is not None and named[0] == "":
            slot, shape = int(_records(tape)[r2, 3]), named[1]
            r2 = _record_of(tape, slot, 1, before=r2)
    if scalar:
        shape = ()
    return _on_graph(tape, slot, _slot_value(tape, slot, shape) if dtype is not None else None, dtype, r, r2)


def _on_graph(tape, slot, arr, dtype, r, r2=None):
    """The operand in `slot` of record r: the leaf, or a tensor of its
    values placed on the graph where its record r2 put it (torch's saved
    tensor is that result, with its grad_fn)."""
    t = _leaf_or(tape, slot, arr, dtype)
    if slot >= 0 and not t._rg:
        r2 = _record_of(tape, slot, 1, before=r) if r2 is None else r2
        if r2 >= 0:
            node = _node_for_record(tape, r2, slot, t.numel())
            t._rg, t._tape, t._slot, t._name = True, tape, slot, node._name
    return t


def _result(owner, tape, out, shape, dtype, name):
    """The op's output as torch unpacks it: a new tensor at the same place in
    the graph."""
    if owner is None:
        if dtype is None:
            raise RuntimeError(_GONE)
        t = Tensor._wrap(_slot_value(tape, out, shape), dtype)
        t._rg, t._tape, t._slot, t._name = True, tape, out, name
        return t
    t = Tensor._wrap(owner._data(), owner.dtype)
    t._rg, t._tape, t._slot, t._name, t._bulk = owner._rg, owner._tape, owner._slot, owner._name, owner._bulk
    return t
