"""jitgrad.func: function transforms with torch.func's signatures.

    from jitgrad.func import grad, value_and_grad
    g = grad(f)(x)                        # df/dx, a plain tensor
    v, g = value_and_grad(f, argnums=(0, 1))(x, y)

They compose with ``jitgrad.compile``: ``jitgrad.compile(value_and_grad(f))``
records f's tape once, then every call runs the forward sweep, the guards
and the reverse sweep in one Numba call, and ``.batch(X)`` evaluates value
and gradient at every row of a batch inside one Numba call (``parallel=True``:
on all cores).

``jacrev``, ``jacfwd``, ``hessian``, ``vjp`` and ``jvp`` are thin wrappers of
``jitgrad.autograd.functional`` (batched sweeps of one recorded graph).

``grad``, ``grad_and_value``, ``vjp``, ``jvp``, ``jacrev``, ``jacfwd``,
``hessian``, ``vmap`` and ``functional_call`` compose in any order
(``jvp(grad(f))``, ``jacrev(jacrev(f))``, ``vmap(grad(f))``...): see
``transforms.py``.
"""
import numpy as np

from .core import kernels as K
from . import transforms as TR
from .tensors.tensor import Tensor
from .transforms import functional_call, jvp, vjp  # noqa: F401


def _argnums(argnums):
    return (argnums,) if isinstance(argnums, int) else tuple(argnums)


class _GradTransform:
    """grad / value_and_grad of fn: a callable `jitgrad.compile` recognises."""

    def __init__(self, fn, argnums, has_aux, with_value):
        self.fn = fn
        self.argnums = argnums
        self.has_aux = has_aux
        self.with_value = with_value
        for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
            try:
                setattr(self, attr, getattr(fn, attr))
            except AttributeError:
                pass

    def __call__(self, *args, **kwargs):
        gs, value, aux = TR.grad_and_value_call(self.fn, args, kwargs, self.argnums, self.has_aux)
        if isinstance(self.argnums, int):
            return _pack(self, value, (gs,), aux)
        return _pack(self, value, gs, aux)


def _pack(tr, value, grads, aux):
    g = grads[0] if isinstance(tr.argnums, int) else tuple(grads)
    if tr.with_value:
        return ((value, aux), g) if tr.has_aux else (value, g)
    return (g, aux) if tr.has_aux else g


def grad(func, argnums=0, has_aux=False):
    """torch.func.grad: a function returning the gradient of func's scalar output."""
    return _GradTransform(func, argnums, has_aux, with_value=False)


def value_and_grad(func, argnums=0, has_aux=False):
    """torch.func.grad_and_value's order as in JAX: (value, gradient)."""
    return _GradTransform(func, argnums, has_aux, with_value=True)


def grad_and_value(func, argnums=0, has_aux=False):
    """torch.func.grad_and_value: (gradient, value), or ((gradient, aux)...)
    as torch: with has_aux, (gradient, (value, aux))."""
    inner = value_and_grad(func, argnums, has_aux)

    def f(*args, **kwargs):
        v, g = inner(*args, **kwargs)
        return g, v
    return f


def _jac(what):
    def transform(func, argnums=0, *, has_aux=False, chunk_size=None, randomness="error"):
        def f(*args):
            jac, aux = TR.jacobian_call(func, args, argnums, has_aux, what)
            return (jac, aux) if has_aux else jac
        return f
    transform.__name__ = what
    transform.__doc__ = f"torch.func.{what}: the Jacobian (output.shape + input.shape per pair)."
    return transform


jacrev = _jac("jacrev")
jacfwd = _jac("jacfwd")


def hessian(func, argnums=0):
    """torch.func.hessian: jacfwd(jacrev(func)), any output shape."""
    return jacfwd(jacrev(func, argnums), argnums)


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """torch.func.vmap: func mapped over a dimension of its inputs (a loop
    over the points, results stacked: composes with every transform)."""
    def f(*args, **kwargs):
        return TR.vmap_call(func, args, kwargs, in_dims, out_dims, randomness, chunk_size)
    for attr in ("__name__", "__qualname__", "__doc__"):
        try:
            setattr(f, attr, getattr(func, attr))
        except AttributeError:
            pass
    return f


# ----- compile(grad(f)) / compile(value_and_grad(f)) -----------------------------

class CompiledGradTransform:
    """``jitgrad.compile`` of ``grad``/``value_and_grad``: records f's tape
    once per signature, then forward + guards + reverse in one Numba call."""

    def __init__(self, transform, fixed_shapes=False, max_tapes=8, cache_size=64):
        from .replay.compiler import CompiledFunction
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
        nums = _argnums(self.transform.argnums)
        args = list(args)
        for i in nums:
            x = args[i]
            if not isinstance(x, Tensor) or not x.dtype.is_floating_point:
                raise TypeError(f"argument {i} to differentiate must be a floating-point tensor")
            args[i] = x.detach().requires_grad_(True)    # each differentiated argument its own leaf
        # Leaf index of each differentiated positional argument.
        from .replay.compiler import _flatten
        counts = []
        for a in args:
            leaves = []
            _flatten(a, leaves)
            counts.append(len(leaves))
        starts = np.concatenate(([0], np.cumsum(counts)))
        return tuple(args), [int(starts[i]) for i in nums]

    def _tapes(self, key, leaves):
        cf = self.cf
        tapes = cf._cache.get(key)
        if not tapes and cf.fixed_shapes:
            cf._check_fixed(leaves)
        return list(tapes or ())

    def __call__(self, *args, **kwargs):
        from .replay.compiler import _LOCAL, _signature
        if getattr(_LOCAL, "rec", None) is not None:
            return self.transform(*args, **kwargs)      # inside a recording: inline
        cf = self.cf
        cf.calls += 1
        args2, idx = self._prepare(args)
        key, struct, leaves = _signature(args2, kwargs)
        for e in self._tapes(key, leaves) + [None]:
            new = e is None
            if new:
                e = cf._new_tape(key, args2, kwargs, struct, leaves)
            elif e.mode == "replay" and not e.valid():
                continue
            if e.mode != "replay" or e.first_scalar < 0 or (len(e.outs) != 1 and not self.transform.has_aux):
                cf.eager_calls += 1
                return self.transform(*args, **kwargs)
            res = e.value_and_grad(leaves, idx)
            if res.__class__ is int:
                cf._flipped(e, res)
                continue
            cf.replays += not new
            vals, grads = res
            outs = e._outputs(vals, leaves, grad=False)
            if self.transform.has_aux:
                value, aux = outs
            else:
                value, aux = outs, None
            gs = [Tensor._wrap(g, e.args[i][3]) for g, i in zip(grads, idx)]
            return _pack(self.transform, value, gs, aux)
        raise AssertionError("unreachable")

    def batch(self, *args, parallel=False, **kwargs):
        """Value and gradient at B points in one Numba call: every tensor
        argument has a leading batch axis of size B. Returns what the
        transform returns, each tensor with the batch axis in front.
        ``parallel=True`` spreads the points over all cores."""
        from .replay.compiler import _signature
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
        args2, idx = self._prepare(first)
        key, struct, leaves = _signature(args2, kwargs)
        tapes = [t for t in self._tapes(key, leaves) if t.mode != "replay" or t.valid()]
        e = tapes[0] if tapes else cf._new_tape(key, args2, kwargs, struct, leaves)
        if e.mode != "replay" or e.first_scalar < 0 or len(e.outs) != 1:
            return self._batch_slow(args, kwargs, range(B), None)
        X = []
        pos = 0
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
        from .functional import functions as F
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
