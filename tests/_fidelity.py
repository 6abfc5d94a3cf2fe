"""Helpers of the eager fidelity tests (test_eager_fixes*.py,
test_eager_fidelity*.py): run the same code on torch and jitgrad and compare
values, NaNs, signs of zeros, dtypes and errors."""
import numpy as np
import pytest
import torch

import jitgrad

LIBS = (torch, jitgrad)


def same(a, b):
    """b (jitgrad) equals a (torch): shape, dtype, values (to rounding), NaNs,
    infs and signs of zeros; tuples and lists element by element."""
    if isinstance(a, (tuple, list)):
        assert len(a) == len(b), (a, b)
        for p, q in zip(a, b):
            same(p, q)
        return
    if a is None or b is None:
        assert a is None and b is None, (a, b)
        return
    assert tuple(a.shape) == tuple(b.shape), (a, b)
    assert str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1], (a, b)
    x, y = a.detach().numpy(), b.detach().numpy()
    if x.dtype.kind != "f":
        np.testing.assert_array_equal(y, x)
        return
    rtol = 1e-6 if x.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(y, x, rtol=rtol, atol=0, equal_nan=True)
    zeros = (x == 0) & (y == 0)
    np.testing.assert_array_equal(np.signbit(y[zeros]), np.signbit(x[zeros]), err_msg="signs of zeros")


def raises_same(fn):
    """Both libraries raise the same exception type and message; the two errors."""
    errors = []
    for L in LIBS:
        with pytest.raises(Exception) as info:
            fn(L)
        errors.append(info.value)
    assert type(errors[0]).__name__ == type(errors[1]).__name__, errors
    assert str(errors[1]).replace("jitgrad", "torch") == str(errors[0]), errors
    return errors


def both(fn):
    """fn(lib) for torch and jitgrad."""
    return fn(torch), fn(jitgrad)


def bits(t):
    """A tensor's dtype, shape, requires_grad and bytes (its bits, signs of zeros included)."""
    return (str(t.dtype), tuple(t.shape), t.requires_grad, t.detach().numpy().tobytes())


def compiled_matches_eager(fn, calls, rg=True, dtype="float64"):
    """fn(lib, *tensors) compiled by jitgrad.compile and eager on each call's
    arrays: the same bits, gradients included (None where eager has None).
    Returns the compiled function."""
    import warnings
    cf = jitgrad.compile(lambda *a: fn(jitgrad, *a))
    for arrays in calls:
        outs = []
        for f in (lambda *a: fn(jitgrad, *a), cf):
            xs = [jitgrad.tensor(a, dtype=getattr(jitgrad, dtype), requires_grad=rg) for a in arrays]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = f(*xs)
            out = out if isinstance(out, tuple) else (out,)
            grads = []
            if rg and any(o.requires_grad for o in out):
                sum(o.sum() for o in out if o.requires_grad).backward()
                grads = [None if x.grad is None else bits(x.grad) for x in xs]
            outs.append(([bits(o) for o in out], grads))
        assert outs[0] == outs[1], arrays
    return cf
