"""torch.optim against PyTorch: 10 training steps of a small MLP (8 of a
small CNN) with every optimizer from identical initial weights, param
groups, state_dict round trips, zero_grad, closures, LBFGS, the
learning-rate schedulers, and the misuse errors as notebook transcripts."""
import numpy as np
import pytest
import torch

import jitgrad

from _compare import assert_values

RNG = np.random.default_rng(0)
X = RNG.standard_normal((16, 5))
Y = RNG.integers(0, 3, 16)


def mlp(lib, dtype):
    nn = lib.nn
    return nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3)).to(getattr(lib, dtype))


def copy_params(tmod, jmod):
    jmod.load_state_dict({k: jitgrad.tensor(v.detach().numpy()) for k, v in tmod.state_dict().items()})


def assert_same_params(tmod, jmod, dtype, tol, what):
    for (name, tp), jp in zip(tmod.named_parameters(), jmod.parameters()):
        assert_values(jp.detach().numpy(), tp.detach().numpy(), dtype, f"{what}: {name}", tol)


def train(lib, model, opt, x, y, steps, scheduler=None, closure_style=False):
    F = lib.nn.functional
    losses = []
    for _ in range(steps):
        def closure():
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            return loss
        if closure_style:
            loss = opt.step(closure)
        else:
            loss = closure()
            opt.step()
        if scheduler is not None:
            scheduler.step()
        losses.append(float(loss.detach()))
    return losses


OPTIMIZERS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "dampening": 0.2, "maximize": True}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1, "betas": (0.8, 0.99)}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.02, "weight_decay": 0.5, "amsgrad": True, "maximize": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9, "centered": True, "weight_decay": 0.01, "alpha": 0.9}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.1, "initial_accumulator_value": 0.5}),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, kwargs", OPTIMIZERS)
def test_mlp_training_matches_torch(name, kwargs, dtype):
    tmod, jmod = mlp(torch, dtype), mlp(jitgrad, dtype)
    copy_params(tmod, jmod)
    topt, jopt = getattr(torch.optim, name)(tmod.parameters(), **kwargs), \
        getattr(jitgrad.optim, name)(jmod.parameters(), **kwargs)
    tdt, jdt = getattr(torch, dtype), getattr(jitgrad, dtype)
    # 10 steps: every state term (momentum, running averages, amsgrad's max,
    # bias corrections, accumulators) is in play from the first ones.
    tl = train(torch, tmod, topt, torch.tensor(X, dtype=tdt), torch.tensor(Y), 10)
    jl = train(jitgrad, jmod, jopt, jitgrad.tensor(X, dtype=jdt), jitgrad.tensor(Y), 10)
    tol = (1e-10, 1e-12) if dtype == "float64" else (2e-5, 2e-6)
    if dtype == "float32" and kwargs.get("centered"):
        # sqrt(E[g^2] - E[g]^2) cancels: float32 rounding differences (torch's
        # kernels fuse multiply-adds) grow to ~1e-3 relative in 20 steps.
        tol = (2e-3, 2e-5)
    assert_values(np.array(jl), np.array(tl), dtype, "losses", tol)
    assert_same_params(tmod, jmod, dtype, tol, name)
    assert abs(tl[-1] - tl[0]) > 1e-3      # the run moved
    # The optimizer state has torch's keys, shapes and values.
    for tp, jp in zip(tmod.parameters(), jmod.parameters()):
        ts, js = topt.state[tp], jopt.state[jp]
        assert sorted(ts) == sorted(js)
        for key in ts:
            assert_values(js[key].numpy(), ts[key].numpy(), dtype, f"state {key}", tol)
            assert str(js[key].dtype)[8:] == str(ts[key].dtype)[6:]


def cnn(lib):
    nn = lib.nn
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(4, 6, 3, stride=2, groups=2), nn.Tanh(), nn.AvgPool2d(2, ceil_mode=True),
                         nn.Flatten(), nn.Linear(6, 3)).double()


CNN_X = RNG.standard_normal((6, 1, 10, 10))
CNN_Y = RNG.integers(0, 3, 6)


@pytest.mark.parametrize("name, kwargs, steps", [
    ("SGD", {"lr": 0.1, "momentum": 0.9}, 4), ("Adam", {"lr": 0.01}, 4), ("AdamW", {"lr": 0.01}, 4),
    ("RMSprop", {"lr": 0.01}, 4), ("Adagrad", {"lr": 0.1}, 4),
    ("LBFGS", {"lr": 0.5, "max_iter": 4, "history_size": 4, "line_search_fn": "strong_wolfe"}, 2),
])
def test_small_cnn_training_matches_torch(name, kwargs, steps):
    tmod, jmod = cnn(torch), cnn(jitgrad)
    copy_params(tmod, jmod)
    topt = getattr(torch.optim, name)(tmod.parameters(), **kwargs)
    jopt = getattr(jitgrad.optim, name)(jmod.parameters(), **kwargs)
    closure = name == "LBFGS"
    tl = train(torch, tmod, topt, torch.tensor(CNN_X), torch.tensor(CNN_Y), steps, closure_style=closure)
    jl = train(jitgrad, jmod, jopt, jitgrad.tensor(CNN_X), jitgrad.tensor(CNN_Y), steps, closure_style=closure)
    # (float64: torch's conv sums in an order that moved RMSprop's parameters by ~1e-9 between runs)
    tol = (1e-7, 1e-9)
    assert_values(np.array(jl), np.array(tl), "float64", "cnn losses", tol)
    assert_same_params(tmod, jmod, "float64", tol, f"cnn {name}")
    assert tl[-1] < tl[0]


@pytest.mark.parametrize("kwargs", [
    {"lr": 1, "history_size": 5, "line_search_fn": "strong_wolfe"},
    {"lr": 0.5, "max_iter": 4},
    {"lr": 1, "max_iter": 10, "history_size": 3, "line_search_fn": "strong_wolfe", "tolerance_change": 1e-12},
])
def test_lbfgs_matches_torch(kwargs):
    tmod, jmod = mlp(torch, "float64"), mlp(jitgrad, "float64")
    copy_params(tmod, jmod)
    topt, jopt = torch.optim.LBFGS(tmod.parameters(), **kwargs), jitgrad.optim.LBFGS(jmod.parameters(), **kwargs)
    tl = train(torch, tmod, topt, torch.tensor(X), torch.tensor(Y), 4, closure_style=True)
    jl = train(jitgrad, jmod, jopt, jitgrad.tensor(X), jitgrad.tensor(Y), 4, closure_style=True)
    assert_values(np.array(jl), np.array(tl), "float64", "lbfgs losses", (1e-7, 1e-9))
    assert_same_params(tmod, jmod, "float64", (1e-6, 1e-8), "lbfgs")
    ts, js = topt.state[next(tmod.parameters())], jopt.state[next(jmod.parameters())]
    assert (ts["func_evals"], ts["n_iter"]) == (js["func_evals"], js["n_iter"])
    # The history is kept as tensors, as torch keeps it.
    assert sorted(ts) == sorted(js) and len(ts["old_dirs"]) == len(js["old_dirs"])
    for key in ("d", "prev_flat_grad", "H_diag"):
        assert isinstance(js[key], jitgrad.Tensor)
        assert_values(js[key].numpy(), ts[key].numpy(), "float64", key, (1e-6, 1e-8))
    for a, b in zip(js["old_stps"], ts["old_stps"]):
        assert_values(a.numpy(), b.numpy(), "float64", "old_stps", (1e-6, 1e-8))


def test_lbfgs_rosenbrock_scalar_parameters():
    def run(lib):
        xy = lib.nn.Parameter(lib.tensor([-1.5, 2.0], dtype=lib.float64))
        opt = lib.optim.LBFGS([xy], lr=1, line_search_fn="strong_wolfe", max_iter=50)

        def closure():
            opt.zero_grad()
            loss = (1 - xy[0]) ** 2 + 100 * (xy[1] - xy[0] ** 2) ** 2
            loss.backward()
            return loss
        for _ in range(3):
            opt.step(closure)
        return xy.detach().numpy()
    got, want = run(jitgrad), run(torch)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(got, [1.0, 1.0], atol=1e-4)


def test_param_groups_state_dict_and_zero_grad():
    def setup(lib):
        lib.manual_seed(0)
        model = mlp(lib, "float64")
        opt = lib.optim.Adam([{"params": model[0].parameters()},
                              {"params": model[2].parameters(), "lr": 0.05, "betas": (0.5, 0.9)}], lr=0.01)
        return model, opt
    (tmod, topt), (jmod, jopt) = setup(torch), setup(jitgrad)
    copy_params(tmod, jmod)
    tx, jx = torch.tensor(X), jitgrad.tensor(X)
    train(torch, tmod, topt, tx, torch.tensor(Y), 3)
    train(jitgrad, jmod, jopt, jx, jitgrad.tensor(Y), 3)
    tsd, jsd = topt.state_dict(), jopt.state_dict()
    assert tsd["param_groups"] == jsd["param_groups"]
    assert sorted(tsd["state"]) == sorted(jsd["state"])
    # Load the state into a fresh optimizer: both continue identically.
    jmod2 = mlp(jitgrad, "float64")
    jmod2.load_state_dict(jmod.state_dict())
    jopt2 = jitgrad.optim.Adam([{"params": jmod2[0].parameters()}, {"params": jmod2[2].parameters()}])
    jopt2.load_state_dict(jsd)
    assert jopt2.param_groups[1]["lr"] == 0.05 and jopt2.param_groups[1]["betas"] == (0.5, 0.9)
    train(torch, tmod, topt, tx, torch.tensor(Y), 3)
    train(jitgrad, jmod2, jopt2, jx, jitgrad.tensor(Y), 3)
    assert_same_params(tmod, jmod2, "float64", (1e-10, 1e-12), "after load_state_dict")
    # The loaded state is torch's: the dict's own tensors (torch's load_state_dict keeps a
    # tensor already of the parameter's dtype), so stepping jopt2 advances jopt's counters too.
    first = next(jmod.parameters())
    assert jopt2.state[next(jmod2.parameters())]["step"] is jsd["state"][0]["step"]
    assert float(jopt.state[first]["step"]) == 6.0 and float(jopt2.state[next(jmod2.parameters())]["step"]) == 6.0
    topt2 = torch.optim.Adam([{"params": tmod[0].parameters()}, {"params": tmod[2].parameters()}])
    topt2.load_state_dict(tsd)
    assert topt2.state[next(tmod.parameters())]["step"] is tsd["state"][0]["step"]
    # zero_grad: None by default, zeros with set_to_none=False.
    jopt.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.numpy().any() for p in jmod.parameters())
    jopt.zero_grad()
    assert all(p.grad is None for p in jmod.parameters())
    # add_param_group fills in the defaults.
    extra = jitgrad.nn.Parameter(jitgrad.zeros(2))
    jopt.add_param_group({"params": extra})
    assert jopt.param_groups[-1]["lr"] == 0.01 and jopt.param_groups[-1]["params"] == [extra]


def test_optimizer_errors_and_repr(differential):
    differential(
        "w = torch.nn.Parameter(torch.ones(2))\nopt = torch.optim.SGD([w], lr=0.1, momentum=0.9)\nopt",
        "torch.optim.SGD([], lr=0.1)",
        "torch.optim.SGD(w, lr=0.1)",
        "torch.optim.SGD([w], lr=-1)",
        "torch.optim.SGD([w], lr=0.1, nesterov=True)",
        "torch.optim.Adam([w], betas=(1.0, 0.9))",
        "torch.optim.Adam([w], lr=0.1, eps=-1)",
        "torch.optim.RMSprop([w], alpha=-1)",
        "torch.optim.Adagrad([w], lr_decay=-1)",
        "opt.add_param_group({'params': [w]})",
        "torch.optim.SGD([w * 2], lr=0.1)",
        "torch.optim.SGD({w}, lr=0.1)",
        "torch.optim.SGD([1.0], lr=0.1)",
        "torch.optim.AdamW([w])",
        "(w * w).sum().backward()\nopt.step()\nprint(w)\nopt.state_dict()",
        "torch.optim.LBFGS([{'params': [w]}, {'params': [torch.nn.Parameter(torch.ones(1))]}])",
        "opt.load_state_dict({'state': {}, 'param_groups': []})",
    )


def test_scalar_parameter_training(differential):
    # "Learning PyTorch with Examples": a polynomial fit with scalar parameters.
    differential(
        """
        import math
        x = torch.linspace(-math.pi, math.pi, 200, dtype=torch.float64)
        y = torch.sin(x)

        class Polynomial3(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.a = torch.nn.Parameter(torch.tensor(0.1, dtype=torch.float64))
                self.b = torch.nn.Parameter(torch.tensor(-0.2, dtype=torch.float64))
                self.c = torch.nn.Parameter(torch.tensor(0.3, dtype=torch.float64))
                self.d = torch.nn.Parameter(torch.tensor(0.05, dtype=torch.float64))

            def forward(self, x):
                return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3

        model = Polynomial3()
        criterion = torch.nn.MSELoss(reduction='sum')
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-6, momentum=0.9)
        for t in range(300):
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        numeric(loss.item())
        numeric([p.item() for p in model.parameters()])
        model
        """,
    )


SCHEDULERS = [
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("MultiStepLR", {"milestones": [2, 5, 5, 9], "gamma": 0.3}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("CosineAnnealingLR", {"T_max": 4, "eta_min": 0.001}),
    ("LambdaLR", {"lr_lambda": lambda epoch: 0.95 ** epoch / (1 + epoch)}),
    ("LinearLR", {"start_factor": 0.25, "total_iters": 6}),
]


@pytest.mark.parametrize("name, kwargs", SCHEDULERS)
def test_schedulers_match_torch(name, kwargs):
    lrs = {}
    for lib in (torch, jitgrad):
        w = lib.nn.Parameter(lib.ones(2, dtype=lib.float64))
        opt = lib.optim.SGD([{"params": [w]}, {"params": [lib.nn.Parameter(lib.ones(1))], "lr": 0.3}], lr=0.1)
        sched = getattr(lib.optim.lr_scheduler, name)(opt, **kwargs)
        seen = [sched.get_last_lr()]
        for _ in range(12):
            opt.step()
            sched.step()
            seen.append(sched.get_last_lr())
        seen.append([g["lr"] for g in opt.param_groups])
        seen.append(sorted(k for k in sched.state_dict() if k != "lr_lambdas"))
        lrs[lib.__name__] = seen
    assert lrs["jitgrad"][-1] == lrs["torch"][-1]
    np.testing.assert_allclose(np.array(lrs["jitgrad"][:-1]), np.array(lrs["torch"][:-1]), rtol=1e-15, atol=0)


def test_scheduler_warnings(differential):
    differential(
        "w = torch.nn.Parameter(torch.ones(2))\nopt = torch.optim.SGD([w], lr=0.1)\n"
        "s = torch.optim.lr_scheduler.StepLR(opt, step_size=2)\ns.step()\ns.get_last_lr()",
        "s.get_lr()",
        "s.step(5)\nopt.param_groups[0]['lr']",
        "torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5, last_epoch=3)",
        "torch.optim.lr_scheduler.StepLR(w, step_size=2)",
    )


def test_reduce_lr_on_plateau_matches_torch():
    metrics = [5.0, 4.0, 4.0, 4.0, 3.9999, 4.1, 4.2, 3.0, 3.0, 3.0, 3.0, 3.0, 2.0, 2.5, 2.5, 2.5, 2.5, 2.5]
    for kwargs in ({"patience": 1}, {"patience": 2, "factor": 0.5, "cooldown": 2, "min_lr": [0.02, 0.001]},
                   {"mode": "max", "threshold_mode": "abs", "threshold": 0.5, "patience": 0}):
        seen = {}
        for lib in (torch, jitgrad):
            opt = lib.optim.SGD([{"params": [lib.nn.Parameter(lib.ones(1))]},
                                 {"params": [lib.nn.Parameter(lib.ones(1))], "lr": 0.3}], lr=0.1)
            sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
            out = []
            for m in metrics:
                sched.step(m)
                out.append((sched.get_last_lr(), sched.num_bad_epochs, sched.cooldown_counter, sched.best))
            seen[lib.__name__] = out
        assert seen["jitgrad"] == seen["torch"], kwargs
