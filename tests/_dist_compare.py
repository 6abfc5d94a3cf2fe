"""Helpers of the distributions tests: run a case on torch and jitgrad from
the same NumPy leaves and compare outputs (values, dtypes, shapes) and the
leaves' gradients of a random weighting of the outputs; grad_fn names are
not compared (composites here are several records)."""
import numpy as np
import torch

import jitgrad

TOL = {"float64": (1e-9, 1e-10), "float32": (2e-5, 2e-6)}


def _flat(res):
    if isinstance(res, (tuple, list)):
        return [t for r in res for t in _flat(r)]
    return [res]


def _run(lib, fn, arrays, dtype, weights):
    dt = getattr(lib, dtype)
    xs = [lib.tensor(np.asarray(a), dtype=dt, requires_grad=True) for a in arrays]
    outs = _flat(fn(lib, *xs))
    total = None
    for o, w in zip(outs, weights):
        if o.requires_grad and o.dtype.is_floating_point:
            term = (o * lib.tensor(np.broadcast_to(w, tuple(o.shape)).copy(), dtype=o.dtype)).sum()
            total = term if total is None else total + term
    grads = [None] * len(xs)
    if total is not None:
        grads = list(lib.autograd.grad(total, xs, allow_unused=True))
    return outs, grads


def compare(fn, arrays, dtype="float64", tol=None, seed=0):
    """fn(lib, *leaves) on both libraries: outputs and gradients agree."""
    rng = np.random.default_rng(seed)
    probe = _flat(fn(torch, *[torch.tensor(np.asarray(a), dtype=getattr(torch, dtype)) for a in arrays]))
    weights = [rng.normal(size=tuple(o.shape)) for o in probe]
    (t_outs, t_grads), (j_outs, j_grads) = (_run(L, fn, arrays, dtype, weights) for L in (torch, jitgrad))
    rtol, atol = tol or TOL[dtype]
    assert len(t_outs) == len(j_outs)
    for i, (a, b) in enumerate(zip(t_outs, j_outs)):
        assert tuple(a.shape) == tuple(b.shape), (i, a.shape, b.shape)
        assert str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1], (i, a.dtype, b.dtype)
        np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), rtol=rtol, atol=atol, equal_nan=True,
                                   err_msg=f"output {i}")
    for i, (a, b) in enumerate(zip(t_grads, j_grads)):
        if a is None or b is None:
            assert (a is None or not a.abs().sum()) and (b is None or not b.abs().sum()), (i, a, b)
            continue
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=rtol * 10, atol=atol * 10, equal_nan=True,
                                   err_msg=f"gradient of leaf {i}")


def errors_alike(fn):
    """Both libraries raise the same exception type and message."""
    got = []
    for L in (torch, jitgrad):
        try:
            fn(L)
        except Exception as e:     # noqa: BLE001
            got.append((type(e).__name__, str(e).replace("jitgrad", "torch")))
        else:
            got.append(None)
    assert got[0] is not None and got[0] == got[1], got
