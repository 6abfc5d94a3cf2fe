"""gradcheck / gradgradcheck: analytic gradients against central finite
differences, with torch.autograd.gradcheck's signature."""
import warnings

import numpy as np

from ..tensors.tensor import Tensor
from . import forward_ad as fwAD
from .api import grad, sweep_columns


class GradcheckError(RuntimeError):
    pass


def _tuple(x):
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _numel(x):
    """Columns of an input in the Jacobian: none for non-tensors."""
    return x.numel() if isinstance(x, Tensor) else 0


def _check_inputs(inputs):
    """torch's _check_inputs: at least one input requires grad; warn about
    inputs that require grad in less than double precision."""
    any_rg = False
    for idx, x in enumerate(inputs):
        if isinstance(x, Tensor) and x.requires_grad:
            if x.dtype.name != "float64":
                warnings.warn(f"Input #{idx} requires gradient and is not a double precision floating point or "
                              "complex. This check will likely fail if all the inputs are not of double precision "
                              "floating point or complex. ", stacklevel=2)
            any_rg = True
    if not any_rg:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, "
                         "but none of them have requires_grad=True.")


def _numerical_jacobian(fn, inputs, outputs, eps):
    """Per (output, input): a (n_out x n_in) matrix of central differences."""
    jac = [[np.zeros((o.numel(), _numel(x))) for x in inputs] for o in outputs]
    for j, x in enumerate(inputs):
        if not (isinstance(x, Tensor) and x.requires_grad):
            continue
        flat = x._arr.reshape(-1) if x._v is None else None
        for i in range(x.numel()):
            def at(delta):
                # Perturb in place (the function may need grad mode, e.g.
                # gradgradcheck's inner grad); drop the leaf's cached slot.
                if flat is None:
                    orig = x._v
                    x._v = orig + delta
                else:
                    orig = flat[i]
                    flat[i] = orig + delta
                x._tape = None
                try:
                    outs = _tuple(fn(*inputs))
                    return [np.asarray(o._data(), np.float64).ravel().copy() for o in outs]
                finally:
                    if flat is None:
                        x._v = orig
                    else:
                        flat[i] = orig
                    x._tape = None
            plus, minus = at(eps), at(-eps)
            for k in range(len(outputs)):
                jac[k][j][:, i] = (plus[k] - minus[k]) / (2 * eps)
    return jac


def _analytical_jacobian(fn, inputs):
    outs = _tuple(fn(*inputs))
    diff = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    jac = []
    for o in outs:
        row = [np.zeros((o.numel(), _numel(x))) for x in inputs]
        if o.requires_grad and o.numel():
            found = sweep_columns([o], [np.eye(o.numel())], diff, retain_graph=True)
            for x, g in zip(diff, found):
                if g is not None:
                    row[[id(v) for v in inputs].index(id(x))] = g.T
        jac.append(row)
    return outs, jac


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False, check_forward_ad=False,
              check_backward_ad=True, fast_mode=False, masked=None):
    inputs = _tuple(inputs)
    _check_inputs(inputs)
    checks = []         # (analytical Jacobians, what torch's message calls them)
    if check_backward_ad:
        outs, analytical = _analytical_jacobian(func, inputs)
        checks.append((analytical, "Jacobian mismatch"))
    else:
        outs = _tuple(func(*inputs))
    numerical = _numerical_jacobian(func, inputs, outs, eps)
    if check_forward_ad:
        checks.append((_forward_jacobian(func, inputs, outs), "Jacobian computed with forward mode mismatch"))
    for analytical, what in checks:
        for k in range(len(outs)):
            for j, x in enumerate(inputs):
                a, n = analytical[k][j], numerical[k][j]
                if not np.allclose(a, n, rtol=rtol, atol=atol):
                    # torch prints them (input elements x output elements), in the input's dtype.
                    msg = (f"{what} for output {k} with respect to input {j},\n"
                           f"numerical:{Tensor._wrap(n.T, x.dtype)}\nanalytical:{Tensor._wrap(a.T, x.dtype)}\n")
                    if raise_exception:
                        raise GradcheckError(msg)
                    return False
    return True


def _forward_jacobian(fn, inputs, outs):
    """Per (output, input): the (n_out x n_in) Jacobian from forward-mode AD,
    one one-hot tangent at a time (check_forward_ad)."""
    jac = [[np.zeros((o.numel(), _numel(x))) for x in inputs] for o in outs]
    for j, x in enumerate(inputs):
        if not (isinstance(x, Tensor) and x.requires_grad):
            continue
        for i in range(x.numel()):
            seed = np.zeros(x.numel(), x.dtype.np)
            seed[i] = 1
            with fwAD.dual_level():
                args = list(inputs)
                args[j] = fwAD.make_dual(x, Tensor._wrap(seed.reshape(tuple(x.shape)), x.dtype))
                for k, o in enumerate(_tuple(fn(*args))):
                    tangent = fwAD.unpack_dual(o).tangent
                    if tangent is not None:
                        jac[k][j][:, i] = np.asarray(tangent._data(), np.float64).ravel()
    return jac


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False, masked=False):
    inputs = _tuple(inputs)
    outs = _tuple(func(*inputs))
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(Tensor._wrap(rng.standard_normal(o.shape).astype(o.dtype.np), o.dtype)
                             .requires_grad_(True) for o in outs)
    grad_outputs = _tuple(grad_outputs)
    n_in = len(inputs)
    diff = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]

    def first_grads(*args):
        xs, gos = args[:n_in], args[n_in:]
        outs = _tuple(func(*xs))
        pairs = [(o, g) for o, g in zip(outs, gos) if o.requires_grad]
        gs = grad([o for o, _ in pairs], [xs[i] for i in diff], [g for _, g in pairs],
                  create_graph=True, allow_unused=True)
        return tuple(g if g is not None else xs[i] * 0.0 for i, g in zip(diff, gs))

    return gradcheck(first_grads, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
