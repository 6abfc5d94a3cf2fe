"""Composable function transforms (the engine of jitgrad.func).

Every transform differentiates through the ordinary tape. An argument is
*entered* as a fresh tensor that requires grad: a detached leaf when the
caller's tensor does not require grad, or an identity op of it when it does
(it belongs to an outer transform or to the user's graph). In the second case
the transform differentiates with ``create_graph=True``, so its result stays
connected to the caller's tensor and an outer transform can differentiate it
again: ``jvp(grad(f))`` is a Hessian-vector product, ``jacrev(jacrev(f))`` a
Hessian, ``vmap(grad(f))`` per-sample gradients.

* ``jvp`` is the double-vjp: with u a dummy cotangent, g(u) = J^T u is linear
  in u, and J t = d<g(u), t>/du. It works through every op with a
  create_graph rule (and custom Functions' backward).
* ``jacrev`` builds the Jacobian by rows: one batched sweep of one-hot
  seeds when nothing outer needs a graph, else row by row with
  create_graph. ``jacfwd`` pushes every input direction forward in one
  tangent sweep (torch's forward mode: its zeros carry the forward pass's
  signs; a function that differentiates, ``hessian``, is swept through its
  create_graph records, torch's forward-over-reverse), unless something
  outer needs a graph: then by rows as ``jacrev``.
* ``vmap`` runs the function once per point and stacks the results (exact,
  never a guess), so it composes with everything above. From 4 points on,
  a function whose arguments don't require grad is recorded once by
  ``jitgrad.compile`` and replayed per point (bit for bit the eager call,
  guards and fresh draws included; a function that won't replay, such as a
  nested Hessian, is called as it is): vmap(grad(f)) over 256 points of an
  8-element potential 64 -> 6 ms.

Pytrees here are tuples, lists and dicts of tensors (other leaves pass through).
"""

import functools

import numpy as np

from . import autograd as A
from .captured_writes import Call as _CapturedCall, enter as _enter_call, leave as _leave_call
from .autodiff import bulk
from .autograd import function as AFn
from .autograd import functional as AF
from .core import dtypes as D
from .core import tape as T
from .core import upper
from .core.pytree import tree_flatten, tree_structure, tree_unflatten
from .functional import functions as F
from .core.grad_mode import enable_grad
from .tensors.tensor import Tensor, name_node
from .autograd.forward_ad import tangent_node as _tangent_node

# ----- pytrees (torch.utils._pytree's: core/pytree.py) ------------------------------

def _spec_repr(obj) -> str:
    """torch's TreeSpec repr of obj's structure (its transforms' error messages)."""
    return repr(tree_structure(obj))


def _detach_tree(tree):
    leaves, spec = tree_flatten(tree)
    return tree_unflatten([t.detach() if isinstance(t, Tensor) else t for t in leaves], spec)


# ----- entering arguments ----------------------------------------------------------

def _enter(x, what="grad"):
    """A tensor standing for x that requires grad; differentiating with
    respect to it is differentiating with respect to x."""
    if not isinstance(x, Tensor):
        raise ValueError(f"Thing passed to transform API must be Tensor, got {type(x)}")
    if not x.dtype.is_floating_point:
        raise RuntimeError("only Tensors of floating point dtype can require gradients")
    if x._rg:
        return x.view_as(x)      # connected to x: an outer transform sees through it
    return x.detach().requires_grad_(True)


def _argnums(argnums, nargs):
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    if not nums:
        raise RuntimeError("argnums must be non-empty")
    for n in nums:
        if not isinstance(n, int):
            raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(n)}")
        if not -nargs <= n < nargs:
            raise RuntimeError(f"Got argnum={n}, but only {nargs} positional inputs")
    normalized = tuple(n % nargs for n in nums)
    if len(set(normalized)) != len(nums):
        raise RuntimeError(f"argnums elements must be unique, got {normalized}")
    return normalized


def _check_aux(aux) -> None:
    """torch unwraps a has_aux function's aux from the transform's level:
    every leaf must be a tensor."""
    for leaf in tree_flatten(aux)[0]:
        if not isinstance(leaf, Tensor):
            raise RuntimeError(f"Expected tensors, got unsupported type {type(leaf)}")


def _check_floating_outputs(out_leaves) -> None:
    """torch's vjp (and jacrev, which runs it) differentiates floating outputs only."""
    for o in out_leaves:
        if not (o.dtype.is_floating_point or o.dtype.is_complex):
            raise RuntimeError("vjp(f, ...): All outputs of f must be floating-point or complex Tensors, got Tensor "
                               f"with dtype {o.dtype}")


def _check_non_empty(out_leaves, head: str) -> None:
    if not out_leaves:
        raise RuntimeError(f"{head}: Expected f to be a function that has non-empty output (got output = [])")


class _Entered:
    """The differentiated arguments of one call: per argnum, the pytree spec
    and the entered leaves."""

    def __init__(self, args, argnums, what):
        self.args = list(args)
        self.nums = _argnums(argnums, len(args))
        self.specs, self.inner = [], []
        self.nested = False
        for i in self.nums:
            leaves, spec = tree_flatten(self.args[i])
            inner = [_enter(t, what) for t in leaves]
            self.nested = self.nested or any(t._rg for t in leaves)
            self.args[i] = tree_unflatten(inner, spec)
            self.specs.append(spec)
            self.inner.append(inner)

    def flat(self):
        return [t for group in self.inner for t in group]

    def begin(self) -> int:
        """Before the function runs: its records on tapes of their own
        (serials after the one returned), so `settle` can tell what it read."""
        T.STATE.tape = T.dead
        return next(T._serials)

    def settle(self, outs, start: int) -> None:
        """After the function: results that read a tensor of an outer graph (a
        closed-over parameter that requires grad, a tensor of an older tape)
        stay attached to it, as torch.func's do: nested then, as for entered
        arguments that require grad."""
        if not self.nested:
            own = {id(t) for t in self.flat()}
            self.nested = any(_reads_outer(o, own, start) for o in outs)

    def pack(self, per_leaf, argnums):
        """per_leaf (one entry per flat leaf) in the structure of the
        differentiated arguments."""
        it = iter(per_leaf)
        groups = [tree_unflatten([next(it) for _ in inner], spec) for inner, spec in zip(self.inner, self.specs)]
        return groups[0] if isinstance(argnums, int) else tuple(groups)


def _reads_outer(out, own, start):
    """Whether `out` (computed on tapes of serials after `start`) depends on a
    leaf that requires grad other than the entered ones (ids in `own`) or on
    a tape older than `start`."""
    if not (isinstance(out, Tensor) and out._rg) or out._tape is None:
        return False
    seen, todo = set(), [out._tape]
    while todo:
        tape = todo.pop()
        if id(tape) in seen:
            continue
        seen.add(id(tape))
        if tape.serial <= start:
            return True
        for leaf, older, *_ in tape.inputs:
            if older is not None:
                todo.append(older)
                continue
            t = leaf() if leaf is not None else None
            if t is not None and t._rg and id(t) not in own:
                return True
    return False


def _zeros_like(t):
    return Tensor._wrap(np.zeros(t.shape, t.dtype.np), t.dtype)


def _grads(outputs, inputs, seeds, create_graph):
    """Gradients of outputs (tensors, some may not require grad) with respect
    to inputs; zeros where unreached."""
    pairs = [(o, s) for o, s in zip(outputs, seeds) if isinstance(o, Tensor) and o._rg]
    if not pairs:
        return [_zeros_like(x) for x in inputs]
    gs = A.grad([o for o, _ in pairs], inputs, [s for _, s in pairs], retain_graph=True,
                create_graph=create_graph, allow_unused=True)
    return [_zeros_like(x) if g is None else g for g, x in zip(gs, inputs)]


# ----- grad ------------------------------------------------------------------------

def _refuses_saved_hooks(fn):
    """torch's reverse-mode transforms run under disable_saved_tensors_hooks."""
    @functools.wraps(fn)
    def call(*args, **kwargs):
        with AFn.hooks_disabled(AFn.FUNC_NO_HOOKS):
            return fn(*args, **kwargs)
    return call


@_refuses_saved_hooks
def grad_and_value_call(func, args, kwargs, argnums, has_aux, tensor_aux=True):
    """(gradients, value, aux) of torch.func.grad_and_value(func)(*args)."""
    ent = _Entered(args, argnums, "grad")
    with enable_grad():
        start = ent.begin()
        with _transformed(args=ent.args, func=func):
            out = func(*ent.args, **kwargs)
        aux = None
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise RuntimeError("grad_and_value(f)(*args): output of function f should be a tuple: "
                                   "(output, aux) if has_aux is True")
            out, aux = out
        if not isinstance(out, Tensor):
            raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a Tensor, got "
                               f"{type(out)}")
        if out.dim() != 0:
            raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got "
                               f"tensor with {out.dim()} dims. Maybe you wanted to use the vjp or jacrev APIs "
                               "instead?")
        if has_aux and tensor_aux:
            _check_aux(aux)     # (after the output's checks, as torch's)
        ent.settle([out], start)
        gs = _grads([out], ent.flat(), [None], ent.nested)
    if not ent.nested:
        out = out.detach()
        aux = _detach_tree(aux)
    return ent.pack(gs, argnums), out, aux


# ----- vjp ---------------------------------------------------------------------

@_refuses_saved_hooks
def vjp(func, *primals, has_aux=False):
    """torch.func.vjp: (output, vjp_fn[, aux]); vjp_fn(cotangents) returns a
    tuple with one vjp per primal."""
    ent = _Entered(primals, tuple(range(len(primals))), "vjp")
    with enable_grad():
        start = ent.begin()
        with _transformed(args=ent.args, func=func):
            out = func(*ent.args)
    aux = None
    if has_aux:
        if not (isinstance(out, tuple) and len(out) == 2):
            raise RuntimeError("vjp(f, *primals): output of function f should be a tuple: (output, aux) "
                               "if has_aux is True")
        out, aux = out
        _check_aux(aux)
    out_leaves, out_spec = tree_flatten(out)
    _check_non_empty(out_leaves, "vjp(f, *primals)")
    for o in out_leaves:
        if not isinstance(o, Tensor):
            raise RuntimeError(f"vjp(f, *primals): expected f(*primals) to return only tensors, got unsupported "
                               f"type {type(o)}")
    _check_floating_outputs(out_leaves)
    ent.settle(out_leaves, start)

    def vjp_fn(cotangents, retain_graph=True, create_graph=None):
        cots, spec = tree_flatten(cotangents)
        if spec != out_spec:
            raise RuntimeError("Expected pytree structure of cotangents to be the same as pytree structure of "
                               "outputs to the function.")
        create = ent.nested or any(isinstance(c, Tensor) and c._rg for c in cots)
        if create_graph is not None:
            create = create or create_graph
        with enable_grad():
            gs = _grads(out_leaves, ent.flat(), cots, create)
        return ent.pack(gs, tuple(range(len(primals))))

    res = out if ent.nested else _detach_tree(out)
    if has_aux:
        return res, vjp_fn, (aux if ent.nested else _detach_tree(aux))
    return res, vjp_fn


# ----- jvp -----------------------------------------------------------------------

def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """torch.func.jvp: (output, jvp_out[, aux]), by the double-vjp."""
    if not isinstance(primals, tuple):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals to be a tuple. E.g. it should be valid "
                           "to call f(*primals).")
    p_leaves, p_spec = tree_flatten(primals)
    t_leaves, t_spec = tree_flatten(tangents)
    if p_spec != t_spec:
        raise RuntimeError("jvp(f, primals, tangents): Expected primals and tangents to have the same python "
                           "structure. For example, if primals is a tuple of 3 tensors, tangents also must be. "
                           f"Got primals with structure {_spec_repr(primals)} and tangents with structure {_spec_repr(tangents)}")
    for what, leaves in (("primals", p_leaves), ("tangents", t_leaves)):
        for leaf in leaves:
            if not isinstance(leaf, Tensor):
                raise RuntimeError(f"jvp(f, primals, tangents): Expected {what} to only contain Tensors, got "
                                   f"{type(leaf)}")
    for p, t in zip(p_leaves, t_leaves):
        for what, leaf in (("primal", p), ("tangent", t)):
            if isinstance(leaf, Tensor) and not leaf.dtype.is_floating_point:
                raise ValueError(f"Expected {what} to be floating point or complex, but got: {leaf.dtype}")
        if tuple(p.shape) != tuple(t.shape):
            raise RuntimeError("Trying to set a forward gradient that has a different size than that of the "
                               f"original Tensor, this is not supported. Tensor is of size {list(p.shape)} while "
                               f"the given forward gradient is of size {list(t.shape)}.")
    ent = _Entered(primals, tuple(range(len(primals))), "jvp")
    with enable_grad():
        start = ent.begin()
        with _transformed(args=ent.args, func=func):
            out = func(*ent.args)
        aux = None
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise RuntimeError("jvp(f, primals, tangents): output of function f should be a tuple: "
                                   "(output, aux) if has_aux is True")
            out, aux = out
            _check_aux(aux)
        out_leaves, out_spec = tree_flatten(out)
        _check_non_empty(out_leaves, "jvp(f, primals, tangents)")
        for o in out_leaves:
            if not isinstance(o, Tensor):
                raise RuntimeError(f"jvp(f, primals, tangents): expected f(*primals) to return only tensors, "
                                   f"got unsupported type {type(o)}")
        ent.settle(out_leaves, start)
        nested = ent.nested or any(isinstance(t, Tensor) and t._rg for t in t_leaves)
        if not nested and _user_functions(out_leaves, start):
            # (their jvp staticmethod gives the tangents, as torch's forward mode; the backward may be missing)
            jvps = _swept_tangents(out_leaves, ent.flat(), t_leaves, start)
        else:
            jvps = _double_vjp(out_leaves, ent.flat(), t_leaves, nested)
    wider = [t.dtype for p, t in zip(p_leaves, t_leaves) if t.dtype is not p.dtype]
    if wider:
        # torch's tangents are dual tensors: an output's tangent has the promoted dtype of its value's
        # and the tangents' (a float32 primal with a float64 tangent: a float64 tangent)
        jvps = [_promoted_tangent(j, wider) for j in jvps]
    if not nested:
        out = _detach_tree(out)
        aux = _detach_tree(aux)
    res = (out, tree_unflatten(jvps, out_spec))
    return res + (aux,) if has_aux else res


def _promoted_tangent(j, dtypes):
    dt = j.dtype
    for d in dtypes:
        dt = D.promote_types(dt, d)
    return j if dt is j.dtype or not j.dtype.is_floating_point else j.to(dt)


def _user_functions(outs, start):
    """Whether the tapes recorded since `start` hold a user's autograd.Function."""
    return any(isinstance(h, AFn._FunctionRecord) and not h.cls.__module__.startswith("jitgrad.")
               for tape in AF._tapes_since([o for o in outs if isinstance(o, Tensor)], start)
               for h in tape.host.values())


def _swept_tangents(outs, inputs, tangents, start):
    """J t for each output by one tangent sweep over the tapes since `start`."""
    seeds = [np.asarray(t._data(), np.float64).reshape(-1, 1) for t in tangents]
    tans = AF.forward_tangents(list(inputs), seeds, list(outs), start)
    return [Tensor._wrap(tan[:, 0].reshape(tuple(o.shape)).astype(o.dtype.np), o.dtype) for o, tan in zip(outs, tans)]


def _double_vjp(outs, inputs, tangents, nested):
    """J t for each output: d/du <J^T u, t> with u a dummy cotangent."""
    live = [i for i, o in enumerate(outs) if o._rg]
    res = [_zeros_like(o) for o in outs]
    if not live:
        return res
    us = [_zeros_like(outs[i]).requires_grad_(True) for i in live]
    gs = A.grad([outs[i] for i in live], inputs, us, create_graph=True, retain_graph=True, allow_unused=True)
    pairs = [(g, t) for g, t in zip(gs, tangents) if g is not None and g._rg]
    if not pairs:
        return res
    js = A.grad([g for g, _ in pairs], us, [t for _, t in pairs], create_graph=nested, retain_graph=True,
                allow_unused=True)
    for i, j in zip(live, js):
        if j is not None:
            if j._rg and j._name is not None and outs[i]._name is not None:
                # (named as torch's forward formula of the output's op ends)
                j._name = _tangent_node(outs[i]._name)
                name_node(j._tape, j._slot, j._name)
            res[i] = j
    return res


# ----- Jacobians ------------------------------------------------------------------

def jacobian_call(func, args, argnums, has_aux, what):
    """(Jacobian pytree, aux) of jacrev/jacfwd(func)(*args): for each output
    leaf, per differentiated argument leaf, shape out.shape + arg.shape."""
    ent = _Entered(args, argnums, what)
    forward = what == "jacfwd" and not ent.nested
    with enable_grad():
        start = ent.begin()
        if forward:
            # Columns by tangent sweeps, as torch's jacfwd (its zeros' signs
            # are the forward pass's): the function on tapes of its own, every
            # value on them.
            # A function that differentiates (jacfwd(jacrev(f)), hessian, a
            # Lagrangian's grad): its create_graph records are swept as well,
            # torch's forward-over-reverse (test_fid9_fixes, test_select_zero_signs).
            with bulk.disabled(), _transformed(vmapped=True, args=ent.args, func=func):
                out = func(*ent.args)
            forward = _tangents_fit(out, ent.flat())
        else:
            with _transformed(vmapped=what == "jacfwd", args=ent.args, func=func):
                out = func(*ent.args)
        aux = None
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise RuntimeError(("vjp(f, *primals)" if what == "jacrev" else "jvp(f, primals, tangents)")
                                   + ": output of function f should be a tuple: (output, aux) if has_aux is True")
            out, aux = out
            _check_aux(aux)
        out_leaves, out_spec = tree_flatten(out)
        inputs = ent.flat()
        per_out = []
        # (torch's jacrev / jacfwd run vjp / jvp: their messages)
        head = "vjp(f, *primals)" if what == "jacrev" else "jvp(f, primals, tangents)"
        _check_non_empty(out_leaves, head)
        for o in out_leaves:
            if not isinstance(o, Tensor):
                raise RuntimeError(f"{head}: expected f(*primals) to return only tensors, got unsupported type "
                                   f"{type(o)}")
        if what == "jacrev":
            _check_floating_outputs(out_leaves)
        ent.settle(out_leaves, start)
        forward = forward and not ent.nested
        cols = AF.jacobian_columns(inputs, out_leaves, start) if forward else None
        if what == "jacrev" and cols is None and not ent.nested and AF._joint(out_leaves):
            # torch's jacrev runs one vjp over the basis of all outputs together: a row's
            # gradient sums the other outputs' zero contributions (+0.0 turns a -0.0 into +0.0)
            cols = [list(j) for j in AF._jacobian_joint(out_leaves, inputs)]
        for k, o in enumerate(out_leaves):
            rows = cols[k] if cols is not None else _jacobian_rows(o, inputs, ent.nested)
            per_out.append(ent.pack(rows, argnums))
    if not ent.nested:
        aux = _detach_tree(aux)
    return tree_unflatten(per_out, out_spec), aux


_TANGENT_BUDGET = 1 << 25      # tangent-sweep elements (slots x input directions) jacfwd allocates at most


def _tangents_fit(out, inputs):
    """Whether every input direction fits one tangent sweep of the tapes
    behind `out` (else jacfwd takes rows, in batches, as jacrev)."""
    total = sum(x.numel() for x in inputs)
    leaves, _ = tree_flatten(out)
    slots = sum(len(t._tape.vals) for t in leaves if isinstance(t, Tensor) and t._tape is not None)
    return slots * total <= _TANGENT_BUDGET


def _jacobian_rows(o, inputs, nested):
    """d o / d input for each input: shape o.shape + input.shape."""
    m = o.numel()
    if not o._rg or m == 0:
        return [Tensor._wrap(np.zeros(tuple(o.shape) + tuple(x.shape), x.dtype.np), x.dtype) for x in inputs]
    if not nested:
        rows = A.jacobian_rows(o, tuple(inputs))
        return [F.reshape(r, tuple(o.shape) + tuple(x.shape)) for r, x in zip(rows, inputs)]
    per_input = [[] for _ in inputs]
    for i in range(m):
        seed = np.zeros(m, o.dtype.np)
        seed[i] = 1
        gs = _grads([o], inputs, [Tensor._wrap(seed.reshape(o.shape), o.dtype)], True)
        for acc, g in zip(per_input, gs):
            acc.append(g)
    return [F.reshape(F.stack(acc), tuple(o.shape) + tuple(x.shape)) for acc, x in zip(per_input, inputs)]


# ----- vmap -------------------------------------------------------------------------

class _transformed:
    """Inside a torch.func transform's call of the user's function (a count
    per thread): a user's autograd.Function there is checked as torch's
    (`vmapped`: torch runs the function under vmap, as jacfwd does).
    `args`: a grad transform's arguments; `upper.VMAP.arguments` holds the
    ids of their tensors (innermost call last): an in-place write to any
    other tensor mutates a captured one, which torch refuses."""

    def __init__(self, vmapped=False, args=None, func=None):
        self.vmapped = vmapped
        self.arguments = None if args is None else {id(t) for t in tree_flatten(list(args))[0]}
        self.call = None if func is None or args is None else _CapturedCall(func, self.arguments)

    def __enter__(self):
        state = upper.VMAP
        state.transforms = getattr(state, "transforms", 0) + 1
        state.vmapped = getattr(state, "vmapped", 0) + self.vmapped
        if self.arguments is not None:
            state.arguments = getattr(state, "arguments", ()) + (self.arguments,)
        if self.call is not None:
            _enter_call(self.call)

    def __exit__(self, *exc):
        state = upper.VMAP
        state.transforms -= 1
        state.vmapped -= self.vmapped
        if self.arguments is not None:
            state.arguments = state.arguments[:-1]
        if self.call is not None:
            _leave_call(self.call)
        return False

