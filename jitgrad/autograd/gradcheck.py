"""gradcheck / gradgradcheck: analytic gradients against central finite
differences, with torch.autograd.gradcheck's signature."""
import warnings

import numpy as np

from ..core import dtypes as D
from ..core import tape as T
from ..functional.creation import empty
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
    """Per (output, input): a (n_out x n_in) matrix of central differences.
    Each element is perturbed by -eps, then +eps (torch's order: a function
    that prints shows the same calls)."""
    jac = [[np.zeros((o.numel(), _numel(x))) for x in inputs] for o in outputs]
    for j, x in enumerate(inputs):
        if not (isinstance(x, Tensor) and x.requires_grad):
            continue
        flat = x._arr.reshape(-1) if x._v is None else None
        for i in range(x.numel()):
            def at(delta):
                # Perturb in place (the function may need grad mode, e.g.
                # gradgradcheck's inner grad); drop the leaf's cached slot.
                # A non-leaf input (x.clone()) is read as a leaf meanwhile,
                # and keeps its graph afterwards.
                if flat is None:
                    orig = x._v
                    x._v = orig + delta
                else:
                    orig = flat[i]
                    flat[i] = orig + delta
                node = (x._tape, x._slot, x._name)
                x._tape = x._name = None
                prev = T.STATE.tape
                T.STATE.tape = T.dead       # (a tape of its own: the outputs' stays free of 2n evaluations)
                try:
                    outs = _tuple(fn(*inputs))
                    return [np.asarray(o._data(), np.float64).ravel().copy() for o in outs]
                finally:
                    T.STATE.tape = prev
                    if flat is None:
                        x._v = orig
                    else:
                        flat[i] = orig
                    x._tape = None
                    if node[2] is not None:
                        x._tape, x._slot, x._name = node
            minus = at(-eps)
            plus = at(eps)
            for k in range(len(outputs)):
                jac[k][j][:, i] = (plus[k] - minus[k]) / (2 * eps)
    return jac


def _jacobian_rows(output, inputs):
    """One output's Jacobian per input (n_out x n_in; zeros where unreached)."""
    diff = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    row = [np.zeros((output.numel(), _numel(x))) for x in inputs]
    if output.numel():
        found = sweep_columns([output], [np.eye(output.numel())], diff, retain_graph=True)
        for x, g in zip(diff, found):
            if g is not None:
                row[[id(v) for v in inputs].index(id(x))] = g.T
    return row


def _analytical_jacobian(output, inputs, nondet_tol):
    """Computed twice, as torch does, to catch a backward that is not
    reentrant (gives different values for the same grad_output)."""
    first = _jacobian_rows(output, inputs)
    second = _jacobian_rows(output, inputs)
    for a, b in zip(first, second):
        if a.size and np.abs(a - b).max() > nondet_tol:
            raise GradcheckError(
                "Backward is not reentrant, i.e., running backward with same input and grad_output multiple "
                "times gives different values, although analytical gradient matches numerical gradient."
                f"The tolerance for nondeterminism was {nondet_tol}." + _FAILED_NONDET_MSG)
    return first


_FAILED_NONDET_MSG = """

NOTE: If your op relies on non-deterministic operations i.e., it is listed here:
https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html
this failure might be expected.

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.
If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with `nondet_tol=<tol>` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have `gradcheck_nondet_tol=<tol>`.
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have `gradcheck_nondet_tol=<tol>`
"""


def _mismatch(what, k, j, analytical, numerical, x):
    # torch prints them (input elements x output elements), in the input's dtype.
    return GradcheckError(f"{what} for output {k} with respect to input {j},\n"
                          f"numerical:{Tensor._wrap(numerical.T, x.dtype)}\n"
                          f"analytical:{Tensor._wrap(analytical.T, x.dtype)}\n")


def _compare(what, analytical, numerical, inputs, rtol, atol):
    for k, (a_row, n_row) in enumerate(zip(analytical, numerical)):
        for j, x in enumerate(inputs):
            if not np.allclose(a_row[j], n_row[j], rtol=rtol, atol=atol):
                raise _mismatch(what, k, j, a_row[j], n_row[j], x)


def _zero_grad_outputs_check(outputs, inputs, message):
    """Backward with zero grad_outputs must give zero (or no) gradients:
    torch's 'backward multiplied by grad_output' check, and its undefined
    output grads check (a custom Function sees them materialized as zeros)."""
    diff = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    found = grad(list(outputs), diff, [o.detach() * 0 for o in outputs], allow_unused=True)
    for g, x in zip(found, diff):
        if g is None:
            continue
        if not bool((g == 0).all()):
            raise GradcheckError(message)
        if g.dtype != x.dtype:
            raise GradcheckError("grad is incorrect type")
        if tuple(g.shape) != tuple(x.shape):
            raise GradcheckError("grad is incorrect size")


_UNDEFINED_MSG = ("Expected all input grads to be undefined or zero when all output grads are undefined or zero. "
                  'Please look at "Notes about undefined output gradients" in "tools/autograd/derivatives.yaml"')


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False, check_forward_ad=False,
              check_backward_ad=True, fast_mode=False, masked=None):
    if not raise_exception:
        try:
            return _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_undefined_grad,
                              check_forward_ad, check_backward_ad)
        except GradcheckError:
            return False
    return _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_undefined_grad,
                      check_forward_ad, check_backward_ad)


def _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_undefined_grad, check_forward_ad,
               check_backward_ad):
    """torch's slow-mode sequence: the function once, then per mode the
    finite differences and the analytical Jacobians, then backward with zero
    grad_outputs (twice: 'multiplied by grad_output' and 'undefined grads',
    the second on a fresh call of the function)."""
    inputs = _tuple(inputs)
    _check_inputs(inputs)
    outs = _tuple(func(*inputs))
    outputs = _differentiable(outs)
    if not outputs:
        numerical = _numerical_jacobian(func, inputs, outs, eps)
        if any(np.any(n != 0) for row in numerical for n in row):
            raise GradcheckError("Numerical gradient for function expected to be zero")
        return True
    if check_backward_ad:
        numerical = [row for o, row in zip(outs, _numerical_jacobian(func, inputs, outs, eps))
                     if o.requires_grad]
        analytical = [_analytical_jacobian(o, inputs, nondet_tol) for o in outputs]
        _compare("Jacobian mismatch", analytical, numerical, inputs, rtol, atol)
    if check_forward_ad:
        numerical = _numerical_jacobian(func, inputs, outs, eps)
        _compare("Jacobian computed with forward mode mismatch", _forward_jacobian(func, inputs, outs),
                 numerical, inputs, rtol, atol)
    if not check_backward_ad:
        return True
    _zero_grad_outputs_check(outputs, inputs, "backward not multiplied by grad_output")
    if check_undefined_grad:
        fresh = _differentiable(func(*inputs))
        checks = [fresh]
        if len(fresh) > 1:
            checks += [_differentiable(func(*inputs)) for _ in outputs]
        for outs_to_check in checks:
            _zero_grad_outputs_check(outs_to_check, inputs, _UNDEFINED_MSG)
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
    if grad_outputs is None:
        # random grad_outputs for the differentiable outputs, drawn from the global generator
        # as torch's make_tensor(low=-1, high=1) draws them
        grad_outputs = tuple(_random_grad_output(o, gen_non_contig_grad_outputs)
                             for o in _differentiable(func(*inputs)))
    grad_outputs = _tuple(grad_outputs)
    n_in = len(inputs)
    diff = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]

    def first_grads(*args):
        xs, gos = args[:n_in], args[n_in:]
        gs = grad(_differentiable(func(*xs)), [xs[i] for i in diff], list(gos),
                  create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)

    return gradcheck(first_grads, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_undefined_grad=check_undefined_grad, check_forward_ad=check_fwd_over_rev,
                     check_backward_ad=check_rev_over_rev)


def _random_grad_output(output, noncontiguous):
    shape = tuple(output.shape)
    dtype = output.dtype if output.dtype.is_floating_point else D.float64
    wide = noncontiguous and int(np.prod(shape)) > 1
    g = empty(shape[:-1] + (2 * shape[-1],) if wide else shape, dtype=dtype).uniform_(-1, 1)
    return (g[..., 1::2] if wide else g).requires_grad_(True)


def _differentiable(outputs):
    return [o for o in _tuple(outputs) if isinstance(o, Tensor) and o.requires_grad]
