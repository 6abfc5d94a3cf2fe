"""Compiled replays of the ops whose torch backward is a kernel of its own
(mse / huber / smooth_l1 losses, var / std, 2-D float32 training batch
norm; l1_loss, a composite in torch too) give eager mode's bits: forward
values, backward() gradients, compiled grad / value_and_grad, .batch(), and
tapes saved to files; eager mode gives torch's. Generated over ops x dtypes
x reductions x shapes (sizes across the 16 / 32 lanes of torch's vector
kernels), with ties (input == target), |d| == delta and zeros."""
import numpy as np
import pytest
import torch as real

import jitgrad as torch
from jitgrad.core import kernels as K
from jitgrad.func import grad, value_and_grad

# (0-d sums run eagerly under compile, "a sum over dims of size 1 of a zero": the same values)
pytestmark = pytest.mark.filterwarnings("ignore:jitgrad.compile:RuntimeWarning")
DTYPES = {"f32": np.float32, "f64": np.float64}
SHAPES = [(), (5,), (16,), (37,), (100,), (4, 9)]
LOSSES = {
    "mse": lambda L, x, t, r: L.nn.functional.mse_loss(x, t, reduction=r),
    "huber": lambda L, x, t, r: L.nn.functional.huber_loss(x, t, reduction=r),
    "huber_d05": lambda L, x, t, r: L.nn.functional.huber_loss(x, t, reduction=r, delta=0.5),
    "smooth_l1": lambda L, x, t, r: L.nn.functional.smooth_l1_loss(x, t, reduction=r),
    "smooth_l1_b2": lambda L, x, t, r: L.nn.functional.smooth_l1_loss(x, t, reduction=r, beta=2.0),
    "l1": lambda L, x, t, r: L.nn.functional.l1_loss(x, t, reduction=r),
}


LOSS_OPS = {"mse": "mse_loss", "huber": "huber_loss", "smooth_l1": "smooth_l1_loss"}


def bits(a):
    a = np.asarray(a)
    return a.dtype, a.shape, a.tobytes()


def pair(shape, dt, seed):
    """Input and target with ties, |d| == 1, 0.5, 2 (the deltas and betas) and zeros."""
    r = np.random.default_rng(seed)
    n = int(np.prod(shape, dtype=np.int64))
    x = (r.standard_normal(n) * 2).round(2)
    t = (r.standard_normal(n) * 2).round(2)
    for i, k in enumerate(r.integers(0, 6, n)):
        if k == 0:
            t[i] = x[i]                         # a tie: d = 0
        elif k == 1:
            t[i] = x[i] + r.choice([1.0, -1.0, 0.5, -0.5, 2.0, -2.0])
        elif k == 2:
            x[i] = 0.0
    return x.astype(dt).reshape(shape), t.astype(dt).reshape(shape)


def upstream(shape, dt):
    """Weights of a 'none' loss's elements: some negative, some zero (signs of zero gradients)."""
    n = int(np.prod(shape, dtype=np.int64))
    w = np.resize(np.array([1.5, -0.75, 0.0, 2.0, -0.0, 0.3]), n)
    return w.astype(dt).reshape(shape)


def loss_fn(L, op, red, w):
    def f(x, t):
        out = LOSSES[op](L, x, t, red)
        if red == "none":
            y = out * L.tensor(w)
            return y.sum() if y.ndim else y
        return out * -1.3
    return f


def run_eager(f, x, t):
    a, b = torch.tensor(x, requires_grad=True), torch.tensor(t, requires_grad=True)
    y = f(a, b)
    y.backward()
    return bits(y.detach().numpy()), gbits(a.grad), gbits(b.grad)


def gbits(g):
    return None if g is None else bits(g.numpy())


def check_compiled(f, arrays, torch_f=None, exact_value: "bool | None" = True):
    """Compiled f against eager f on each (x, t) of `arrays` (records, then
    replays), grad / value_and_grad / batch too; eager against torch_f (not
    `exact_value`: x's gradient bit for bit, the value and t's gradient, which
    reads it, to a few ulps; None: all to a few ulps)."""
    cf = torch.compile(f)
    for x, t in arrays:
        want = run_eager(f, x, t)
        assert run_eager(cf, x, t) == want
        if torch_f is not None:
            a, b = real.tensor(x, requires_grad=True), real.tensor(t, requires_grad=True)
            y = torch_f(a, b)
            y.backward()
            got = (bits(y.detach().numpy()), gbits(a.grad), gbits(b.grad))
            if exact_value:
                assert got == want
            else:
                assert got[1] == want[1] or exact_value is None
                ea, eb = torch.tensor(x, requires_grad=True), torch.tensor(t, requires_grad=True)
                ey = f(ea, eb)
                ey.backward()
                np.testing.assert_allclose(ey.item(), y.item(), rtol=1e-5 if x.dtype == np.float32 else 1e-13)
                np.testing.assert_allclose(ea.grad.numpy(), a.grad.numpy(),
                                           rtol=1e-5 if x.dtype == np.float32 else 1e-13)
                np.testing.assert_allclose(eb.grad.numpy(), b.grad.numpy(),
                                           rtol=1e-5 if x.dtype == np.float32 else 1e-13)
    # (0-d sums run eagerly: "a sum over dims of size 1 of a zero"; a std of zero variance flips a guard)
    assert cf.replays >= 1 or np.ndim(arrays[0][0]) == 0, cf.report()
    vg = torch.compile(value_and_grad(f, argnums=(0, 1)))
    g1 = torch.compile(grad(f, argnums=0))
    for x, t in arrays:
        v, (gx, gt) = vg(torch.tensor(x), torch.tensor(t))
        want = run_eager(f, x, t)
        assert (bits(v.numpy()), bits(gx.numpy()), bits(gt.numpy())) == want[:1] + tuple(
            w or bits(np.zeros(a.shape, a.dtype)) for w, a in zip(want[1:], (x, t)))
        assert bits(g1(torch.tensor(x), torch.tensor(t)).numpy()) == want[1]
    X = torch.tensor(np.stack([x for x, _ in arrays]))
    T = torch.tensor(np.stack([t for _, t in arrays]))
    v, (gx, gt) = vg.batch(X, T)
    for i, (x, t) in enumerate(arrays):
        want = run_eager(f, x, t)
        assert (bits(v[i].numpy()), bits(gx[i].numpy()), bits(gt[i].numpy())) == want[:1] + tuple(
            w or bits(np.zeros(a.shape, a.dtype)) for w, a in zip(want[1:], (x, t)))
    return cf


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)) or "0d")
@pytest.mark.parametrize("red", ["mean", "sum", "none"])
@pytest.mark.parametrize("dt", list(DTYPES), ids=list(DTYPES))
@pytest.mark.parametrize("op", list(LOSSES))
def test_compiled_loss_matches_eager_and_torch(op, dt, red, shape):
    d = DTYPES[dt]
    w = upstream(shape, d)
    arrays = [pair(shape, d, s) for s in (1, 2, 3)]
    cf = check_compiled(loss_fn(torch, op, red, w), arrays, loss_fn(real, op, red, w))
    st = cf.tapes[0].stats()
    if shape:
        assert st["mode"] == "replay"
        # all in Numba: a loss record of its own (l1: a composite)
        assert st["host_forward_records"] == 0, st
        assert st["ops"].get(LOSS_OPS.get(op.split("_d")[0].split("_b")[0]), 0) == (op != "l1"), st


def test_compiled_loss_with_a_constant_target_and_infinities(tmp_path):
    # a target that needs no gradient (a constant of the function, kept by the record); an infinite input
    const = np.array([0.5, -1.0, 0.0, 2.0, 1.0], np.float32)

    def f(x):
        return torch.nn.functional.huber_loss(x * 2, torch.tensor(const), reduction="none").sum()
    cf = torch.compile(f)
    loaded = None
    for x in ([0.25, -1.0, 0.0, 1.0, np.inf], [0.1, 0.2, 0.3, 0.4, 0.5], [-np.inf, 0.0, 1.5, 1.0, 0.5]):
        xs = np.array(x, np.float32)
        out = []
        for fn in (f, cf) + ((loaded,) if loaded else ()):
            a = torch.tensor(xs, requires_grad=True)
            y = fn(a)
            y.backward()
            out.append((bits(y.detach().numpy()), bits(a.grad.numpy())))
        assert all(o == out[0] for o in out)
        if loaded is None:
            cf.tapes[0].save(str(tmp_path / "c.npz"))
            loaded = torch.load_tape(str(tmp_path / "c.npz"))
    assert cf.replays == 2


VAR_CASES = [
    ((5,), None, 1, False), ((16,), None, 0, False), ((37,), 0, 1, True), ((100,), -1, 1, False),
    ((4, 9), 1, 1, False), ((4, 9), 0, 0, True), ((4, 9), (0, 1), 1, False), ((3, 4, 5), (0, 2), 1, True), ((), None, 0, False),
]


@pytest.mark.parametrize("fn", ["var", "std"])
@pytest.mark.parametrize("dt", list(DTYPES), ids=list(DTYPES))
@pytest.mark.parametrize("case", VAR_CASES, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}-{c[3]}")
def test_compiled_var_std_match_eager_and_torch(case, dt, fn):
    shape, dim, corr, keep = case
    d = DTYPES[dt]

    def make(L):
        def f(x, t):
            v = getattr(x, fn)(dim, correction=corr, keepdim=keep) if dim is not None else \
                getattr(x, fn)(correction=corr)
            return (v * (t.sum() + 0.5)).sum()
        return f
    arrays = [pair(shape, d, s) for s in (4, 5, 6)]
    arrays[2] = (np.full(shape, 1.25, d), arrays[2][1])        # a zero variance: std's masked gradient
    # (var's value is a two-pass composite, torch's its own kernel: an ulp apart at times; its
    # gradient is torch's var_backward, bit for bit; std's reads the value)
    check_compiled(make(torch), arrays, make(real), exact_value=False if fn == "var" else None)


@pytest.mark.parametrize("shape,affine", [((3, 5), "wb"), ((3, 5), "none"), ((8, 16), "w"), ((8, 16), "b"),
                                          ((4, 37), "wb"), ((4, 37), "w_const"), ((4, 37), "none")],
                         ids=lambda v: f"{v[0]}x{v[1]}" if isinstance(v, tuple) else v)
def test_compiled_batch_norm_training_matches_eager_and_torch(shape, affine):
    # (channels across the 16 floats of torch's vectors)
    r = np.random.default_rng(shape[1])
    c = shape[1]
    w0 = r.standard_normal(c).astype(np.float32)
    b0 = r.standard_normal(c).astype(np.float32)
    up = r.standard_normal(shape).round(1).astype(np.float32)

    def make(L):
        def f(x, p):
            w = p[:c] if "w" in affine else None
            if affine == "w_const":
                w = L.tensor(w0)
            b = p[c:] if "b" in affine else None
            out = L.nn.functional.batch_norm(x, None, None, w, b, training=True)
            return (out * L.tensor(up)).sum()
        return f
    arrays = [((r.standard_normal(shape) * s).round(2).astype(np.float32), np.concatenate([w0, b0]) * s)
              for s in (1, 2, 3)]
    check_compiled(make(torch), arrays, make(real))


def test_loss_var_batch_norm_tapes_save_load_and_reject_bad_files(tmp_path):
    def f(x, t):
        a = torch.nn.functional.smooth_l1_loss(x, t, reduction="none")
        b = torch.nn.functional.batch_norm(a.reshape(4, 5), None, None, t[:5], t[5:10], training=True)
        return torch.nn.functional.mse_loss(b.reshape(-1), t) + a.var(0) + b.std(1).sum()
    x, t = pair((20,), np.float32, 9)
    cf = torch.compile(f)
    want = run_eager(f, x, t)
    assert run_eager(cf, x, t) == want
    path = str(tmp_path / "f.npz")
    cf.tapes[0].save(path)
    loaded = torch.load_tape(path)
    assert loaded.stats() == cf.tapes[0].stats()
    assert len(loaded.host) == 0 and (loaded.rec[:, 0] == K.HOST).sum() == 0
    ops = loaded.rec[:, 0].tolist()
    assert [ops.count(c) for c in (K.SMOOTH_L1_LOSS, K.BATCH_NORM, K.MSE_LOSS, K.VAR)] == [1, 1, 1, 2]
    for s in (10, 11):
        x2, t2 = pair((20,), np.float32, s)
        a, b = torch.tensor(x2, requires_grad=True), torch.tensor(t2, requires_grad=True)
        y = loaded(a, b)
        y.backward()
        assert (bits(y.detach().numpy()), bits(a.grad.numpy()), bits(b.grad.numpy())) == run_eager(f, x2, t2)


def test_compiled_host_records_differentiate_twice_as_eager():
    # create_graph through the replay's host records: their vjp, eager mode's formulas
    F = torch.nn.functional

    def f(x, t):
        return (F.huber_loss(x * x, t, reduction="sum", delta=0.5) + F.mse_loss(x, t) + (x * t).var()
                + (F.batch_norm(x.reshape(2, 3), None, None, t[:3], None, training=True) * t.reshape(2, 3)).sum())
    x0 = np.array([0.5, -1.0, 2.0, 0.0, 1.5, 0.25], np.float32)
    t0 = np.array([0.5, 0.0, 1.0, -2.0, 1.75, 3.0], np.float32)
    cf = torch.compile(f)
    got = []
    for fn in (f, cf, cf):
        x, t = torch.tensor(x0, requires_grad=True), torch.tensor(t0, requires_grad=True)
        gx, gt = torch.autograd.grad(fn(x, t), (x, t), create_graph=True)
        (gx.sum() + (gt * gt).sum()).backward()
        got.append((bits(gx.detach().numpy()), bits(gt.detach().numpy()), bits(x.grad.numpy()), bits(t.grad.numpy())))
    assert got[0] == got[1] == got[2] and cf.replays == 1


@pytest.mark.parametrize("dt", list(DTYPES), ids=list(DTYPES))
def test_compiled_sums_of_transposed_views_match_eager(dt):
    # eager mode sums a transposed view in memory order (as torch): the replay too (a var of one
    # replays now; compile fuzzer seed 9766), and a permuted view's sum over dims
    fs = [lambda y: y.movedim(0, -1).sum(), lambda y: (y.t() * 1.5).mean(), lambda y: y.movedim(0, -1).var(),
          lambda y: y.t().std(), lambda y: y.reshape(2, 3, 4).permute(2, 0, 1).var(1).sum()]
    r = np.random.default_rng(5)
    for f in fs:
        cf = torch.compile(f)
        for _ in range(12):
            y0 = (r.standard_normal((6, 4)) * 3).round(3).astype(DTYPES[dt])
            got = []
            for fn in (f, cf):
                y = torch.tensor(y0, requires_grad=True)
                out = fn(y)
                (out * 1.3).backward()
                got.append((bits(out.detach().numpy()), bits(y.grad.numpy())))
            assert got[0] == got[1]
        # (std of a transposed view and sums over dims of permuted views: eager, fuzz5's
        # rule for sums over dims whose strides change torch's loops)
        assert cf.replays == 11 or f in fs[3:], cf.report()


def test_forward_mode_through_compiled_host_records_as_eager():
    # a forward-mode jacobian of a replayed call: the host records pass on their composite's tangent
    F = torch.nn.functional

    def f(x, t):
        return F.huber_loss(x * x, t, reduction="sum", delta=0.5) + F.smooth_l1_loss(x, t) + (x * t).var()
    x0 = torch.tensor([0.5, -1.0, 2.0, 0.0, 1.5, 0.25])
    t0 = torch.tensor([0.5, 0.0, 1.0, -2.0, 1.75, 3.0])
    cf = torch.compile(f)
    got = [tuple(bits(j.numpy()) for j in torch.autograd.functional.jacobian(
        fn, (x0, t0), strategy="forward-mode", vectorize=True)) for fn in (f, cf, cf)]
    assert got[0] == got[1] == got[2] and cf.replays == 1


def test_compiled_batch_norm_module_without_running_stats_matches_eager():
    # parameters read at replay (captured leaves): their gradients as eager mode's
    r = np.random.default_rng(0)
    bn = torch.nn.BatchNorm1d(20, track_running_stats=False)
    cb = torch.compile(bn)
    for _ in range(3):
        x0 = r.standard_normal((6, 20)).astype(np.float32)
        outs = []
        for m in (bn, cb):
            bn.zero_grad()
            x = torch.tensor(x0, requires_grad=True)
            y = m(x)
            (y * torch.tensor(x0)).sum().backward()
            outs.append((bits(y.detach().numpy()), bits(x.grad.numpy()), bits(bn.weight.grad.numpy()),
                         bits(bn.bias.grad.numpy())))
        assert outs[0] == outs[1]
