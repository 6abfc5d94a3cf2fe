"""Optimisers against torch over many steps for every option torch has
(the new ASGD, Rprop, Adafactor and the existing ones), param groups with
different options, add_param_group, state_dict / load_state_dict (torch's
key layout, a round trip mid-run, loading torch's own state), zero_grad,
SparseAdam's dense-gradient error, constructor errors; schedulers
(CyclicLR, chaining, SequentialLR, ReduceLROnPlateau modes) and swa_utils."""
import os

import numpy as np
import pytest

import jitgrad

R = np.random.default_rng(0)
W0 = R.normal(size=(4, 3))
B0 = R.normal(size=3)
X0 = R.normal(size=(6, 4))
Y0 = R.normal(size=(6, 3))


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def _model(lib, dtype):
    dt = getattr(lib, dtype)
    w = lib.tensor(W0, dtype=dt, requires_grad=True)
    b = lib.tensor(B0, dtype=dt, requires_grad=True)
    return w, b, lib.tensor(X0, dtype=dt), lib.tensor(Y0, dtype=dt)


def _loss(lib, w, b, x, y):
    return ((lib.tanh(x @ w + b) - y) ** 2).mean()


def trajectory(lib, make_opt, dtype, steps=25, closure=False):
    w, b, x, y = _model(lib, dtype)
    opt = make_opt(lib, w, b)
    path = []
    for _ in range(steps):
        if closure:
            def step_closure():
                opt.zero_grad()
                loss = _loss(lib, w, b, x, y)
                loss.backward()
                return loss
            opt.step(step_closure)
        else:
            opt.zero_grad()
            _loss(lib, w, b, x, y).backward()
            opt.step()
        path.append(np.concatenate([w.detach().numpy().ravel(), b.detach().numpy().ravel()]))
    return np.array(path), opt


def _tol(dtype):
    return {"rtol": 1e-5, "atol": 2e-6} if dtype == "float32" else {"rtol": 1e-10, "atol": 1e-12}


OPTIONS = {
    "SGD": [{"lr": 0.1}, {"lr": 0.1, "momentum": 0.9}, {"lr": 0.1, "momentum": 0.9, "nesterov": True},
            {"lr": 0.1, "momentum": 0.5, "dampening": 0.3, "weight_decay": 0.1, "maximize": True},
            {"lr": 0.05, "foreach": True, "differentiable": False}],
    "Adam": [{"lr": 0.05}, {"lr": 0.05, "amsgrad": True, "weight_decay": 0.1},
             {"lr": 0.05, "maximize": True, "betas": (0.8, 0.99), "eps": 1e-6},
             {"lr": 0.05, "decoupled_weight_decay": True, "weight_decay": 0.2},
             {"lr": 0.05, "foreach": True, "differentiable": False}],
    "AdamW": [{"lr": 0.05}, {"lr": 0.05, "amsgrad": True, "weight_decay": 0.3, "maximize": True}],
    "RMSprop": [{"lr": 0.01}, {"lr": 0.01, "momentum": 0.9, "centered": True},
                {"lr": 0.01, "alpha": 0.9, "weight_decay": 0.1, "maximize": True, "eps": 1e-5}],
    "Adagrad": [{"lr": 0.1}, {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.1, "initial_accumulator_value": 0.5},
                {"lr": 0.1, "maximize": True}],
    "Adamax": [{"lr": 0.05}, {"lr": 0.05, "weight_decay": 0.1, "maximize": True}],
    "NAdam": [{"lr": 0.05}, {"lr": 0.05, "weight_decay": 0.1, "momentum_decay": 0.01},
              {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}],
    "RAdam": [{"lr": 0.05}, {"lr": 0.05, "weight_decay": 0.1},
              {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}],
    "Adadelta": [{}, {"lr": 0.5, "rho": 0.8, "weight_decay": 0.1, "maximize": True}],
    "ASGD": [{}, {"lr": 0.1, "t0": 5, "lambd": 1e-3, "alpha": 0.5, "weight_decay": 0.1, "maximize": True}],
    "Rprop": [{}, {"lr": 0.05, "etas": (0.3, 1.5), "step_sizes": (1e-3, 0.2), "maximize": True}],
    "Adafactor": [{}, {"lr": 0.05, "weight_decay": 0.1, "d": 1.5, "eps": (1e-5, 1e-2), "maximize": True},
                  {"beta2_decay": -0.5}],
}
CASES = [(name, i) for name in OPTIONS for i in range(len(OPTIONS[name]))]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name,index", CASES, ids=[f"{n}-{i}" for n, i in CASES])
def test_trajectory_matches_torch(torch, name, index, dtype):
    kw = OPTIONS[name][index]
    want, topt = trajectory(torch, lambda lib, w, b: getattr(lib.optim, name)([w, b], **kw), dtype)
    got, jopt = trajectory(jitgrad, lambda lib, w, b: getattr(lib.optim, name)([w, b], **kw), dtype)
    np.testing.assert_allclose(got, want, **_tol(dtype))
    # the state: same keys, values and dtypes, as torch's state_dict lays them out
    tsd, jsd = topt.state_dict(), jopt.state_dict()
    assert jsd["param_groups"] == tsd["param_groups"]
    assert jsd["state"].keys() == tsd["state"].keys()
    for k in tsd["state"]:
        assert jsd["state"][k].keys() == tsd["state"][k].keys()
        for key, t in tsd["state"][k].items():
            j = jsd["state"][k][key]
            if hasattr(t, "numpy"):
                assert str(j.dtype).split(".")[-1] == str(t.dtype).split(".")[-1], key
                np.testing.assert_allclose(j.numpy(), t.numpy(), **_tol(dtype))
            else:
                assert j == t, key
    assert repr(jopt) == repr(topt)


@pytest.mark.parametrize("name", ["SGD", "Adam", "ASGD", "Rprop", "Adafactor", "RMSprop", "NAdam"])
def test_param_groups_with_their_own_options(torch, name):
    def make(lib, w, b):
        opt = getattr(lib.optim, name)([{"params": [w]}], lr=0.02)
        opt.add_param_group({"params": b, "lr": 0.07, "maximize": True})
        return opt
    want, topt = trajectory(torch, make, "float64", closure=True)
    got, jopt = trajectory(jitgrad, make, "float64", closure=True)
    np.testing.assert_allclose(got, want, **_tol("float64"))
    assert jopt.state_dict()["param_groups"] == topt.state_dict()["param_groups"]


@pytest.mark.parametrize("name,kw", [("SGD", {"lr": 0.1, "momentum": 0.9}), ("Adam", {"lr": 0.05, "amsgrad": True}),
                                     ("ASGD", {"lr": 0.1, "t0": 3}), ("Rprop", {}), ("Adafactor", {}),
                                     ("NAdam", {"lr": 0.05})])
def test_state_dict_round_trip_mid_run(torch, name, kw):
    """Both libraries stop after 10 steps and load their state into a fresh
    optimizer (jitgrad: its own state, or torch's converted) and go on: the
    paths agree."""
    for source in ("jitgrad", "torch"):
        paths = {}
        models = {lib: _model(lib, "float64") for lib in (jitgrad, torch)}
        opts = {lib: getattr(lib.optim, name)(list(models[lib][:2]), **kw) for lib in (jitgrad, torch)}
        for lib in (jitgrad, torch):
            paths[lib] = []
        for i in range(20):
            if i == 10:
                tsd = opts[torch].state_dict()
                if source == "torch":
                    jsd = {"param_groups": tsd["param_groups"],
                           "state": {k: {n: jitgrad.tensor(v.numpy()) if hasattr(v, "numpy") else v
                                         for n, v in st.items()} for k, st in tsd["state"].items()}}
                else:
                    jsd = opts[jitgrad].state_dict()
                for lib, sd in ((jitgrad, jsd), (torch, tsd)):
                    opts[lib] = getattr(lib.optim, name)(list(models[lib][:2]), **kw)
                    opts[lib].load_state_dict(sd)
            for lib in (jitgrad, torch):
                w, b, x, y = models[lib]
                opts[lib].zero_grad()
                _loss(lib, w, b, x, y).backward()
                opts[lib].step()
                paths[lib].append(np.concatenate([w.detach().numpy().ravel(), b.detach().numpy().ravel()]))
        np.testing.assert_allclose(np.array(paths[jitgrad]), np.array(paths[torch]), **_tol("float64"))


@pytest.mark.parametrize("name", ["Adam", "AdamW", "Adamax", "NAdam", "RAdam", "ASGD", "Rprop", "Adadelta", "RMSprop"])
@pytest.mark.parametrize("foreach", [None, True])
def test_capturable_on_cpu_is_torch_error(torch, name, foreach):
    errors = []
    for lib in (torch, jitgrad):
        w, b, x, y = _model(lib, "float64")
        opt = getattr(lib.optim, name)([w, b], capturable=True, foreach=foreach)
        _loss(lib, w, b, x, y).backward()
        with pytest.raises(AssertionError) as info:
            opt.step()
        errors.append(str(info.value))
    assert errors[0] == errors[1]


def test_zero_grad_set_to_none(torch):
    for lib in (torch, jitgrad):
        w, b, x, y = _model(lib, "float64")
        opt = lib.optim.Rprop([w, b])
        _loss(lib, w, b, x, y).backward()
        opt.zero_grad(set_to_none=False)
        assert w.grad is not None and float(w.grad.abs().sum()) == 0.0
        opt.zero_grad()
        assert w.grad is None and b.grad is None


def test_sparse_adam_rejects_dense_gradients(torch):
    errors = []
    for lib in (torch, jitgrad):
        w, b, x, y = _model(lib, "float64")
        opt = lib.optim.SparseAdam([w, b])
        _loss(lib, w, b, x, y).backward()
        with pytest.raises(RuntimeError) as info:
            opt.step()
        errors.append(str(info.value))
        assert repr(opt).replace("jitgrad", "torch") == repr(lib.optim.SparseAdam([w, b]))
    assert errors[0] == errors[1]


CONSTRUCTOR_ERRORS = [
    ("ASGD", {"lr": -1.0}), ("ASGD", {"weight_decay": -0.1}), ("Rprop", {"lr": -1.0}), ("Rprop", {"etas": (1.1, 1.2)}),
    ("Adafactor", {"lr": -1.0}), ("Adafactor", {"beta2_decay": 0.1}), ("Adafactor", {"eps": (-1.0, 1e-3)}),
    ("Adafactor", {"eps": (None, -1.0)}), ("Adafactor", {"d": 0.5}), ("Adafactor", {"weight_decay": -1.0}),
    ("SparseAdam", {"lr": 0.0}), ("SparseAdam", {"eps": 0.0}), ("SparseAdam", {"betas": (1.0, 0.9)}),
    ("SparseAdam", {"betas": (0.9, -0.1)}),
]


@pytest.mark.parametrize("name,kw", CONSTRUCTOR_ERRORS)
def test_constructor_errors(torch, name, kw):
    messages = []
    for lib in (torch, jitgrad):
        w, b, _, _ = _model(lib, "float64")
        with pytest.raises(ValueError) as info:
            getattr(lib.optim, name)([w, b], **kw)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


# ----- schedulers -----------------------------------------------------------------

def _schedule(lib, make, steps=30, opt_name="SGD", opt_kw=None, metrics=None):
    w = lib.nn.Parameter(lib.ones(2, dtype=lib.float64))
    opt_kw = {"lr": 0.1, "momentum": 0.9} if opt_kw is None else opt_kw
    opt = getattr(lib.optim, opt_name)([{"params": [w]}, {"params": [lib.nn.Parameter(lib.ones(1))], "lr": 0.3}],
                                       **opt_kw)
    sched = make(lib, opt)

    def now():
        return list(sched.get_last_lr()) + [g.get("momentum", g.get("betas", (None,))[0]) for g in opt.param_groups]
    seen = [now()]
    for i in range(steps):
        opt.step()
        sched.step() if metrics is None else sched.step(metrics[i % len(metrics)])
        seen.append(now())
    return seen, sched


SCHEDULES = {
    "cyclic_triangular": lambda lib, o: lib.optim.lr_scheduler.CyclicLR(o, 0.01, 0.1, step_size_up=4),
    "cyclic_triangular2": lambda lib, o: lib.optim.lr_scheduler.CyclicLR(o, [0.01, 0.02], [0.1, 0.5], step_size_up=3,
                                                                         step_size_down=5, mode="triangular2"),
    "cyclic_exp_range": lambda lib, o: lib.optim.lr_scheduler.CyclicLR(o, 0.01, 0.1, step_size_up=2, mode="exp_range",
                                                                       gamma=0.9, base_momentum=0.7),
    "cyclic_custom": lambda lib, o: lib.optim.lr_scheduler.CyclicLR(o, 0.01, 0.1, step_size_up=3,
                                                                    scale_fn=lambda x: 1 / (1 + x),
                                                                    scale_mode="iterations", cycle_momentum=False),
    "sequential": lambda lib, o: lib.optim.lr_scheduler.SequentialLR(
        o, [lib.optim.lr_scheduler.LinearLR(o, 0.1, total_iters=4), lib.optim.lr_scheduler.ExponentialLR(o, 0.9),
            lib.optim.lr_scheduler.StepLR(o, 3, 0.5)], milestones=[5, 12]),
    "chained": lambda lib, o: lib.optim.lr_scheduler.ChainedScheduler(
        [lib.optim.lr_scheduler.ConstantLR(o, 0.5, total_iters=5), lib.optim.lr_scheduler.ExponentialLR(o, 0.95)]),
    "cosine_restarts": lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, 4, T_mult=2,
                                                                                         eta_min=0.001),
    "polynomial": lambda lib, o: lib.optim.lr_scheduler.PolynomialLR(o, total_iters=10, power=2.0),
    "multiplicative": lambda lib, o: lib.optim.lr_scheduler.MultiplicativeLR(o, lambda e: 0.9 if e % 2 else 1.0),
    "onecycle": lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(o, max_lr=[0.5, 1.0], total_steps=31,
                                                                 anneal_strategy="linear", three_phase=True),
}


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_schedules_match_torch(torch, name):
    want, tsched = _schedule(torch, SCHEDULES[name])
    got, jsched = _schedule(jitgrad, SCHEDULES[name])
    np.testing.assert_allclose(np.array(got, dtype=float), np.array(want, dtype=float), rtol=1e-14, atol=1e-16)
    assert sorted(jsched.state_dict()) == sorted(tsched.state_dict())


def test_cyclic_lr_with_adam_cycles_beta1(torch):
    make = SCHEDULES["cyclic_triangular"]
    want, _ = _schedule(torch, make, opt_name="Adam", opt_kw={"lr": 0.1})
    got, _ = _schedule(jitgrad, make, opt_name="Adam", opt_kw={"lr": 0.1})
    np.testing.assert_allclose(np.array(got, dtype=float), np.array(want, dtype=float), rtol=1e-14)


def test_cyclic_lr_errors_and_state_round_trip(torch):
    for lib in (torch, jitgrad):
        opt = lib.optim.Adagrad([lib.nn.Parameter(lib.ones(1))])
        with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
            lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1)
        with pytest.raises(ValueError, match="mode is invalid and scale_fn is None"):
            lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, mode="zigzag", cycle_momentum=False)
        with pytest.raises(ValueError, match="base_lr must have the same length as optimizer.param_groups"):
            lib.optim.lr_scheduler.CyclicLR(opt, [0.01, 0.2], 0.1, cycle_momentum=False)
    # a fresh scheduler that loads a state mid-run goes on as the original
    seen = {}
    for lib in (torch, jitgrad):
        opt = lib.optim.SGD([lib.nn.Parameter(lib.ones(1))], lr=0.1, momentum=0.9)
        s = lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, step_size_up=3, mode="exp_range", gamma=0.8)
        for _ in range(7):
            opt.step()
            s.step()
        s2 = lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, step_size_up=3, mode="exp_range", gamma=0.8)
        s2.load_state_dict(s.state_dict())
        out = []
        for _ in range(5):
            opt.step()
            s2.step()
            out.append(s2.get_last_lr()[0])
        seen[lib.__name__] = out
    np.testing.assert_allclose(seen["jitgrad"], seen["torch"], rtol=1e-14)


@pytest.mark.parametrize("kw", [{"mode": "max"}, {"mode": "max", "threshold_mode": "abs", "threshold": 0.2},
                                {"mode": "min", "threshold_mode": "rel", "threshold": 0.1, "patience": 0,
                                 "factor": 0.3, "min_lr": 0.05, "eps": 1e-3},
                                {"mode": "min", "cooldown": 1, "patience": 1}])
def test_reduce_lr_on_plateau_modes(torch, kw):
    metrics = [1.0, 1.1, 1.05, 1.2, 1.2, 1.19, 0.9, 0.95, 0.95, 0.95, 2.0, 2.0]
    make = lambda lib, o: lib.optim.lr_scheduler.ReduceLROnPlateau(o, **kw)  # noqa: E731
    want, tsched = _schedule(torch, make, steps=24, metrics=metrics)
    got, jsched = _schedule(jitgrad, make, steps=24, metrics=metrics)
    np.testing.assert_allclose(np.array(got, dtype=float), np.array(want, dtype=float), rtol=1e-14)
    assert (jsched.best, jsched.num_bad_epochs) == (tsched.best, tsched.num_bad_epochs)


# ----- user programs (SWA / EMA training, optimizer hooks): transcripts against torch's ------------

PROGRAMS = os.path.join(os.path.dirname(__file__), "optim_more_programs")


@pytest.mark.parametrize("name", sorted(f[:-3] for f in os.listdir(PROGRAMS) if f.endswith(".py")))
def test_program_against_torch(name, differential):
    with open(os.path.join(PROGRAMS, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))


def test_swa_avg_fns(torch):
    for lib in (torch, jitgrad):
        a, b = lib.tensor([1.0, 2.0]), lib.tensor([3.0, 6.0])
        swa = lib.optim.swa_utils.get_swa_avg_fn()(a, b, lib.tensor(3))
        ema = lib.optim.swa_utils.get_ema_avg_fn(0.5)(a, b, 0)
        np.testing.assert_allclose(swa.numpy(), [1.5, 3.0])
        np.testing.assert_allclose(ema.numpy(), [2.0, 4.0])
        avg = [lib.tensor([1.0, 2.0])]
        lib.optim.swa_utils.get_swa_multi_avg_fn()(avg, [b], 1)
        np.testing.assert_allclose(avg[0].numpy(), [2.0, 4.0])
        with pytest.raises(ValueError, match=r"Invalid decay value -0.1 provided"):
            lib.optim.swa_utils.get_ema_avg_fn(-0.1)
