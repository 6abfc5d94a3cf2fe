"""The replay program (replay/program.py): every elementwise op of the table
replays inside Numba, bit for bit as eager mode, at 0-d, one-element and
small-array sizes, in float32 and float64, through both replay paths (the
engine's sweep of a replayed call, and compile(value_and_grad)); small
float arrays computed in eager mode as the kernel computes them
(core/smallmath.py), and against torch; no host records on the benchmark
workloads.
"""
import functools
import os
import sys

import numpy as np
import pytest
import torch as T

import jitgrad as torch
from jitgrad.core import kernels as K, ops as O, smallmath as SM
from jitgrad.replay import program as P
from jitgrad.replay.compiler import OP_NAMES

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "benchmarks"))
import workloads as W  # noqa: E402

RNG = np.random.default_rng(2026)
DTYPES = [torch.float64, torch.float32]


def same(a, b):
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    return (a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
            and np.array_equal(np.signbit(a) & ~np.isnan(a), np.signbit(b) & ~np.isnan(b)))


def _sample(entry, shape, k):
    """Points in the op's test domain (ops.Op.domain), one operand."""
    kind, lo, hi = (entry.domain[k] if len(entry.domain) > k else O.SIGNED)
    mag = RNG.uniform(lo, hi, shape)
    if kind == "signed":
        mag = mag * RNG.choice([-1.0, 1.0], shape)
    return mag


def _fn(entry):
    """f(x, y) using the entry's op on x (and y), plus a tail that mixes the
    result so every partial matters."""
    name = entry.name
    if entry.kind == "binary":
        op = getattr(torch, name)
        return lambda x, y: op(x, y) * 1.25 + x
    if entry.kind == "param":
        op = getattr(torch, name) if hasattr(torch, name) else None
        c = entry.param
        if name in ("clamp_min", "clamp_max"):
            return lambda x, y: getattr(torch, "clamp")(x, **{name[6:]: c}) * 1.25 + x
        if name == "leaky_relu":
            return lambda x, y: torch.nn.functional.leaky_relu(x, c) * 1.25 + x
        if name == "elu":
            return lambda x, y: torch.nn.functional.elu(x, c) * 1.25 + x
        if name == "polygamma":
            return lambda x, y: torch.polygamma(1, x) * 1.25 + x
        if name == "logit":
            return lambda x, y: torch.logit(x, 0.1) * 1.25 + x
        return lambda x, y: op(x, c) * 1.25 + x
    op = getattr(torch, name)
    return lambda x, y: op(x) * 1.25 + x


# (The no-gradient entries and where's picks: tests/test_compile_masks.py.)
ELEMENTWISE = [op for op in O.TABLE if op.kind in ("unary", "binary", "param") and op.name != "copy"
               and (hasattr(torch, op.name) or op.kind == "param")]


def _replays_as_eager(f, shape, dtype, entry, value_and_grad):
    cf = torch.compile(torch.func.value_and_grad(f, argnums=(0, 1)) if value_and_grad else f)
    for _ in range(3):
        xv, yv = _sample(entry, shape, 0), _sample(entry, shape, 1)
        xe, ye = (torch.tensor(v, dtype=dtype, requires_grad=True) for v in (xv, yv))
        want = f(xe, ye)
        want.sum().backward() if want.ndim else want.backward()
        xc, yc = (torch.tensor(v, dtype=dtype, requires_grad=not value_and_grad) for v in (xv, yv))
        if value_and_grad:
            if want.ndim:
                return      # value_and_grad takes scalar outputs
            got, (gx, gy) = cf(xc, yc)
        else:
            got = cf(xc, yc)
            got.sum().backward() if got.ndim else got.backward()
            gx, gy = xc.grad, yc.grad
        assert same(got.detach().numpy(), want.detach().numpy()), (entry.name, got, want)
        assert same(gx.numpy(), xe.grad.numpy()), (entry.name, gx, xe.grad)
        if ye.grad is None:
            assert gy is None or not np.any(gy.numpy())
        else:
            assert same(gy.numpy(), ye.grad.numpy()), (entry.name, gy, ye.grad)
    base = cf.cf if value_and_grad else cf
    e = base.tapes[0]
    assert e.mode == "replay", (entry.name, e.reason)
    assert base.records == 1 and base.replays == 2, base.report()
    return e


@pytest.mark.parametrize("dtype", DTYPES, ids=["f64", "f32"])
@pytest.mark.parametrize("shape", [(), (1,), (4,)], ids=["0d", "1", "4"])
@pytest.mark.parametrize("entry", ELEMENTWISE, ids=lambda e: e.name)
def test_every_elementwise_op_replays_in_numba(entry, shape, dtype):
    f = _fn(entry)
    e = _replays_as_eager(f, shape, dtype, entry, value_and_grad=False)
    in_numba = shape == () or entry.opcode in SM.EXACT or entry.opcode in SM.SMALL_OPS
    assert (e.stats()["host_forward_records"] == 0) == in_numba, e.dump()
    if shape == ():
        _replays_as_eager(lambda x, y: f(x, y) * x, shape, dtype, entry, value_and_grad=True)


def test_program_kinds():
    cf = torch.compile(lambda x: torch.sin(x[0]) * x[1] + torch.exp(x[2:4]).sum())
    x = torch.tensor([0.5, 1.5, 2.5, 3.5], dtype=torch.float32, requires_grad=True)
    cf(x).backward()
    e = cf.tapes[0]
    kinds = {OP_NAMES[int(op)]: int(k) for op, k in zip(e.rec[:, 0], e.program()[:len(e.rec), 0])}
    assert kinds["sin"] == kinds["mul"] == K.PROG_SCALAR32
    assert kinds["exp"] == K.PROG_ARRAY and kinds["sum"] == K.PROG_SUM     # a 2-element array, its sum
    assert P.partials(e.program()).shape == (len(e.rec), 2)


def test_replayed_call_keeps_engine_semantics():
    """A replayed call swept by its program: the second backward raises
    torch's error, retain_graph allows it, hooks see the adjoint."""
    def f(x):
        return torch.sin(x) * x + torch.exp(x)
    cf = torch.compile(f)
    x0 = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    cf(x0).backward()
    x = torch.tensor(0.9, dtype=torch.float64, requires_grad=True)
    y = cf(x)
    assert y.grad_fn is not None
    y.backward(retain_graph=True)
    g1 = float(x.grad)
    y.backward()
    assert float(x.grad) == 2 * g1
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()
    seen = []
    x2 = torch.tensor(0.9, dtype=torch.float64, requires_grad=True)
    y2 = cf(x2) * 3.0
    y2.register_hook(lambda g: seen.append(float(g)))
    y2.backward()
    assert seen == [1.0] and float(x2.grad) == 3 * g1


@pytest.mark.parametrize("dtype", DTYPES, ids=["f64", "f32"])
@pytest.mark.parametrize("name", ["exp", "log", "sin", "tanh", "softplus", "erf", "atan2", "pow"])
def test_small_arrays_in_eager_mode(name, dtype):
    """Small float arrays: the scalar forward of each element, rounded once
    (or torch's float32 steps, ops.F32_FORMS; what the kernel computes; past
    SMALL_MAX by the kernel's own loop, up to ARRAY_MAX), and torch's value to
    float32/float64 accuracy."""
    entry = O.BY_NAME[name]
    for n in (1, 4, SM.SMALL_MAX, SM.SMALL_MAX + 1):
        xv = np.abs(RNG.standard_normal(n)) + 0.2
        yv = np.abs(RNG.standard_normal(n)) + 0.2
        x = torch.tensor(xv, dtype=dtype)
        y = torch.tensor(yv, dtype=dtype)
        jfn = getattr(torch, name, None) or getattr(torch.nn.functional, name)
        got = jfn(x, y) if entry.kind == "binary" else jfn(x)
        xs, ys = x.numpy().astype(np.float64), y.numpy().astype(np.float64)
        if n <= SM.ARRAY_MAX:
            form32 = O.F32_FORMS.get(entry.opcode) if dtype is torch.float32 else None
            if form32 is not None:      # (torch's float32 steps: ops.F32_FORMS)
                per = [form32[0](a) for a in xs]
            else:
                per = [entry.scalar(a, b) if entry.kind == "binary" else entry.scalar(a) for a, b in zip(xs, ys)]
            assert same(got.numpy(), np.array(per).astype(dtype.np))
        tdt = T.float32 if dtype is torch.float32 else T.float64
        tx, ty = T.tensor(xv, dtype=tdt), T.tensor(yv, dtype=tdt)
        tfn = getattr(T, name, None) or getattr(T.nn.functional, name)
        want = tfn(tx, ty) if entry.kind == "binary" else tfn(tx)
        rtol = 4e-7 if dtype is torch.float32 else 1e-15
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=rtol, atol=0)
        assert got.dtype is dtype


@pytest.mark.parametrize("name", ["sigmoid", "silu"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_small_sigmoid_is_torchs_in_both_dtypes(name, dtype):
    """sigmoid and silu take the scalar path on small arrays (SMALL_OPS):
    float32 by their step forms (sigmoid(-90) is 0, as torch's float exp
    overflows, not the float64 value rounded), float64 as torch's
    1 / (1 + exp(-x)) with the C library's exp, which torch's kernel loops
    take below 16 elements; a compiled replay gives the same bits."""
    x = [-90.0, -30.0, 2.0, -0.5, 7.3, -745.5, -0.0, float("nan"), float("inf"), -float("inf"), 1e-30]
    x += list(np.random.default_rng(3).normal(size=4) * 6)
    ours = getattr(torch.nn.functional, name)
    want = getattr(T.nn.functional, name)(T.tensor(x, dtype=getattr(T, dtype))).numpy()
    got = ours(torch.tensor(x, dtype=getattr(torch, dtype))).numpy()
    assert same(got, want), (got, want)
    assert O.BY_NAME[name].opcode in SM.SMALL_OPS
    cf = torch.compile(lambda t: ours(t) * 1.0)
    for k in range(3):
        xs = torch.tensor([v * (1 + 0.1 * k) for v in x], dtype=getattr(torch, dtype))
        assert same(cf(xs).numpy(), (ours(xs) * 1.0).numpy())
    assert cf.replays == 2 and cf.tapes[0].mode == "replay", cf.report()


def test_small_param_array_matches_torch():
    x = torch.tensor([-0.3, 0.2, -1.7], dtype=torch.float32)
    got = torch.nn.functional.leaky_relu(x, 0.01)
    want = T.nn.functional.leaky_relu(T.tensor([-0.3, 0.2, -1.7]), 0.01)
    assert same(got.numpy(), want.numpy())


@pytest.mark.parametrize("name", ["chain", "rosenbrock", "graph_f32", "graph_f64"])
def test_benchmark_workloads_have_no_host_records(name):
    if name == "chain":
        fn, x = functools.partial(W.chain, torch, steps=50), torch.tensor(0.5, requires_grad=True)
    elif name == "rosenbrock":
        fn = functools.partial(W.rosenbrock_fn, torch)
        x = torch.tensor(np.linspace(0.5, 0.6, 40), dtype=torch.float64, requires_grad=True)
    else:
        dt = torch.float32 if name == "graph_f32" else torch.float64
        fn = functools.partial(W.scalar_graph_torch_fn, torch, n=40, stride=5)
        x = torch.tensor(np.linspace(-1, 1, 40), dtype=dt, requires_grad=True)
    cf = torch.compile(fn)
    want = fn(x.detach().clone().requires_grad_())
    for _ in range(2):
        xc = x.detach().clone().requires_grad_()
        got = cf(xc)
        got.backward()
    xe = x.detach().clone().requires_grad_()
    fn(xe).backward()
    assert same(got.detach().numpy(), want.detach().numpy())
    assert same(xc.grad.numpy(), xe.grad.numpy())
    e = cf.tapes[0]
    assert e.mode == "replay" and e.stats()["host_forward_records"] == 0, e.stats()
    if name == "graph_f32":      # against torch: float32 rounding differs per op
        tx = T.tensor(np.linspace(-1, 1, 40), dtype=T.float32, requires_grad=True)
        ty = W.scalar_graph_torch_fn(T, tx, n=40, stride=5)
        ty.backward()
        np.testing.assert_allclose(got.item(), ty.item(), rtol=1e-5)
        np.testing.assert_allclose(xc.grad.numpy(), tx.grad.numpy(), rtol=1e-4, atol=1e-6)


def test_warmup_reaches_every_kernel_family(capsys):
    from jitgrad import warmup
    warmup.main(parallel=False)     # (batch(parallel=True)'s kernel: ~15 s more on a cold cache)
    assert "compiled and cached" in capsys.readouterr().out
    assert len(K.array_values.signatures) == 2      # eager arrays past SMALL_MAX, float32 and float64
    # The kernels Python calls (what they call is compiled with them).
    # (eager backward calls sweep_basic and _sweep; replays replay_reverse.)
    for kernel in (K.sweep_basic, K._sweep, K.replay_reverse, K.forward_program, K.forward_check,
                   K.value_and_grad_program, K.tangent_sweep, K.batch_sweep, K.check_guards, K.classify,
                   K.inline_program, K.replay_reverse_flags, K.reverse_flags):
        assert kernel.signatures, kernel
    assert len(K._sweep.signatures) == 2    # eager: without a program (and special functions), complete


@pytest.mark.parametrize("dtype", DTYPES, ids=["f64", "f32"])
def test_chain_into_subnormal_adjoints_is_bit_identical(dtype):
    """The scalar chain's adjoints sink to subnormals (the program skips
    multiplies by 1.0 and contributions to constants): same bits as eager."""
    fn = functools.partial(W.chain, torch, steps=1200)
    cf = torch.compile(fn)
    vg = torch.compile(torch.func.value_and_grad(fn))
    for x0 in (0.5, 0.25):
        xe = torch.tensor(x0, dtype=dtype, requires_grad=True)
        ye = fn(xe)
        ye.backward()
        for _ in range(2):
            xc = torch.tensor(x0, dtype=dtype, requires_grad=True)
            yc = cf(xc)
            yc.backward()
            assert same(yc.item(), ye.item()) and same(xc.grad.item(), xe.grad.item())
            v, g = vg(torch.tensor(x0, dtype=dtype))
            assert same(v.item(), ye.item()) and same(g.item(), xe.grad.item())
    assert dtype is torch.float32 or 0.0 < abs(xe.grad.item()) < np.finfo(np.float64).tiny


@pytest.mark.parametrize("dtype", DTYPES, ids=["f64", "f32"])
def test_batch_by_program_matches_single_calls(dtype):
    """.batch() sweeps every point by the replay program (array records and
    small sums inline): bit for bit as the compiled function called point by
    point, and eager mode's values. (The gradients of a softmax recorded while
    compiling, its max shift as amax, can differ from eager mode's small-path
    softmax in the last bit: rtol below.)"""
    fn = functools.partial(W.scalar_graph_torch_fn, torch, n=40, stride=5)
    vg = torch.compile(torch.func.value_and_grad(fn))
    X = RNG.uniform(-1, 1, (6, 40))
    v, g = vg.batch(torch.tensor(X, dtype=dtype))
    one = torch.compile(torch.func.value_and_grad(fn))
    for i in range(6):
        v1, g1 = one(torch.tensor(X[i], dtype=dtype))
        assert same(v[i].item(), v1.item()) and same(g[i].numpy(), g1.numpy())
        x = torch.tensor(X[i], dtype=dtype, requires_grad=True)
        y = fn(x)
        y.backward()
        assert same(v[i].item(), y.item())
        np.testing.assert_allclose(g[i].numpy(), x.grad.numpy(), rtol=1e-5 if dtype is torch.float32 else 1e-13)
    kinds = set(vg.cf.tapes[0].program()[:, 0].tolist())
    assert {K.PROG_ARRAY, K.PROG_SUM, K.PROG_SCALAR if dtype is torch.float64 else K.PROG_SCALAR32} <= kinds


def test_replayed_array_records_keep_engine_semantics():
    """Array records, small sums and index sums (run inline by the replay
    reverse): gradients bit for bit as the recording call's (swept by the
    engine's own sweep), the second backward through freed records raises
    torch's error, retain_graph allows it; and torch's values. (Not compared
    bit for bit with eager mode: a softmax recorded while compiling takes
    the general path, eager mode the small one, which can differ in the
    last bit of a gradient.)"""
    def f(x):
        w = torch.softmax(torch.stack([x[0] * 2.0, x[1], x[2] - x[0]]), 0)
        return ((w * torch.exp(x[:3])).sum() + torch.where(x > 0.5, x, x * 0.25).sum()
                + (x.reshape(2, 2) * 1.5).sum(0).sum())     # (sum(0): an index sum)
    cf = torch.compile(f)
    x0 = [0.3, 0.9, 0.6, 0.1]
    xr = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    cf(xr).backward()           # records: the engine's sweep of the recorded tape
    for _ in range(2):
        x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        y = cf(x)
        y.backward(retain_graph=True)
        assert same(x.grad.numpy(), xr.grad.numpy())
    kinds = set(cf.tapes[0].program()[:, 0].tolist())
    assert {K.PROG_ARRAY, K.PROG_SUM, K.PROG_SUMIDX} <= kinds, kinds
    y.backward()
    assert same(x.grad.numpy(), 2 * xr.grad.numpy())
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()
    tx = T.tensor(x0, dtype=T.float64, requires_grad=True)
    tw = T.softmax(T.stack([tx[0] * 2.0, tx[1], tx[2] - tx[0]]), 0)
    ((tw * T.exp(tx[:3])).sum() + T.where(tx > 0.5, tx, tx * 0.25).sum()
        + (tx.reshape(2, 2) * 1.5).sum(0).sum()).backward()
    np.testing.assert_allclose(xr.grad.numpy(), tx.grad.numpy(), rtol=1e-14)


@pytest.mark.parametrize("dtype", DTYPES, ids=["f64", "f32"])
@pytest.mark.parametrize("n", [1, 3, 9, 40])
def test_prod_replays_in_numba(n, dtype):
    """prod's forward replays in Numba (NumPy's one-at-a-time product, in the
    tensor's dtype), bit for bit as eager mode, and torch's values; zeros and
    negative elements included."""
    def f(x):
        return torch.prod(x * 1.5) + torch.prod(x[: max(n - 1, 1)]) * 0.5
    cf = torch.compile(f)
    for k in range(3):
        v = RNG.uniform(0.5, 1.5, n) * RNG.choice([-1.0, 1.0], n)
        if k == 2:
            v[n // 2] = 0.0
        xe = torch.tensor(v, dtype=dtype, requires_grad=True)
        ye = f(xe)
        ye.backward()
        xc = torch.tensor(v, dtype=dtype, requires_grad=True)
        yc = cf(xc)
        yc.backward()
        assert same(yc.item(), ye.item()) and same(xc.grad.numpy(), xe.grad.numpy())
        tx = T.tensor(v, dtype=T.float32 if dtype is torch.float32 else T.float64, requires_grad=True)
        ty = T.prod(tx * 1.5) + T.prod(tx[: max(n - 1, 1)]) * 0.5
        ty.backward()
        rtol = 1e-5 if dtype is torch.float32 else 1e-13
        np.testing.assert_allclose(yc.item(), ty.item(), rtol=rtol, atol=1e-30)
        np.testing.assert_allclose(xc.grad.numpy(), tx.grad.numpy(), rtol=rtol, atol=1e-6 if dtype is torch.float32 else 1e-15)
    e = cf.tapes[0]
    assert e.mode == "replay" and e.stats()["ops"].get("prod") == 2
    assert e.stats()["host_forward_records"] == 0, e.dump()


def _recent_results(x, y):
    """0-d records reading the last, the second-last and older results (the
    replay forward keeps the last two in registers), an operand read twice
    (x * x), and the ops the forward fuses with their partials (mul, add,
    sub, copy, sin, pow, div, exp, softplus on both sides of its threshold)."""
    a = x * x
    b = torch.sin(a) - y
    c = b * a + torch.sin(x)
    d = (c ** 2 + b.clone()) * (a - c)
    p, q = x - 1.5, y * 2.0
    r = p * q           # operands: the second-last and the last result
    p, q = x + 0.5, y - 2.0
    r = r + q * p       # the last and the second-last
    e = torch.nn.functional.softplus(x * 50.0) / torch.exp(y) + torch.nn.functional.softplus(b) / (c + 2.0)
    return d + torch.sin(d) * x + y ** 3 + r + e


@pytest.mark.parametrize("dtype", DTYPES, ids=["f64", "f32"])
def test_forward_reuses_recent_results_bit_identical(dtype):
    cf = torch.compile(_recent_results)
    vg = torch.compile(torch.func.value_and_grad(_recent_results, argnums=(0, 1)))
    points = [(0.5, -1.5), (-0.0, 0.0), (np.inf, 2.0), (-np.inf, -0.0), (np.nan, 1.0), (1e200, 3.0),
              (2.5, np.inf), (-3.0, np.nan)]
    for xv, yv in points:
        xe, ye = (torch.tensor(v, dtype=dtype, requires_grad=True) for v in (xv, yv))
        want = _recent_results(xe, ye)
        want.backward()
        xc, yc = (torch.tensor(v, dtype=dtype, requires_grad=True) for v in (xv, yv))
        got = cf(xc, yc)
        got.backward()
        v, (gx, gy) = vg(torch.tensor(xv, dtype=dtype), torch.tensor(yv, dtype=dtype))
        for g1, g2 in ((got, want), (xc.grad, xe.grad), (yc.grad, ye.grad), (v, want), (gx, xe.grad),
                       (gy, ye.grad)):
            assert same(g1.detach().numpy(), g2.detach().numpy()), ((xv, yv), g1, g2)
    assert cf.records == 1 and vg.cf.records == 1 and cf.tapes[0].mode == vg.cf.tapes[0].mode == "replay"
    assert cf.replays == vg.cf.replays == len(points) - 1


@pytest.mark.parametrize("dtype", DTYPES, ids=["f64", "f32"])
def test_scalar_program_reverse_by_static_flags(dtype):
    """A program of scalar records only: compile(value_and_grad) runs its
    reverse by reverse_flags (reach and first contributions decided once).
    Unreached records, an operand read twice (x * x), a chain re-reading the
    adjoint just written, torch's masked +0.0 (relu, maximum ties) and signs
    of zero: the same bits as eager mode, point by point and in .batch()."""
    def fn(x):
        a, b, c = x[0], x[1], x[2]
        unused = torch.exp(a) * b            # computed, not in the output: unreached
        t = a * a + torch.relu(b) * c
        for _ in range(3):
            t = t * 0.5 + torch.sin(t) * c
        m = torch.maximum(a, b) * 2.0 - (c * 0.0)
        del unused
        return t + m
    vg = torch.compile(torch.func.value_and_grad(fn))
    points = [[0.5, 0.0, -1.5], [0.75, 0.75, 2.0], [-0.0, -2.0, 0.25], [1.5, 0.0, -0.0]]
    for p in points:
        v, g = vg(torch.tensor(p, dtype=dtype))
        x = torch.tensor(p, dtype=dtype, requires_grad=True)
        y = fn(x)
        y.backward()
        assert same(v.item(), y.item()) and same(g.numpy(), x.grad.numpy()), (p, g, x.grad)
    e = vg.cf.tapes[0]
    flags, reach = e.reverse_flags()
    assert flags.size == len(e.rec) and (flags == 0).any() and (flags & K.RF_REACHED).any()
    vb, gb = vg.batch(torch.tensor(points, dtype=dtype))
    for i, p in enumerate(points):
        v, g = vg(torch.tensor(p, dtype=dtype))
        assert same(vb[i].item(), v.item()) and same(gb[i].numpy(), g.numpy())


@pytest.mark.parametrize("dtype", DTYPES, ids=["f64", "f32"])
def test_backward_of_a_scalar_program_by_static_flags(dtype, monkeypatch):
    """compile(f)(x).backward(): the engine sweeps a scalar program's replayed
    call by its reverse_flags (replay_reverse_flags) when the backward starts
    from the first output alone; the same bits and leaf gradients as eager,
    torch's error for a second backward, retain_graph allowing it, and the
    usual sweep for a gradient other than 1, a second root or a hook."""
    def fn(x, w):
        a, b = x[0], x[1]
        t = a * a * w + torch.relu(b) * w
        for _ in range(3):
            t = t * 0.5 + torch.sin(t) * b
        return t + torch.maximum(a, b)
    lean_sweeps = []
    kernel = K.replay_reverse_flags
    monkeypatch.setattr(K, "replay_reverse_flags", lambda *a: lean_sweeps.append(1) or kernel(*a))
    cf = torch.compile(fn)
    cf(torch.tensor([0.25, 0.5], dtype=dtype, requires_grad=True),
       torch.tensor(1.5, dtype=dtype, requires_grad=True))      # (the recording call)
    for p in ([0.5, 0.0], [0.75, 0.75], [-0.0, -2.0]):
        xe = torch.tensor(p, dtype=dtype, requires_grad=True)
        we = torch.tensor(1.5, dtype=dtype, requires_grad=True)
        ye = fn(xe, we)
        ye.backward()
        xc = torch.tensor(p, dtype=dtype, requires_grad=True)
        wc = torch.tensor(1.5, dtype=dtype, requires_grad=True)
        yc = cf(xc, wc)
        assert yc._tape.lean is not None
        yc.backward(retain_graph=True)
        assert same(yc.item(), ye.item()) and same(xc.grad.numpy(), xe.grad.numpy()) and same(wc.grad.item(), we.grad.item())
        yc.backward()       # retained: a second sweep accumulates
        assert same(xc.grad.numpy(), (xe.grad * 2).numpy())
        with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
            yc.backward()
    assert len(lean_sweeps) == 9
    # Another seed value, two roots, an output hook: the general sweep, same results as eager.
    xe = torch.tensor([0.5, 1.0], dtype=dtype, requires_grad=True)
    we = torch.tensor(1.5, dtype=dtype, requires_grad=True)
    xc = torch.tensor([0.5, 1.0], dtype=dtype, requires_grad=True)
    wc = torch.tensor(1.5, dtype=dtype, requires_grad=True)
    ye, yc = fn(xe, we), cf(xc, wc)
    ye.backward(torch.tensor(-3.0, dtype=dtype))
    yc.backward(torch.tensor(-3.0, dtype=dtype))
    assert same(xc.grad.numpy(), xe.grad.numpy())
    ye, yc = fn(xe, we), cf(xc, wc)
    torch.autograd.backward([ye, ye * 2])
    torch.autograd.backward([yc, yc * 2])
    assert same(xc.grad.numpy(), xe.grad.numpy())
    ye, yc = fn(xe, we), cf(xc, wc)
    ye.register_hook(lambda g: g * 10)
    yc.register_hook(lambda g: g * 10)
    ye.backward()
    yc.backward()
    assert same(xc.grad.numpy(), xe.grad.numpy()) and same(wc.grad.item(), we.grad.item())
