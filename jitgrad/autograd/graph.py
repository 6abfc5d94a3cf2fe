"""jitgrad.autograd.graph: the recorded graph seen as torch's nodes.

A tensor's ``grad_fn`` is a node standing for the tape record that produced
it; ``next_functions`` reads that record's operand slots back: a slot that
is an input of the tape is a leaf (``AccumulateGrad``, with ``.variable``) or
a tensor of an older tape (that tape's record), a slot written by an earlier
record is that record's node, and any other slot is a constant (``None``).
``_saved_self`` / ``_saved_other`` / ``_saved_exponent`` / ``_saved_result``
give the values torch's node saves, read from the tape's slots.

Nodes are looked up on demand (introspection is rare; recording pays
nothing), and cached per tape and record so that
``z.grad_fn.next_functions[0][0] is y.grad_fn``.

Records are jitgrad's primitives: a composite op (softmax, the losses,
linear) shows its own name, and when it registered its tensor arguments
(functional.base._named) its next functions are theirs, as torch's single
node; otherwise they are the primitives it was built from.
"""
import abc
import collections
import contextlib
import gc
import weakref

import numpy as np

from ..core import kernels as K
from ..core import tape as T
from ..tensors import tensor as TT
from ..tensors.tensor import Tensor, _grad_fn_type
from ..functional.base import COMPOSITE_EDGES, Between
from . import function as AFn
from .function import SAVED_HOOKS, SAVED_HOOKS_CHANGED, BackwardCFunction, _FunctionRecord


class Node(abc.ABC):
    """Base of every graph node (torch.autograd.graph.Node)."""

    @abc.abstractmethod
    def name(self):
        ...

    @property
    @abc.abstractmethod
    def next_functions(self):
        ...

    @property
    def metadata(self):
        d = self.__dict__.get("_metadata") if hasattr(self, "__dict__") else None
        if d is None:
            d = {}
            try:
                self._metadata = d
            except AttributeError:
                pass
        return d

    def register_hook(self, fn):
        raise NotImplementedError("jitgrad: hooks on graph nodes are not supported; use Tensor.register_hook")

    def register_prehook(self, fn):
        raise NotImplementedError("jitgrad: hooks on graph nodes are not supported; use Tensor.register_hook")


class AccumulateGrad(Node):
    """The node of a leaf that requires grad: its gradient is accumulated."""

    def __init__(self, leaf):
        self._leaf = weakref.ref(leaf)

    @property
    def variable(self):
        return self._leaf()

    def name(self):
        return "torch::autograd::AccumulateGrad"

    @property
    def next_functions(self):
        return ()

    def __repr__(self):
        return f"<AccumulateGrad object at {hex(id(self))}>"


Node.register(BackwardCFunction)


# Nodes jitgrad records itself that torch makes with a Python autograd.Function.
_PYTHON_NODES = frozenset({"CheckpointFunctionBackward"})


class TapeNode(Node):
    """The node of one tape record; subclassed per backward name so that
    type(node).__name__ is torch's class name (MulBackward0)."""

    def __init__(self, name, tape, slot, n, tensor=None):
        self._name = name
        self._tape = tape             # held, as torch's node holds its graph: (x * 2).grad_fn.next_functions
        self._slot = slot
        self._n = n                  # slots of the tensor (several records may write them)
        self._record = None
        self._tensor = None if tensor is None else weakref.ref(tensor)
        self._of = None if tensor is None else (tuple(tensor.shape), tensor.dtype)   # (kept when it is gone)

    def name(self):
        return "torch::autograd::" + self._name if self._name in ("CopySlices", "CopyBackwards", "Identity") else self._name

    def __repr__(self):
        # (nodes of torch's Python Functions print their module, its C++ nodes none)
        where = "jitgrad.autograd.function." if self._name in _PYTHON_NODES else ""
        return f"<{where}{self._name} object at {hex(id(self))}>"

    def __call__(self, *grads):
        raise RuntimeError("calling a grad_fn directly is not supported by jitgrad")

    def _owner(self):
        t = self._tensor() if self._tensor is not None else None
        tape = self._tape
        return t if t is not None or tape is None else _find_owner(self, tape)

    # ----- the record behind the node
    def _rec(self):
        tape = self._tape
        if tape is None:
            return None, None, -1
        if self._record is None:
            self._record = _record_of(tape, self._slot, self._n)
        return tape, _records(tape), self._record

    @property
    def next_functions(self):
        # Kept: the nodes below stay the same objects (identity, metadata) while this one lives.
        nf = self.__dict__.get("_next_functions")
        if nf is None:
            nf = self._next_functions = self._read_next_functions()
        return nf

    def _read_next_functions(self):
        tape, rec, r = self._rec()
        if r < 0:
            return ()
        composite = COMPOSITE_EDGES.get(tape, {}).get(self._slot)
        if composite is not None and composite[0] == self._name and composite[1] is not None:
            return tuple((_edge_node(e), 0) for e in composite[1])
        op = int(rec[r, K.REC_OP])
        host = tape.host.get(r)
        if isinstance(host, _FunctionRecord):
            return _function_next(host)
        if op == K.BULK:
            return ()
        if op == K.HOST:
            slots = [(host.a, int(np.prod(host.ashape))), (host.b, int(np.prod(host.bshape)))]
        elif op == K.POW and self._name in _ONE_TENSOR_OPERAND:
            which = _ONE_TENSOR_OPERAND[self._name]
            slots = [_operands(rec[r])[which]]
        elif op == K.SUB and self._name in _ONE_TENSOR_OPERAND:
            slots = [_operands(rec[r])[1]]
        elif reflected_number(tape, rec[r]):
            slots = _operands(rec[r])[::-1]
        elif reflected_number(tape, rec[r], K.DIV):
            # number / x is torch's x.reciprocal() * number
            (a, _), (b, n) = _operands(rec[r])
            return ((_between("ReciprocalBackward0", (_node_at(tape, r, b, n),)), 0), (None, 0))
        else:
            # Records writing into the tensor's slots (stack, cat: one per
            # operand) are one node.
            outs = rec[:r + 1, 1]
            same = np.nonzero(((outs >= self._slot) & (outs < self._slot + max(self._n, 1))) |
                              ((outs <= self._slot) & (outs + rec[:r + 1, 2] > self._slot)))[0]
            slots = [p for q in same for p in _operands(rec[q])]
        return tuple((_node_at(tape, r, s, n), 0) for s, n in slots)


def reflected_number(tape, row, ops=(K.MUL, K.ADD)):
    """Whether an add/mul record is `number <op> tensor`: torch's node is
    tensor.mul(number), its inputs (tensor, number). Records flag a size-1
    operand (m & 1; a constant tensor is marked "<tensor>") except on the
    0-d fast path, where a constant operand is taken for a number (a 0-d
    constant tensor times a 0-d tensor, rarer, torch lists the other way)."""
    op, n, m = int(row[0]), int(row[2]), int(row[5])
    if isinstance(ops, int):
        ops = (ops,)
    if not (op in ops and int(row[4]) >= 0 and not m & 4 and m & 8):
        return False
    if m & 1:
        return COMPOSITE_EDGES.get(tape, {}).get(int(row[3]), ("",))[0] != "<tensor>"
    return n == 1 and not m & 3


# torch nodes of a number and a tensor that list only the tensor: which
# operand (0: a, 1: b) that is.
_ONE_TENSOR_OPERAND = {"PowBackward0": 0, "PowBackward2": 1, "RsubBackward1": 1}

_TYPES = {}


def _node_type(name):
    cls = _TYPES.get(name)
    if cls is None:
        cls = _TYPES[name] = type(name, (TapeNode,), {"__module__": "builtins"})    # <class 'MulBackward0'>, as torch
    return cls


# tape -> {output slot: node}, the nodes held weakly (a node holds its tape)
_BY_SLOT = weakref.WeakKeyDictionary()


def _cached(tape, slot, n, name, tensor=None):
    nodes = _BY_SLOT.get(tape)
    if nodes is None:
        nodes = _BY_SLOT[tape] = weakref.WeakValueDictionary()
    node = nodes.get(slot)
    if node is None or node._name != name:
        node = nodes[slot] = _node_type(name)(name, tape, slot, n, tensor)
    return node


def _records(tape):
    # A copy: a NumPy view would stop the open tape's array from growing.
    if tape.sealed is not None:
        return tape.sealed[0]
    return np.array(tape.rec, np.int64).reshape(-1, K.REC_WIDTH)


def _operands(row):
    """(slot, size) of each operand a record reads (size: elements)."""
    op, out, n, a, b, m = (int(v) for v in row[:6])
    if op < K.N_ELEMENTWISE:
        res = [(a, 1 if m & 1 else n)]
        if b >= 0:
            res.append((b, 1 if m & 2 else n))
        return res
    if op == K.SCATTER:
        return [(a, n), (b, m)]
    if op in (K.MSE_LOSS, K.HUBER_LOSS, K.SMOOTH_L1_LOSS):
        return [(a, m), (b, m)]     # (input, target)
    if op == K.BATCH_NORM:
        return [(a, n)] + ([(b, m)] if b >= 0 else [])     # (x; weight, bias)
    return [(a, m)]


def _record_of(tape, slot, n, before=None):
    """The last record (before `before`) writing into slots slot..slot+n, or -1."""
    rec = _records(tape)
    if before is not None:
        rec = rec[:before]
    if not len(rec):
        return -1
    outs, ns = rec[:, 1], rec[:, 2]
    hit = ((outs >= slot) & (outs < slot + max(n, 1))) | \
        (((rec[:, 0] == K.HOST) | (rec[:, 0] == K.GATHER)) & (outs <= slot) & (outs + ns > slot))
    idx = np.nonzero(hit)[0]
    return int(idx[-1]) if idx.size else -1


def _record_name(tape, r, op, n=0):
    """The node name of record r, whose tensor has n elements (0: r's own)."""
    host = tape.host.get(r)
    if isinstance(host, _FunctionRecord):
        return host.node._name
    name = getattr(host, "name", None)
    if isinstance(name, str):
        return name
    if op == K.COPY:
        # views, stack and clone copy slots; a view is the common case. One
        # element copied out of a larger tensor is x[i] (its fast path
        # registers no name: indexing._element).
        row = _records(tape)[r]
        if int(row[2]) < n:
            return "StackBackward0"     # one COPY per 0-d input (functional.small.stack_scalars; _join registers)
        if int(row[2]) == 1 and _region_size(tape, r, int(row[3])) > 1:
            return "SelectBackward0"
        return "ViewBackward0"
    if op == K.SUM or op == K.SUM_IDX:
        # mean is a sum scaled by 1 / count (functional.reductions._record_sum)
        row = _records(tape)[r]
        c = int(row[6]) if op == K.SUM else int(tape.meta[int(row[6])])
        scale = float(tape.vals[c])
        if scale != 1.0 and (op == K.SUM or scale * int(row[5]) == int(row[2])):
            return "MeanBackward0" if op == K.SUM else "MeanBackward1"
    if op == K.SUB and reflected_number(tape, _records(tape)[r], K.SUB):
        return "RsubBackward1"              # number - tensor
    if op == K.DIV and reflected_number(tape, _records(tape)[r], K.DIV):
        return "MulBackward0"               # number / tensor: x.reciprocal() * number
    if op == K.POW:
        m, n = int(_records(tape)[r, 5]), int(_records(tape)[r, 2])
        number = n == 1 and not m & 3       # (the 0-d fast path flags no number: a constant, most likely one)
        if m & K.POW_NUMBER:
            return "PowBackward0"           # tensor ** number (recorded as such)
        if m & 8 and not m & 4 and (m & 1 or number):
            return "PowBackward2"           # number ** tensor
        return "PowBackward1"
    return K.backward_name(op)


def _region_size(tape, r, slot):
    """Elements of the tensor holding `slot` (an input of the tape or written by a record before r)."""
    for _, _, _, s, size in tape.inputs:
        if s <= slot < s + max(size, 1):
            return size
    r2 = _record_of(tape, slot, 1, before=r)
    return 0 if r2 < 0 else int(_records(tape)[r2, 2])


def _node_at(tape, r, slot, n):
    """The node that produced slots slot..slot+n of tape (read by record r)."""
    if slot < 0:
        return None
    for leaf, older, older_slot, s, size in tape.inputs:
        if s <= slot < s + max(size, 1):
            if leaf is not None:
                t = leaf()
                return None if t is None or not t._rg else accumulate_node(t)
            r2 = _record_of(older, older_slot, size)
            return None if r2 < 0 else _node_for_record(older, r2, older_slot, size)
    r2 = _record_of(tape, slot, n, before=r)
    if r2 < 0:
        return None                    # a constant
    row = _records(tape)[r2]
    moved = T.MOVED.get(tape)
    if moved and int(row[0]) == K.COPY and int(row[1]) in moved:
        return _node_at(tape, r2, moved[int(row[1])], n)     # (a tensor overwritten without a record: its node stays)
    named = COMPOSITE_EDGES.get(tape, {}).get(int(row[1]))
    if named is not None and named[0] == "":
        (a, m), = _operands(row)       # a broadcast's expand: torch's node reads its operand
        return _node_at(tape, r2, a, m)
    return _node_for_record(tape, r2, slot, n)


def _edge_node(edge):
    """The node a composite's argument had when the composite ran (functional.base._edge)."""
    if edge is None:
        return None
    if isinstance(edge, weakref.ref):
        leaf = edge()
        return None if leaf is None or not leaf._rg else accumulate_node(leaf)
    if isinstance(edge, Between):
        return _between(edge[0], tuple(_edge_node(e) for e in edge[1]))
    tape_ref, slot, n = edge
    tape = tape_ref()
    r = -1 if tape is None else _record_of(tape, slot, n)
    if r < 0:
        return None
    named = COMPOSITE_EDGES.get(tape, {}).get(int(_records(tape)[r][1]))
    if named is not None and named[0] == "":
        (a, m), = _operands(_records(tape)[r])     # (a record torch has no node for: its operand's)
        return _node_at(tape, r, a, m)
    return _node_for_record(tape, r, slot, n)


def _between(name, nodes):
    """A node torch has where jitgrad recorded none, over `nodes`."""
    if all(n is None for n in nodes):
        return None         # (nothing below requires grad: torch has no node)
    cls = _TYPES.get(("between", name))
    if cls is None:
        cls = _TYPES[("between", name)] = type(name, (_BetweenNode,), {"__module__": "builtins"})
    return cls(name, nodes)


def _function_next(host):
    """A custom Function's next functions: one per tensor argument."""
    node = host.node
    tape = node._tape() if node._tape is not None else None
    if tape is None:
        return ()
    slots = {arg: (slot, int(np.prod(shape)) if shape else 1) for arg, slot, shape, _ in host.ins}
    return tuple((_node_at(tape, node._record, *slots[i]) if i in slots else None, 0)
                 for i in node._tensor_args)


BackwardCFunction.next_functions = property(lambda node: _function_next(node._tape().host[node._record])
                                            if node._tape is not None and node._tape() is not None else ())


class _BetweenNode(Node):
    """A node torch has where jitgrad's composite records none (the
    TBackward0 of linear's weight.t()): a name and its next functions."""

    def __init__(self, name, next_nodes):
        self._name, self._next = name, next_nodes

    def name(self):
        return self._name

    @property
    def next_functions(self):
        return tuple((n, 0) for n in self._next)

    def __repr__(self):
        return f"<{self._name} object at {hex(id(self))}>"


def _node_for_record(tape, r, slot, n):
    host = tape.host.get(r)
    if isinstance(host, _FunctionRecord):
        return host.node
    rec = _records(tape)
    start = min(slot, int(rec[r, K.REC_OUT]))
    composite = COMPOSITE_EDGES.get(tape, {}).get(start)
    name = composite[0] if composite is not None else _record_name(tape, r, int(rec[r, K.REC_OP]), n)
    node = _cached(tape, start, n, name)
    node._record = r
    return node


def accumulate_node(leaf):
    node = leaf.__dict__.get("_accumulate_node")
    if node is None:
        node = leaf._accumulate_node = AccumulateGrad(leaf)
    return node


def _find_owner(node, tape):
    """The live tensor a node reached through next_functions produced (its
    dtype and shape are not on the tape), or None. Introspection only: a
    scan of the tape's referrers, remembered on the node."""
    for t in gc.get_referrers(tape):
        if isinstance(t, Tensor) and t._tape is tape and t._slot == node._slot and t._name is not None:
            node._tensor = weakref.ref(t)
            node._of = (tuple(t.shape), t.dtype)
            return t
    return None


# ----- Tensor.grad_fn -------------------------------------------------------------------

def grad_fn(t):
    """t's node: the ctx of a custom Function, else the node of its record."""
    if t._name is None:
        return None
    if TT._guard_hook is not None and t._rg and not TT._guard_hook.visible_rg(t):
        return None     # compile: on the tape, but derived from nothing that requires grad
    g = t._gfn
    if g is not None and g._name == t._name and (isinstance(g, (BackwardCFunction, TapeNode)) or t._tape is None):
        return g
    if t._tape is None:          # (no tape to read: a node that only has the name)
        g = t._gfn = _grad_fn_type(t._name)(t._name, t)
        return g
    slot, moved = t._slot, T.MOVED.get(t._tape)
    while moved and slot in moved:      # (overwritten without a record: torch's node is the old one)
        slot = moved[slot]
    g = t._gfn = _cached(t._tape, slot, 1 if t._bulk else t.numel(), t._name, t)
    if g._tensor is None:
        g._tensor = weakref.ref(t)
        g._of = (tuple(t.shape), t.dtype)
    if t._name == "SelectBackward0" and t._view is not None and "_select_fn" not in g.__dict__:
        g._select_fn = t._view.fn      # (its _saved_index and _saved_dim, kept when t is gone)
    return g


Tensor.grad_fn = property(grad_fn)     # (tensor.py's GradFn knew only the name)


class saved_tensors_hooks:
    """Context manager of (pack_hook, unpack_hook) for saved tensors: the
    tensors custom Functions save with save_for_backward (packed when saved,
    unpacked when read), and those built-in ops save (saved_builtin.py)."""

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook, self.unpack_hook = pack_hook, unpack_hook

    def __enter__(self) -> None:       # (torch's returns None: `as h` binds None)
        if AFn.HOOKS_DISABLED:
            raise RuntimeError(AFn.HOOKS_DISABLED[-1])
        SAVED_HOOKS.append((self.pack_hook, self.unpack_hook))
        for changed in SAVED_HOOKS_CHANGED:
            changed()

    def __exit__(self, *exc):
        SAVED_HOOKS.pop()
        for changed in SAVED_HOOKS_CHANGED:
            changed()
        return False


class save_on_cpu(saved_tensors_hooks):
    """Saved tensors packed as (device, a CPU copy) and moved back on unpack."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        def pack_to_cpu(tensor):
            if not pin_memory:
                return (tensor.device, tensor.cpu())
            packed = tensor.new_empty(tensor.size())
            packed.copy_(tensor)
            return (tensor.device, packed)

        def unpack_from_cpu(packed):
            device, tensor = packed
            return tensor.to(device, non_blocking=pin_memory)

        super().__init__(pack_to_cpu, unpack_from_cpu)


@contextlib.contextmanager
def disable_saved_tensors_hooks(error_message: str):
    """Entering saved_tensors_hooks (or save_on_cpu) inside raises RuntimeError(error_message)."""
    with AFn.hooks_disabled(error_message):
        yield


# ----- gradient edges ------------------------------------------------------------------

class GradientEdge(collections.namedtuple("GradientEdge", ["node", "output_nr", "ownership_token"],
                                          defaults=(None,))):
    """torch.autograd.graph.GradientEdge: (node, output_nr). jitgrad's edge
    also keeps the tensor it was taken from (`_tensor`), which autograd.grad
    differentiates with respect to when given the edge."""


def get_gradient_edge(tensor):
    if not tensor.requires_grad:
        raise RuntimeError("It is not possible to get the gradient edge for a Tensor that does not require gradients")
    node = tensor.grad_fn
    edge = GradientEdge(accumulate_node(tensor) if node is None else node, tensor.output_nr)
    edge._tensor = tensor
    return edge
