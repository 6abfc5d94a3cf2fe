"""matmul records under jitgrad.compile replay in Numba (core/replay_blas.py),
bit for bit as eager mode's np.matmul: the replay lays the operands out as
eager mode's were (a Linear's `x @ W.T` reads W transposed) and makes the
same BLAS call (dot, gemv, gemm, or NumPy's own loop for an inner size of 1).
Compared with eager jitgrad bit for bit (values and gradients, several new
inputs per tape) and with torch; float32 and float64.
"""
import itertools
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch

import jitgrad as jg
import jitgrad.nn as nn
import jitgrad.nn.functional as JF
from jitgrad.replay import blas_records as BR

pytestmark = pytest.mark.skipif(not BR.blas_available(), reason="Numba's BLAS needs SciPy")

DTYPES = ["float32", "float64"]


def same(a, b):
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True) and \
        np.array_equal(np.signbit(a), np.signbit(b))


def _inputs(shapes, dtype, seed):
    rng = np.random.default_rng(seed)
    out = []
    for s in shapes:
        v = rng.standard_normal(s)
        v[rng.random(s) < 0.1] = 0.0
        out.append(v.astype(dtype))
    return out


# (name, operand shapes, fn(lib, *tensors)): matmul's forms and layouts
CASES = [
    ("linear", [(5, 8), (16, 8), (16,)], lambda m, x, w, b: m.nn.functional.linear(x, w, b)),
    ("x_at_wT", [(7, 33), (10, 33)], lambda m, x, w: x @ w.T),
    ("xT_at_w", [(33, 7), (33, 10)], lambda m, x, w: x.T @ w),
    ("both_T", [(33, 7), (10, 33)], lambda m, x, w: x.T @ w.T),
    ("mm", [(16, 32), (32, 64)], lambda m, x, w: m.mm(x, w)),
    ("vec_mat", [(9,), (9, 6)], lambda m, v, w: v @ w),
    ("mat_vec", [(6, 9), (9,)], lambda m, w, v: m.mv(w, v)),
    ("dot", [(17,), (17,)], lambda m, u, v: m.dot(u, v)),
    ("row_col", [(1, 12), (12, 1)], lambda m, x, w: x @ w),
    ("bmm", [(3, 4, 5), (3, 5, 6)], lambda m, x, w: m.bmm(x, w)),
    ("batch_2d", [(2, 3, 8), (8, 5)], lambda m, x, w: x @ w),
    ("batch_mT", [(2, 6, 4), (2, 6, 5)], lambda m, x, w: x.mT @ w),
    ("addmm", [(4,), (3, 7), (7, 4)], lambda m, c, x, w: m.addmm(c, x, w)),
    ("chain", [(4, 6), (6, 6), (6, 3)], lambda m, x, w, v: m.tanh(x @ w) @ v),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name,shapes,fn", CASES, ids=[c[0] for c in CASES])
def test_matmul_forms_replay_in_numba_bit_for_bit(name, shapes, fn, dtype):
    f = lambda *ts: (fn(jg, *ts) ** 2).sum()        # noqa: E731
    cf = jg.compile(f)
    for seed in range(4):
        vals = _inputs(shapes, dtype, seed)
        xs = [jg.tensor(v, requires_grad=True) for v in vals]
        y = cf(*xs)
        y.backward()
        xe = [jg.tensor(v, requires_grad=True) for v in vals]
        ye = f(*xe)
        ye.backward()
        assert same(y.detach().numpy(), ye.detach().numpy()), (name, seed)
        for a, b in zip(xs, xe):
            assert same(a.grad.numpy(), b.grad.numpy()), (name, seed)
        xt = [torch.tensor(v, requires_grad=True) for v in vals]
        yt = (fn(torch, *xt) ** 2).sum()
        yt.backward()
        tol = 1e-4 if dtype == "float32" else 1e-10
        np.testing.assert_allclose(y.detach().numpy(), yt.detach().numpy(), rtol=tol, atol=tol)
        for a, b in zip(xs, xt):
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=tol, atol=tol)
    assert cf.records == 1 and cf.replays == 3, cf.report()
    st = cf.tapes[0].stats()
    assert st["blas_records"] == st["ops"]["host"], st


def _mlp(dtype, act):
    jg.manual_seed(0)
    model = nn.Sequential(nn.Linear(16, 32), act(), nn.Linear(32, 4)).to(getattr(jg, dtype))
    return [p.detach() for p in model.parameters()]


@pytest.mark.parametrize("dtype", DTYPES)
def test_compiled_mlp_value_and_grad_has_no_host_forward(dtype):
    """A ReLU MLP's MSE loss: every forward record replays in Numba."""
    params = _mlp(dtype, nn.ReLU)
    rng = np.random.default_rng(5)

    def loss(W1, b1, W2, b2, X, Y):
        h = JF.relu(X @ W1.T + b1)
        return JF.mse_loss(h @ W2.T + b2, Y)
    vg = jg.compile(jg.func.value_and_grad(loss, argnums=(0, 1, 2, 3)))
    eager = jg.func.value_and_grad(loss, argnums=(0, 1, 2, 3))
    for k in range(3):
        X = jg.tensor(rng.standard_normal((8, 16)).astype(dtype))
        Y = jg.tensor(rng.standard_normal((8, 4)).astype(dtype))
        ps = [p * (1.0 + 0.1 * k) for p in params]
        v, g = vg(*ps, X, Y)
        ve, ge = eager(*ps, X, Y)
        assert same(v.numpy(), ve.numpy())
        for a, b in zip(g, ge):
            assert same(a.numpy(), b.numpy()) and a.dtype is b.dtype
    assert vg.cf.replays == 2
    st = vg.tapes[0].stats()
    # (the loss too: a record of its own, torch's backward kernel in Numba; host records: matmuls only)
    assert st["host_forward_records"] == 0 and st["blas_records"] == 2 and st["ops"]["mse_loss"] == 1, st
    assert all(hasattr(h, "layout") for h in vg.tapes[0].host.values())


@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_module_under_compile_replays(dtype):
    """nn.Linear in both dtypes (float64 ran eagerly before: the host forward
    read W.T contiguous, eager mode transposed)."""
    jg.manual_seed(1)
    model = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 4)).to(getattr(jg, dtype))
    f = lambda x: ((model(x) - 1.0) ** 2).mean()    # noqa: E731
    cf = jg.compile(f)
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # no "runs eagerly" warning
        for seed in range(3):
            x = jg.tensor(_inputs([(5, 8)], dtype, seed)[0])
            y = cf(x)
            y.backward()
            g = [p.grad.numpy().copy() for p in model.parameters()]
            model.zero_grad()
            ye = f(x)
            ye.backward()
            assert same(y.detach().numpy(), ye.detach().numpy())
            for a, p in zip(g, model.parameters()):
                assert same(a, p.grad.numpy())
            model.zero_grad()
    assert cf.replays == 2 and cf.tapes[0].stats()["blas_records"] == 2


def test_numpy_host_forward_keeps_eager_layout(monkeypatch):
    """Without Numba's BLAS the matmul forward stays on the host, laid out as
    eager mode's operands (still bit for bit: the signature replays)."""
    monkeypatch.setattr(BR, "_BLAS", [False])
    f = lambda x, w: ((x @ w.T).tanh() ** 2).sum()     # noqa: E731
    cf = jg.compile(f)
    for seed in range(3):
        x, w = _inputs([(16, 32), (64, 32)], "float64", seed)
        y = cf(jg.tensor(x), jg.tensor(w, requires_grad=True))
        ye = f(jg.tensor(x), jg.tensor(w))
        assert same(y.detach().numpy(), ye.numpy())
    st = cf.tapes[0].stats()
    assert cf.replays == 2 and st["blas_records"] == 0 and st["host_forward_records"] >= 1, st


def test_a_matrix_times_its_own_transpose_is_not_replayed_by_gemm():
    """NumPy computes x @ x.T with syrk (an exactly symmetric result): no BLAS
    plan; the replay never gives other bits than eager mode."""
    f = lambda x: (x @ x.T).sum()      # noqa: E731
    cf = jg.compile(f)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for seed in range(3):
            x = _inputs([(6, 40)], "float32", seed)[0]
            y = cf(jg.tensor(x, requires_grad=True))
            assert same(y.detach().numpy(), f(jg.tensor(x)).numpy())
    assert all(e.stats()["blas_records"] == 0 for e in cf.tapes)


def test_saved_tape_keeps_the_layout(tmp_path):
    f = lambda x, w: (x @ w.T).sum()     # noqa: E731
    cf = jg.compile(f)
    x, w = _inputs([(5, 9), (7, 9)], "float32", 0)
    cf(jg.tensor(x, requires_grad=True), jg.tensor(w))
    path = str(tmp_path / "mm.npz")
    cf.tapes[0].save(path)
    t = jg.load_tape(path)
    assert t.stats()["blas_records"] == 1
    for seed in (1, 2):
        x, w = _inputs([(5, 9), (7, 9)], "float32", seed)
        assert same(t(jg.tensor(x), jg.tensor(w)).detach().numpy(), f(jg.tensor(x), jg.tensor(w)).numpy())


def test_matmul_kernel_matches_numpy_on_every_layout():
    """The kernel alone against np.matmul: shapes with sizes 1, both
    dtypes, each operand row- or column-contiguous, zeros of both signs."""
    from jitgrad.core import kernels as K
    rng = np.random.default_rng(0)
    for dt, (m, k, n) in itertools.product((np.float32, np.float64),
                                           itertools.product([1, 3, 16], [1, 2, 40], [1, 5, 24])):
        A = rng.standard_normal((m, k)).astype(dt)
        B = rng.standard_normal((k, n)).astype(dt)
        A[rng.random(A.shape) < 0.2] = -0.0
        for la, lb in itertools.product((0, 1), (0, 1)):
            lay = lambda M, L: np.ascontiguousarray(M) if L == 0 else np.asfortranarray(M)    # noqa: E731
            want = np.matmul(lay(A, la), lay(B, lb))
            vals = np.zeros(m * n)
            K.matmul_forward(vals, A.astype(np.float64).ravel(), np.zeros(1, np.int64),
                             B.astype(np.float64).ravel(), np.zeros(1, np.int64), 0,
                             np.array([m, k, n]), la, lb, dt == np.float32)
            assert same(vals.reshape(m, n), want), (dt, m, k, n, la, lb)


def test_same_code_without_jit():
    """NUMBA_DISABLE_JIT=1 runs the same kernel (as Python) to the same bits."""
    code = ("import numpy as np, jitgrad as jg\n"
            "f = jg.compile(lambda x, w: (x @ w.T).sum())\n"
            "r = np.random.default_rng(0)\n"
            "x, w = r.standard_normal((4, 6)).astype(np.float32), r.standard_normal((3, 6)).astype(np.float32)\n"
            "f(jg.tensor(x, requires_grad=True), jg.tensor(w))\n"
            "y = f(jg.tensor(x * 2, requires_grad=True), jg.tensor(w))\n"
            "print(float(y), f.replays, f.tapes[0].stats()['blas_records'])\n")
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))), timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    r = np.random.default_rng(0)
    x, w = r.standard_normal((4, 6)).astype(np.float32), r.standard_normal((3, 6)).astype(np.float32)
    want = float((jg.tensor(x * 2) @ jg.tensor(w).T).sum())
    value, replays, blas = out.stdout.split()
    assert float(value) == want and replays == "1" and blas == "1"


@pytest.mark.parametrize("dtype", DTYPES)
def test_relu_of_arrays_replays_in_numba_with_nan_and_signed_zeros(dtype):
    f = lambda x: JF.relu(x) * 3.0      # noqa: E731
    cf = jg.compile(f)
    for seed in range(3):
        v = _inputs([(20,)], dtype, seed)[0]
        v[:4] = np.array([np.nan, -0.0, 0.0, -np.inf], dtype)
        y = cf(jg.tensor(v, requires_grad=True))
        want = f(jg.tensor(v))
        assert same(y.detach().numpy(), want.numpy())
        assert same(y.detach().numpy(), (torch.relu(torch.tensor(v)) * 3.0).numpy())
    assert cf.replays == 2 and cf.tapes[0].stats()["host_forward_records"] == 0
