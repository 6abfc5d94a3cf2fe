"""vmap of grad / grad_and_value / jacrev (per-sample gradients): the
replay per point (vmapping._point_replay) gives eager's per-point results
bit for bit, and torch's values."""
import numpy as np
import pytest
import torch

import jitgrad as jg


def _tensors(mod, rng, dtype=np.float64):
    w1 = mod.tensor((rng.normal(size=(16, 4)) * 0.3).astype(dtype))
    w2 = mod.tensor((rng.normal(size=(1, 16)) * 0.3).astype(dtype))
    x = mod.tensor(rng.normal(size=(9, 4)).astype(dtype))
    y = mod.tensor(rng.normal(size=(9, 1)).astype(dtype))
    return w1, w2, x, y


def _mlp_loss(mod):
    def loss(params, xi, yi):
        a, b = params
        return ((mod.tanh(xi @ a.T) @ b.T - yi) ** 2).sum()
    return loss


def _leaves(out):
    if isinstance(out, (tuple, list)):
        return [v for o in out for v in _leaves(o)]
    if isinstance(out, dict):
        return [v for o in out.values() for v in _leaves(o)]
    return [out]


def _same_bits(got, want):
    got, want = _leaves(got), _leaves(want)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and tuple(g.shape) == tuple(w.shape)
        assert np.ascontiguousarray(g.detach().numpy()).tobytes() == np.ascontiguousarray(w.detach().numpy()).tobytes()


def _close_to_torch(got, want, tol):
    got, want = _leaves(got), _leaves(want)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert str(g.dtype).split(".")[-1] == str(w.dtype).split(".")[-1] and tuple(g.shape) == tuple(w.shape)
        np.testing.assert_allclose(g.detach().numpy(), w.detach().numpy(), rtol=tol, atol=tol)


def _eager_points(fn, args, dims):
    """fn at each point (eager: jitgrad.func transforms outside vmap), stacked per leaf."""
    n = next(a.shape[d] for a, d in zip(args, dims) if d is not None)
    outs = [fn(*[a if d is None else a.select(d, b) for a, d in zip(args, dims)]) for b in range(n)]
    flat = [_leaves(o) for o in outs]
    return [jg.stack([f[k] for f in flat]) for k in range(len(flat[0]))]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("transform", ["grad", "grad_and_value", "jacrev"])
def test_tuple_params_in_dims_none_0_0(dtype, transform):
    rng = np.random.default_rng(0)
    w1, w2, x, y = _tensors(jg, rng, dtype)
    tw = [torch.tensor(t.numpy()) for t in (w1, w2, x, y)]
    got = getattr(jg.func, transform)(_mlp_loss(jg))
    ps = jg.func.vmap(got, in_dims=(None, 0, 0))
    r1 = ps((w1, w2), x, y)
    r2 = ps((w1, w2), x, y)       # (the second call replays the recorded tape from the first point)
    want = _eager_points(lambda xi, yi: got((w1, w2), xi, yi), [x, y], [0, 0])
    _same_bits(r1, want)
    _same_bits(r2, want)
    tr = torch.func.vmap(getattr(torch.func, transform)(_mlp_loss(torch)), in_dims=(None, 0, 0))(
        (tw[0], tw[1]), tw[2], tw[3])
    _close_to_torch(r2, tr, 1e-5 if dtype is np.float32 else 1e-12)


def test_functional_call_dict_params_and_buffers():
    def build(mod):
        mod.manual_seed(0)
        return mod.nn.Sequential(mod.nn.Linear(5, 8), mod.nn.Tanh(), mod.nn.Linear(8, 3))
    jm, tm = build(jg), build(torch)
    for p, q in zip(jm.parameters(), tm.parameters()):
        p.data = jg.tensor(q.detach().numpy())
    rng = np.random.default_rng(1)
    data, targets = rng.normal(size=(7, 5)).astype(np.float32), rng.normal(size=(7, 3)).astype(np.float32)

    def run(mod, model):
        params = {k: v.detach() for k, v in model.named_parameters()}
        buffers = {k: v.detach() for k, v in model.named_buffers()}

        def compute_loss(params, buffers, sample, target):
            pred = mod.func.functional_call(model, (params, buffers), (sample.unsqueeze(0),))
            return mod.nn.functional.mse_loss(pred, target.unsqueeze(0))
        ft = mod.func.vmap(mod.func.grad(compute_loss), in_dims=(None, None, 0, 0))
        ft(params, buffers, mod.tensor(data), mod.tensor(targets))
        return ft(params, buffers, mod.tensor(data), mod.tensor(targets)), compute_loss, params, buffers

    got, loss, params, buffers = run(jg, jm)
    want, *_ = run(torch, tm)
    assert list(got) == list(want)
    g = jg.func.grad(loss)
    eager = _eager_points(lambda s, t: g(params, buffers, s, t), [jg.tensor(data), jg.tensor(targets)], [0, 0])
    _same_bits([got[k] for k in got], eager)
    _close_to_torch([got[k] for k in got], [want[k] for k in want], 1e-5)


def test_has_aux_out_dims_in_dim_1():
    def f(mod):
        def loss(w, xi):
            h = mod.sin(xi * w).sum()
            return h * h, {"h": h, "twice": xi * 2}
        return loss
    rng = np.random.default_rng(2)
    w, x = rng.normal(size=(3,)), rng.normal(size=(3, 6))
    got_fn = jg.func.grad_and_value(f(jg), has_aux=True)
    out = jg.func.vmap(got_fn, in_dims=(None, 1), out_dims=(1, 0), chunk_size=2)
    r = [out(jg.tensor(w), jg.tensor(x)) for _ in range(2)][-1]
    tr = torch.func.vmap(torch.func.grad_and_value(f(torch), has_aux=True), in_dims=(None, 1), out_dims=(1, 0))(
        torch.tensor(w), torch.tensor(x))
    _close_to_torch(r, tr, 1e-12)
    pts = [got_fn(jg.tensor(w), jg.tensor(x)[:, b]) for b in range(6)]
    _same_bits(r[0], jg.stack([p[0] for p in pts], 1))
    _same_bits(r[1][0], jg.stack([p[1][0] for p in pts]))
    _same_bits(r[1][1]["twice"], jg.stack([p[1][1]["twice"] for p in pts]))


def test_guard_flips_mid_batch():
    def f(mod):
        def loss(w, xi):
            s = xi * w       # (a mask and a max position: guards that flip from point to point)
            return mod.where(s > 0, s * s, mod.exp(s)).sum() + s.max() * 3
        return loss
    rng = np.random.default_rng(3)
    w, x = rng.normal(size=(4,)), rng.normal(size=(10, 4))
    g = jg.func.grad(f(jg))
    vm = jg.func.vmap(g, in_dims=(None, 0))
    vm(jg.tensor(w), jg.tensor(x))
    r = vm(jg.tensor(w), jg.tensor(-x[::-1].copy()))
    _same_bits(r, jg.stack([g(jg.tensor(w), jg.tensor(-x[::-1].copy())[b]) for b in range(10)]))
    tr = torch.func.vmap(torch.func.grad(f(torch)), in_dims=(None, 0))(torch.tensor(w), torch.tensor(-x[::-1].copy()))
    _close_to_torch(r, tr, 1e-12)


def test_global_changed_between_calls():
    scale = {"v": 2.0}

    def loss(w, xi):
        return (xi * w * scale["v"]).sum() ** 2
    rng = np.random.default_rng(4)
    w, x = jg.tensor(rng.normal(size=(3,))), jg.tensor(rng.normal(size=(5, 3)))
    vm = jg.func.vmap(jg.func.grad(loss), in_dims=(None, 0))
    vm(w, x)
    scale["v"] = 3.0
    r = vm(w, x)
    _same_bits(r, jg.stack([jg.func.grad(loss)(w, x[b]) for b in range(5)]))


@pytest.mark.parametrize("randomness", ["different", "same"])
def test_randomness_dropout(randomness):
    def loss(w, xi):
        return (jg.nn.functional.dropout(xi * w, 0.5) ** 2).sum()
    rng = np.random.default_rng(5)
    w, x = jg.tensor(rng.normal(size=(6,))), jg.tensor(rng.normal(size=(8, 6)))
    vm = jg.func.vmap(jg.func.grad(loss), in_dims=(None, 0), randomness=randomness)
    vm(w, x)
    jg.manual_seed(7)
    r = vm(w, x)
    jg.manual_seed(7)
    g, pts = jg.func.grad(loss), []
    for b in range(8):
        if randomness == "same":
            jg.manual_seed(7)
        pts.append(g(w, x[b]))
    _same_bits(r, jg.stack(pts))


def test_random_in_error_mode_raises():
    def loss(w, xi):
        return (jg.nn.functional.dropout(xi * w, 0.5) ** 2).sum()
    w, x = jg.ones(3), jg.ones(4, 3)
    with pytest.raises(RuntimeError, match="randomness error mode"):
        jg.func.vmap(jg.func.grad(loss), in_dims=(None, 0))(w, x)


def test_integer_batched_targets_cross_entropy():
    rng = np.random.default_rng(6)
    w, x = rng.normal(size=(3, 4)), rng.normal(size=(7, 4))
    t = rng.integers(0, 3, size=7)

    def f(mod):
        def loss(w, xi, ti):
            return mod.nn.functional.cross_entropy((xi @ w.T).unsqueeze(0), ti.unsqueeze(0))
        return loss
    g = jg.func.grad(f(jg))
    r = jg.func.vmap(g, in_dims=(None, 0, 0))(jg.tensor(w), jg.tensor(x), jg.tensor(t))
    r = jg.func.vmap(g, in_dims=(None, 0, 0))(jg.tensor(w), jg.tensor(x), jg.tensor(t))
    _same_bits(r, jg.stack([g(jg.tensor(w), jg.tensor(x)[b], jg.tensor(t)[b]) for b in range(7)]))
    tr = torch.func.vmap(torch.func.grad(f(torch)), in_dims=(None, 0, 0))(torch.tensor(w), torch.tensor(x),
                                                                          torch.tensor(t))
    _close_to_torch(r, tr, 1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shapes", [((3,), (3, 5)), ((4, 3), (3,)), ((3,), (3,)), ((2, 3), (3, 4)),
                                    ((4, 1), (1, 3)), ((1,), (1, 3)), ((3, 1), (1,)), ((1, 3), (3, 1))])
def test_matmul_records_reverse(shapes, dtype):
    """Each form of a replayed matmul's reverse (autodiff/matmul.py's single_column_backward), with
    zeros and -0.0 among the values (the products' signs of zero)."""
    sa, sb = shapes
    rng = np.random.default_rng(8)
    a = rng.normal(size=(5,) + sa).astype(dtype)
    a.reshape(5, -1)[:, 0] = -0.0
    b = rng.normal(size=sb).astype(dtype)
    b.reshape(-1)[-1] = 0.0

    def f(mod):
        def loss(b, a):
            return (mod.sin(a @ b) * 2).sum()
        return loss
    g = jg.func.grad_and_value(f(jg), argnums=(0, 1))
    vm = jg.func.vmap(g, in_dims=(None, 0))
    vm(jg.tensor(b), jg.tensor(a))
    r = vm(jg.tensor(b), jg.tensor(a))
    pts = [g(jg.tensor(b), jg.tensor(a)[i]) for i in range(5)]
    _same_bits(r, ([jg.stack([p[0][k] for p in pts]) for k in range(2)], jg.stack([p[1] for p in pts])))
    tr = torch.func.vmap(torch.func.grad_and_value(f(torch), argnums=(0, 1)), in_dims=(None, 0))(
        torch.tensor(b), torch.tensor(a))
    _close_to_torch(r, tr, 1e-5 if dtype is np.float32 else 1e-12)
