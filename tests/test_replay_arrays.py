"""Elementwise records of float arrays replay inside Numba (no host record)
up to smallmath.ARRAY_MAX elements, bit for bit as eager mode: eager mode
computes those arrays with the replay's own loop (replay_forward.array_values),
the op table's scalar forward per element rounded once; pow by a Python
number 2, 3, -2, 1, 0.5, -0.5, -1 is torch's forms (x * x, ...: IEEE
operations) at every size, in eager mode and in the replay. Larger arrays keep NumPy's
SIMD loops (host records). Values compared with torch too.
"""
import numpy as np
import pytest
import torch as T

import jitgrad as torch
from jitgrad.core import ops as O, smallmath as SM

RNG = np.random.default_rng(11)
DTYPES = [torch.float64, torch.float32]
SPECIALS = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-40, -1e-310, 1e-45, -1.0, 1.0, 0.5]


def same(a, b):
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    return (a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
            and np.array_equal(np.signbit(a) & ~np.isnan(a), np.signbit(b) & ~np.isnan(b)))


def _points(entry, n, k, specials):
    kind, lo, hi = (entry.domain[k] if len(entry.domain) > k else O.SIGNED)
    v = RNG.uniform(lo, hi, n)
    if kind == "signed":
        v = v * RNG.choice([-1.0, 1.0], n)
    if specials:
        s = RNG.permutation(SPECIALS)[: min(n // 2, len(SPECIALS))]
        v[RNG.choice(n, s.size, replace=False)] = s
    return v


def _call(entry):
    name = entry.name
    if entry.kind == "binary":
        return getattr(torch, name), getattr(T, name)
    if name in ("softplus", "silu"):
        return getattr(torch.nn.functional, name), getattr(T.nn.functional, name)
    return getattr(torch, name), getattr(T, name)


ARRAY_OPS = [e for e in O.TABLE if e.opcode in SM.SMALL_OPS]


def _replay_vs_eager(f, args_list, dtype):
    """Compile f, call it on every argument tuple (floats arrays; the last
    element of each tuple is whether it requires grad), and compare each
    replayed value and gradient with eager mode's, bit for bit."""
    cf = torch.compile(f)
    for args in args_list:
        xe = [torch.tensor(a, dtype=dtype, requires_grad=True) for a in args]
        ye = f(*xe)
        ye.sum().backward()
        xc = [torch.tensor(a, dtype=dtype, requires_grad=True) for a in args]
        yc = cf(*xc)
        yc.sum().backward()
        assert same(yc.detach().numpy(), ye.detach().numpy()), (yc, ye)
        for a, b in zip(xc, xe):
            assert same(a.grad.numpy(), b.grad.numpy()), (a.grad, b.grad)
    assert cf.records == 1 and cf.replays == len(args_list) - 1, cf.report()
    e = cf.tapes[0]
    assert e.mode == "replay", e.reason
    return e


@pytest.mark.parametrize("dtype", DTYPES, ids=["f64", "f32"])
@pytest.mark.parametrize("n", [SM.SMALL_MAX + 1, SM.ARRAY_MAX])
@pytest.mark.parametrize("entry", ARRAY_OPS, ids=lambda e: e.name)
def test_array_records_replay_in_numba(entry, n, dtype):
    """Every op of SMALL_OPS on an array past SMALL_MAX: no host record, the
    replay equals eager mode bit for bit (inf, nan, subnormals and signed
    zeros among the inputs), eager mode equals torch to rounding."""
    jfn, tfn = _call(entry)
    binary = entry.kind == "binary"

    def f(x, y):
        return jfn(x, y) * 1.25 + x if binary else jfn(x) * 1.25 + y

    calls = [(_points(entry, n, 0, k > 0), _points(entry, n, 1, k > 0)) for k in range(3)]
    e = _replay_vs_eager(f, calls, dtype)
    assert e.stats()["host_forward_records"] == 0, e.dump(limit=5)
    # torch on finite points of the domain (float32: computed in float64 and
    # rounded once, so at most half an ulp from the exact value, torch's ~1 ulp)
    xv, yv = calls[0]
    tdt = T.float32 if dtype is torch.float32 else T.float64
    got = (jfn(torch.tensor(xv, dtype=dtype), torch.tensor(yv, dtype=dtype)) if binary
           else jfn(torch.tensor(xv, dtype=dtype))).numpy()
    want = (tfn(T.tensor(xv, dtype=tdt), T.tensor(yv, dtype=tdt)) if binary else tfn(T.tensor(xv, dtype=tdt))).numpy()
    eps = np.finfo(dtype.np).eps        # (atol: results near 0 from cancellation, as logaddexp's)
    np.testing.assert_allclose(got, want, rtol=3 * eps, atol=4 * eps)


@pytest.mark.parametrize("dtype", DTYPES, ids=["f64", "f32"])
def test_past_array_max_keeps_numpy(dtype):
    """One element past ARRAY_MAX, eager mode is NumPy's SIMD loop again and
    the replay a host record: still eager mode's bits."""
    n = SM.ARRAY_MAX + 1
    entry = O.BY_NAME["tanh"]
    x = _points(entry, n, 0, True)
    got = torch.tanh(torch.tensor(x, dtype=dtype)).numpy()
    with np.errstate(all="ignore"):
        assert same(got, np.tanh(x.astype(dtype.np)))
    e = _replay_vs_eager(lambda x: torch.tanh(x) * x, [(x,), (_points(entry, n, 0, True),)], dtype)
    assert e.stats()["host_forward_records"] == 1


EXPONENTS = [2, 2.0, 1.0, 0.5, -1, 3.0, 2.5, -2.0, -0.5]


@pytest.mark.parametrize("dtype", DTYPES, ids=["f64", "f32"])
@pytest.mark.parametrize("n", [3, SM.SMALL_MAX + 1, 100, SM.ARRAY_MAX + 1])
def test_pow_of_arrays(n, dtype):
    """x ** e of an array by a Python number: torch's x * x, x, sqrt(x),
    1 / sqrt(x), 1 / x, x * x * x, 1 / (x * x) for e = 2, 1, 0.5, -0.5, -1,
    3, -2 at every size (NumPy's IEEE operations in the dtype, specials
    included), pow() else; the replay matches eager mode, also when the
    exponent is a 0-d tensor that changes between calls (pow() then); those
    exponents replay in Numba at every size, others up to ARRAY_MAX."""
    x = _points(O.BY_NAME["pow"], n, 0, False) * RNG.choice([-1.0, 1.0], n)
    x[RNG.choice(n, min(n, 6), replace=False)] = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-40][:min(n, 6)]
    xt = torch.tensor(x, dtype=dtype)
    xa = x.astype(dtype.np)
    tdt = T.float32 if dtype is torch.float32 else T.float64
    with np.errstate(all="ignore"):
        exact = {2.0: xa * xa, 1.0: xa, 0.5: np.sqrt(xa), -1.0: np.reciprocal(xa), 3.0: xa * xa * xa,
                 -2.0: np.reciprocal(xa * xa), -0.5: np.reciprocal(np.sqrt(xa))}
    for e in EXPONENTS:
        got = (xt ** e).numpy()
        if float(e) in exact:
            assert same(got, exact[float(e)]), e
        want = (T.tensor(x, dtype=tdt) ** e).numpy()
        np.testing.assert_allclose(got, want, rtol=3e-7 if dtype is torch.float32 else 1e-15, atol=0)
    calls = [(_points(O.BY_NAME["pow"], n, 0, k > 0),) for k in range(3)]
    for e in (2, 0.5, 3.0, 2.5):
        rec = _replay_vs_eager(lambda x: x ** e * 1.5, calls, dtype)
        assert rec.stats()["host_forward_records"] == (0 if n <= SM.ARRAY_MAX or e != 2.5 else 1)
    # A 0-d exponent tensor, recorded at 2.0, replayed at 3.0, 0.5, -1.0.
    p_calls = [(c[0], np.array(p)) for c, p in zip(calls + calls[:1], (2.0, 3.0, 0.5, -1.0))]
    rec = _replay_vs_eager(lambda x, p: x ** p, p_calls, dtype)
    assert rec.stats()["host_forward_records"] == (0 if n <= SM.ARRAY_MAX else 1)


@pytest.mark.parametrize("dtype", DTYPES, ids=["f64", "f32"])
def test_tanh_mlp_replays_without_host_records(dtype):
    """A tanh MLP's loss (matmul, tanh of 512 activations, squares, mean):
    compile(value_and_grad) and compile replay every record in Numba, bit
    for bit as eager mode, and torch's values to rounding."""
    W1 = (RNG.standard_normal((64, 32)) * 0.1).astype(dtype.np)
    W2 = (RNG.standard_normal((32, 10)) * 0.1).astype(dtype.np)
    X = torch.tensor(RNG.standard_normal((16, 64)), dtype=dtype)

    def loss(w1, w2):
        return ((torch.tanh(X @ w1) @ w2) ** 2).mean()
    vg = torch.compile(torch.func.value_and_grad(loss, argnums=(0, 1)))
    for k in range(3):
        w1, w2 = W1 * (1 + 0.1 * k), W2
        a, b = torch.tensor(w1, requires_grad=True), torch.tensor(w2, requires_grad=True)
        ye = loss(a, b)
        ye.backward()
        v, (g1, g2) = vg(torch.tensor(w1), torch.tensor(w2))
        assert same(v.item(), ye.item()) and same(g1.numpy(), a.grad.numpy()) and same(g2.numpy(), b.grad.numpy())
    st = vg.cf.tapes[0].stats()
    assert st["host_forward_records"] == 0 and st["blas_records"] == 2 and vg.cf.replays == 2, st
    ta, tb = T.tensor(w1, requires_grad=True), T.tensor(w2, requires_grad=True)
    ty = ((T.tanh(T.tensor(X.numpy()) @ ta) @ tb) ** 2).mean()
    ty.backward()
    rtol = 1e-5 if dtype is torch.float32 else 1e-12
    np.testing.assert_allclose(v.item(), ty.item(), rtol=rtol)
    np.testing.assert_allclose(g1.numpy(), ta.grad.numpy(), rtol=rtol * 10, atol=1e-7 if dtype is torch.float32 else 1e-15)
    e = _replay_vs_eager(lambda w1, w2: loss(w1, w2), [(W1, W2), (W1 * 1.5, W2), (W1, W2 * 0.5)], dtype)
    assert e.stats()["host_forward_records"] == 0, e.dump()


def test_op_kernels_compile_once():
    """The replay program's int32 opcodes reach the op kernels as int64, as
    eager mode's do: each op kernel has one compiled signature (an int32
    one compiled them twice on a cold cache, ~10 s). (Kernels loaded from
    Numba's cache list no callee signatures: this checks cold caches, as
    after any edit of a kernel file.)"""
    from jitgrad.core import kernels as K, opkernels

    def f(x):
        return (torch.sin(x) * x).sum() + torch.lgamma(x[0] + 2.0) * x[1] + torch.exp(x[:2]).sum()
    cf = torch.compile(f)
    vg = torch.compile(torch.func.value_and_grad(f))
    for k in range(2):
        cf(torch.tensor([0.5, 1.0 + k, 2.0], requires_grad=True)).backward()
        vg(torch.tensor([0.5, 1.0 + k, 2.0]))
    vg.batch(torch.tensor([[0.5, 1.0, 2.0], [0.6, 1.1, 2.1]]))
    for kernel in (K.elementwise, K.elementwise_common, K.value, K.fwd_scalar, opkernels._nondiff_value, K.pairwise_sum):
        sigs = [s for s in kernel.signatures if "Literal" not in str(s)]
        assert len(sigs) <= 1 and all("int32" not in str(s) for s in sigs), (kernel, kernel.signatures)
