"""``jitgrad.compile`` of ``jitgrad.func.grad`` / ``value_and_grad``: f's tape
recorded once per signature, then forward + guards + reverse in one Numba
call (``kernels.value_and_grad``), and ``.batch(X)`` over many points."""
import warnings

import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from ..core.pytree import tree_flatten, tree_map, tree_unflatten
from ..functional import functions as F
from ..tensors.tensor import Tensor
from ..func import _GradTransform, _argnums, _pack
from ..nn.modules.module import Module
from .function import CACHE_SIZE, MAX_TAPES_PER_SIGNATURE, CompiledFunction
from .optimized_module import OptimizedModule
from . import point_batches as PB
from .recording import _LOCAL, _flatten, _signature, _unflatten


def _why(e):
    """The warning's reason when tape e reads a parameter that requires grad."""
    return _OUTER if any(c[5] for c in e.captured) else None


def _grouped(flat: list, groups) -> list:
    """The gradients of tuple / list / dict arguments in their structure
    (groups: None, or per argument None or (structure, number of leaves))."""
    if groups is None:
        return flat
    out, k = [], 0
    for g in groups:
        n = 1 if g is None else g[1]
        out.append(flat[k] if g is None else _unflatten(g[0], flat[k:k + n]))
        k += n
    return out


class _Row:
    """A point's argument for CompiledTape._fill (what it reads of a tensor)."""
    __slots__ = ("_v", "_arr")

    def __init__(self, arr):
        self._v = None
        self._arr = arr


# ----- compile(grad(f)) / compile(value_and_grad(f)) -----------------------------

# torch.func's value and gradient are themselves differentiable by the outer
# autograd when an argument or a parameter f reads requires grad (they carry
# grad_fns); a replay returns plain tensors, so such calls run eagerly.
_OUTER = "an argument or a parameter requires grad (the value and gradient carry the outer graph)"


def _outer_grad(args, kwargs) -> bool:
    """Whether a tensor in the arguments requires grad."""
    for a in args:
        if isinstance(a, Tensor):
            if a._rg:
                return True
        elif a.__class__ not in (int, float, bool):
            leaves: list = []
            _flatten(a, leaves)
            if any(isinstance(t, Tensor) and t._rg for t in leaves):
                return True
    if kwargs:
        leaves = []
        _flatten(kwargs, leaves)
        return any(isinstance(t, Tensor) and t._rg for t in leaves)
    return False


class CompiledGradTransform:
    """``jitgrad.compile`` of ``grad``/``value_and_grad``: records f's tape
    once per signature, then forward + guards + reverse in one Numba call."""

    def __init__(self, transform, fixed_shapes=False, max_tapes=8, cache_size=64):
        self.transform = transform
        self.cf = CompiledFunction(transform.fn, fixed_shapes=fixed_shapes, max_tapes=max_tapes, cache_size=cache_size)
        for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
            try:
                setattr(self, attr, getattr(transform, attr))
            except AttributeError:
                pass

    def report(self):
        return self.cf.report()

    @property
    def tapes(self):
        return self.cf.tapes

    def _prepare(self, args):
        """(arguments with each differentiated tensor a fresh leaf, the leaf
        index of each differentiated tensor, and per differentiated argument
        None (a tensor) or (tree, leaf count): dicts, lists, tuples of
        tensors, as torch.func; None when all are tensors)."""
        nums = _argnums(self.transform.argnums)
        args = list(args)
        if all(a.__class__ is Tensor for a in args):
            # Only tensors: argument i is leaf i (the common case, without _flatten).
            for i in nums:
                x = args[i]
                if not x.dtype.is_floating_point:
                    raise TypeError(f"argument {i} to differentiate must be a floating-point tensor")
                args[i] = x.detach().requires_grad_(True)
            return tuple(args), list(nums), None
        groups = []
        for i in nums:
            x = args[i]
            if isinstance(x, Tensor):
                if not x.dtype.is_floating_point:
                    raise TypeError(f"argument {i} to differentiate must be a floating-point tensor")
                args[i] = x.detach().requires_grad_(True)    # each differentiated argument its own leaf
                groups.append(None)
                continue
            inner = []
            tree = _flatten(x, inner)
            if not inner or any(not t.dtype.is_floating_point for t in inner):
                raise TypeError(f"argument {i} to differentiate must be a floating-point tensor or a "
                                "tuple/list/dict of them")
            args[i] = _unflatten(tree, [t.detach().requires_grad_(True) for t in inner])
            groups.append((tree, len(inner)))
        # Leaf index of each differentiated tensor.
        counts = []
        for a in args:
            leaves = []
            _flatten(a, leaves)
            counts.append(len(leaves))
        starts = np.concatenate(([0], np.cumsum(counts)))
        idx = []
        for i, g in zip(nums, groups):
            idx.extend(range(int(starts[i]), int(starts[i]) + (1 if g is None else g[1])))
        return tuple(args), idx, (groups if any(g is not None for g in groups) else None)

    def _tapes(self, key, leaves):
        cf = self.cf
        tapes = cf._cache.get(key)
        if not tapes and cf.fixed_shapes:
            cf._check_fixed(leaves)
        return list(tapes or ())

    def __call__(self, *args, **kwargs):
        if getattr(_LOCAL, "rec", None) is not None:
            return self.transform(*args, **kwargs)      # inside a recording: inline
        cf = self.cf
        cf.calls += 1
        if _outer_grad(args, kwargs):
            return self._eager(args, kwargs, _OUTER)
        if cf._fast and not kwargs:
            res = self._fast_replay(args)
            if res is not None:
                return res
        kwargs0 = kwargs
        args2, idx, groups = self._prepare(args)
        key, struct, leaves = _signature(args2, kwargs)
        tapes = self._tapes(key, leaves)
        generic = None
        if not tapes and key[0] != "T":
            probe = lambda e, lv: self._probe(e, lv, idx, groups)   # noqa: E731
            d = cf._dynamic(key, struct, leaves, probe)
            if d is not None:       # number arguments as tape inputs (float_args.py)
                gkey, gstruct, gleaves, e = d
                if e is not None:   # (recorded by this call)
                    return self._recorded(e, args, kwargs0, leaves, idx, groups)
                generic = (key, struct, leaves)
                key, struct, leaves = gkey, gstruct, gleaves
                args2, kwargs = _unflatten(struct, leaves)
                tapes = list(cf._cache.get(key) or ())
        # Replay tapes first: the signature's eager outcome never shadows them
        # (CompiledFunction._lookup); it is used, or a tape recorded, when none fits.
        for e in tapes:
            if e.mode != "replay" or not e.valid():
                continue
            if not self._replayable(e):
                return self._eager(args, kwargs0, _why(e))
            res = e.value_and_grad(leaves, idx)
            if res.__class__ is int:
                cf._flipped(e, res)
                continue
            cf.replays += 1
            return self._result(e, res, leaves, groups)
        eager = [e for e in tapes if e.mode != "replay"]
        if eager and cf._eager_now(eager[0]):
            return self._eager(args, kwargs0)
        if generic is not None:     # no generic tape fits: record as it is (CompiledFunction._regeneric)
            e = cf._regeneric(*generic, key, struct, leaves, probe)
            return self._recorded(e, args, kwargs0, generic[2], idx, groups)
        e = cf._new_tape(key, args2, kwargs, struct, leaves)
        return self._recorded(e, args, kwargs0, leaves, idx, groups)

    def _recorded(self, e, args, kwargs, leaves, idx, groups):
        """The result of the call that recorded tape e (its recorded values), or eager's."""
        if e.mode != "replay" or not self._replayable(e):
            return self._eager(args, kwargs, _why(e))
        res = e.value_and_grad(leaves, idx, draw=False)
        if res.__class__ is int:    # (its own guards on its recording's values: never expected)
            return self._eager(args, kwargs)
        return self._result(e, res, leaves, groups)

    def _fast_replay(self, args):
        """The result of a call of positional tensors and floats whose family
        replays every float as a tape input (CompiledFunction._fast_generic),
        or None (then the call takes the general path)."""
        nums = _argnums(self.transform.argnums)
        args2 = list(args)
        for i in nums:
            x = args2[i] if -len(args2) <= i < len(args2) else None
            if x.__class__ is not Tensor or not x.dtype.is_floating_point:
                return None
            args2[i] = x.detach().requires_grad_(True)
        fast = self.cf._fast_generic(args2)
        if fast is None:
            return None
        key, leaves = fast
        idx = [sum(a.__class__ is Tensor for a in args2[:i % len(args2)]) for i in nums]
        for e in self.cf._cache.get(key) or ():
            if e.mode != "replay" or not self._replayable(e) or not e.valid():
                continue
            res = e.value_and_grad(leaves, idx)
            if res.__class__ is int:
                continue
            self.cf.replays += 1
            return self._result(e, res, leaves)
        return None

    def point_replayer(self, args, kwargs, tensors):
        """For vmap: a replay(rows) giving this transform's result at a point
        like `args` whose tensors (`tensors`, in flattening order) at
        positions j are replaced by arrays rows[j] of their shape and dtype,
        or None when that point must take the general path (a guard flipped,
        the tape went stale). None when no replay tape of this signature
        fits `args` (vmap calls point by point). Skips per point what
        __call__ redoes for every call (_prepare, _signature, the lookup)."""
        if getattr(_LOCAL, "rec", None) is not None or _outer_grad(args, kwargs):
            return None
        order: list = []
        _flatten(tuple(args), order)
        if len(order) != len(tensors) or any(a is not b for a, b in zip(order, tensors)):
            return None     # (a container _signature flattens otherwise than vmap's pytree)
        args2, idx, groups = self._prepare(args)
        key, struct, leaves = _signature(args2, kwargs)
        cf = self.cf
        tapes = cf._cache.get(key)
        if not any(t.mode == "replay" for t in tapes or ()):
            return None
        base = list(leaves)

        def replay(rows):
            lv = base.copy()
            for j, a in rows.items():
                lv[j] = _Row(a)
            flips = []
            for e in tapes:     # (as __call__: the first replay tape whose guards hold)
                if e.mode != "replay" or not e.valid():
                    continue
                if not self._replayable(e) or any(o[0] == "arg" for o in e.outs):
                    return None
                res = e.value_and_grad(lv, idx)
                if res.__class__ is int:
                    flips.append((e, res))
                    continue
                for f in flips:
                    cf._flipped(*f)
                cf.calls += 1
                cf.replays += 1
                return self._result(e, res, lv, groups)
            return None     # (no tape fits: the general path replays them again, counts the flips, records)

        def tape():
            """The tape block() runs (the first valid replay tape), or None."""
            for e in tapes:
                if e.mode != "replay" or not e.valid():
                    continue
                if not (self._replayable(e) and PB.batchable(e) and all(o[0] == "slot" for o in e.outs)):
                    return None
                return e
            return None

        def stacked(e, V, grads):
            cf.calls += V.shape[0]
            cf.replays += V.shape[0]
            return self._stacked_result(e, V, grads, idx, groups)

        def block(rows):
            """The results at B points at once (point_batches), stacked: one
            point's result with a leading batch axis; None: point by point."""
            e = tape()
            res = None if e is None else PB.value_and_grad_points(e, base, rows, idx)
            return None if res is None else stacked(e, *res)
        def fuse(items, B):
            """The results at all B points of several groups' replays (items
            [(replay, point indices, rows)], this one first) in one batch,
            stacked in point order, when their tapes differ only in values
            and index maps (point_batches.same_structure), else None."""
            tapes = [r.tape() for r, _, _ in items]
            e0 = tapes[0]
            if e0 is None or any(e is None or r.argnums != idx or not PB.same_structure(e0, e)
                                 for (r, _, _), e in zip(items, tapes)):
                return None
            res = PB.value_and_grad_groups([(e, r.base, rows, pts) for (r, pts, rows), e in zip(items, tapes)],
                                           B, idx)
            return None if res is None else stacked(e0, *res)
        replay.block = block
        # (vmapping._grouped_block: the points of several groups' tapes in one batch)
        replay.tape, replay.fuse, replay.base, replay.argnums = tape, fuse, base, idx
        return replay

    def _stacked_result(self, e, V, grads, idx, groups):
        """_result of B points at once: every output and gradient with a
        leading batch axis (outputs all "slot" kinds)."""
        B = V.shape[0]
        outs = [Tensor._wrap(V[:, o[1]:o[1] + o[2]].astype(o[4].np).reshape((B,) + tuple(o[3])), o[4])
                for o in e.outs]
        outs = _unflatten(e.out_struct, outs)
        value, aux = outs if self.transform.has_aux else (outs, None)
        gs = [Tensor._wrap(g, e.args[i][3]) for g, i in zip(grads, idx)]
        return _pack(self.transform, value, _grouped(gs, groups), aux)

    def _probe(self, e, leaves, idx, groups=None):
        """What a replay of tape e gives for `leaves` (float_args.validate),
        or an int when it gives nothing (a guard flipped, not replayable)."""
        if e.mode != "replay" or not self._replayable(e):
            return -1
        res = e.value_and_grad(leaves, idx)
        return res if res.__class__ is int else self._result(e, res, leaves, groups)

    def _replayable(self, e):
        # (a parameter that requires grad: eager's value and gradient carry the outer graph, see _OUTER)
        return (e.first_scalar >= 0 and (len(e.outs) == 1 or self.transform.has_aux)
                and not any(c[5] for c in e.captured))

    def _eager(self, args, kwargs, reason=None):
        cf = self.cf
        cf.eager_calls += 1
        if reason is not None and reason not in cf._warned_eager:
            cf._warned_eager.add(reason)
            warnings.warn(f"jitgrad.compile: {getattr(self.transform, '__qualname__', self.transform)} runs eagerly "
                          f"(not replayed): {reason}", RuntimeWarning, stacklevel=3)
        return self.transform(*args, **kwargs)

    def _result(self, e, res, leaves, groups=None):
        vals, grads = res
        outs = e._outputs(vals, leaves, grad=False)
        if self.transform.has_aux:
            value, aux = outs
        else:
            value, aux = outs, None
        return _pack(self.transform, value, _grouped(grads, groups), aux)

    def batch(self, *args, parallel=False, **kwargs):
        """Value and gradient at B points in one Numba call: every tensor
        argument has a leading batch axis of size B. Returns what the
        transform returns, each tensor with the batch axis in front.
        ``parallel=True`` spreads the points over all cores."""
        cf = self.cf
        if self.transform.has_aux:
            raise NotImplementedError("batch() of a transform with has_aux=True")
        tensors = [a for a in args if isinstance(a, Tensor)]
        if not tensors:
            raise TypeError("batch() needs tensor arguments with a leading batch axis")
        B = tensors[0].shape[0]
        for t in tensors:
            if t.ndim == 0 or t.shape[0] != B:
                raise ValueError("batch(): every tensor argument needs the same leading batch size")
        first = tuple(a[0] if isinstance(a, Tensor) else a for a in args)
        if _outer_grad(args, kwargs):
            return self._batch_slow(args, kwargs, range(B), None)
        args2, idx, groups = self._prepare(first)
        if groups is not None:
            raise NotImplementedError("batch() of a transform differentiating a tuple/list/dict argument")
        key, struct, leaves = _signature(args2, kwargs)
        tapes = [t for t in self._tapes(key, leaves) if t.mode == "replay" and t.valid()]
        tapes += [t for t in self._tapes(key, leaves) if t.mode != "replay"]
        if tapes:
            e = tapes[0]
        else:
            e = cf._new_tape(key, args2, kwargs, struct, leaves)
            e.rewind(e.rng_before)      # (recording is no call of fn here: its draws are undone)
        if e.mode != "replay" or e.first_scalar < 0 or len(e.outs) != 1 or e.draws or e.dyn_meta:
            # (random draws: point by point, each drawing in turn as eager calls do; picks: a meta each)
            return self._batch_slow(args, kwargs, range(B), None)
        X = []
        for a in args:
            if isinstance(a, Tensor):
                X.append(np.asarray(a._data(), np.float64).reshape(B, -1))
        values, grads, status, in_slot = e.batch(X, idx, True, parallel)
        cf.calls += B
        cf.replays += int(np.count_nonzero(status[:, 0] == K.VG_DONE))
        # Columns of each differentiated argument in `grads`.
        col, cols = 0, {}
        for i, a in enumerate(e.args):
            if a[0] >= 0:
                cols[i] = (col, a[1])
                col += a[1]
        out_dt = e.outs[0][4]
        gl = []
        for i in idx:
            slot, n, shape, dt, rg = e.args[i]
            if i in cols:
                c0, n = cols[i]
                gl.append(grads[:, c0:c0 + n].astype(dt.np).reshape((B,) + shape))
            else:
                gl.append(np.zeros((B,) + shape, dt.np))
        vals = values.astype(out_dt.np).reshape((B,) + e.outs[0][3])
        redo = np.nonzero(status[:, 0] != K.VG_DONE)[0]
        if redo.size:
            for k in redo:
                if status[k, 0] == K.VG_GUARD:
                    cf._flipped(e, int(status[k, 1]))
            self._batch_slow(args, kwargs, redo, (vals, gl))
        value = Tensor._wrap(vals, out_dt)
        gs = tuple(Tensor._wrap(g) for g in gl)
        return _pack(self.transform, value, gs, None)

    def _batch_slow(self, args, kwargs, points, into):
        """Point by point through __call__ (guards flipped, host records)."""
        res = []
        for k in points:
            pa = tuple(a[int(k)] if isinstance(a, Tensor) else a for a in args)
            r = self(*pa, **kwargs)
            if into is not None:
                v, g = r if self.transform.with_value else (None, r)
                gl = (g,) if isinstance(self.transform.argnums, int) else g
                if v is not None:
                    into[0][k] = v._data()
                for dst, src in zip(into[1], gl):
                    dst[k] = src._data()
            res.append(r)
        if into is not None:
            return into
        if self.transform.with_value:
            vals = F.stack([r[0] for r in res])
            gs = [r[1] for r in res]
        else:
            vals, gs = None, res
        if isinstance(self.transform.argnums, int):
            g = F.stack(list(gs))
        else:
            g = tuple(F.stack([p[j] for p in gs]) for j in range(len(self.transform.argnums)))
        return (vals, g) if self.transform.with_value else g

    def __repr__(self):
        return f"<jitgrad.compile({self.transform.__qualname__ if hasattr(self.transform, '__qualname__') else self.transform})>"


_TORCH_OPTIONS = ("fullgraph", "dynamic", "backend", "mode", "options", "name", "disable", "recompile_limit",
                  "isolate_recompiles", "shapes_spec")
_MODES = ("default", "lite", "reduce-overhead", "max-autotune-no-cudagraphs", "max-autotune")
_BACKENDS = ("inductor", "eager", "aot_eager", "aot_eager_decomp_partition", "aot_eager_default_partitioner",
             "aot_ts", "cudagraphs", "eager_debug", "eager_noexcept", "openxla", "openxla_eval", "pre_dispatch_eager",
             "ts", "tvm", "jitgrad")


class InvalidBackend(RuntimeError):
    """torch._dynamo.exc.InvalidBackend: a backend name torch doesn't know."""


def _check_torch_options(options):
    """torch.compile's own argument errors (the options themselves change nothing here)."""
    for k in options:
        if k not in _TORCH_OPTIONS:
            raise TypeError(f"compile() got an unexpected keyword argument '{k}'")
    mode, backend = options.get("mode"), options.get("backend")
    if mode is not None and options.get("options") is not None:
        raise RuntimeError("Either mode or options can be specified, but both can't be specified at the same time.")
    if mode is not None and mode not in _MODES:
        raise RuntimeError(f"Unrecognized mode={mode}, should be one of: {', '.join(_MODES)}")
    if isinstance(backend, str) and backend not in _BACKENDS:
        raise InvalidBackend(f"Invalid backend: {backend!r}, see `torch._dynamo.list_backends()` for available "
                             "backends.")
    if options.get("dynamic") is not None and not isinstance(options["dynamic"], bool):
        raise AssertionError(f"Expected enable to be a bool, got {type(options['dynamic'])}")


def compile(fn=None, *, fixed_shapes=False, max_tapes=MAX_TAPES_PER_SIGNATURE, cache_size=CACHE_SIZE,
            **torch_options):
    """Record fn's tape on its first call per signature; replay it after.

    Usable as ``compile(fn)``, ``@compile`` and ``@compile(fixed_shapes=True)``.
    ``fixed_shapes=True``: a call with other tensor shapes or dtypes than the
    first raises instead of recording a new tape. ``cache_size``: signatures
    kept (least recently used dropped; a warning when a function keeps
    recording new ones). torch.compile's options
    (``mode``, ``fullgraph``, ``dynamic``, ``backend``) are accepted and
    ignored. A ``jitgrad.func.value_and_grad`` / ``grad`` of a function
    compiles to forward and reverse sweeps in one Numba call. A module
    compiles to an ``OptimizedModule`` (torch's wrapper: a Module holding it
    as ``_orig_mod``).
    """
    _check_torch_options(torch_options)
    if fn is None:
        return lambda f: compile(f, fixed_shapes=fixed_shapes, max_tapes=max_tapes, cache_size=cache_size,
                                 **torch_options)
    if not callable(fn):
        raise AssertionError(f"A callable function is expected, but {type(fn)} is provided.")
    if torch_options.get("disable"):
        return fn       # (torch's disable=True: the function itself)
    if isinstance(fn, _GradTransform):
        return CompiledGradTransform(fn, fixed_shapes=fixed_shapes, max_tapes=max_tapes, cache_size=cache_size)
    compiled = CompiledFunction(fn, fixed_shapes=fixed_shapes, max_tapes=max_tapes, cache_size=cache_size)
    if isinstance(fn, Module):
        return OptimizedModule(fn, compiled)      # torch.compile(model): still a Module
    return compiled


def vmap_jacobian(jac, args: tuple, dims: list, batch: int):
    """vmap(jacrev(f))(*args) with every point of f's one compiled tape at
    once (point_batches.jacobian_points): the Jacobians stacked with the
    batch axis in front, as jacrev's result at one point, or None (vmap then
    runs jacrev point by point). `jac`: (f, argnums, has_aux) of the jacrev;
    `dims`: each tensor of the flattened arguments' batched dim or None.
    Batched tensors are plain positional arguments; an argument that is a
    dict / list / tuple of tensors (a model's parameters) is not batched,
    and its Jacobians come back in its structure."""
    fn, argnums, has_aux = jac
    nums = _argnums(argnums)
    if has_aux or getattr(_LOCAL, "rec", None) is not None or any(not -len(args) <= i < len(args) for i in nums):
        return None
    nums = tuple(i % len(args) for i in nums)
    spans, rows, k = [], {}, 0       # (each argument's leaves: a span of the tape's arguments)
    for a in args:
        flat: list = []
        _flatten(a, flat)
        if not flat or any(x.requires_grad for x in flat):
            return None
        if isinstance(a, Tensor):
            d = dims[k]
            if d is not None:
                if a._arr is None or a.dtype not in (D.float32, D.float64) or a._arr.dtype != a.dtype.np:
                    return None
                rows[k] = np.moveaxis(a._arr, d % a.ndim, 0)
        elif a.__class__ not in (dict, list, tuple) or any(d is not None for d in dims[k:k + len(flat)]) \
                or [id(x) for x in tree_flatten(a)[0]] != [id(x) for x in flat]:
            return None     # (batched tensors inside containers, other leaves, another flattening order)
        spans.append((k, len(flat)))
        k += len(flat)
    if not rows or k != len(dims):
        return None
    store = getattr(fn, "__dict__", None)
    if not isinstance(store, dict) or "_modules" in store:
        return None
    cf = store.setdefault("_jitgrad_jacobian_points", {}).get(nums)
    if cf is None:
        cf = store["_jitgrad_jacobian_points"][nums] = CompiledFunction(fn)
    point = [a.select(dims[s], 0) if isinstance(a, Tensor) and dims[s] is not None else a
             for a, (s, _) in zip(args, spans)]
    point = [tree_map(lambda t: t.detach().requires_grad_(True), p) if i in nums else p
             for i, p in enumerate(point)]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="jitgrad.compile", category=RuntimeWarning)
        cf(*point)      # (records the tape for this signature, or replays it)
    key, struct, leaves = _signature(tuple(point), {})
    e = next((t for t in cf._cache.get(key) or () if t.mode == "replay" and t.valid()), None)
    if e is None or len(e.args) != k or any(c[5] for c in e.captured):
        return None
    wrt = [j for i in nums for j in range(spans[i][0], spans[i][0] + spans[i][1])]
    jacs = PB.jacobian_points(e, leaves, rows, wrt)
    if jacs is None:
        return None
    cf.calls += batch
    cf.replays += batch
    by_leaf = {j: Tensor._wrap(J, e.args[j][3]) for J, j in zip(jacs, wrt)}
    out = []
    for i in nums:
        s, n = spans[i]
        if isinstance(args[i], Tensor):
            out.append(by_leaf[s])
        else:
            out.append(tree_unflatten([by_leaf[j] for j in range(s, s + n)], tree_flatten(args[i])[1]))
    return out[0] if isinstance(argnums, int) else tuple(out)
