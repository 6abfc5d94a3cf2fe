"""jitgrad.compile the way users write it: optimizer loops with a compiled
loss, samplers, physics in a loop, per-sample gradients by func transforms
under compile, closures over parameters an optimizer updates in place,
changing batch sizes, numbers read for logging, int arguments. Each
scenario runs three times -- jitgrad compiled, jitgrad eager, torch -- and
every recorded value must be the same bits compiled and eagerly, and close
to torch's."""
import warnings

import numpy as np
import pytest
import torch

import jitgrad as jg


def _arr(v):
    if isinstance(v, (jg.Tensor, torch.Tensor)):
        return np.array(v.detach().numpy())       # (a copy: torch's numpy() shares the memory)
    return np.array(v)


def run(make, steps, rtol=1e-5, atol=1e-6):
    """make(lib, compile) -> step(k) returning a list of values; compares
    the three runs step by step. Returns the compiled run's compiled
    functions (make may return (step, [compiled functions]))."""
    runs, fns = {}, []
    for name, lib, comp in (("compiled", jg, jg.compile), ("eager", jg, lambda f, **kw: f), ("torch", torch, None)):
        lib.manual_seed(0)
        made = make(lib, comp if comp is not None else (lambda f, **kw: f))
        step, compiled = made if isinstance(made, tuple) else (made, [])
        if name == "compiled":
            fns = compiled
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            runs[name] = [[_arr(v) for v in step(k)] for k in range(steps)]
    for k, (c, e, t) in enumerate(zip(runs["compiled"], runs["eager"], runs["torch"])):
        for i, (a, b, r) in enumerate(zip(c, e, t)):
            assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes(), (k, i, a, b)
            np.testing.assert_allclose(a, r, rtol=rtol, atol=atol, err_msg=f"step {k} value {i}")
    return fns


def data(k, shape, dtype=np.float32):
    return np.random.default_rng(1000 + k).standard_normal(shape).astype(dtype)


def mlp(lib, sizes=(3, 16, 1)):
    lib.manual_seed(0)
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [lib.nn.Linear(a, b), lib.nn.Tanh()]
    return lib.nn.Sequential(*layers[:-1])


def copy_params(src, dst):
    with torch.no_grad():
        for p, q in zip(src.parameters(), dst.parameters()):
            q.copy_(torch.tensor(p.detach().numpy()))


_JG_MODELS = {}


def model_for(lib, key, build):
    """The same initial weights for jitgrad and torch (torch's copied from jitgrad's)."""
    m = build(lib)
    if lib is jg:
        _JG_MODELS[key] = m
    else:
        ref = build(jg)
        copy_params(ref, m)
    return m


@pytest.mark.parametrize("opt", ["SGD", "Adam"])
def test_optimizer_loop_changing_batch_sizes(opt):
    def make(lib, comp):
        m = model_for(lib, "a", mlp)
        o = getattr(lib.optim, opt)(m.parameters(), lr=0.05)

        def loss_fn(x, y):
            return lib.nn.functional.mse_loss(m(x).squeeze(-1), y)
        loss = comp(loss_fn)

        def step(k):
            n = (4, 7, 4, 9, 7)[k % 5]
            x, y = lib.tensor(data(k, (n, 3))), lib.tensor(data(k + 50, (n,)))
            o.zero_grad()
            v = loss(x, y)
            v.backward()
            o.step()
            return [v, m[0].weight, m[2].bias]
        return step, [loss]
    fns = run(make, 10)
    assert fns[0].records <= 3 and fns[0].replays >= 7


def test_returned_item_for_logging_in_a_training_loop():
    def make(lib, comp):
        m = model_for(lib, "b", mlp)
        o = lib.optim.Adam(m.parameters(), lr=0.01)

        def train_step(x, y):
            out = m(x).squeeze(-1)
            loss = ((out - y) ** 2).mean()
            acc = ((out > 0) == (y > 0)).float().mean()
            return loss, {"loss": loss.item(), "acc": acc.item()}
        f = comp(train_step)

        def step(k):
            x, y = lib.tensor(data(k, (8, 3))), lib.tensor(data(k + 9, (8,)))
            o.zero_grad()
            loss, logs = f(x, y)
            loss.backward()
            o.step()
            return [loss, logs["loss"], logs["acc"], m[0].weight]
        return step, [f]
    fns = run(make, 8)
    assert fns[0].records == 1


def test_langevin_sampler_with_fresh_noise():
    def make(lib, comp):
        def energy(x):
            return 0.5 * (x ** 2).sum(-1) + 0.25 * (x ** 4).sum(-1)

        def drift(x):
            x = x.detach().requires_grad_(True)
            e = energy(x).sum()
            g, = lib.autograd.grad(e, x)
            return g
        noise = comp(lambda x, eps: x + (2 * eps) ** 0.5 * lib.randn(x.shape, dtype=x.dtype))
        x = lib.zeros(5, 2, dtype=lib.float64)

        def step(k):
            nonlocal x
            eps = 0.01 * (1 + k % 3)
            x = noise(x - eps * drift(x), eps)
            return [x]
        return step, [noise]
    run(make, 12, rtol=1e-12, atol=1e-12)


def test_spring_chain_physics_loop():
    def make(lib, comp):
        k_spring = lib.tensor([1.0, 2.0, 1.5, 0.5], dtype=lib.float64, requires_grad=True)

        def accel(x):
            d = x[1:] - x[:-1] - 1.0
            f = k_spring[: d.shape[0]] * d
            a = lib.zeros_like(x)
            a = a + lib.cat([f, f.new_zeros(1)]) - lib.cat([f.new_zeros(1), f])
            return a

        def leapfrog(x, v, dt):
            v = v + 0.5 * dt * accel(x)
            x = x + dt * v
            v = v + 0.5 * dt * accel(x)
            return x, v
        stepper = comp(leapfrog)

        def step(k):
            x = lib.tensor([0.0, 1.1, 2.0, 3.2, 4.1], dtype=lib.float64)
            v = lib.zeros(5, dtype=lib.float64)
            for i in range(15):
                x, v = stepper(x, v, 0.05)
            energy = (v ** 2).sum() + (x[-1] - x[0]) ** 2
            g, = lib.autograd.grad(energy, k_spring)
            return [x, v, g]
        return step, [stepper]
    fns = run(make, 2, rtol=1e-10, atol=1e-12)
    assert fns[0].replays > 20


def test_per_sample_gradients_with_vmap_under_compile():
    def make(lib, comp):
        w = lib.tensor(data(0, (3,), np.float64))

        def loss(w, x, y):
            return (lib.tanh(x @ w) - y) ** 2
        if lib is torch:
            per_sample = torch.func.vmap(torch.func.grad(loss), in_dims=(None, 0, 0))
        else:
            per_sample = jg.func.vmap(jg.func.grad(loss), in_dims=(None, 0, 0))
        f = comp(per_sample)

        def step(k):
            x, y = lib.tensor(data(k, (6, 3), np.float64)), lib.tensor(data(k + 3, (6,), np.float64))
            return [f(w, x, y)]
        return step, [f]
    run(make, 4, rtol=1e-12, atol=1e-14)


def test_closure_over_parameters_updated_in_place_by_an_optimizer():
    def make(lib, comp):
        w = lib.tensor(data(1, (3,), np.float64), requires_grad=True)
        b = lib.tensor(0.1, dtype=lib.float64, requires_grad=True)
        o = lib.optim.SGD([w, b], lr=0.1, momentum=0.5)

        def loss(x, y):
            return lib.nn.functional.softplus(-(x @ w + b) * y).mean()
        f = comp(loss)

        def step(k):
            x = lib.tensor(data(k, (5, 3), np.float64))
            y = lib.tensor(np.sign(data(k + 1, (5,), np.float64)))
            o.zero_grad()
            v = f(x, y)
            v.backward()
            o.step()
            return [v, w, b]
        return step, [f]
    fns = run(make, 10, rtol=1e-12, atol=1e-14)
    assert fns[0].records == 1


def test_global_tensor_rebound_every_step():
    state = {}

    def make(lib, comp):
        state[lib] = lib.tensor([1.0, 2.0], dtype=lib.float64)

        def f(x):
            return (x * state[lib]).sum()
        g = comp(f)

        def step(k):
            if k % 2:
                state[lib] = state[lib] * 1.5
            return [g(lib.tensor([0.5, -1.0 + k], dtype=lib.float64))]
        return step, [g]
    run(make, 6, rtol=1e-14, atol=0)


def test_monte_carlo_estimator_with_int_sample_count():
    def make(lib, comp):
        def estimate(mu, n):
            z = lib.randn(n, dtype=lib.float64)
            return ((mu + z) ** 2).mean() * n / (n + 1)
        f = comp(estimate)

        def step(k):
            mu = lib.tensor(0.3 * k, dtype=lib.float64, requires_grad=True)
            v = f(mu, (16, 32, 16, 8)[k % 4])
            g, = lib.autograd.grad(v, mu)
            return [v, g]
        return step, [f]
    run(make, 8, rtol=1e-12, atol=1e-14)


def test_int_scale_argument_is_one_tape():
    def make(lib, comp):
        def f(x, k):
            return (x * k).sin().sum() / k
        g = comp(f)

        def step(k):
            x = lib.tensor(data(k, (4,), np.float64), requires_grad=True)
            v = g(x, k + 1)
            gx, = lib.autograd.grad(v, x)
            return [v, gx]
        return step, [g]
    fns = run(make, 8, rtol=1e-12, atol=1e-14)
    assert fns[0].records == 3


def test_rnn_over_sequences_of_changing_length():
    def make(lib, comp):
        lib.manual_seed(0)
        cell = model_for(lib, "rnn", lambda L: (L.manual_seed(0), L.nn.RNNCell(2, 4))[1])

        def run_seq(xs):
            h = lib.zeros(xs.shape[1], 4)
            for t in range(xs.shape[0]):
                h = cell(xs[t], h)
            return h.pow(2).sum()
        f = comp(run_seq)

        def step(k):
            xs = lib.tensor(data(k, ((3, 5, 3, 4)[k % 4], 2, 2)))
            v = f(xs)
            v.backward()
            g = cell.weight_hh.grad.clone()
            cell.zero_grad()
            return [v, g]
        return step, [f]
    run(make, 6)


def test_dropout_training_then_eval():
    def make(lib, comp):
        m = model_for(lib, "drop", lambda L: L.nn.Sequential(L.nn.Linear(3, 8), L.nn.Dropout(0.3), L.nn.Linear(8, 1)))
        f = comp(lambda x: m(x).sum())

        def step(k):
            m.train(k < 3)
            return [f(lib.tensor(data(k, (4, 3))))]
        return step, [f]
    # (torch's dropout masks differ: jitgrad draws torch's stream for plain draws, compare compiled vs eager only)
    runs = {}
    for name, comp in (("compiled", jg.compile), ("eager", lambda f: f)):
        jg.manual_seed(0)
        step, _ = make(jg, comp)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            runs[name] = [_arr(step(k)[0]) for k in range(6)]
    assert all(a.tobytes() == b.tobytes() for a, b in zip(runs["compiled"], runs["eager"]))


def test_masked_mean_and_huber_regression():
    def make(lib, comp):
        w = lib.tensor([0.5, -0.5, 1.0], dtype=lib.float64, requires_grad=True)
        o = lib.optim.Adam([w], lr=0.05)

        def loss(x, y):
            r = x @ w - y
            mask = y.abs() < 1.5
            h = lib.where(r.abs() < 1.0, 0.5 * r ** 2, r.abs() - 0.5)
            return (h * mask).sum() / mask.sum().clamp(min=1)
        f = comp(loss)

        def step(k):
            x, y = lib.tensor(data(k, (7, 3), np.float64)), lib.tensor(2 * data(k + 1, (7,), np.float64))
            o.zero_grad()
            v = f(x, y)
            v.backward()
            o.step()
            return [v, w]
        return step, [f]
    run(make, 8, rtol=1e-10, atol=1e-12)


def test_value_and_grad_descent_with_a_decaying_learning_rate():
    def make(lib, comp):
        def rosen(p):
            return ((1 - p[:-1]) ** 2 + 100 * (p[1:] - p[:-1] ** 2) ** 2).sum()
        if lib is torch:
            vg = torch.func.grad_and_value(rosen)
            f = lambda p: vg(p)[::-1]     # noqa: E731
        else:
            f = comp(jg.func.value_and_grad(rosen))
        p = lib.tensor([-1.0, 1.5, 0.5, 0.2], dtype=lib.float64)

        def step(k):
            nonlocal p
            v, g = f(p)
            p = p - 1e-3 / (1 + 0.1 * k) * g
            return [v, g, p]
        return step, [f]
    run(make, 10, rtol=1e-12, atol=1e-12)


def test_same_tensor_twice_and_views():
    def make(lib, comp):
        f = comp(lambda a, b: (a * b.T).sum() + a.trace())

        def step(k):
            x = lib.tensor(data(k, (3, 3), np.float64), requires_grad=True)
            v = f(x, x) + f(x, x.T.contiguous())
            g, = lib.autograd.grad(v, x)
            return [v, g]
        return step, [f]
    run(make, 4, rtol=1e-12, atol=1e-14)


def test_in_place_ops_on_intermediates():
    def make(lib, comp):
        def f(x):
            y = x.clone()
            y.mul_(2).add_(1)
            y[0] = x[0] * x[1]
            y.exp_()
            return y.sum()
        g = comp(f)

        def step(k):
            x = lib.tensor(data(k, (3,), np.float64), requires_grad=True)
            v = g(x)
            gx, = lib.autograd.grad(v, x)
            return [v, gx]
        return step, [g]
    run(make, 4, rtol=1e-12, atol=1e-14)


def test_gaussian_log_likelihood_with_distributions():
    def make(lib, comp):
        mu = lib.tensor([0.1, -0.2], dtype=lib.float64, requires_grad=True)
        log_s = lib.tensor([0.0, 0.3], dtype=lib.float64, requires_grad=True)
        o = lib.optim.Adam([mu, log_s], lr=0.1)

        def nll(x):
            return -lib.distributions.Normal(mu, log_s.exp()).log_prob(x).sum(-1).mean()
        f = comp(nll)

        def step(k):
            o.zero_grad()
            v = f(lib.tensor(data(k, (6, 2), np.float64) + 1.0))
            v.backward()
            o.step()
            return [v, mu, log_s]
        return step, [f]
    run(make, 8, rtol=1e-12, atol=1e-12)


def test_classifier_with_changing_labels_and_batch():
    def make(lib, comp):
        m = model_for(lib, "cls", lambda L: mlp(L, (3, 8, 4)))
        o = lib.optim.SGD(m.parameters(), lr=0.1)
        f = comp(lambda x, y: lib.nn.functional.cross_entropy(m(x), y))

        def step(k):
            n = (5, 6)[k % 2]
            x = lib.tensor(data(k, (n, 3)))
            y = lib.tensor(np.random.default_rng(k).integers(0, 4, n))
            o.zero_grad()
            v = f(x, y)
            v.backward()
            o.step()
            return [v, m[0].weight]
        return step, [f]
    run(make, 6)


def test_gradient_clipping_after_a_compiled_loss():
    def make(lib, comp):
        m = model_for(lib, "clip", mlp)
        o = lib.optim.SGD(m.parameters(), lr=0.5)
        f = comp(lambda x: (m(x) ** 4).mean())

        def step(k):
            o.zero_grad()
            v = f(lib.tensor(3 * data(k, (6, 3))))
            v.backward()
            n = lib.nn.utils.clip_grad_norm_(m.parameters(), 0.5)
            o.step()
            return [v, n, m[0].weight]
        return step, [f]
    run(make, 6, rtol=2e-5, atol=1e-6)


def test_module_compile_in_place_and_eval_mode():
    def make(lib, comp):
        m = model_for(lib, "modc", mlp)
        if comp is jg.compile:
            m.compile()

        def step(k):
            m.train(k % 2 == 0)
            x = lib.tensor(data(k, ((2, 5)[k % 2], 3)), requires_grad=True)
            v = m(x).sum()
            g, = lib.autograd.grad(v, x)
            return [v, g]
        return step
    run(make, 6)


def test_kwargs_defaults_and_float_hyperparameters():
    def make(lib, comp):
        def loss(x, *, weight=1.0, reduction="mean", eps=1e-6):
            v = (x.abs() + eps).log() * weight
            return v.mean() if reduction == "mean" else v.sum()
        f = comp(loss)

        def step(k):
            x = lib.tensor(data(k, (5,), np.float64))
            return [f(x), f(x, weight=0.5 * k), f(x, reduction="sum", eps=1e-3 * (k + 1))]
        return step, [f]
    run(make, 5, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("train", [True, False])
def test_batchnorm_training_and_eval_under_compile(train):
    # Training mode runs eagerly (running statistics written under no_grad), eval replays: both right.
    def make(lib, comp):
        m = model_for(lib, "bn", lambda L: (L.manual_seed(0), L.nn.Sequential(L.nn.Linear(3, 4), L.nn.BatchNorm1d(4),
                                                                            L.nn.Tanh()))[1])
        m.train(train)
        o = lib.optim.SGD(m.parameters(), lr=0.1)
        f = comp(lambda x: m(x).pow(2).sum())

        def step(k):
            o.zero_grad()
            v = f(lib.tensor(data(k, ((5, 7)[k % 2], 3))))
            v.backward()
            o.step()
            return [v, m[1].running_mean, m[1].running_var, m[0].weight, m[1].bias]
        return step, [f]
    fns = run(make, 6, rtol=1e-4, atol=1e-5)
    assert (fns[0].replays == 0) == train


def test_gradient_penalty_with_inner_autograd_grad():
    def make(lib, comp):
        w = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)

        def penalty(x):
            y = (x * w).sin().sum()
            g, = lib.autograd.grad(y, x, create_graph=True)
            return (g.norm() - 1) ** 2
        f = comp(penalty)

        def step(k):
            x = lib.tensor(data(k, (3,), np.float64), requires_grad=True)
            v = f(x)
            gw, = lib.autograd.grad(v, w)
            return [v, gw]
        return step, [f]
    run(make, 4, rtol=1e-12, atol=1e-14)


def test_max_min_without_dim_with_ties():
    def make(lib, comp):
        f = comp(lambda x: x.max() * 2 + x.min() - x.amax() + x.abs().max())

        def step(k):
            x = lib.tensor(np.round(data(k, (5,), np.float64)), requires_grad=True)
            v = f(x)
            g, = lib.autograd.grad(v, x)
            return [v, g]
        return step, [f]
    run(make, 10, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_add_and_sub_with_alpha_are_never_frozen(dtype):
    # torch rounds x + alpha * y once; eager mode fixes up its two-rounding value by
    # a constant of the call's values, which a replay kept (216 of 300 calls an ulp
    # off): such a call now runs eagerly.
    def make(lib, comp):
        f = comp(lambda x, y: x.add(y.cos(), alpha=3.0) + lib.sub(y, x.sin(), alpha=0.3))

        def step(k):
            x = lib.tensor(data(k, (6,), dtype), requires_grad=True)
            y = lib.tensor(data(k + 7, (6,), dtype))
            v = f(x, y)
            g, = lib.autograd.grad(v.sum(), x)
            return [v, g]
        return step, [f]
    run(make, 12)
