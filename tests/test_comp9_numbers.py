"""Int arguments of compiled functions as tape inputs (replay/float_args.py,
torch.compile's automatic dynamic): an int that only scales tensors replays
one tape for every value; an int that sets a shape, a loop count, an index
or a dim stays a constant (a tape per value). A number used as pow's
exponent or base keeps a tape per value (x ** 3 of a number is torch's
pow(Tensor, Scalar), not pow by a tensor). Every call is compared bit for
bit with the uncompiled function (values and gradients) and with torch."""
import warnings

import numpy as np
import pytest
import torch

import jitgrad as jg


def same(a, b):
    if isinstance(a, jg.Tensor):
        return (isinstance(b, jg.Tensor) and a.dtype is b.dtype and tuple(a.shape) == tuple(b.shape)
                and a.detach().numpy().tobytes() == b.detach().numpy().tobytes())
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and np.float64(a).tobytes() == np.float64(b).tobytes()


def check(fn, calls, torch_fn=None, grad=True):
    """fn compiled and not on every argument tuple: equal bits (and equal
    gradients w.r.t. the first argument); close to torch's fn."""
    cf = jg.compile(fn)
    for args in calls:
        x = args[0]
        xa = x.detach().clone().requires_grad_(grad and x.dtype.is_floating_point)
        xb = x.detach().clone().requires_grad_(grad and x.dtype.is_floating_point)
        got, want = cf(xa, *args[1:]), fn(xb, *args[1:])
        assert same(got, want), args[1:]
        if grad and x.dtype.is_floating_point:
            first = got[0] if isinstance(got, tuple) else got
            first.sum().backward()
            (want[0] if isinstance(want, tuple) else want).sum().backward()
            assert same(xa.grad, xb.grad), args[1:]
        if torch_fn is not None:
            t = torch_fn(torch.tensor(x.numpy()), *args[1:])
            first = got[0] if isinstance(got, tuple) else got
            np.testing.assert_allclose(first.detach().numpy(), t.numpy(), rtol=1e-6, atol=1e-7)
    return cf


X64 = jg.linspace(-1.0, 2.0, 7, dtype=jg.float64)
X32 = jg.linspace(-1.0, 2.0, 5, dtype=jg.float32)


@pytest.mark.parametrize("x", [X64, X32], ids=["f64", "f32"])
def test_int_scale_is_one_tape(x):
    def f(t, n):
        return (t * n).sin() / n + n
    ns = [1, 2, 3, 7, -4, 100, 12345]
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # no recompile warning
        cf = check(f, [(x, n) for n in ns], lambda t, n: (t * n).sin() / n + n)
    assert cf.records == 3 and cf.replays == len(ns) - 2
    assert "tape inputs in 1 signature" in cf.report()


def test_int_and_float_together_one_tape():
    def f(t, lr, k):
        return t - lr * k * t.tanh()
    calls = [(X64, 0.01 * k, k) for k in range(1, 9)]
    cf = check(f, calls, lambda t, lr, k: t - lr * k * t.tanh())
    assert cf.records == 3


@pytest.mark.parametrize("fn", [
    lambda t, n: sum(t * i for i in range(n)) if n > 0 else t,      # a loop count
    lambda t, n: t[:n].sum(),                                        # a slice
    lambda t, n: t.reshape(n, -1).sum(0) if n in (1, 7) else t,      # a shape
    lambda t, n: t.roll(n),                                          # an int parameter
    lambda t, n: t * (2 if n > 3 else 1),                            # a branch
    lambda t, n: (t * n, n + 1),                                     # returned as an int
    lambda t, n: t + jg.zeros(max(n, 1), dtype=t.dtype).sum(),       # a size
], ids=["loop", "slice", "shape", "roll", "branch", "returned", "size"])
def test_int_that_is_not_a_scale_stays_exact(fn):
    check(fn, [(X64, n) for n in [1, 2, 3, 5, 7, 2, 1]])


def test_int_tensor_and_zero_dim_float32_keep_their_dtypes():
    # int tensor * int is int64; a 0-d float32 * int is float32: a float64
    # stand-in would change the dtype, so the ints stay constants.
    check(lambda t, n: t * n, [(jg.arange(4), n) for n in [1, 2, 3, 4]], lambda t, n: t * n)
    check(lambda t, n: t * n, [(jg.tensor(0.7, dtype=jg.float32), n) for n in [1, 2, 3, 4]], lambda t, n: t * n)


def test_large_ints_record_by_value():
    # Past 2**24 a float32 operand rounds the int: by value, never the float stand-in.
    ns = [1, 2, 3, 2 ** 24 + 1, 2 ** 40 + 3, 2 ** 24 + 1, 5]
    check(lambda t, n: t * n, [(X32, n) for n in ns], lambda t, n: t * n)
    check(lambda t, n: t * n, [(X64, n) for n in ns], lambda t, n: t * n)


def test_bool_argument_stays_part_of_the_signature():
    cf = check(lambda t, b: t * b - (t if b else 0), [(X64, b) for b in [True, False, True, False]])
    assert cf.records == 2


@pytest.mark.parametrize("size", [1, 6, 20, 600])
@pytest.mark.parametrize("dtype", [jg.float64, jg.float32])
def test_number_as_pow_exponent_or_base_is_exact(size, dtype):
    # x ** 3.0 of a Python number is x * x * x (torch's pow(Tensor, Scalar)); a
    # generic tape with the exponent a tensor gave pow()'s bits at 3 (validated
    # at 1 and 2, where both forms agree).
    x = (jg.linspace(0.1, 1.3, size, dtype=dtype) if size > 1 else jg.tensor(0.3, dtype=dtype))
    es = [1.0, 2.0, 3.0, 0.5, -1.0, 1.7, -2.0, 3.0]
    check(lambda t, e: t ** e, [(x, e) for e in es], lambda t, e: t ** e)
    check(lambda t, e: e ** t + t.pow(e * 2), [(x, e) for e in es])
    check(lambda t, k: t ** k, [(x, k) for k in [1, 2, 3, 4, -1, 0, 3]], lambda t, k: t ** k)


def test_generic_tape_recorded_after_a_flip_is_checked_again():
    # Tape inputs after two values (the x * n branch); at 3 the guard flips and
    # the branch reads n as pow's exponent: recorded as it is, not by a tensor.
    fn = lambda t, n: t ** n if n > 2 else t * n       # noqa: E731
    check(fn, [(X64, n) for n in [1, 2, 3, 4, 5, 1, 3]], lambda t, n: t ** n if n > 2 else t * n)
    check(fn, [(X64, e) for e in [1.0, 2.0, 3.0, 4.0, 5.0, 1.5, 3.0]])
    # ... and an exception in a later generic recording (a shape in one branch).
    check(lambda t, n: t.reshape(n, -1).sum(0) if n == 7 else t * n, [(X64, n) for n in [2, 3, 7, 4, 7, 5]])


@pytest.mark.parametrize("ns", [[1, 2, 3, 4, 5, 3], [2, 3, 9, 1, 9]])
def test_value_and_grad_with_int_argument(ns):
    def loss(w, n):
        return ((w * n).tanh() ** 2).sum() / n if n < 9 else w.reshape(n // 3 if n > 8 else 1, -1).sum().sin()
    cvg = jg.compile(jg.func.value_and_grad(loss))
    vg = jg.func.value_and_grad(loss)
    tw = torch.tensor(X64.numpy()[:6].copy())
    for n in ns:
        w = X64[:6].clone()
        assert same(cvg(w, n), vg(w, n)), n
        want = torch.func.grad(
            lambda w: ((w * n).tanh() ** 2).sum() / n if n < 9 else w.reshape(n // 3, -1).sum().sin())(tw)
        np.testing.assert_allclose(cvg(w, n)[1].numpy(), want.numpy(), rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize("kind", ["float", "int"])
def test_number_with_a_zero_dim_float32_keeps_float32_math(kind):
    # x.sum() / (abs(s) + 1): a 0-d float32 tensor divided by a number is float32
    # math; by a 0-d float64 tensor (the generic tape's stand-in) float64 math,
    # whose bits differ for some x only (fuzz_compile seed 331130).
    def f(x, s):
        return x.sum() / (abs(s) + 1) + x
    cf = jg.compile(f)
    r = np.random.default_rng(5)
    for k in range(40):
        s = (0.001, 0.5, -2.0, 3.0)[k % 4] if kind == "float" else (1, 2, 3, 7)[k % 4]
        x = jg.tensor(r.standard_normal(1).round(3), dtype=jg.float32)
        assert same(cf(x, s), f(x, s)), (k, s)
    xt = torch.tensor(x.numpy())
    np.testing.assert_allclose(cf(x, s).numpy(), (xt.sum() / (abs(s) + 1) + xt).numpy(), rtol=1e-6)
