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

from . import transforms as TR
from .autograd import function as AFn
from . import vmapping as VM
from .functional import functions as F
from .module_call import functional_call  # noqa: F401
from .transforms import jvp, vjp  # noqa: F401


def _argnums(argnums):
    return (argnums,) if isinstance(argnums, int) else tuple(argnums)


class _GradTransform:
    """grad / value_and_grad of fn: a callable `jitgrad.compile` recognises."""

    def __init__(self, fn, argnums, has_aux, with_value, tensor_aux=True):
        self.fn = fn
        self.argnums = argnums
        self.has_aux = has_aux
        self.with_value = with_value
        self.tensor_aux = tensor_aux    # (torch's transforms take tensors only as aux; value_and_grad anything)
        for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
            try:
                setattr(self, attr, getattr(fn, attr))
            except AttributeError:
                pass

    def _vmap_family(self):
        """transforms.vmap_family: the innermost function, and this
        transform's settings on top of its key."""
        holder, key = VM.vmap_family(self.fn)
        return holder, ("grad", key, _argnums(self.argnums), self.has_aux, self.with_value)

    def __call__(self, *args, **kwargs):
        gs, value, aux = TR.grad_and_value_call(self.fn, args, kwargs, self.argnums, self.has_aux, self.tensor_aux)
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
    """torch.func.grad_and_value's order as in JAX: (value, gradient); its
    aux may hold anything (numbers too)."""
    return _GradTransform(func, argnums, has_aux, with_value=True, tensor_aux=False)


def grad_and_value(func, argnums=0, has_aux=False):
    """torch.func.grad_and_value: (gradient, value), or ((gradient, aux)...)
    as torch: with has_aux, (gradient, (value, aux))."""
    inner = _GradTransform(func, argnums, has_aux, with_value=True)

    def f(*args, **kwargs):
        v, g = inner(*args, **kwargs)
        return g, v
    f._value_and_grad = inner       # (vmap maps the transform itself: vmapping.vmap_call)
    return f


def _jac(what):
    def call(func, argnums, has_aux):
        def f(*args):
            if what == "jacrev":
                with AFn.hooks_disabled(AFn.FUNC_NO_HOOKS):      # (as torch's reverse-mode transforms)
                    jac, aux = TR.jacobian_call(func, args, argnums, has_aux, what)
            else:
                jac, aux = TR.jacobian_call(func, args, argnums, has_aux, what)
            return (jac, aux) if has_aux else jac
        f._vmap_family = _family(func, (what, _argnums(argnums), has_aux))
        return f
    return call


def _family(func, settings):
    """A transform's vmap_family (see _GradTransform._vmap_family): func's
    holder, keyed by its key and the transform's settings, so that
    vmap(jacrev(f)) written inline in a loop finds the compiled form the
    last pass left."""
    def family():
        holder, key = VM.vmap_family(func)
        return holder, (settings, key)
    return family


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None, _preallocate_and_copy=False):
    """torch.func.jacrev: the Jacobian (output.shape + input.shape per pair), by reverse mode."""
    if not (chunk_size is None or chunk_size > 0):
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")
    f = _jac("jacrev")(func, argnums, has_aux)
    f._jacrev_of = (func, argnums, has_aux)     # (vmap runs its points at once: core/upper.vmap_jacobian)
    return f


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """torch.func.jacfwd: the Jacobian (output.shape + input.shape per pair), by forward mode."""
    inner = _jac("jacfwd")(func, argnums, has_aux)

    def f(*args):
        if randomness not in ("error", "different", "same"):
            raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or 'same'. "
                               f"Got {randomness}")
        if randomness == "different":
            return _jacfwd_by_points(func, argnums, has_aux, args)
        if randomness == "same":
            return inner(*args)
        # (torch's jacfwd vmaps over the tangents: a random op in the function is vmap's error)
        gen = F.RNG.np
        before = gen.bit_generator.state
        out = inner(*args)
        if F.RNG.np is not gen or gen.bit_generator.state != before:
            gen.bit_generator.state = before      # (torch raises before drawing)
            raise RuntimeError(VM._RANDOM_MSG)
        return out
    f._vmap_family = _family(func, ("jacfwd", _argnums(argnums), has_aux, randomness))
    return f


def _jacfwd_by_points(func, argnums, has_aux, args):
    """jacfwd(randomness="different"): as torch, the jvp vmapped over the
    standard basis of the inputs, so each basis tangent's evaluation draws
    its own random numbers (vmap's loop of points); then each output's
    columns split by input, in the input's shape."""
    nums = _argnums(argnums)
    primals = tuple(args[i] for i in nums)
    numels = [p.numel() for p in primals]
    eye = F.eye(sum(numels), dtype=primals[0].dtype)
    basis, start = [], 0
    for p, k in zip(primals, numels):
        basis.append(F.reshape(eye[:, start:start + k].to(p.dtype), (sum(numels),) + tuple(p.shape)))
        start += k

    def push(*tangents):
        def at(*ps):
            full = list(args)
            for i, p in zip(nums, ps):
                full[i] = p
            return func(*full)
        res = jvp(at, primals, tangents, has_aux=has_aux)
        return (res[1], res[2]) if has_aux else res[1]
    results = VM.vmap_call(push, tuple(basis), {}, 0, 0, "different", None)
    aux = None
    if has_aux:
        results, aux = results
        leaves, spec = TR.tree_flatten(aux)
        aux = TR.tree_unflatten([v[0] for v in leaves], spec)      # (the first point's: func's own aux)
    outs, spec = TR.tree_flatten(results)
    jacs = []
    for out in outs:
        cols = F.split(F.movedim(out, 0, -1), numels, -1)
        per = tuple(F.reshape(c, tuple(c.shape[:-1]) + tuple(p.shape)) for c, p in zip(cols, primals))
        jacs.append(per[0] if isinstance(argnums, int) else per)
    jac = TR.tree_unflatten(jacs, spec)
    return (jac, aux) if has_aux else jac


def hessian(func, argnums=0):
    """torch.func.hessian: jacfwd(jacrev(func)), any output shape."""
    return jacfwd(jacrev(func, argnums), argnums)


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """torch.func.vmap: func mapped over a dimension of its inputs (a loop
    over the points, results stacked: composes with every transform)."""
    if randomness not in ("error", "different", "same"):        # (torch checks its arguments at once)
        raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or 'same'. "
                           f"Got {randomness}")
    if not (chunk_size is None or chunk_size > 0):
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size})")

    def f(*args, **kwargs):
        return VM.vmap_call(func, args, kwargs, in_dims, out_dims, randomness, chunk_size)
    for attr in ("__name__", "__qualname__", "__doc__"):
        try:
            setattr(f, attr, getattr(func, attr))
        except AttributeError:
            pass
    return f


def linearize(func, *primals):
    """torch.func.linearize: (func(*primals), jvp_fn) where jvp_fn(*tangents)
    is the Jacobian-vector product at primals (a jvp per call)."""
    output = TR.jvp(func, primals, tuple(TR._zeros_like(p) for p in primals))[0]
    shapes = [tuple(p.shape) for p in primals]

    def jvp_fn(*tangents):
        for i, (t, s) in enumerate(zip(tangents, shapes)):
            if tuple(t.shape) != s:
                raise RuntimeError(f"tangent:{i} with shape {t.shape} in flattened pytree doesn't match the shape "
                                   f"{primals[i].shape} of the corresponding primal.")
            if t.dtype is not primals[i].dtype:
                raise RuntimeError(f"tangent:{i} with dtype {t.dtype} in flattened pytree doesn't match the dtype "
                                   f"{primals[i].dtype} of the corresponding primal.")
        return TR.jvp(func, primals, tangents)[1]
    return output, jvp_fn


def stack_module_state(models) -> tuple:
    """torch.func.stack_module_state: (params, buffers), each name's tensors of
    all models stacked on a new leading dim; params are new leaves that
    require grad (as torch's), for vmap over functional_call."""
    models = list(models)
    if not models:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or not any(m.training for m in models)):
        raise RuntimeError("stack_module_state: Expected all models to have the same training/eval mode.")
    kinds = {type(m) for m in models}
    if len(kinds) > 1:
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")
    params = {name: _stack([dict(m.named_parameters())[name] for m in models]).requires_grad_(p.requires_grad)
              for name, p in models[0].named_parameters()}
    buffers = {name: _stack([dict(m.named_buffers())[name] for m in models])
               for name, _ in models[0].named_buffers()}
    return params, buffers


def _stack(tensors):
    return F.stack([t.detach() for t in tensors])


def functionalize(func, *, remove: str = "mutations"):
    """torch.func.functionalize: func with its in-place ops made out of place.
    jitgrad records every in-place op as a new value on the tape already, so
    the functionalized program computes (and mutates its inputs) as func
    does: func itself, checked as torch checks its argument."""
    if remove not in ("mutations", "mutations_and_views"):
        raise RuntimeError(f"functionalize(f, remove='mutations'): received invalid argument for remove={remove}. "
                           "Valid options are:\n     remove='mutations': all inplace and out= operators will be "
                           "removed from the program, and replaced with their out-of-place equivalents.\n     "
                           "remove='mutations_and_views': In addition to the above, all aliasing operators "
                           "{view} will be replaced with their non-aliasing counterparts, {view}_copy.\n")
    return func


def replace_all_batch_norm_modules_(root):
    """torch.func.replace_all_batch_norm_modules_: in place, every batch norm
    module of root stops tracking running stats (vmap over a batch)."""
    for m in root.modules():
        if hasattr(m, "track_running_stats") and hasattr(m, "running_mean"):
            m.running_mean = None
            m.running_var = None
            m.num_batches_tracked = None
            m.track_running_stats = False
    return root
