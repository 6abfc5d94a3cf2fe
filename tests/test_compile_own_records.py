"""The loss and var records of compiled replays (core/loss_kernels.py,
autodiff/own_records.py): mse / huber / smooth_l1 losses and var / std
replay forward and reverse in Numba (`stats()` counts no host record), with
eager mode's bits and torch's: one operand requiring grad or both, an
argument or a closure constant as the other, float32 and float64, every
reduction; value_and_grad in one Numba call; forward mode, create_graph and
anomaly mode as eager mode; strided views of var's input."""
import numpy as np
import pytest
import torch as real

import jitgrad as torch
from jitgrad.core import kernels as K
from jitgrad.func import grad, value_and_grad

pytestmark = pytest.mark.filterwarnings("ignore:jitgrad.compile:RuntimeWarning")
DTYPES = {"f32": np.float32, "f64": np.float64}
LOSSES = {"mse": ("mse_loss", {}), "huber": ("huber_loss", {"delta": 0.5}), "smooth_l1": ("smooth_l1_loss", {"beta": 2.0})}
OPS = {"mse": K.MSE_LOSS, "huber": K.HUBER_LOSS, "smooth_l1": K.SMOOTH_L1_LOSS}


def bits(a):
    a = np.asarray(a)
    return a.dtype, a.shape, a.tobytes()


def pair(shape, dt, seed):
    """Input and target with ties and |d| on the deltas / betas."""
    r = np.random.default_rng(seed)
    x = (r.standard_normal(shape) * 2).round(1)
    t = (r.standard_normal(shape) * 2).round(1)
    flat_x, flat_t = x.reshape(-1), t.reshape(-1)
    flat_t[::5] = flat_x[::5]
    flat_t[1::7] = flat_x[1::7] + 0.5
    flat_t[2::9] = flat_x[2::9] - 2.0
    return x.astype(dt), t.astype(dt)


def loss_of(L, op, red):
    name, kw = LOSSES[op]
    return lambda x, t: getattr(L.nn.functional, name)(x, t, reduction=red, **kw)


def host_free(cf, op_code, count=1):
    st = cf.tapes[0].stats()
    tape = cf.tapes[0]
    hosts = tape.rec[np.nonzero(tape.fmode[:len(tape.rec)] & K.FM_HOST)[0], 0].tolist()
    # (batch norm's composite, recorded for forward mode's tangent, has a float32 rsqrt of
    # an array: NumPy's, a host forward; the record itself is all Numba)
    assert st["mode"] == "replay" and hosts == ([K.RSQRT] * count if op_code == K.BATCH_NORM else []), st
    assert (tape.rec[:, 0] == K.HOST).sum() == 0
    assert (tape.rec[:, 0] == op_code).sum() == count, st


def weighted(L, fn, dt):
    """fn's result times fixed weights (negatives and zeros: signs of zero gradients), summed."""
    def f(*args):
        y = fn(*args)
        w = np.resize(np.array([1.5, -0.75, 0.0, 2.0, -0.0, 0.3]), max(y.numel(), 1)).astype(dt)
        return (y * L.tensor(w.reshape(y.shape))).sum()
    return f


@pytest.mark.parametrize("which", ["input", "target", "closure_target"])
@pytest.mark.parametrize("red", ["mean", "sum", "none"])
@pytest.mark.parametrize("dt", list(DTYPES), ids=list(DTYPES))
@pytest.mark.parametrize("op", list(LOSSES))
def test_loss_with_one_operand_requiring_grad(op, dt, red, which):
    d = DTYPES[dt]
    shape = (3, 13)         # (39 elements: torch's vector loop and its scalar tail, both dtypes)
    arrays = [pair(shape, d, s) for s in (1, 2, 3)]
    const = arrays[0][1]

    def make(L):
        loss = loss_of(L, op, red)
        if which == "closure_target":
            return weighted(L, lambda x: loss(x * 1.0, L.tensor(const)), d)
        return weighted(L, lambda x, t: loss(x * 1.0, t), d)
    f, tf = make(torch), make(real)
    cf = torch.compile(f)
    for x, t in arrays:
        got = []
        for fn, L in ((f, torch), (cf, torch), (tf, real)):
            a = L.tensor(x, requires_grad=which != "target")
            b = L.tensor(t, requires_grad=which == "target")
            y = fn(a) if which == "closure_target" else fn(a, b)
            y.backward()
            got.append((bits(y.detach().numpy()),) + tuple(None if v.grad is None else bits(v.grad.numpy())
                                                           for v in (a, b)))
        assert got[0] == got[1] == got[2]
    assert cf.replays == 2
    host_free(cf, OPS[op])
    # value_and_grad / grad: one Numba call, the same gradients
    argnums = 0 if which != "target" else 1
    vg = torch.compile(value_and_grad(f, argnums=argnums))
    g1 = torch.compile(grad(f, argnums=argnums))
    for x, t in arrays:
        args = (torch.tensor(x),) if which == "closure_target" else (torch.tensor(x), torch.tensor(t))
        a = [torch.tensor(v, requires_grad=i == argnums) for i, v in enumerate((x, t)[:len(args)])]
        want = f(*a)
        want.backward()
        v, gv = vg(*args)
        assert bits(v.numpy()) == bits(want.detach().numpy()) and bits(gv.numpy()) == bits(a[argnums].grad.numpy())
        assert bits(g1(*args).numpy()) == bits(a[argnums].grad.numpy())
    host_free(vg, OPS[op])


VAR_CASES = [((37,), None, 1, False), ((4, 9), 1, 1, False), ((4, 9), 0, 0, True), ((3, 4, 5), (0, 2), 1, True),
             ((16,), 0, 1, True)]


@pytest.mark.parametrize("fn", ["var", "std"])
@pytest.mark.parametrize("dt", list(DTYPES), ids=list(DTYPES))
@pytest.mark.parametrize("case", VAR_CASES, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}-{c[3]}")
def test_var_std_replay_host_free(case, dt, fn):
    shape, dim, corr, keep = case
    d = DTYPES[dt]

    def make(L):
        def f(x):
            v = getattr(x, fn)(dim, correction=corr, keepdim=keep) if dim is not None else \
                getattr(x, fn)(correction=corr)
            return v
        return weighted(L, f, d)
    f, tf = make(torch), make(real)
    cf = torch.compile(f)
    vg = torch.compile(value_and_grad(f))
    r = np.random.default_rng(7)
    for k in range(3):
        x = (r.standard_normal(shape) * 3).round(2).astype(d)
        got = []
        for fn_, L in ((f, torch), (cf, torch), (tf, real)):
            a = L.tensor(x, requires_grad=True)
            y = fn_(a)
            y.backward()
            got.append((y.detach().numpy(), bits(a.grad.numpy())))
        assert bits(got[0][0]) == bits(got[1][0])
        # gradients: torch's var_backward bit for bit (the value: a two-pass composite, torch's its own kernel)
        assert got[0][1] == got[1][1] and (got[0][1] == got[2][1] or fn == "std")
        np.testing.assert_allclose(got[0][0], got[2][0], rtol=1e-5 if d is np.float32 else 1e-13)
        v, g = vg(torch.tensor(x))
        assert bits(v.numpy()) == bits(got[0][0]) and bits(g.numpy()) == got[0][1]
    assert cf.replays == 2
    host_free(cf, K.VAR)
    host_free(vg, K.VAR)


@pytest.mark.parametrize("view", ["t", "movedim", "permute"])
def test_var_of_strided_views_reads_x_in_c_order(view):
    # eager mode's var backward reads x in C order, the value sums a view in memory order:
    # the record reads an x - mean of a C-order copy (never a frozen or an ulp-off gradient)
    views = {"t": lambda y: y.t(), "movedim": lambda y: y.movedim(0, -1),
             "permute": lambda y: y.reshape(2, 3, 4).permute(2, 0, 1)}

    def f(y):
        return views[view](y).var() * 1.3 + views[view](y).std()
    cf = torch.compile(f)
    r = np.random.default_rng(11)
    for _ in range(12):
        y0 = (r.standard_normal((6, 4)) * 3).round(3)
        got = []
        for fn in (f, cf):
            y = torch.tensor(y0, requires_grad=True)
            out = fn(y)
            out.backward()
            got.append((bits(out.detach().numpy()), bits(y.grad.numpy())))
        assert got[0] == got[1]
    assert cf.replays == 11
    host_free(cf, K.VAR, 2)


def test_forward_mode_and_create_graph_through_the_records():
    F = torch.nn.functional

    def f(x, t):
        return (F.huber_loss(x * x, t, reduction="sum", delta=0.5) + F.mse_loss(x, t, reduction="none").sum() * 0.5
                + F.smooth_l1_loss(t, x, beta=0.5) + (x * t).var() + x.std())
    x0 = np.array([0.5, -1.0, 2.0, 0.0, 1.5, 0.25], np.float32)
    t0 = np.array([0.5, 0.0, 1.0, -2.0, 1.75, 3.0], np.float32)
    v0 = np.array([1.0, 0.5, -0.25, 2.0, 0.0, -1.0], np.float32)
    cf = torch.compile(f)
    fwd, rev = [], []
    for fn in (f, cf, cf):
        for jvp in (torch.autograd.functional.jvp, lambda fn_, p, v: torch.func.jvp(fn_, p, v)):
            out, tan = jvp(fn, (torch.tensor(x0), torch.tensor(t0)), (torch.tensor(v0), torch.tensor(-v0)))
            fwd.append((bits(out.detach().numpy()), bits(tan.detach().numpy())))
        x, t = torch.tensor(x0, requires_grad=True), torch.tensor(t0, requires_grad=True)
        gx, gt = torch.autograd.grad(fn(x, t), (x, t), create_graph=True)
        (gx.sum() + (gt * gt).sum()).backward()
        rev.append((bits(gx.detach().numpy()), bits(gt.detach().numpy()), bits(x.grad.numpy()), bits(t.grad.numpy())))
    assert fwd[0] == fwd[1] and fwd[2:] == fwd[:2] * 2
    assert rev[0] == rev[1] == rev[2]
    assert cf.replays >= 1
    st = cf.tapes[0].stats()
    assert st["host_forward_records"] == 0 and all(st["ops"][k] == n for k, n in (
        ("mse_loss", 1), ("huber_loss", 1), ("smooth_l1_loss", 1), ("var", 2))), st


def test_anomaly_mode_names_the_loss_as_torch():
    def make(L):
        def g(x, t):
            return L.nn.functional.mse_loss(x, t) + L.nn.functional.huber_loss(t, x * 2, reduction="sum")
        return g
    x0 = np.array([np.inf, 1.0, 2.0], np.float32)
    t0 = np.array([np.inf, 0.0, 1.0], np.float32)
    cf = torch.compile(make(torch))
    msgs = []
    for L, fn in ((torch, make(torch)), (torch, cf), (torch, cf), (real, make(real))):
        with pytest.warns(UserWarning), L.autograd.detect_anomaly():
            x, t = L.tensor(x0, requires_grad=True), L.tensor(t0, requires_grad=True)
            with pytest.raises(RuntimeError) as e:
                fn(x, t).backward()
            msgs.append(str(e.value).split("\n")[0])
    assert msgs == ["Function 'HuberLossBackward0' returned nan values in its 0th output."] * 4
    assert cf.replays == 1
    host_free(cf, K.MSE_LOSS)


def test_second_backward_and_inplace_errors_as_eager():
    def f(x, t):
        return torch.nn.functional.mse_loss(x * 1.0, t) + (x * 2.0).var()
    cf = torch.compile(f)
    x0 = np.array([0.5, -1.0, 2.0], np.float32)
    for fn in (f, cf, cf):
        x, t = torch.tensor(x0, requires_grad=True), torch.tensor(x0 * 0.5)
        y = fn(x, t)
        y.backward()
        with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
            y.backward()


@pytest.mark.parametrize("shape", [(3, 5), (8, 16), (4, 37), (37, 20)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("grads", ["all", "x", "params", "w_const"])
def test_batch_norm_replays_host_free(shape, grads):
    # 2-D float32 training batch norm: value and gradients computed in Numba by torch's
    # per-thread sums and fused multiply-adds (rows across threads, channels across 16)
    r = np.random.default_rng(shape[0] * 100 + shape[1])
    c = shape[1]
    w0, b0 = (r.standard_normal(c).astype(np.float32) for _ in range(2))
    up = r.standard_normal(shape).round(1).astype(np.float32)

    def make(L):
        def f(x, w, b):
            wt = L.tensor(w0) if grads == "w_const" else w
            return (L.nn.functional.batch_norm(x * 1.0, None, None, wt, b, training=True) * L.tensor(up)).sum()
        return f
    f, tf = make(torch), make(real)
    cf = torch.compile(f)
    for s in (1.0, 2.5, 0.5):
        x = (r.standard_normal(shape) * 3 * s).round(2).astype(np.float32)
        got = []
        for fn, L in ((f, torch), (cf, torch), (tf, real)):
            a = L.tensor(x, requires_grad=grads != "params")
            w = L.tensor(w0 * s, requires_grad=grads in ("all", "params"))
            b = L.tensor(b0 * s, requires_grad=grads != "x")
            y = fn(a, w, b)
            y.backward()
            got.append((bits(y.detach().numpy()),) + tuple(None if v.grad is None else bits(v.grad.numpy())
                                                           for v in (a, w, b)))
        assert got[0] == got[1] == got[2]
    assert cf.replays == 2
    host_free(cf, K.BATCH_NORM)
    vg = torch.compile(value_and_grad(f, argnums=(0, 1, 2)))
    x = (r.standard_normal(shape) * 2).round(2).astype(np.float32)
    args = [torch.tensor(v) for v in (x, w0, b0)]
    for _ in range(2):
        v, gs = vg(*args)
    a, w, b = (torch.tensor(v, requires_grad=True) for v in (x, w0, b0))
    y = f(a, w, b)
    y.backward()
    assert bits(v.numpy()) == bits(y.detach().numpy())
    assert [bits(g.numpy()) for g in gs] == [bits(t.grad.numpy()) if t.grad is not None else
                                             bits(np.zeros(t.shape, np.float32)) for t in (a, w, b)]
    host_free(vg, K.BATCH_NORM)


def test_batch_norm_forward_mode_and_create_graph_as_eager():
    F = torch.nn.functional
    x0 = np.array([[0.5, -1.0, 2.0], [0.0, 1.5, 0.25], [1.0, 1.0, -3.0]], np.float32)
    w0 = np.array([1.5, -0.5, 2.0], np.float32)
    b0 = np.array([0.1, 0.0, -0.2], np.float32)
    up = np.array([[1.0, -2.0, 0.5], [0.25, 1.0, -1.0], [2.0, 0.0, 1.0]], np.float32)

    def f(x, w, b):
        return (F.batch_norm(x, None, None, w, b, training=True) * torch.tensor(up)).sum()
    cf = torch.compile(f)
    fwd, rev = [], []
    for fn in (f, cf, cf):
        out, tan = torch.autograd.functional.jvp(fn, tuple(torch.tensor(v) for v in (x0, w0, b0)),
                                                 tuple(torch.tensor(v * 0.5 + 0.25) for v in (x0, w0, b0)))
        fwd.append((bits(out.numpy()), bits(tan.numpy())))
        x, w, b = (torch.tensor(v, requires_grad=True) for v in (x0, w0, b0))
        gx, gw = torch.autograd.grad(fn(x, w, b), (x, w), create_graph=True)
        ((gx * gx).sum() + gw.sum()).backward()
        rev.append(tuple(bits(t.detach().numpy()) for t in (gx, gw, x.grad, w.grad)) + (b.grad is None,))
    assert fwd[0] == fwd[1] == fwd[2] and rev[0] == rev[1] == rev[2]
    assert cf.replays >= 1
    host_free(cf, K.BATCH_NORM)


@pytest.mark.parametrize("threads", [1, 3, 8])
def test_batch_norm_record_keeps_eager_modes_row_slices(monkeypatch, threads):
    # torch's batch norm sums each thread's rows apart: the record keeps the slices eager
    # mode took when recording (not the kernel's compile-time thread count)
    from jitgrad.autodiff import batch_norm as BN
    monkeypatch.setattr(BN, "THREADS", threads)
    r = np.random.default_rng(threads)
    up = r.standard_normal((29, 18)).round(1).astype(np.float32)

    def f(x, w):
        return (torch.nn.functional.batch_norm(x, None, None, w, None, training=True) * torch.tensor(up)).sum()
    cf = torch.compile(f)
    for s in (1.0, 3.0, 0.25):
        x0 = (r.standard_normal((29, 18)) * 100 * s).astype(np.float32)
        w0 = r.standard_normal(18).astype(np.float32)
        got = []
        for fn in (f, cf):
            x, w = torch.tensor(x0, requires_grad=True), torch.tensor(w0, requires_grad=True)
            y = fn(x, w)
            y.backward()
            got.append((bits(y.detach().numpy()), bits(x.grad.numpy()), bits(w.grad.numpy())))
        assert got[0] == got[1]
    assert cf.replays == 2
    host_free(cf, K.BATCH_NORM)
    tape = cf.tapes[0]
    r_bn = int(np.nonzero(tape.rec[:, 0] == K.BATCH_NORM)[0][0])
    ia = int(tape.rec[r_bn, 6])
    t = int(tape.meta[ia + 5])
    assert tape.meta[ia + 6:ia + 7 + t].tolist() == [lo for lo, _ in BN._thread_rows(29)] + [29]
    assert t == min(threads, 29)


@pytest.mark.parametrize("vectorize", [False, True])
def test_jacobians_through_the_records_as_eager_and_torch(vectorize):
    # several seeds at once: the records' kernels loop over them (eager mode's loss record
    # broadcast its seeds wrongly and its batch norm added a seed's -0.0 into +0.0: fixed)
    t0 = np.array([0.5, 0.0, 1.0, -2.0, 1.75, 3.0], np.float32)

    def make(L):
        F = L.nn.functional

        def f(x):
            t = L.tensor(t0)
            bn = F.batch_norm(x.reshape(3, 2), None, None, t[:2], t[2:4], training=True).reshape(-1)
            return F.huber_loss(x, t, reduction="none", delta=0.5) + F.mse_loss(x * t, t, reduction="none") \
                + x.reshape(2, 3).var(0).repeat(2) + bn
        return f
    f = make(torch)
    cf = torch.compile(f)
    x0 = np.array([0.5, -1.0, 2.0, 0.0, 1.5, 0.25], np.float32)
    got = [bits(torch.autograd.functional.jacobian(fn, torch.tensor(x0 * s), vectorize=vectorize).numpy())
           for fn in (f, cf, cf) for s in (1.0, -2.0)]
    want = [bits(real.autograd.functional.jacobian(make(real), real.tensor(x0 * s), vectorize=vectorize).numpy())
            for s in (1.0, -2.0)]
    assert got[:2] == got[2:4] == got[4:] == want
    assert cf.replays >= 1


def test_dump_lists_the_records_with_their_operands():
    F = torch.nn.functional

    def f(x, t):
        return F.mse_loss(x, t) + x.var() + F.batch_norm(x.reshape(3, 2), None, None, t[:2], None, training=True).sum()
    cf = torch.compile(f)
    x, t = torch.tensor(np.arange(6.0, dtype=np.float32), requires_grad=True), torch.ones(6)
    cf(x, t)
    lines = {name: [ln for ln in cf.tapes[0].dump().splitlines() if f"= {name}(" in ln] for name in ("mse_loss", "var", "batch_norm")}
    assert all(len(v) == 1 for v in lines.values()), lines
    assert "[6], %" in lines["mse_loss"][0] and lines["mse_loss"][0].split(", %")[1].split(")")[0].endswith("[6]")
    assert lines["var"][0].split(", %")[1].split(")")[0].endswith("[6]")
    assert lines["batch_norm"][0].split("batch_norm(%")[1].split(",")[0].endswith("[6]")
    assert lines["batch_norm"][0].split(", %")[1].split(")")[0].endswith("[2]")
