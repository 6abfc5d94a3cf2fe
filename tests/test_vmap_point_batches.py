"""vmap of a compiled grad transform runs every point of one tape at once
(replay/point_batches.py): the same bits as each point's eager transform,
torch.func's values, and the point-by-point path wherever the batch can't
run (guards flipping at a point, host records of other kinds)."""
import numpy as np
import pytest
import torch

import jitgrad as jg
from jitgrad import vmapping as VM
from jitgrad.replay import point_batches as PB


@pytest.fixture
def batched_calls(monkeypatch):
    """How many vmap calls ran their points at once (and gave a result)."""
    calls = []
    for name in ("value_and_grad_points", "value_and_grad_groups"):     # (one tape; several groups' tapes)
        real = getattr(PB, name)

        def counting(*args, _real=real, **kwargs):
            res = _real(*args, **kwargs)
            calls.append(res is not None)
            return res
        monkeypatch.setattr(PB, name, counting)
    return calls


def _bits(t):
    return np.ascontiguousarray(t.detach().numpy()).tobytes()


def _flat(out):
    if isinstance(out, (tuple, list)):
        return [v for o in out for v in _flat(o)]
    if isinstance(out, dict):
        return [v for o in out.values() for v in _flat(o)]
    return [out]


def _check(got, points, want, tol):
    """got (vmap's result) equals the stacked per-point results bit for bit
    and torch's within tol."""
    got = _flat(got)
    stacked = [jg.stack([_flat(p)[k] for p in points]) for k in range(len(got))]
    for g, s, w in zip(got, stacked, _flat(want)):
        assert g.dtype == s.dtype and tuple(g.shape) == tuple(s.shape) == tuple(w.shape)
        assert _bits(g) == _bits(s)
        np.testing.assert_allclose(g.numpy(), w.detach().numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_per_sample_mlp_every_call(dtype, batched_calls):
    rng = np.random.default_rng(0)
    w1, w2 = (rng.normal(size=(16, 4)) * 0.3).astype(dtype), (rng.normal(size=(1, 16)) * 0.3).astype(dtype)
    x, y = rng.normal(size=(12, 4)).astype(dtype), rng.normal(size=(12, 1)).astype(dtype)

    def loss_of(mod):
        def loss(params, xi, yi):
            a, b = params
            return ((mod.tanh(xi @ a.T) @ b.T - yi) ** 2).sum()
        return loss
    g = jg.func.grad(loss_of(jg))
    vm = jg.func.vmap(g, in_dims=(None, 0, 0))
    J = [jg.tensor(v) for v in (w1, w2, x, y)]
    results = [vm((J[0], J[1]), J[2], J[3]) for _ in range(3)]
    points = [g((J[0], J[1]), J[2][b], J[3][b]) for b in range(12)]
    want = torch.func.vmap(torch.func.grad(loss_of(torch)), in_dims=(None, 0, 0))(
        (torch.tensor(w1), torch.tensor(w2)), torch.tensor(x), torch.tensor(y))
    for r in results:
        _check(r, points, want, 1e-5 if dtype is np.float32 else 1e-12)
    assert batched_calls == [True] * 3


def test_ensemble_batched_weights_shared_input(batched_calls):
    """Both matmul operands vary (weights batched, the input shared), and a
    closure constant matrix on the right."""
    rng = np.random.default_rng(1)
    W = rng.normal(size=(5, 3, 4))
    x = rng.normal(size=(4,))
    C = rng.normal(size=(3, 2))

    def f(mod, c):
        def loss(w, xi):
            h = mod.sigmoid(w @ xi)
            return (h @ c).pow(2).sum() + (w * w).sum() * 0.1
        return loss
    g = jg.func.grad_and_value(f(jg, jg.tensor(C)))
    vm = jg.func.vmap(g, in_dims=(0, None))
    r = [vm(jg.tensor(W), jg.tensor(x)) for _ in range(2)][-1]
    points = [g(jg.tensor(W)[b], jg.tensor(x)) for b in range(5)]
    want = torch.func.vmap(torch.func.grad_and_value(f(torch, torch.tensor(C))), in_dims=(0, None))(
        torch.tensor(W), torch.tensor(x))
    _check(r, points, want, 1e-12)
    assert True in batched_calls


def test_out_dims_and_argnums(batched_calls):
    rng = np.random.default_rng(2)
    a, B = rng.normal(size=(6, 3)), rng.normal(size=(3, 3))

    def f(mod):
        def loss(ai, b):
            return mod.cos(ai @ b).sum() * (ai * ai).sum()
        return loss
    g = jg.func.grad(f(jg), argnums=(0, 1))
    vm = jg.func.vmap(g, in_dims=(0, None), out_dims=(1, 0))
    r = [vm(jg.tensor(a), jg.tensor(B)) for _ in range(2)][-1]
    pts = [g(jg.tensor(a)[i], jg.tensor(B)) for i in range(6)]
    tr = torch.func.vmap(torch.func.grad(f(torch), argnums=(0, 1)), in_dims=(0, None), out_dims=(1, 0))(
        torch.tensor(a), torch.tensor(B))
    assert _bits(r[0]) == _bits(jg.stack([p[0] for p in pts], 1))
    assert _bits(r[1]) == _bits(jg.stack([p[1] for p in pts]))
    np.testing.assert_allclose(r[0].numpy(), tr[0].numpy(), rtol=1e-12)
    np.testing.assert_allclose(r[1].numpy(), tr[1].numpy(), rtol=1e-12)
    assert True in batched_calls


def test_other_host_records_point_by_point(batched_calls):
    """A loss host record (mse_loss) and a batched 3-D matmul take each
    point's own host path inside the batch."""
    rng = np.random.default_rng(3)
    w, x, y = rng.normal(size=(2, 3, 3)), rng.normal(size=(7, 3)), rng.normal(size=(7, 2, 3))

    def f(mod):
        def loss(w, xi, yi):
            out = (w @ xi.unsqueeze(-1)).squeeze(-1)
            return mod.nn.functional.mse_loss(mod.tanh(out), yi)
        return loss
    g = jg.func.grad(f(jg))
    vm = jg.func.vmap(g, in_dims=(None, 0, 0))
    r = [vm(jg.tensor(w), jg.tensor(x), jg.tensor(y)) for _ in range(2)][-1]
    pts = [g(jg.tensor(w), jg.tensor(x)[b], jg.tensor(y)[b]) for b in range(7)]
    want = torch.func.vmap(torch.func.grad(f(torch)), in_dims=(None, 0, 0))(
        torch.tensor(w), torch.tensor(x), torch.tensor(y))
    _check(r, pts, want, 1e-12)


def test_guard_flip_at_one_point_falls_back(batched_calls):
    def loss(w, xi):
        s = xi @ w       # (max(): a guard "no tie at the top" that flips at one point)
        return jg.sin(s).sum() + s.max() * 3
    rng = np.random.default_rng(4)
    w = jg.tensor(np.eye(3)[:, :2] + 0.01 * rng.normal(size=(3, 2)))
    x = np.abs(rng.normal(size=(6, 3))) + np.array([1.0, 0.0, 0.0])
    vm = jg.func.vmap(jg.func.grad(loss), in_dims=(None, 0))
    vm(w, jg.tensor(x))
    x[4] = 0.0       # (point 4's s ties: all zero)
    r = vm(w, jg.tensor(x))
    g = jg.func.grad(loss)
    assert _bits(r) == _bits(jg.stack([g(w, jg.tensor(x)[b]) for b in range(6)]))
    assert batched_calls[-1] is False


@pytest.mark.parametrize("ashape,bshape", [((3,), (3, 5)), ((4, 3), (3,)), ((3,), (3,)), ((2, 3), (3, 4)),
                                           ((4, 1), (1, 3)), ((1,), (1, 3)), ((3, 1), (1,)), ((1, 3), (3, 1)),
                                           ((1, 1), (1, 1)), ((5, 7), (7, 1)), ((1, 6), (6, 2)), ((0, 3), (3, 2))])
@pytest.mark.parametrize("transposed", [False, True])
def test_single_column_backward_same_bits_as_general(ashape, bshape, transposed):
    """MatmulBackward's one-column path (eager backward, replays, vmap's
    points) gives matmul_grads' bits: zeros, -0.0, inf and nan among the
    values, a constant operand laid out transposed."""
    from jitgrad.autodiff import matmul as MM
    rng = np.random.default_rng(sum(ashape) * 7 + sum(bshape))
    a = rng.normal(size=ashape)
    b = rng.normal(size=bshape)
    a.reshape(-1)[:1] = -0.0
    b.reshape(-1)[-1:] = np.inf if b.size > 2 else 0.0
    for arg, brg in ((True, True), (True, False), (False, True)):
        h = object.__new__(MM.MatmulBackward)
        h.ashape, h.bshape = ashape, bshape
        h.oshape = np.matmul(np.zeros(ashape), np.zeros(bshape)).shape
        h.arg, h.brg, h.fold, h.const_info = arg, brg, None, None
        n_out = int(np.prod(h.oshape))
        vals = np.concatenate([a.reshape(-1), b.reshape(-1), np.zeros(n_out)])
        h.a, h.b, h.out = 0, a.size, a.size + b.size
        h.aval = h.bval = None
        if not brg and transposed and len(bshape) == 2:     # (a constant operand, kept by the record)
            h.b, h.bval = -1, np.asfortranarray(b)
        S = len(vals)
        G = rng.normal(size=(n_out,))
        G[:1] = -0.0
        adj1, reach1 = np.zeros((S, 1)), np.zeros(S, np.uint8)
        adj1[h.out:, 0] = G
        adj1[0, 0] = 1.5        # (a slot reached before: added to, not assigned)
        reach1[0] = 1
        adj2, reach2 = adj1.copy(), reach1.copy()
        plan = MM.single_column_plan(h)
        assert plan is not None
        MM.single_column_backward(h, plan, adj1, vals, reach1)
        A, B = h.operands(vals)
        ga, gb = MM.matmul_grads(adj2[h.out:h.out + n_out].T, A, B, arg, brg)
        if ga is not None:
            MM._assign_or_add(adj2, reach2, h.a, ga.reshape(1, -1).T)
        if gb is not None:
            MM._assign_or_add(adj2, reach2, h.b, gb.reshape(1, -1).T)
        assert adj1.tobytes() == adj2.tobytes() and reach1.tobytes() == reach2.tobytes()


@pytest.mark.parametrize("transform", ["jacrev", "jacfwd", "hessian"])
def test_inline_vmap_of_jacobian_records_once(transform):
    """vmap(jacrev(f))(x) written inline in a loop: one compiled form kept on
    f for the transform's settings (each pass makes new wrappers), torch's values."""
    rng = np.random.default_rng(5)
    A, X = rng.normal(size=(4, 4)) / 4, rng.normal(size=(6, 4))

    def g_of(mod, a):
        def g(v):
            return (mod.tanh(a @ v) + v ** 2).sum() if transform == "hessian" else mod.tanh(a @ v) + v ** 2
        return g
    g = g_of(jg, jg.tensor(A))
    outs = [jg.func.vmap(getattr(jg.func, transform)(g))(jg.tensor(X)) for _ in range(3)]
    # (jacrev: f's own compiled tape, every point at once; the others: the transform's compiled form)
    kept = g._jitgrad_jacobian_points if transform == "jacrev" else g._jitgrad_vmap_replay
    assert len(kept) == 1
    compiled = next(iter(kept.values()))
    assert compiled is VM._EAGER or len(compiled.tapes) == 1     # (its one recording, or the verdict: eager)
    want = torch.func.vmap(getattr(torch.func, transform)(g_of(torch, torch.tensor(A))))(torch.tensor(X))
    for o in outs:
        np.testing.assert_allclose(o.numpy(), want.numpy(), rtol=1e-12, atol=1e-14)
    assert _bits(outs[1]) == _bits(outs[2])


@pytest.fixture
def jacobian_calls(monkeypatch):
    calls = []
    real = PB.jacobian_points

    def counting(*args, **kwargs):
        res = real(*args, **kwargs)
        calls.append(res is not None)
        return res
    monkeypatch.setattr(PB, "jacobian_points", counting)
    return calls


JAC_FUNCS = {
    "tanh(A @ v) + v ** 2": lambda L, a: lambda v: L.tanh(a @ v) + v ** 2,
    "elementwise": lambda L, a: lambda v: L.sin(v) * L.exp(-v),
    "matrix out": lambda L, a: lambda v: L.outer(v, L.sigmoid(a @ v)),
    "scalar out": lambda L, a: lambda v: (L.tanh(a @ v) ** 2).sum(),
    "max position": lambda L, a: lambda v: v * v.max(),
}


@pytest.mark.parametrize("fn", list(JAC_FUNCS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_vmap_jacrev_points_at_once(fn, dtype, jacobian_calls):
    rng = np.random.default_rng(6)
    A, X = rng.normal(size=(4, 4)) / 4, rng.normal(size=(5, 4))
    g = JAC_FUNCS[fn](jg, jg.tensor(A, dtype=getattr(jg, dtype)))
    x = jg.tensor(X, dtype=getattr(jg, dtype))
    results = [jg.func.vmap(jg.func.jacrev(g))(x) for _ in range(2)]
    points = jg.stack([jg.func.jacrev(g)(x[b]) for b in range(5)])
    want = torch.func.vmap(torch.func.jacrev(JAC_FUNCS[fn](torch, torch.tensor(A, dtype=getattr(torch, dtype)))))(
        torch.tensor(X, dtype=getattr(torch, dtype)))
    for r in results:
        assert r.dtype == points.dtype and tuple(r.shape) == tuple(want.shape)
        assert _bits(r) == _bits(points)
        np.testing.assert_allclose(r.numpy(), want.numpy(), rtol=1e-5 if dtype == "float32" else 1e-12, atol=1e-6)
    # (max position: recomputed at each point, its only guard "no tie" holds: batched too)
    assert True in jacobian_calls


def test_vmap_jacrev_argnums_in_dims_out_dims(jacobian_calls):
    rng = np.random.default_rng(7)
    W, x = rng.normal(size=(3, 2, 4)), rng.normal(size=(4,))

    def f(mod):
        return lambda w, v: mod.tanh(w @ v) * v.sum()
    g = jg.func.jacrev(f(jg), argnums=(0, 1))
    vm = jg.func.vmap(g, in_dims=(0, None), out_dims=(1, 0))
    r = [vm(jg.tensor(W), jg.tensor(x)) for _ in range(2)][-1]
    pts = [g(jg.tensor(W)[b], jg.tensor(x)) for b in range(3)]
    t = torch.func.vmap(torch.func.jacrev(f(torch), argnums=(0, 1)), in_dims=(0, None), out_dims=(1, 0))(
        torch.tensor(W), torch.tensor(x))
    assert _bits(r[0]) == _bits(jg.stack([p[0] for p in pts], 1))
    assert _bits(r[1]) == _bits(jg.stack([p[1] for p in pts]))
    np.testing.assert_allclose(r[0].numpy(), t[0].numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(r[1].numpy(), t[1].numpy(), rtol=1e-12, atol=1e-14)
    assert True in jacobian_calls


def test_vmap_jacrev_guard_flip_falls_back(jacobian_calls):
    g = jg.func.jacrev(lambda v: v * v.max())
    x = np.abs(np.random.default_rng(8).normal(size=(4, 3))) + np.array([2.0, 0.0, 0.0])
    jg.func.vmap(g)(jg.tensor(x))
    x[2] = x[2, [0, 0, 2]]      # (point 2's max ties: its guard flips there)
    r = jg.func.vmap(g)(jg.tensor(x))
    assert _bits(r) == _bits(jg.stack([g(jg.tensor(x)[b]) for b in range(4)]))
    assert jacobian_calls[-1] is False


def _mlp_params(rng, dtype=np.float32):
    shapes = {"0.weight": (8, 5), "0.bias": (8,), "2.weight": (4, 8), "2.bias": (4,)}
    return {k: (rng.normal(size=s) * 0.5).astype(dtype) for k, s in shapes.items()}


def _ce_loss(mod, model):
    def loss(p, xi, yi):
        out = mod.func.functional_call(model, p, (xi.unsqueeze(0),))
        return mod.nn.functional.cross_entropy(out, yi.unsqueeze(0))
    return loss


@pytest.mark.parametrize("targets", ["int", "probabilities"])
def test_per_sample_cross_entropy_batched(targets, batched_calls):
    """torch.func's per-sample-gradients tutorial: cross_entropy of a small
    MLP with integer targets (the points of each target value, one tape,
    run together) or probability targets; log_softmax's max pick is a
    select record whose index map each point rewrites for itself."""
    rng = np.random.default_rng(5)
    x = rng.normal(size=(24, 5)).astype(np.float32)
    y = rng.integers(0, 4, 24) if targets == "int" else rng.dirichlet(np.ones(4), 24).astype(np.float32)
    p0 = _mlp_params(rng)
    outs = []
    for mod in (jg, torch):
        model = mod.nn.Sequential(mod.nn.Linear(5, 8), mod.nn.ReLU(), mod.nn.Linear(8, 4))
        params = {k: mod.tensor(v) for k, v in p0.items()}
        g = mod.func.grad(_ce_loss(mod, model))
        vm = mod.func.vmap(g, in_dims=(None, 0, 0))
        X, Y = mod.tensor(x), mod.tensor(y)
        results = [vm(params, X, Y) for _ in range(3)]
        outs.append((results, [g(params, X[b], Y[b]) for b in range(24)] if mod is jg else None))
    (results, points), (want, _) = outs
    for r in results:
        _check(r, points, want[-1], 2e-6)
    assert True in batched_calls[-4:]


def test_per_point_max_picks_keep_their_own_index_maps(batched_calls):
    """A select record (logsumexp's max pick) feeding a gather at each point:
    points whose maxima sit at different positions, run together."""
    rng = np.random.default_rng(6)
    x = rng.normal(size=(9, 6))
    x[np.arange(9), np.arange(9) % 6] += 5.0        # (each point's max elsewhere)

    def f(mod):
        def loss(w, xi):
            z = xi * w
            return mod.logsumexp(z, 0) + mod.log_softmax(z, 0)[2] * 0.5
        return loss
    w = rng.normal(size=(6,)) * 0.1 + 1.0
    g = jg.func.grad(f(jg))
    vm = jg.func.vmap(g, in_dims=(None, 0))
    r = [vm(jg.tensor(w), jg.tensor(x)) for _ in range(2)][-1]
    pts = [g(jg.tensor(w), jg.tensor(x)[b]) for b in range(9)]
    want = torch.func.vmap(torch.func.grad(f(torch)), in_dims=(None, 0))(torch.tensor(w), torch.tensor(x))
    _check(r, pts, want, 1e-12)
    assert batched_calls[-1] is True
    jr = jg.func.vmap(jg.func.jacrev(f(jg)), in_dims=(None, 0))
    rj = [jr(jg.tensor(w), jg.tensor(x)) for _ in range(2)][-1]
    assert _bits(rj) == _bits(r)


def test_per_point_index_maps_with_loss_host_records(batched_calls):
    """Select records (log_softmax's max pick over a row) with loss and var
    records and a matmul host record in one tape, each point its own maps."""
    rng = np.random.default_rng(7)
    x = rng.normal(size=(8, 5))
    x[np.arange(8), np.arange(8) % 5] += 4.0
    y = rng.normal(size=(8, 5))

    def f(mod):
        def loss(w, xi, yi):
            z = (xi * w).unsqueeze(0)
            return (mod.nn.functional.mse_loss(mod.log_softmax(z, 1), yi.unsqueeze(0)) + z.var()
                    + (z @ yi.unsqueeze(1)).sum() * 0.1)
        return loss
    w = rng.normal(size=(5,)) * 0.1 + 1.0
    g = jg.func.grad(f(jg))
    vm = jg.func.vmap(g, in_dims=(None, 0, 0))
    r = [vm(jg.tensor(w), jg.tensor(x), jg.tensor(y)) for _ in range(2)][-1]
    pts = [g(jg.tensor(w), jg.tensor(x)[b], jg.tensor(y)[b]) for b in range(8)]
    want = torch.func.vmap(torch.func.grad(f(torch)), in_dims=(None, 0, 0))(
        torch.tensor(w), torch.tensor(x), torch.tensor(y))
    _check(r, pts, want, 1e-12)
    assert batched_calls[-1] is True


@pytest.mark.parametrize("container", ["dict", "tuple"])
def test_vmap_jacrev_of_a_parameter_dict(container, monkeypatch):
    """torch.func's neural tangent kernel tutorial: vmap(jacrev(f), (None, 0))
    with f's parameters a dict (or tuple) of tensors, all points from f's one
    tape at once; the Jacobians in the parameters' structure."""
    ran = []
    real = PB.jacobian_points
    monkeypatch.setattr(PB, "jacobian_points", lambda *a: ran.append(real(*a)) or ran[-1])
    rng = np.random.default_rng(8)
    p0 = _mlp_params(rng, np.float64)
    x = rng.normal(size=(6, 5))
    results = []
    for mod in (jg, torch):
        model = mod.nn.Sequential(mod.nn.Linear(5, 8), mod.nn.Tanh(), mod.nn.Linear(8, 4)).double()
        names = list(p0)
        params = {k: mod.tensor(v) for k, v in p0.items()}
        if container == "tuple":
            params = tuple(params.values())

        def f(p, xi):
            p = p if isinstance(p, dict) else dict(zip(names, p))
            return mod.func.functional_call(model, p, (xi.unsqueeze(0),)).squeeze(0)
        vm = mod.func.vmap(mod.func.jacrev(f), (None, 0))
        X = mod.tensor(x)
        got = [vm(params, X) for _ in range(2)][-1]
        points = [mod.func.jacrev(f)(params, X[b]) for b in range(6)] if mod is jg else None
        results.append((got, points, f))
    (got, points, f), (want, _, _) = results
    assert type(got) is type(want)
    _check(got, points, want, 1e-12)
    assert ran and ran[-1] is not None      # (the batched path ran)


def test_per_sample_cnn_max_pool_tutorial(batched_calls):
    """torch.func's per-sample-gradients tutorial shape: conv2d, relu,
    max_pool2d, linear, log_softmax, nll_loss with integer targets. The
    pool's picks replay per point (select records), not guards."""
    rng = np.random.default_rng(9)
    x = rng.normal(size=(12, 1, 8, 8)).astype(np.float32)
    y = rng.integers(0, 3, 12)
    w = {"c.weight": (rng.normal(size=(2, 1, 3, 3)) * 0.5).astype(np.float32),
         "c.bias": np.zeros(2, np.float32), "f.weight": (rng.normal(size=(3, 18)) * 0.3).astype(np.float32),
         "f.bias": np.zeros(3, np.float32)}
    outs = []
    for mod in (jg, torch):
        F = mod.nn.functional

        class Net(mod.nn.Module):
            def __init__(self):
                super().__init__()
                self.c, self.f = mod.nn.Conv2d(1, 2, 3), mod.nn.Linear(18, 3)

            def forward(self, v):
                v = F.max_pool2d(F.relu(self.c(v)), 2)
                return F.log_softmax(self.f(v.flatten(1)), dim=1)
        model = Net()
        params = {k: mod.tensor(v) for k, v in w.items()}

        def loss(p, xi, yi):
            return F.nll_loss(mod.func.functional_call(model, p, (xi.unsqueeze(0),)), yi.unsqueeze(0))
        g = mod.func.grad(loss)
        vm = mod.func.vmap(g, in_dims=(None, 0, 0))
        X, Y = mod.tensor(x), mod.tensor(y)
        got = [vm(params, X, Y) for _ in range(2)][-1]
        outs.append((got, [g(params, X[b], Y[b]) for b in range(12)] if mod is jg else None))
    (got, points), (want, _) = outs
    _check(got, points, want, 2e-6)
    assert batched_calls and batched_calls[-1] is True


def test_compiled_max_pool_replays_new_picks_without_recording_again():
    def f(mod, v):
        return (mod.nn.functional.max_pool2d(v, 2) ** 2).sum()
    cf = jg.compile(lambda v: f(jg, v))
    rng = np.random.default_rng(10)
    for k in range(4):
        a = rng.normal(size=(1, 2, 4, 4))
        got = jg.tensor(a, requires_grad=True)
        cf(got).backward()
        want = torch.tensor(a, requires_grad=True)
        f(torch, want).backward()
        assert np.array_equal(got.grad.numpy(), want.grad.numpy())
    assert cf.records == 1 and cf.replays == 3


@pytest.mark.parametrize("pool", ["adaptive_max_pool2d", "adaptive_max_pool1d"])
def test_compiled_adaptive_max_pool_replays_new_picks(pool):
    def f(mod, v):
        return (getattr(mod.nn.functional, pool)(v, 2) ** 2).sum()
    cf = jg.compile(lambda v: f(jg, v))
    rng = np.random.default_rng(11)
    shape = (1, 2, 5, 5) if pool.endswith("2d") else (2, 5)
    for k in range(4):
        a = rng.normal(size=shape)
        got = jg.tensor(a, requires_grad=True)
        cf(got).backward()
        want = torch.tensor(a, requires_grad=True)
        f(torch, want).backward()
        assert np.array_equal(got.grad.numpy(), want.grad.numpy())
    assert cf.records == 1 and cf.replays == 3


def test_integer_groups_of_different_tapes_each_run_their_own(batched_calls):
    """Integer values that change the recorded ops (read as Python ints)
    give tapes of different structure: no single batch, each group its own
    (torch's vmap refuses the int(); the per-point transform is the reference)."""
    rng = np.random.default_rng(12)
    x = rng.normal(size=(10, 3))
    y = np.arange(10) % 4

    def loss(w, xi, yi):
        z = (xi * w).sum()
        return z * z if int(yi) > 1 else z.sin()
    g = jg.func.grad(loss)
    vm = jg.func.vmap(g, in_dims=(None, 0, 0))
    w = jg.tensor(rng.normal(size=(3,)))
    r = [vm(w, jg.tensor(x), jg.tensor(y)) for _ in range(2)][-1]
    pts = [g(w, jg.tensor(x)[b], jg.tensor(y)[b]) for b in range(10)]
    assert _bits(r) == _bits(jg.stack(pts))
    assert batched_calls and all(batched_calls[-4:])
