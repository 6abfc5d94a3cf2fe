"""torch.func.vmap: the function once per point, results stacked (or
replayed per point from one jitgrad.compile recording), in_dims / out_dims
over pytrees with torch's errors, randomness modes, an autograd.Function's
own vmap rule, and torch's errors for reads of batched values."""
import collections
import inspect
import warnings

import numpy as np

from . import autograd as A
from .autograd import function as AFn
from .core import dtypes as D
from .core import upper
from .functional import functions as F
from .functional import sampling as SP
from .tensors.tensor import Tensor
from .transforms import _spec_repr, _transformed, tree_flatten, tree_unflatten


_RANDOM_MSG = ("vmap: called random operation while in randomness error mode. Please either use the 'same' or "
               "'different' randomness flags on vmap or perform the randomness operation out of vmap")


def vmap_call(func, args, kwargs, in_dims, out_dims, randomness, chunk_size):
    """torch.func.vmap(func, ...)(*args): func once per point, results stacked."""
    if randomness not in ("error", "different", "same"):
        raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or 'same'. "
                           f"Got {randomness}")
    name = getattr(func, "__name__", repr(func))
    dims = _broadcast_dims(in_dims, args, name)
    leaves, spec = tree_flatten(tuple(args))
    batch = None
    sizes = []
    for x, d in zip(leaves, dims):
        if d is None:
            continue
        if not isinstance(x, Tensor):
            raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for an input "
                             f"but the input is of type {type(x)}. We cannot vmap over non-Tensor arguments, "
                             "please use None as the respective in_dim")
        if not -max(x.dim(), 0) <= d < x.dim():
            raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for some "
                             f"input, but that input is a Tensor of dimensionality {x.dim()} so expected in_dim "
                             f"to satisfy -{x.dim()} <= in_dim < {x.dim()}.")
        sizes.append(x.shape[d])
    if not sizes:
        raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dims={in_dims} "
                         "but none of the inputs are Tensors. vmap expects at least one Tensor to vmap over")
    if len(set(sizes)) > 1:
        raise ValueError("vmap: Expected all tensors to have the same size in the mapped dimension, got sizes "
                         f"{sizes} for the mapped dimension")
    batch = sizes[0]
    rule = _function_rule(func)
    if rule is not None:
        return _vmap_by_rule(rule, args, kwargs, dims if len(leaves) == len(args) else None, in_dims, out_dims,
                             batch, randomness, name)
    jac = getattr(func, "_jacrev_of", None)
    if jac is not None and upper.vmap_jacobian is not None and batch > 1 and randomness == "error" and not kwargs:
        block = upper.vmap_jacobian(jac, tuple(args), dims, batch)
        if block is not None:
            out = _stack_block(None, block, out_dims, name, batch)
            if out is not None:
                return out
    same_state = F.RNG.np.bit_generator.state if randomness == "same" else None
    post = None
    if getattr(func, "_value_and_grad", None) is not None:
        # grad_and_value(f): its value_and_grad transform (compiled, replayed per point), results swapped
        func, post = func._value_and_grad, _swapped
    # (with randomness: the function itself, whose draws BatchedDraws sees as eager mode makes them;
    # a compiled call may record, rewind and draw again, and records a bernoulli's p as a uniform draw)
    call = func if randomness != "error" else _replayed(func, leaves, batch)
    graded = getattr(func, "_vmap_family", None) is not None     # (vmap of a torch.func.grad, jacrev, ...)
    # torch's batching fallbacks warn once per vmap call (jitgrad calls per point)
    outer_warned, upper.VMAP.fallback_warned = getattr(upper.VMAP, "fallback_warned", None), set()
    try:
        return _call_points(func, call, leaves, dims, spec, kwargs, graded, randomness, same_state, batch,
                            out_dims, name, post)
    finally:
        upper.VMAP.fallback_warned = outer_warned


def _call_points(func, call, leaves, dims, spec, kwargs, graded, randomness, same_state, batch, out_dims, name,
                 post=None):
    """vmap's loop: the function (or its compiled form) at each point, stacked."""
    results = []
    with warnings.catch_warnings():
        if call is not func:    # (compile's own notes about its replays are not the user's business here)
            warnings.filterwarnings("ignore", message="jitgrad.compile", category=RuntimeWarning)
        gen = F.RNG.np
        initial = gen.bit_generator.state if randomness == "error" else None
        mark = getattr(gen, "mark", None) or (lambda: gen.bit_generator.state)
        lean = _PointReplays(leaves, dims) if batch > 1 and hasattr(call, "point_replayer") else None
        outer_draws = SP.BATCHED
        draws = SP.BATCHED = SP.BatchedDraws(batch, randomness == "same") if randomness != "error" and batch > 1 \
            else None
        try:
            if lean is not None and lean.ok and lean.ints:
                # integer / bool batched tensors (cross_entropy's targets): each group's points in one go
                block = _grouped_block(call, lean, leaves, dims, spec, kwargs, batch)
                if block is not None:
                    out = _stack_block(None, block if post is None else post(block), out_dims, name, batch)
                    if out is not None:
                        return out
            for b in range(batch):
                if b <= 1 and lean is not None and lean.ok and not lean.ints:
                    # the (other) points of the one group in one go (replay/point_batches.py),
                    # from point 0 on when an earlier call recorded the tape
                    if b == 0:
                        point = [F.select(x, d, 0) if d is not None else x for x, d in zip(leaves, dims)]
                        lean.learn(call, (), point, tree_unflatten(point, spec), kwargs, keep_none=False)
                    block = lean.block(b, ())
                    if block is not None:
                        out = _stack_block(results[0] if b else None, block if post is None else post(block),
                                           out_dims, name, batch)
                        if out is not None:
                            return out
                if draws is not None:
                    draws.start(b)
                before = mark() if randomness == "error" else None
                res = _call_point(func, call, leaves, dims, spec, kwargs, graded, same_state, lean, b, batch)
                results.append(res if post is None else post(res))
                if call is not func and b == 0 and not _replays(call):
                    holder, key = vmap_family(func)
                    holder.__dict__[_REPLAY_ATTR][key] = _EAGER     # (it runs eagerly: the attempt only costs)
                    call, lean = func, None
                if before is not None and (F.RNG.np is not gen or mark() != before):
                    gen.bit_generator.state = initial   # (no point drew before this one: torch raises before it draws)
                    raise RuntimeError(_RANDOM_MSG)
            if draws is not None:
                draws.start(0)      # (the last point made every draw the first made)
        finally:
            SP.BATCHED = outer_draws
    return _stack_results(results, out_dims, name, batch)


def _call_point(func, call, leaves, dims, spec, kwargs, graded, same_state, lean, b, batch):
    """The function's result at point b."""
    if same_state is not None:
        F.RNG.np.bit_generator.state = same_state
    res = point = None
    if lean is not None and lean.ok and b:
        group = lean.group(b)
        if group not in lean.replays:   # (a replay of this group's tape recorded by an earlier call)
            point = [F.select(x, d, b) if d is not None else x for x, d in zip(leaves, dims)]
            args = tree_unflatten(point, spec)
            lean.learn(call, group, point, args, kwargs, keep_none=False)
        res = lean.replay(b, group)
    if res is None:
        if point is None:
            point = [F.select(x, d, b) if d is not None else x for x, d in zip(leaves, dims)]
            args = tree_unflatten(point, spec)
        if SP.BATCHED is not None:      # (inputs batched along another dim: their *_like draws take it)
            SP.BATCHED.points = {id(p): d % x.dim() for p, x, d in zip(point, leaves, dims)
                                 if d is not None and d % x.dim()}
        res = _vmapped_call(call, args, kwargs, graded)
        if lean is not None and lean.ok and b < batch - 1:
            lean.learn(call, lean.group(b), point, args, kwargs)
    return res


_ROW_DTYPES = (D.float32, D.float64)


class _PointReplays:
    """A compiled grad transform's replays per point (CompiledGradTransform.
    point_replayer), one per value of the batched integer / bool tensors
    (their values are part of a signature: cross_entropy's targets), each
    made from the first point of its group that took the general path.
    `ok` False: batched tensors other than float32 / float64 / integer /
    bool arrays keep every point on the general path."""

    def __init__(self, leaves, dims):
        self.ok = True
        self.floats, self.ints, self.replays = [], [], {}
        k = 0
        for x, d in zip(leaves, dims):
            if not isinstance(x, Tensor):
                continue
            if d is not None:
                a = x._arr
                if a is None or a.dtype != x.dtype.np:
                    self.ok = False
                    return
                rows = np.moveaxis(a, d % x.dim(), 0)
                if x.dtype in _ROW_DTYPES:
                    self.floats.append((k, rows))
                elif a.dtype.kind in "iub":
                    self.ints.append(rows)
                else:
                    self.ok = False
                    return
            k += 1

    def group(self, b):
        """Point b's group: the bytes of its integer / bool rows."""
        return tuple(r[b].tobytes() for r in self.ints) if self.ints else ()

    def replay(self, b, group):
        """The result at point b, or None (the general path)."""
        replay = self.replays.get(group)
        return None if replay is None else replay({j: r[b] for j, r in self.floats})

    def block(self, lo, group):
        """The results at points lo.. of group, stacked (batch axis in
        front), or None (point by point)."""
        fn = getattr(self.replays.get(group), "block", None)
        return None if fn is None else fn({j: r[lo:] for j, r in self.floats})

    def learn(self, call, group, point, args, kwargs, keep_none=True):
        """A replay for the group of `point` (its tensors `point`), if none
        yet; `keep_none`: remember that there is none (a point of the group
        took the general path and recorded what it could)."""
        if group in self.replays:
            return
        replay = call.point_replayer(args, kwargs, [p for p in point if isinstance(p, Tensor)])
        if replay is not None or keep_none:
            self.replays[group] = replay
            if len(self.replays) > 64:      # (about as many groups as points: nothing to gain)
                self.ok = False


def _grouped_block(call, lean, leaves, dims, spec, kwargs, batch):
    """The results at every point, stacked (batch axis in front), with the
    points of each group (the values of the batched integer / bool tensors)
    replayed together by its tape (point_batches), or None (point by point:
    a group without a replay tape yet, a guard flipping, results that don't
    stack)."""
    groups: dict = {}
    for b in range(batch):
        groups.setdefault(lean.group(b), []).append(b)
    if len(groups) == batch:
        return None     # (no two points share a tape)
    for group, idx in groups.items():
        if group not in lean.replays:
            point = [F.select(x, d, idx[0]) if d is not None else x for x, d in zip(leaves, dims)]
            lean.learn(call, group, point, tree_unflatten(point, spec), kwargs, keep_none=False)
    fused = _fused_groups(lean, groups, batch)
    if fused is not None:
        return fused
    parts = []
    for group, idx in groups.items():
        fn = getattr(lean.replays.get(group), "block", None)
        blk = None if fn is None else fn({j: r[idx] for j, r in lean.floats})
        if blk is None:
            return None
        parts.append((np.array(idx), tree_flatten(blk)))
    first, spec0 = parts[0][1]
    merged = []
    for k, x0 in enumerate(first):
        if not isinstance(x0, Tensor) or x0.dim() == 0:
            return None
        arr = np.empty((batch,) + tuple(x0.shape[1:]), x0._data().dtype)
        for idx, (flat, spec_g) in parts:
            x = flat[k] if len(flat) == len(first) and spec_g == spec0 else None
            if not isinstance(x, Tensor) or x.dtype is not x0.dtype or tuple(x.shape) != (len(idx),) + arr.shape[1:]:
                return None
            arr[idx] = x._data()
        merged.append(Tensor._wrap(arr, x0.dtype))
    return tree_unflatten(merged, spec0)


def _fused_groups(lean, groups, batch):
    """_grouped_block's result with every group in one batch, when the
    groups' tapes differ only in values and index maps (cross_entropy's
    targets: the replays' `fuse`, replay/compiled_grad.py), else None."""
    items = []
    for group, idx in groups.items():
        replay = lean.replays.get(group)
        if getattr(replay, "fuse", None) is None:
            return None
        items.append((replay, np.array(idx), {j: rows[idx] for j, rows in lean.floats}))
    return items[0][0].fuse(items, batch)


def _swapped(res):
    """grad_and_value's (gradient, value) from value_and_grad's (value, gradient)."""
    v, g = res
    return g, v


VmapInfo = collections.namedtuple("VmapInfo", ["batch_size", "randomness"])



def _function_rule(func):
    """The autograd.Function whose `apply` func is, when vmap goes by its
    rule (its own `vmap` staticmethod); torch's error for one without
    setup_context."""
    cls = getattr(func, "__self__", None)
    if not (isinstance(cls, type) and issubclass(cls, A.Function) and getattr(func, "__name__", "") == "apply"):
        return None
    if all("setup_context" not in vars(k) for k in cls.__mro__ if k is not A.Function and k is not object):
        raise RuntimeError(AFn.SETUP_CONTEXT_MSG)
    if any("vmap" in vars(k) for k in cls.__mro__ if k is not A.Function and k is not object):
        return cls
    return None


def _vmap_by_rule(cls, args, kwargs, dims, in_dims, out_dims, batch, randomness, name):
    """vmap(F.apply): F.vmap(info, in_dims, *args) -> (outputs, their batch dims), moved to out_dims."""
    if dims is None:
        raise NotImplementedError("jitgrad: vmap of an autograd.Function's apply with nested arguments")
    arg_dims = tuple(d if isinstance(a, Tensor) else None for a, d in zip(args, dims))
    out, odims = cls.vmap(VmapInfo(batch, randomness), arg_dims, *args, **kwargs)
    single = not isinstance(out, tuple)
    outs = (out,) if single else out
    odims = (odims,) * len(outs) if not isinstance(odims, tuple) else odims
    wanted = out_dims if isinstance(out_dims, tuple) else (out_dims,) * len(outs)
    moved = tuple(o if w is None else (o.unsqueeze(0).expand(batch, *o.shape) if d is None else o).movedim(
        0 if d is None else d, w) for o, d, w in zip(outs, odims, wanted))
    return moved[0] if single else moved


def _vmapped_call(call, args, kwargs, graded):
    """call(*args, **kwargs) as vmap's: reads of argument values (.item(),
    float(), bool(), tolist()) are torch's errors where the recording sees
    them (`graded`: inside a gradient transform, torch's message names
    every cause)."""
    state = upper.VMAP
    depth, before = getattr(state, "depth", 0), getattr(state, "graded", False)
    state.depth, state.graded = depth + 1, graded
    try:
        with _transformed():
            return call(*args, **kwargs)
    finally:
        state.depth, state.graded = depth, before


# vmap records a function once (jitgrad.compile) and replays it per point: the
# compile contract makes each replay bit for bit the eager call, or eager. The
# compiled form is kept on the function itself (a cycle the GC collects with
# it; a table keyed by the function would keep it alive through the value).
_REPLAY_ATTR = "_jitgrad_vmap_replay"
_REPLAY_MIN_BATCH = 1
_EAGER = object()       # (a function whose compiled form runs eagerly: called as it is)


def _replays(compiled):
    """Whether a compiled function holds a replayable tape (else every call
    of it runs eagerly: differentiation inside it, a host of reasons)."""
    return any(t.mode == "replay" for t in compiled.tapes)


def _replayed(func, leaves, batch):
    """What vmap calls per point: `func` compiled once (a replay per point
    instead of a graph and a backward), or func itself for small batches,
    arguments that require grad (an outer transform or the user's graph
    differentiates through vmap: eager keeps every path), and callables
    compile can't hold."""
    if batch < _REPLAY_MIN_BATCH or upper.compile_hook is None or hasattr(func, "tapes"):
        return func
    holder, key = vmap_family(func)
    if inspect.ismethod(holder):
        # (a bound method's __dict__ is its function's, shared by every instance / class:
        # M(2).f and M(3).f, or A.apply and B.apply, would replay each other's recording)
        return func
    store = getattr(holder, "__dict__", None)
    if not isinstance(store, dict) or "_modules" in store:     # (builtins; modules: their hooks run per call)
        return func
    if any(isinstance(x, Tensor) and x._rg for x in leaves):
        return func
    table = store.setdefault(_REPLAY_ATTR, {})
    compiled = table.get(key)
    if compiled is _EAGER:
        return func
    if compiled is None:
        try:
            compiled = upper.compile_hook(func)
        except TypeError:       # (not something compile takes)
            return func
        table[key] = compiled
    return compiled


def vmap_family(func):
    """(holder, key): where vmap keeps func's compiled form, and under which
    key. A transform object (torch.func.grad(u), rebuilt on every pass of a
    training loop) answers `_vmap_family()`: its innermost function holds
    it, keyed by the transform's settings, so a new wrapper of the same
    transform finds the form (or the verdict that it runs eagerly) the last
    one left; any other callable holds its own, key None."""
    family = getattr(func, "_vmap_family", None)
    return family() if family is not None else (func, None)


def _broadcast_dims(in_dims, args, name):
    """One in_dim per flat leaf of args (in_dims: int/None, or a pytree
    matching args' structure with int/None leaves)."""
    if in_dims is None or isinstance(in_dims, int):
        n = len(tree_flatten(tuple(args))[0])
        return [in_dims] * n
    if not isinstance(in_dims, tuple):
        raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): expected `in_dims` to be int or a (potentially "
                         f"nested) tuple matching the structure of inputs, got: {type(in_dims)}.")
    if len(in_dims) != len(args):
        raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the "
                         f"structure of `inputs`. in_dims has structure {_spec_repr(in_dims)} but inputs has "
                         f"structure {_spec_repr(tuple(args))}.")
    dims = []
    for d, a in zip(in_dims, args):
        n = len(tree_flatten(a)[0])
        if d is None or isinstance(d, int):
            dims.extend([d] * n)
        else:
            sub = _broadcast_dims(tuple(d) if not isinstance(d, dict) else tuple(d.values()),
                                  tuple(a) if not isinstance(a, dict) else tuple(a.values()), name)
            dims.extend(sub)
    return dims


def _out_dims_for(od, out):
    """out_dims broadcast over the leaves of one output (None: the structures differ)."""
    if od is None or isinstance(od, int):
        return [od] * len(tree_flatten(out)[0])
    if type(od) is not type(out) or len(od) != len(out):
        return None
    if isinstance(od, dict):
        if list(od) != list(out):
            return None
        pairs = zip(od.values(), out.values())
    else:
        pairs = zip(od, out)
    dims = []
    for d, o in pairs:
        sub = _out_dims_for(d, o)
        if sub is None:
            return None
        dims.extend(sub)
    return dims


def _leaf_dims(first, out_dims, name):
    """(out dim per leaf, leaves, spec) of one point's result `first`."""
    leaves0, spec = tree_flatten(first)
    if isinstance(out_dims, (tuple, list)):
        if isinstance(first, Tensor) and len(out_dims) == 1 and not isinstance(out_dims[0], (tuple, list, dict)):
            dims = list(out_dims)
        else:
            dims = _out_dims_for(out_dims, first)
            if dims is None or len(dims) != len(leaves0):
                raise ValueError(f"vmap({name}, ..., out_dims={out_dims})(<inputs>): out_dims is not compatible "
                                 f"with the structure of `outputs`. out_dims has structure {_spec_repr(out_dims)} "
                                 f"but outputs has structure {_spec_repr(first)}.")
    else:
        dims = [out_dims] * len(leaves0)
    return dims, leaves0, spec


def _stack_results(results, out_dims, name, batch):
    dims, leaves0, spec = _leaf_dims(results[0], out_dims, name)
    flat = [tree_flatten(r)[0] for r in results]
    stacked = []
    for j, d in enumerate(dims):
        first = flat[0][j]
        if d is None:
            stacked.append(first)
            continue
        if not isinstance(d, int):
            raise ValueError(f"vmap({name}, ..., out_dims={d}): `out_dims` must be an int, None or a python "
                             "collection of ints representing where in the outputs the vmapped dimension should "
                             "appear.")
        if not isinstance(first, Tensor):
            raise ValueError(f"vmap({name}, ...): `{name}` must only return Tensors, got type {type(first)}. "
                             "Did you mean to set out_dims= to None for output?")
        rank = first.dim() + 1
        if not -rank <= d < rank:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-rank}, {rank - 1}], but got {d})")
        stacked.append(F.stack([f[j] for f in flat], dim=d % rank))
    return tree_unflatten(stacked, spec)


def _stack_block(first, block, out_dims, name, batch):
    """vmap's result from point 0's result `first` and the other points'
    stacked in `block` (batch axis in front; first None: block holds every
    point); None where they don't fit together (the points then run one by
    one, and raise what torch raises)."""
    dims, leaves0, spec = _leaf_dims(block if first is None else first, out_dims, name)
    rest = tree_flatten(block)[0]
    if len(rest) != len(leaves0):
        return None
    out = []
    for x0, xs, d in zip(leaves0, rest, dims):
        if not isinstance(xs, Tensor) or xs.requires_grad or xs.dim() == 0:
            return None
        if first is None:
            x0 = Tensor._wrap(np.array(xs._data()[0]), xs.dtype)
        if d is None:
            out.append(x0)
            continue
        if not (isinstance(d, int) and isinstance(x0, Tensor)) or x0.requires_grad \
                or x0.dtype is not xs.dtype or tuple(xs.shape) != (batch - (first is not None),) + tuple(x0.shape):
            return None
        rank = x0.dim() + 1
        if not -rank <= d < rank:
            return None
        arr = xs._data() if first is None else np.concatenate([np.asarray(x0._data())[None], xs._data()])
        out.append(Tensor._wrap(np.ascontiguousarray(np.moveaxis(arr, 0, d % rank)), x0.dtype))
    return tree_unflatten(out, spec)
