"""var and std hold torch's bits: with several results, torch's Welford
update per result in double; with one, torch's mean and then the squared
deviations summed in double (core/torch_sum.py `var_value`); std the square
root of that double. Eager mode with and without a graph, and compiled
replays (the var record's forward computes the same), against torch."""
import numpy as np
import pytest
import torch

import jitgrad

CASES = [((50, 4), -1), ((30, 40), 0), ((3, 4, 5), (0, 2)), ((3, 4, 5), 1), ((7,), 0), ((6, 5), None),
         ((2, 40), -1), ((1000,), None), ((9,), None)]


def _pair(shape, seed, dtype):
    a = (np.random.default_rng(seed).normal(size=shape) * 2 + 1).astype(dtype)
    return a


@pytest.mark.parametrize("shape,dim", CASES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("fn", ["var", "std"])
@pytest.mark.parametrize("rg", [False, True])
def test_values_are_torchs_bits(shape, dim, dtype, fn, rg):
    a = _pair(shape, len(shape) + (dim if isinstance(dim, int) else 7), dtype)
    for kw in ({}, {"correction": 0}, {"keepdim": True}):
        t = getattr(torch.tensor(a), fn)(dim, **kw) if dim is not None else getattr(torch.tensor(a), fn)(**kw)
        x = jitgrad.tensor(a, requires_grad=rg)
        j = getattr(x, fn)(dim, **kw) if dim is not None else getattr(x, fn)(**kw)
        if fn == "std" and rg and dtype == "float32":
            # (with a graph, std is the square root of the float32 var: an ulp off at most)
            np.testing.assert_allclose(j.detach().numpy(), t.numpy(), rtol=2e-7, atol=0)
            continue
        assert j.detach().numpy().tobytes() == t.numpy().tobytes(), (fn, kw)
        assert tuple(j.shape) == tuple(t.shape)


@pytest.mark.parametrize("shape,dim", CASES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gradients_and_compiled_replays(shape, dim, dtype):
    a = _pair(shape, 3, dtype)
    tx = torch.tensor(a, requires_grad=True)
    (tx.var(dim) if dim is not None else tx.var()).sum().backward()
    f = (lambda x: x.var(dim)) if dim is not None else (lambda x: x.var())
    cf = jitgrad.compile(f)
    for k in range(3):
        b = (a * (1 + 0.25 * k)).astype(dtype)
        xe = jitgrad.tensor(b, requires_grad=True)
        ye = f(xe)
        ye.sum().backward()
        xc = jitgrad.tensor(b, requires_grad=True)
        yc = cf(xc)
        yc.sum().backward()
        assert yc.detach().numpy().tobytes() == ye.detach().numpy().tobytes()
        assert xc.grad.numpy().tobytes() == xe.grad.numpy().tobytes()
        if k == 0:
            assert ye.detach().numpy().tobytes() == (tx.var(dim) if dim is not None else tx.var()).detach().numpy().tobytes()
            assert xe.grad.numpy().tobytes() == tx.grad.numpy().tobytes()
    assert cf.replays == 2, cf.report()


def test_no_degrees_of_freedom_is_torchs():
    """m2 / 0: inf where the deviations are not all 0 (torch), nan for 0 / 0."""
    for a, kw in (([1.0, 2.0], {"correction": 2}), ([3.0], {}), ([[1.0, 2.0], [3.0, 3.0]], {"dim": 1, "correction": 2})):
        t = torch.tensor(a, dtype=torch.float64).var(**kw)
        with pytest.warns(UserWarning, match="degrees of freedom"):
            j = jitgrad.tensor(a, dtype=jitgrad.float64).var(**kw)
        assert np.array_equal(j.numpy(), t.numpy(), equal_nan=True), (a, kw, j, t)


@pytest.mark.parametrize("shape,dim", CASES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("fn", ["var_mean", "std_mean"])
def test_var_mean_is_torchs_welford(shape, dim, dtype, fn):
    """var_mean / std_mean: torch's Welford kernel gives both results (its
    mean too, not mean()'s sum), for one result as well."""
    a = _pair(shape, 11, dtype)
    for kw in ({}, {"keepdim": True}, {"correction": 0}):
        args = (dim,) if dim is not None else ()
        want = getattr(torch, fn)(torch.tensor(a), *args, **kw)
        got = getattr(jitgrad, fn)(jitgrad.tensor(a), *args, **kw)
        for t, j in zip(want, got):
            assert j.numpy().tobytes() == t.numpy().tobytes() and tuple(j.shape) == tuple(t.shape), (fn, kw)
