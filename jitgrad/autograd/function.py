"""jitgrad.autograd.Function: custom differentiable operations, PyTorch's API.

    class MyExp(jitgrad.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            y, = ctx.saved_tensors
            return g * y

`apply` runs `forward` without recording and appends ONE *host* record to the
tape: its outputs occupy consecutive slots (`out .. out + n`), its operands
are the slots of the inputs that require grad. The Numba sweep stops at it and
calls `_FunctionRecord.backward`, which runs the user's Python backward once
per adjoint column. Under `create_graph=True` (`symbolic.py`) the same
backward runs with grad mode on, so gradients written with tensor ops are
themselves recorded (double backward). Forward mode (`tangent_sweep`) calls
the Function's `jvp`.

The ctx is the node torch prints as the output's grad_fn (`<MyExpBackward>`):
an instance of a class made per Function subclass. It holds saved tensors as
weak references plus their values (no reference cycle tape -> ctx -> tensor ->
tape), and the version each had, to raise torch's in-place error.
"""
import functools
import math
import warnings
import weakref

import numpy as np

from ..autodiff import engine
from ..functional import functions as F
from ..core import kernels as K
from ..core import tape as T
from ..core import upper
from ..core.grad_mode import enable_grad, no_grad
from ..tensors.tensor import (Tensor)
from ..tensors import views as IX
from ..tensors.arith import (_finish, _push_operand, _push_out)
from ..autodiff.matmul import sum_to_tensor
from ..core.grad_mode import check_anomaly

STATE = T.STATE

# (pack_hook, unpack_hook) pairs of graph.saved_tensors_hooks, innermost last.
SAVED_HOOKS = []
# callbacks told when SAVED_HOOKS changes (saved_builtin.py: built-in ops' saved tensors)
SAVED_HOOKS_CHANGED: list = []
# error messages of the enclosing graph.disable_saved_tensors_hooks, innermost last
HOOKS_DISABLED: list = []


class hooks_disabled:
    """graph.disable_saved_tensors_hooks: entering saved_tensors_hooks inside
    raises RuntimeError(message); entering it inside saved_tensors_hooks
    raises it at once, as torch (its torch.func transforms so refuse hooks)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __enter__(self) -> None:
        if SAVED_HOOKS:
            raise RuntimeError(self.message)
        HOOKS_DISABLED.append(self.message)

    def __exit__(self, *exc) -> bool:
        HOOKS_DISABLED.pop()
        return False


# torch.func's reverse-mode transforms run under hooks_disabled(FUNC_NO_HOOKS)
FUNC_NO_HOOKS = ("torch.func.{grad, vjp, jacrev, hessian} don't yet support saved tensor hooks. Please open an "
                 "issue with your use case.")


class FunctionCtx:
    """The methods `forward` / `setup_context` call on ctx."""

    def save_for_backward(self, *tensors):
        self.to_save = tensors     # (checked when the graph records them, as torch: _record)

    def save_for_forward(self, *tensors):
        self.saved_for_forward = tensors

    def mark_dirty(self, *args):
        self.dirty_tensors = args

    def mark_non_differentiable(self, *args):
        self.non_differentiable = args

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)



class _Saved:
    """One tensor of save_for_backward: how to get it back in backward."""
    __slots__ = ("ref", "strong", "value", "dtype", "shape", "slot", "n", "version", "info", "packed", "unpack",
                 "output")


class BackwardCFunction(FunctionCtx):
    """The graph node of one `apply`: the ctx of forward/backward and the
    grad_fn of its outputs. Subclassed per Function as `<Name>Backward`."""
    _forward_cls = None
    _tape = None         # weakref to the tape of the record (freed saved values)
    _record = -1

    def __init__(self):
        self.to_save = ()
        self.dirty_tensors = ()
        self.non_differentiable = ()
        self.materialize_grads = True
        self.needs_input_grad = ()
        self._rg_inputs = ()
        self._saved = None
        self._proxy = None      # symbolic.py's proxies during a create_graph backward
        self._name = type(self).__name__

    def name(self):
        return self._name

    next_functions = ()      # graph.py reads them from the tape

    @property
    def saved_tensors(self):
        if self.__dict__.get("_in_jvp") and ("saved_for_forward" in self.__dict__ or not _library_function(self)):
            # torch: jvp reads only what save_for_forward saved (nothing: an empty tuple); jitgrad's own
            # Functions (linalg's) read their backward's saved tensors in jvp
            return tuple(self.__dict__.get("saved_for_forward", ()))
        if self._saved is None:
            return tuple(self.to_save)
        tape = self._tape() if self._tape is not None else None
        if tape is not None and tape.freed is not None and self._record < len(tape.freed) \
                and tape.freed[self._record]:
            raise RuntimeError(engine.FREED_MSG)
        return tuple(None if s is None else _unpack(s, self._proxy) for s in self._saved)

    @property
    def saved_variables(self):
        return self.saved_tensors

    def __call__(self, *grads):
        return self._forward_cls.backward(self, *grads)


def _library_function(ctx) -> bool:
    cls = getattr(ctx, "_forward_cls", None)
    return cls is not None and getattr(cls, "__module__", "").startswith("jitgrad.")


def _pack(t, inputs, outputs):
    """A saved tensor: weakly referenced when it is an input or output of the
    record (the tape refers to them), strongly otherwise."""
    s = _Saved()
    s.slot = -1
    for obj, slot in outputs + inputs:
        if obj is t:
            s.ref, s.strong, s.slot = weakref.ref(t), None, slot
            break
    else:
        s.ref, s.strong = None, t
    s.value = t._v if t._v is not None else t._arr
    s.dtype, s.shape, s.n = t.dtype, tuple(t.shape), t.numel()
    s.version = t._version
    s.info = T.saved_info(t)
    s.output = next((i for i, (obj, _) in enumerate(outputs) if obj is t), -1)     # (which output, else -1)
    s.unpack = None
    if SAVED_HOOKS:
        pack, s.unpack = SAVED_HOOKS[-1]
        s.packed = pack(t)
    return s


def _unpack(s, proxy):
    if s.unpack is not None:
        return s.unpack(s.packed)
    t = s.strong if s.ref is None else s.ref()
    if t is not None:
        if t._version != s.version:
            # (an output of the Function itself: torch names the Function)
            raise RuntimeError(T.overwritten_message(s.info, s.info[2][2] if s.output >= 0 else None,
                                                     max(s.output, 0)))
        return t
    if proxy is not None and s.slot >= 0:
        # create_graph: a tensor standing for the slot, so the gradient
        # computed from it stays connected to the original graph.
        return F._to_dtype(F.reshape(proxy(s.slot, s.n), s.shape), s.dtype)
    return Tensor._wrap(np.asarray(s.value), s.dtype)


class _OutputSpec:
    __slots__ = ("slot", "n", "shape", "dtype", "differentiable")


class _FunctionRecord:
    """Host record of one `apply`: the Python backward for the sweep, for
    create_graph (`vjp`) and for forward mode (`jvp`)."""

    def __init__(self, node, cls, ins, outs, saves):
        self.node = node
        self.cls = cls
        self.ins = ins              # [(argument index, slot, shape, dtype)]
        self.outs = outs            # [_OutputSpec] of the tensor outputs
        self.nargs = len(node.needs_input_grad)
        self.saves_values = saves   # engine: a backward without retain_graph frees it
        self.gaps = []              # positions of outputs that are not tensors (their gradient: None)
        self.plain_args = []        # positions of arguments that are not tensors (their gradient must be None)
        self.constant_args = {}     # position -> (shape, dtype) of the tensor arguments that require no grad

    # ----- the numeric sweep: adjoints are (slots x K) float64 columns
    def backward(self, adj, vals, reach):
        # A slot's first contribution is assigned, not added (torch's first
        # gradient keeps its signed zeros), in every adjoint column.
        unreached = [reach[slot:slot + max(int(np.prod(shape)) if shape else 1, 1)] == 0
                     for _, slot, shape, _ in self.ins]
        for k in range(adj.shape[1]):
            fresh = [u.copy() for u in unreached]
            grads = []
            for o in self.outs:
                hit = reach[o.slot:o.slot + max(o.n, 1)].any()
                if not hit and not self.node.materialize_grads:
                    grads.append(None)
                    continue
                g = adj[o.slot:o.slot + o.n, k] if hit else np.zeros(o.n)
                grads.append(Tensor._wrap(g.reshape(o.shape).astype(o.dtype.np), o.dtype))
            with no_grad():
                res = self.call_backward(grads)
            for j, (arg, slot, shape, dtype) in enumerate(self.ins):
                g = res[arg]
                if g is None:
                    continue
                g = np.asarray(g._data(), np.float64).reshape(-1)
                column = adj[slot:slot + g.size, k]
                first = fresh[j][:g.size]
                column[...] = np.where(first, g, column + g)
                for i, (_, other, _, _) in enumerate(self.ins):     # the same tensor passed twice adds
                    if other == slot:
                        fresh[i][:] = False
                reach[slot:slot + max(g.size, 1)] = 1

    # ----- create_graph: g is a flat tensor over all output slots
    def vjp(self, g, proxy):
        first = self.outs[0].slot
        grads = []
        for o in self.outs:
            piece = g[o.slot - first:o.slot - first + o.n]
            grads.append(F._to_dtype(F.reshape(piece, o.shape), o.dtype))
        self.node._proxy = proxy
        try:
            with enable_grad():
                res = self.call_backward(grads)
        finally:
            self.node._proxy = None
        return [(slot, _flat(res[arg])) for arg, slot, shape, dtype in self.ins if res[arg] is not None]

    # ----- forward mode: tangents (slots x K) pushed through the record
    def jvp(self, tan, vals):
        cls = self.cls
        if cls.jvp is Function.jvp:
            raise NotImplementedError("You must implement the jvp function for custom autograd.Function "
                                      "to use it with forward mode AD.")
        slots = {arg: (slot, shape, dtype) for arg, slot, shape, dtype in self.ins}
        for k in range(tan.shape[1]):
            tangents = []
            for i in range(self.nargs):
                if i in slots:
                    slot, shape, dtype = slots[i]
                    n = math.prod(shape)
                    tangents.append(Tensor._wrap(tan[slot:slot + n, k].reshape(shape).astype(dtype.np), dtype))
                elif i in self.constant_args:
                    # (torch's jvp gets zeros for a tensor without a tangent, None for a non-tensor)
                    shape, dtype = self.constant_args[i]
                    tangents.append(Tensor._wrap(np.zeros(shape, dtype.np), dtype))
                else:
                    tangents.append(None)
            with no_grad():
                self.node._in_jvp = True
                try:
                    res = cls.jvp(self.node, *tangents)
                finally:
                    self.node._in_jvp = False
            res = res if isinstance(res, tuple) else (res,)
            for o, t in zip(self.outs, res):
                if t is not None and o.differentiable:
                    if tuple(t.shape) != o.shape:
                        raise RuntimeError("Trying to set a forward gradient that has a different size than that of "
                                           f"the original Tensor, this is not supported. Tensor is of size "
                                           f"{list(o.shape)} while the given forward gradient is of size "
                                           f"{list(t.shape)}.")
                    tan[o.slot:o.slot + o.n, k] += np.asarray(t._data(), np.float64).reshape(-1)

    def call_backward(self, grads):
        """The user's backward, its result checked and shaped as torch does."""
        name = self.node._name
        if self.gaps:
            grads = list(grads)
            for i in self.gaps:
                grads.insert(i, None)
        res = self.cls.backward(self.node, *grads)
        if not isinstance(res, tuple):
            res = (res,)
        if len(res) != self.nargs:
            if len(res) > self.nargs and all(r is None for r in res[self.nargs:]):
                res = res[:self.nargs]      # torch ignores trailing Nones
            else:
                raise RuntimeError(f"function {name} returned an incorrect number of gradients "
                                   f"(expected {self.nargs}, got {len(res)})")
        res = list(res)
        for i in self.plain_args:
            if res[i] is not None:
                raise RuntimeError(f"function {name} returned a gradient different than None at position "
                                f"{i + 1}, but the corresponding forward input was not a Variable")
        for arg, slot, shape, dtype in self.ins:
            g = res[arg]
            if g is None:
                continue
            if not isinstance(g, Tensor):
                raise RuntimeError(f"expected Variable or None (got {type(g).__name__})")
            if tuple(g.shape) != shape:
                if not _expandable(shape, tuple(g.shape)):
                    raise RuntimeError(f"Function {name} returned an invalid gradient at index {arg} - got "
                                       f"{list(g.shape)} but expected shape compatible with {list(shape)}")
                g = F.reshape(sum_to_tensor(g, shape), shape)
            if g.dtype is not dtype:
                g = F._to_dtype(g, dtype)
            res[arg] = g
        check_anomaly(name, *(None if res[a] is None else res[a]._data() for a, *_ in self.ins))
        return res


def _flat(g):
    """g as a flat tensor; the reshape keeps the name of the op that made g
    (a gradient's grad_fn is the last op of the user's backward)."""
    out = F.reshape(g, (-1,))
    if out._rg and g._name is not None:
        out._name = g._name
    return out


def _expandable(shape, to):
    """Whether `shape` broadcasts to `to` (torch then sums the gradient down)."""
    if len(shape) > len(to):
        return False
    return all(s == 1 or s == t for s, t in zip(shape[::-1], to[::-1]))


class Function(FunctionCtx):
    """Base class of custom autograd operations (torch.autograd.Function)."""
    _backward_cls = None
    generate_vmap_rule = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        node = type(cls.__name__ + "Backward", (BackwardCFunction,), {"_forward_cls": cls})
        node.__module__ = "jitgrad.autograd.function"
        node.__qualname__ = node.__name__
        cls._backward_cls = node

    def __init__(self, *args, **kwargs):
        warnings.warn(f"{type(self)} should not be instantiated. Methods on autograd functions are all "
                      "static, so you should invoke them on the class itself. Instantiating an autograd "
                      "function will raise an error in a future version of PyTorch.", DeprecationWarning,
                      stacklevel=2)

    def __call__(self, *args, **kwargs):
        raise RuntimeError("Legacy autograd function with non-static forward method is deprecated. Please use "
                           "new-style autograd function with static forward method. (Example: "
                           "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")

    @staticmethod
    def forward(*args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError("You must implement the jvp function for custom autograd.Function to use "
                                  "it with forward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        if cls._backward_cls is None:
            raise RuntimeError("In order to use an autograd.Function you must subclass it")
        if getattr(upper.VMAP, "transforms", 0) and not cls.__module__.startswith("jitgrad."):
            _check_transformable(cls)
        if cls.backward is Function.backward and cls.vjp is not Function.vjp:
            cls.backward = cls.vjp      # torch: backward and vjp are aliases
        node = cls._backward_cls()
        grad_on = STATE.grad_enabled
        node._rg_inputs = tuple(isinstance(a, Tensor) and a._rg and grad_on for a in args)
        # what the user sees: a forward-mode dual alone requires no grad (its _rg carries the tangent)
        # (jitgrad's own Functions read it in backward, which forward mode may run)
        # (torch's is the inputs' requires_grad, under no_grad too)
        node.needs_input_grad = node._rg_inputs if cls.__module__.startswith("jitgrad.") else \
            tuple(isinstance(a, Tensor) and a._rg and a.requires_grad for a in args)
        with no_grad():
            if cls.setup_context is not Function.setup_context:
                out = cls.forward(*args, **kwargs)
                cls.setup_context(node, args, out)
            else:
                out = cls.forward(node, *args, **kwargs)
        if cls.jvp is Function.jvp and any(node._rg_inputs) and not cls.__module__.startswith("jitgrad."):
            _check_no_tangents(args)
        single = not isinstance(out, tuple)
        outs = list((out,) if single else out)
        dirty = {id(t) for t in node.dirty_tensors}
        inputs = {id(a) for a in args if isinstance(a, Tensor)}
        as_is: dict = {}
        for i, o in enumerate(outs):
            if isinstance(o, Tensor) and id(o) in inputs and id(o) not in dirty:
                outs[i] = Tensor._wrap(o._data(), o.dtype)     # torch returns a new tensor (a view)
                as_is[i] = o
        if any(node._rg_inputs):
            _record(cls, node, args, outs)
            _mark_views(node, outs, as_is)
        return outs[0] if single else tuple(outs)


def _mark_views(node, outs, as_is):
    """Outputs that are views (made in forward) or inputs returned as-is: torch
    refuses an in-place op on them (views.mark_custom_output), each
    differentiable one not marked dirty."""
    dirty = {id(t) for t in node.dirty_tensors}
    name = node._name[:-len("Backward")] if node._name.endswith("Backward") else node._name
    # (several differentiable outputs: torch's multi-output view meta, its message)
    multi = sum(1 for o in outs if isinstance(o, Tensor) and o._rg) > 1
    for i, o in enumerate(outs):
        if isinstance(o, Tensor) and o._rg and id(o) not in dirty and (o._view is not None or i in as_is):
            IX.mark_custom_output(o, i, name, as_is.get(i), multi)


SETUP_CONTEXT_MSG = ("In order to use an autograd.Function with functorch transforms (vmap, grad, jvp, jacrev, "
                     "...), it must override the setup_context staticmethod. For more details, please see "
                     "https://pytorch.org/docs/main/notes/extending.func.html")


# forward_ad.has_tangent, which forward_ad (importing this module) sets: whether
# a tensor carries a tangent at an open dual level.
HAS_TANGENT = None


def _check_no_tangents(args):
    """torch runs a Function's jvp in apply: without one, a forward-mode dual
    argument is an error there (not when the tangent is read)."""
    if HAS_TANGENT is not None and any(isinstance(a, Tensor) and HAS_TANGENT(a) for a in args):
        raise NotImplementedError("You must implement the jvp function for custom autograd.Function to use it "
                                  "with forward mode AD.")


def _check_transformable(cls):
    """torch's errors for a user's Function applied inside a torch.func
    transform: it needs setup_context, and under vmap a vmap rule."""
    own = [k for k in cls.__mro__ if k is not Function and issubclass(k, Function)]
    if not any("setup_context" in vars(k) for k in own):
        raise RuntimeError(SETUP_CONTEXT_MSG)
    if (getattr(upper.VMAP, "depth", 0) or getattr(upper.VMAP, "vmapped", 0)) and not cls.generate_vmap_rule and \
            not any("vmap" in vars(k) for k in own):
        raise RuntimeError(f"You tried to vmap over {cls.__name__}, but it does not have vmap support. Please "
                           "override and implement the vmap staticmethod or set generate_vmap_rule=True. For more "
                           "details, please see https://pytorch.org/docs/main/notes/extending.func.html")


def _record(cls, node, args, outs):
    """Append the host record of one apply; the outputs become its results."""
    for i, t in enumerate(node.to_save):
        if t is not None and not isinstance(t, Tensor):
            raise TypeError(f"save_for_backward can only save variables, but argument {i} is of type "
                            f"{type(t).__name__}")
    for t in node.dirty_tensors:
        if t._name is None and t._rg:
            raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
    tape = T.current()
    ins = [(i, _push_operand(tape, a), tuple(a.shape), a.dtype)
           for i, a in enumerate(args) if node._rg_inputs[i]]
    # The record's operand slots point at a constant no one overwrites:
    # saved tensors are checked by their versions (ctx.saved_tensors).
    dummy = len(tape.vals)
    tape.vals.append(0.0)
    non_diff = {id(t) for t in node.non_differentiable}
    dirty = {id(t) for t in node.dirty_tensors}
    specs, produced = [], []
    for o in outs:
        if not isinstance(o, Tensor):
            continue
        s = _OutputSpec()
        s.slot, s.n, s.shape, s.dtype = _push_out(tape, o), o.numel(), tuple(o.shape), o.dtype
        s.differentiable = o.dtype.is_floating_point and id(o) not in non_diff
        specs.append(s)
        produced.append(o)
    if not specs:
        return
    n = len(tape.vals) - specs[0].slot
    saves = bool(node.to_save)
    rec = _FunctionRecord(node, cls, ins, specs, saves)
    rec.gaps = [i for i, o in enumerate(outs) if not isinstance(o, Tensor)]
    rec.plain_args = [i for i, a in enumerate(args) if not isinstance(a, Tensor)]
    rec.constant_args = {i: (tuple(a.shape), a.dtype) for i, a in enumerate(args)
                         if isinstance(a, Tensor) and not node._rg_inputs[i]}
    r = T.record(tape, K.HOST, specs[0].slot, n, dummy, dummy, 0, -1)
    tape.host[r] = rec
    node._tape, node._record = weakref.ref(tape), r
    for o, s in zip(produced, specs):
        if s.differentiable:
            if id(o) in dirty:
                T.mark_overwritten(o)
                o._version += 1         # torch bumps a dirty tensor's version once more
            _finish(o, tape, s.slot, node._name)
            o._gfn = node
            o._bulk = False
        else:
            o._rg = False
    in_slots = [(args[i], slot) for i, slot, _, _ in ins]
    out_slots = [(o, s.slot) for o, s in zip(produced, specs)]
    node._saved = [None if t is None else _pack(t, in_slots, out_slots) for t in node.to_save]
    node._tensor_args = [i for i, a in enumerate(args) if isinstance(a, Tensor)]


class _DelayedError(Function):
    """once_differentiable's result under create_graph: differentiating it
    again raises torch's error."""

    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError("trying to differentiate twice a function that was marked with @once_differentiable")


def builtin_node(cls, name: str):
    """Function `cls` as one of torch's C++ nodes: its grad_fn is named `name`
    and prints as `<name object at ...>` (no module: torch's C++ node types
    live in builtins), where a user's Function's prints its module."""
    node = cls._backward_cls
    node.__name__ = node.__qualname__ = name
    node.__module__ = "builtins"
    return cls


builtin_node(_DelayedError, "Error")


def once_differentiable(fn):
    """Run backward without recording; under create_graph its results raise
    when differentiated again (torch.autograd.function.once_differentiable)."""

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with no_grad():
            outputs = fn(ctx, *args)
        if not STATE.grad_enabled:
            return outputs
        if not any(isinstance(a, Tensor) and a._rg for a in args):
            return outputs
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        # torch's Error node takes detached aliases of the outputs that require
        # grad: it leads to no input (grad() with respect to them finds it unused),
        # only a backward() that runs every node reaches its error
        outs = tuple(_DelayedError.apply(o.detach().requires_grad_(True))
                     if isinstance(o, Tensor) and o.dtype.is_floating_point else o for o in outs)
        return outs[0] if single else outs
    return wrapper


class InplaceFunction(Function):
    def __init__(self, inplace=False):
        self.inplace = inplace
