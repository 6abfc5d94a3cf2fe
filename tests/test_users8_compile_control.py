"""jitgrad.compile of functions with data-dependent control flow, in-place
writes, Python reads of values (.item(), float(), tolist()), random draws
seeded by the caller, ties in max/abs/clamp, torch.func transforms around
a compiled function, .batch() and tape files. Every call is compared with
eager jitgrad (bit for bit) and torch (within tolerance)."""
import warnings

import numpy as np
import pytest
import torch

import jitgrad as jg
from jitgrad.func import value_and_grad as jg_vg

from _users8_compile import Grad, assert_bits, assert_torch, counts, run_scenario

RNG = np.random.default_rng(808)


def test_branch_on_a_tensor_sum_both_ways_many_times():
    """if x.sum() > 0: ... else: ...; the sign alternates irregularly, one
    tape per branch kept and reused."""

    def f(lib, x, w):
        if x.sum() > 0:
            return (lib.sigmoid(x * w) * x).sum()
        return lib.relu(-x @ lib.ones(3, dtype=x.dtype)).mean() * w.sum()

    calls = [(Grad(RNG.normal(size=(4, 3)) + (0.3 if RNG.random() < 0.5 else -0.3)), Grad(RNG.normal(size=3)))
             for _ in range(20)]
    cf = run_scenario(f, calls)
    assert counts(cf)[0] == 2 and counts(cf)[2] == 0


def test_early_exit_loop_on_tensor_values():
    """A loop that stops when a running sum crosses a threshold: the trip
    count varies; every call right."""

    def f(lib, x, thr):
        acc = lib.zeros((), dtype=x.dtype)
        out = []
        for i in range(x.shape[0]):
            acc = acc + x[i] ** 2
            out.append(acc)
            if acc > thr:
                break
        return lib.stack(out), len(out)

    calls = [(Grad(RNG.normal(size=8)), 3.0) for _ in range(12)]
    run_scenario(f, calls)


def test_in_place_ops_inside_the_compiled_function():
    """x.clone() then add_, mul_, clamp_, index assignment with a mask and a
    slice; the argument itself is untouched."""

    def f(lib, x, y):
        z = x.clone()
        z.add_(y).mul_(0.5)
        z[z.abs() < 0.2] = 0.0
        z[:, 0] = z[:, 1] * 2
        z.clamp_(-1.5, 1.5)
        z += 1
        return z.exp().sum(1)

    calls = [(Grad(RNG.normal(size=(5, 3))), Grad(RNG.normal(size=(5, 3)))) for _ in range(10)]
    cf = run_scenario(f, calls)
    assert counts(cf)[2] == 0


def test_item_float_tolist_reads_inside_are_guards_not_frozen():
    """Python reads a value (item, float, tolist, int) and uses it as a
    number: each call's number is the call's own."""

    def f(lib, x):
        s = x.sum().item()
        m = float(x.max())
        first = x.tolist()[0]
        k = int((x > 0).sum())
        return x * s + m - first + k, s, k

    calls = [(Grad(np.round(RNG.normal(size=4), 1)),) for _ in range(6)]
    calls += [calls[0], calls[1]]
    cf = run_scenario(f, calls)
    assert counts(cf)[2] == 0


def test_monte_carlo_with_seeds_set_before_each_call():
    """A Monte Carlo estimate of E[f(mu + sigma z)] with reparameterised
    draws inside the compiled function; manual_seed before each call gives
    eager's (and torch's) numbers; the gradient w.r.t. mu and sigma too."""

    def mc(lib, mu, log_sigma, n):
        z = lib.randn(n, mu.shape[0], dtype=mu.dtype)
        x = mu + log_sigma.exp() * z
        u = lib.rand(n, dtype=mu.dtype)
        keep = (u > 0.1).to(mu.dtype)
        return ((x ** 2).sum(1) * keep).mean(), z.std()

    cf = jg.compile(lambda *a: mc(jg, *a))
    for i in range(10):
        mu, ls = RNG.normal(size=3), RNG.normal(size=3) * 0.1
        n = (64, 32)[i % 2]
        res = []
        for lib, fn in ((jg, lambda *a: mc(jg, *a)), (jg, cf), (torch, lambda *a: mc(torch, *a))):
            lib.manual_seed(1000 + i)
            a, b = lib.tensor(mu, requires_grad=True), lib.tensor(ls, requires_grad=True)
            out = fn(a, b, n)
            out[0].backward()
            res.append((out, a.grad, b.grad, lib.rand(2, dtype=lib.float64)))
        assert_bits(res[0], res[1], f"call {i}")
        assert_torch(res[0], res[2], f"call {i}", tol=1e-9)
    assert counts(cf) == (2, 8, 0)


def test_dropout_in_a_compiled_function_with_train_flag_argument():
    def f(lib, x, w, training):
        h = lib.nn.functional.dropout(lib.tanh(x @ w), p=0.25, training=training)
        return lib.nn.functional.layer_norm(h, (h.shape[-1],)).sum(0)

    cf = jg.compile(lambda *a: f(jg, *a))
    for i in range(8):
        x, w = RNG.normal(size=(6, 4)), RNG.normal(size=(4, 5))
        res = []
        for lib, fn in ((jg, lambda *a: f(jg, *a)), (jg, cf), (torch, lambda *a: f(torch, *a))):
            lib.manual_seed(7 * i)
            a, b = lib.tensor(x), lib.tensor(w, requires_grad=True)
            out = fn(a, b, i % 3 != 0)
            (out * lib.arange(5, dtype=out.dtype)).sum().backward()
            res.append((out, b.grad))
        assert_bits(res[0], res[1], f"call {i}")
        assert_torch(res[0], res[2], f"call {i}", tol=1e-9)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_losses_and_normalisations_with_ties_and_clamps(dtype):
    """softmax / logsumexp / cross_entropy / layer_norm / clamp / abs / max
    with inputs built to tie (repeated values, zeros for abs, values on the
    clamp bounds)."""

    def f(lib, x, y):
        F = lib.nn.functional
        ce = F.cross_entropy(x, y)
        ln = F.layer_norm(x, (x.shape[1],))
        c = x.clamp(-0.5, 0.5).abs().sum()
        mx = x.max()
        rowmax = x.max(1).values.sum()
        return ce, ln, c, mx, rowmax, lib.logsumexp(x, 1), lib.softmax(x, 0)

    base = np.array([[0.5, 0.5, -0.5, 0.0], [1.0, 1.0, 0.0, -0.0], [2.0, -2.0, 2.0, 0.25]])
    calls = []
    for i in range(10):
        x = base.copy()
        x[i % 3] = np.roll(x[i % 3], i)
        if i % 4 == 3:
            x = x + RNG.normal(size=x.shape)
        calls.append((Grad(x.astype(dtype)), RNG.integers(0, 4, size=3)))
    run_scenario(f, calls, tol=1e-5)


def test_func_grad_and_vmap_around_a_compiled_function():
    """jitgrad.func.grad / vmap of a compiled function, and compile of a
    function calling func.grad and vmap."""

    def g(lib, x):
        return (lib.sin(x) * x).sum()

    cg = jg.compile(lambda x: g(jg, x))
    for i in range(5):
        x = RNG.normal(size=4)
        a = jg.func.grad(cg)(jg.tensor(x))
        b = jg.func.grad(lambda x: g(jg, x))(jg.tensor(x))
        t = torch.func.grad(lambda x: g(torch, x))(torch.tensor(x))
        assert_bits(b, a)
        assert_torch(a, t)
        X = RNG.normal(size=(3, 4))
        va = jg.func.vmap(cg)(jg.tensor(X))
        vb = jg.func.vmap(lambda x: g(jg, x))(jg.tensor(X))
        vt = torch.func.vmap(lambda x: g(torch, x))(torch.tensor(X))
        assert_bits(vb, va)
        assert_torch(va, vt)

    def per_example_grads(lib, X, w):
        return lib.func.vmap(lib.func.grad(lambda x, w: (lib.tanh(x @ w) ** 2).sum(), argnums=1),
                             in_dims=(0, None))(X, w)

    # func.grad's backward inside the recording sweeps the recording tape
    # (vmap's slices of X are on it): the signature runs eagerly, with a
    # warning (a guard read after that sweep raised BufferError).
    cf = jg.compile(lambda X, w: per_example_grads(jg, X, w))
    for i in range(6):
        X, w = RNG.normal(size=(5, 3)), RNG.normal(size=3)
        e = per_example_grads(jg, jg.tensor(X), jg.tensor(w))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            c = cf(jg.tensor(X), jg.tensor(w))
        assert not caught or "spans several tapes" in str(caught[0].message)
        t = per_example_grads(torch, torch.tensor(X), torch.tensor(w))
        assert_bits(e, c, f"call {i}")
        assert_torch(e, t, f"call {i}")


def test_batch_of_compiled_value_and_grad_over_many_points():
    """compile(value_and_grad(f)).batch(X) over a batch of points equals
    calling it point by point (and torch's vmap of grad)."""

    def f(x, a):
        return (jg.log1p(x ** 2) * a).sum() + (x[0] - x[1]) ** 2

    cvg = jg.compile(jg_vg(f))
    A = jg.tensor([1.0, 2.0, 0.5], dtype=jg.float64)
    for round_ in range(3):
        X = RNG.normal(size=(17, 3))
        vals, grads = cvg.batch(jg.tensor(X), A.expand(17, 3))
        for i in range(17):
            v, g = jg_vg(f)(jg.tensor(X[i]), A)
            assert_bits((v, g), (vals[i], grads[i]), f"point {i}")
        tf = lambda x, a: (torch.log1p(x ** 2) * a).sum() + (x[0] - x[1]) ** 2
        tg = torch.func.vmap(torch.func.grad(tf), in_dims=(0, None))(torch.tensor(X), torch.tensor(A.numpy()))
        assert_torch(grads, tg)


def test_saved_tape_replays_as_the_original(tmp_path):
    """A compiled function's tape saved and loaded: the loaded tape's replay
    equals the compiled function's and eager jitgrad's on new inputs."""

    def f(x, w):
        h = jg.tanh(x @ w)
        return (h * h).mean() + jg.nn.functional.softplus(w).sum()

    cf = jg.compile(f)
    x0, w0 = jg.tensor(RNG.normal(size=(4, 3))), jg.tensor(RNG.normal(size=(3, 2)), requires_grad=True)
    cf(x0, w0)
    path = tmp_path / "tape.npz"
    cf.tape_for(x0, w0).save(str(path))
    loaded = jg.load_tape(str(path))
    for i in range(6):
        x, w = RNG.normal(size=(4, 3)), RNG.normal(size=(3, 2))
        wl, wc, we = (jg.tensor(w, requires_grad=True) for _ in range(3))
        out_l = loaded(jg.tensor(x), wl)
        out_c = cf(jg.tensor(x), wc)
        out_e = f(jg.tensor(x), we)
        assert_bits(out_e, out_l, f"loaded {i}")
        assert_bits(out_e, out_c, f"compiled {i}")
        for o, w_ in ((out_e, we), (out_l, wl), (out_c, wc)):
            o.backward()
        assert_bits(we.grad, wl.grad)
        assert_bits(we.grad, wc.grad)


def test_compiled_function_with_global_config_changed_between_calls():
    """A global dict of hyperparameters and a global tensor mutated in place
    between calls: every call sees the current values."""
    cfg = {"alpha": 0.1, "mode": "l2"}
    scale = {jg: jg.tensor([1.0, 2.0, 3.0], dtype=jg.float64), torch: torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)}

    def f(lib, x):
        r = x * scale[lib]
        pen = (r ** 2).sum() if cfg["mode"] == "l2" else r.abs().sum()
        return r.sum() + cfg["alpha"] * pen

    cf = jg.compile(lambda x: f(jg, x))
    for i in range(12):
        cfg["alpha"] = 0.1 * (1 + i % 3)
        cfg["mode"] = "l1" if i % 4 == 1 else "l2"
        if i % 5 == 2:
            with jg.no_grad():
                scale[jg].mul_(1.5)
            scale[torch].mul_(1.5)
        x = RNG.normal(size=3)
        xe, xc, xt = jg.tensor(x, requires_grad=True), jg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        e, c, t = f(jg, xe), cf(xc), f(torch, xt)
        assert_bits(e, c, f"call {i}")
        assert_torch(e, t, f"call {i}")
        e.backward(), c.backward(), t.backward()
        assert_bits(xe.grad, xc.grad)


def test_arguments_of_one_shape_in_different_memory_orders():
    """A compiled function called with a square matrix, its transpose view,
    a permuted and an expanded view in turn: eager jitgrad sums (as torch)
    in memory order, so each layout has its own tape (a tape recorded for x
    replayed x.T's sum in x's order: an ulp off, 9 of 30 calls)."""

    def f(lib, x, w):
        return x.sum(0), x.sum(), (x * 2).exp().sum(1), x.mean(1), x.var(0), x.norm(), x @ w, (w @ x).sum()

    views = [lambda t: t, lambda t: t.T, lambda t: t.permute(1, 0).contiguous(), lambda t: t[:1].expand(9, 9)]
    cf = jg.compile(lambda x, w: f(jg, x, w))
    for i in range(12):
        a = RNG.normal(size=(9, 9)) * 10.0 ** RNG.integers(-8, 8, size=(9, 9))
        w = RNG.normal(size=(9, 9))
        for k, view in enumerate(views):
            res = []
            for lib, fn in ((jg, lambda *a: f(jg, *a)), (jg, cf), (torch, lambda *a: f(torch, *a))):
                x = lib.tensor(a, requires_grad=True)
                wv = view(lib.tensor(w, requires_grad=True))
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")     # (a strided sum: that signature runs eagerly)
                    out = fn(view(x), wv)
                sum((o * o).sum() for o in out).backward()
                res.append((out, x.grad))
            assert_bits(res[0], res[1], f"call {i} view {k}")
            assert_torch(res[0], res[2], f"call {i} view {k}", tol=1e-6)
    assert len(cf.tapes) <= 4


def test_outputs_that_alias_stay_aliased():
    """The same tensor returned twice (a loss next to a dict holding it) is
    one tensor at replay too, and an output that is a view of an argument
    or of another output runs eagerly with a warning: an in-place write
    through one output shows in the other as in eager jitgrad and torch
    (before: independent copies, the write lost)."""

    def dup(lib, x):
        y = (x * 2).tanh()
        return y, {"y": y, "n": 2}, [y]

    def views(lib, x):
        y = x * 2
        return y, y[0], x[1]

    for body, eager in ((dup, False), (views, True)):
        cf = jg.compile(lambda x, body=body: body(jg, x))
        tf = torch.compile(lambda x, body=body: body(torch, x), backend="eager")
        for i in range(4):
            a = RNG.normal(size=(2, 3))
            xe, xc, xt = jg.tensor(a), jg.tensor(a), torch.tensor(a)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                e, c, t = body(jg, xe), cf(xc), tf(xt)
            assert bool(caught) == (eager and i == 0), [str(w.message) for w in caught]
            assert_bits(e, c, f"call {i}")
            for out, lib in ((e, jg), (c, jg), (t, torch)):
                out[0].mul_(10)         # through the first output
                if body is views:
                    out[2].add_(1)      # through the view of the argument
            assert_bits(e, c, f"call {i} after in-place writes")
            assert_bits(xe, xc, f"call {i} argument")
            assert_torch(c, t, f"call {i} torch")
            assert_torch(xc, xt, f"call {i} torch argument")


def _vec(lib, x):
    return lib.stack([x[0] * x[1], lib.exp(x[2]) * x[0], (x ** 2).sum()])


@pytest.mark.parametrize("transform", ["jacrev", "jacfwd", "hessian"])
def test_compiled_jacobians_and_hessians(transform):
    """jitgrad.compile(func.jacrev / jacfwd / hessian(f)) per call equals the
    eager transform (bits; jacfwd's tangent sweeps run eagerly, with a
    warning) and torch.func's."""
    def fn(lib, x):
        return (lib.sin(x) * x ** 2).sum() if transform == "hessian" else _vec(lib, x)

    cj = jg.compile(getattr(jg.func, transform)(lambda x: fn(jg, x)))
    for i in range(4):
        x = RNG.normal(size=3)
        e = getattr(jg.func, transform)(lambda x: fn(jg, x))(jg.tensor(x))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            c = cj(jg.tensor(x))
        t = getattr(torch.func, transform)(lambda x: fn(torch, x))(torch.tensor(x))
        assert_bits(e, c, f"call {i}")
        assert_torch(e, t, f"call {i}")


def test_compiled_grad_of_functional_call_and_value_and_grad_with_aux():
    """compile(func.grad) of a loss through func.functional_call with a
    parameter dict argument scaled every call; compile(value_and_grad(...,
    has_aux=True)) returning a dict of tensors."""
    m = jg.nn.Linear(3, 2).double()
    tm = torch.nn.Linear(3, 2).double()
    with torch.no_grad():
        tm.weight.copy_(torch.tensor(m.weight.detach().numpy()))
        tm.bias.copy_(torch.tensor(m.bias.detach().numpy()))

    def loss(lib, mod, params, x):
        return (lib.func.functional_call(mod, params, (x,)) ** 2).sum()

    cg = jg.compile(jg.func.grad(lambda p, x: loss(jg, m, p, x)))
    for i in range(5):
        p = {k: v.detach() * (1 + 0.1 * i) for k, v in m.named_parameters()}
        x = RNG.normal(size=(4, 3))
        e = jg.func.grad(lambda p, x: loss(jg, m, p, x))(p, jg.tensor(x))
        c = cg(p, jg.tensor(x))
        t = torch.func.grad(lambda p, x: loss(torch, tm, p, x))({k: torch.tensor(v.numpy()) for k, v in p.items()},
                                                               torch.tensor(x))
        assert_bits(e, c, f"call {i}")
        assert_torch(e, t, f"call {i}")
    assert counts(cg) == (1, 4, 0)

    def f(lib, x, w):
        h = (x @ w).tanh()
        return (h ** 2).sum(), {"h": h, "s": h.sum(0)}

    cvg = jg.compile(jg.func.value_and_grad(lambda x, w: f(jg, x, w), argnums=1, has_aux=True))
    for i in range(5):
        x, w = RNG.normal(size=(3, 2)), RNG.normal(size=(2, 2))
        e = jg.func.value_and_grad(lambda x, w: f(jg, x, w), argnums=1, has_aux=True)(jg.tensor(x), jg.tensor(w))
        c = cvg(jg.tensor(x), jg.tensor(w))
        (tg, (tv, taux)) = torch.func.grad_and_value(lambda x, w: f(torch, x, w), argnums=1, has_aux=True)(
            torch.tensor(x), torch.tensor(w))
        assert_bits(e, c, f"call {i}")
        assert_torch(e, ((tv, taux), tg), f"call {i}")
    assert counts(cvg) == (1, 4, 0)


def test_batch_of_picks_and_softmax_runs_point_by_point_as_eager():
    """.batch() of a compiled function and of compiled value_and_grad whose
    tape has picks (logsumexp / softmax shift, max(dim)): every point
    equals the eager call."""

    def f(x, w):
        return jg.logsumexp(x * w, 0) + jg.softmax(x, 0)[0] + x.max(0).values

    cf, cvg = jg.compile(f), jg.compile(jg_vg(f))
    X, Wb = RNG.normal(size=(30, 4)), RNG.normal(size=(30, 4))
    X[3, :2] = X[3, 2]      # ties
    out = cf.batch(jg.tensor(X), jg.tensor(Wb))
    v, g = cvg.batch(jg.tensor(X), jg.tensor(Wb))
    for i in range(30):
        assert_bits(f(jg.tensor(X[i]), jg.tensor(Wb[i])), out[i], f"point {i}")
        assert_bits(jg_vg(f)(jg.tensor(X[i]), jg.tensor(Wb[i])), (v[i], g[i]), f"point {i}")
    assert counts(cf)[0] == 1 and counts(cvg)[0] == 1


SCATTERS = {
    "view_in_place": lambda L, x, i: (lambda z: (z[:, 0].mul_(2), z.T[1].add_(z[0, 0]), z)[-1])(x * 1),
    "index_add": lambda L, x, i: L.zeros(3, 4, dtype=x.dtype).index_add_(0, i, x[:i.shape[0]]),
    "scatter_add": lambda L, x, i: L.zeros(3, 4, dtype=x.dtype).scatter_add(0, i[:, None].expand(-1, 4), x[:4]),
    "index_put_accumulate": lambda L, x, i: (lambda z: (z.index_put_((i,), x[:4], accumulate=True), z)[-1])(x[:3] * 1),
    "mask_index": lambda L, x, i: x[x > 0].sum() + x[x.sum(1) > 0].pow(2).sum(),
    "nonzero": lambda L, x, i: x.flatten()[L.nonzero(x.flatten() > 0).squeeze(1)].sum(),
    "gather_argsort": lambda L, x, i: x.gather(1, L.argsort(x, 1)[:, :2]).sum(1),
    "flip_cumsum_cumprod": lambda L, x, i: L.flip(x, [1]).cumsum(1).cumprod(0),
    "setitem_mask": lambda L, x, i: (lambda z: (z.__setitem__(z < 0, 0.5), z * x)[-1])(x.clone()),
    "masked_scatter": lambda L, x, i: x.masked_scatter(x > 0, x * 10),
    "clamp_tensor_bounds": lambda L, x, i: L.clamp(x, min=x.mean(0), max=x.max(0).values),
    "topk_sort": lambda L, x, i: L.topk(x, 2, dim=1).values.sum() + L.sort(x.flatten(), descending=True).values[:3].sum(),
}


@pytest.mark.parametrize("name", sorted(SCATTERS))
def test_in_place_scatters_and_data_dependent_indexing(name):
    """In-place writes through views, index_add_ / scatter_add / index_put_
    with a fixed int64 index argument, boolean-mask and nonzero indexing,
    argsort-driven gathers, tensor clamp bounds: every call (rows tied in one)
    equals eager jitgrad and torch; recordings only where the contract guards."""
    f = SCATTERS[name]
    cf = jg.compile(lambda x, i: f(jg, x, i))
    index = np.array([2, 0, 1, 0])
    for k in range(6):
        X = RNG.normal(size=(5, 4))
        if k == 4:
            X[1] = X[0]
        res = []
        for L, fn in ((jg, lambda x, i: f(jg, x, i)), (jg, cf), (torch, lambda x, i: f(torch, x, i))):
            xx = L.tensor(X, requires_grad=True)
            o = fn(xx, L.tensor(index))
            (o * o).sum().backward()
            res.append((o, xx.grad))
        assert_bits(res[0], res[1], f"call {k}")
        assert_torch(res[0], res[2], f"call {k}")
    if name in ("view_in_place", "index_add", "scatter_add", "index_put_accumulate", "flip_cumsum_cumprod", "topk_sort"):
        assert counts(cf) == (1, 5, 0)


def test_arguments_as_lists_and_dicts_of_changing_structure():
    """A list of inputs of varying length, a parameter dict whose layer list
    grows and shrinks and gains an optional entry, an options dict with a
    float that changes: a signature per structure, each call as eager
    jitgrad and torch, the int and the dict returned too."""

    def f(lib, xs, params, opts):
        h = xs[0]
        for w in params["ws"]:
            h = lib.tanh(h @ w)
        out = {"h": h, "n": len(xs)}
        if "extra" in params:
            out["e"] = (params["extra"] * h.sum()).sum()
        for x in xs[1:]:
            h = h + x.sum() * opts.get("scale", 1.0)
        out["final"] = h
        return out

    calls = []
    for i in range(12):
        xs = [Grad(RNG.normal(size=(2, 3))) for _ in range(1 + i % 3)]
        params = {"ws": [Grad(RNG.normal(size=(3, 3))) for _ in range(1 + i % 2)]}
        if i % 4 == 0:
            params["extra"] = Grad(RNG.normal(size=2))
        calls.append((xs, params, {"scale": 0.5 * i} if i % 2 else {}))
    cf = run_scenario(f, calls)
    assert counts(cf)[2] == 0 and len(cf.tapes) <= 64
