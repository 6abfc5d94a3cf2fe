"""jitgrad.compile in optimisation and simulation loops as users write them:
an optimiser stepping parameters a compiled loss reads as globals/closures,
gradient descent with a learning rate that changes every call, a line
search calling the compiled function at trial points, RK4 steps chained
through many replayed calls, pairwise forces with cutoffs and periodic
boundaries. Every call is compared with eager jitgrad (bit for bit, values
and gradients) and with torch (values within tolerance)."""
import warnings

import numpy as np
import pytest
import torch

import jitgrad as jg
from jitgrad.func import grad as jg_grad, value_and_grad as jg_vg

from _users8_compile import Grad, assert_bits, assert_torch, counts, run_scenario

RNG = np.random.default_rng(8)
X16 = RNG.normal(size=(16, 3))
Y16 = RNG.normal(size=(16,))
W0 = RNG.normal(size=(3,))


def _np(t):
    return t.detach().numpy()


@pytest.mark.parametrize("opt_name", ["SGD", "Adam", "AdamW", "RMSprop"])
def test_optimiser_steps_globals_a_compiled_loss_reads(opt_name):
    """The optimiser writes W and b in place every step; the compiled loss
    reads them as closure tensors: every step replays (no re-recording)
    and follows eager jitgrad bit for bit and torch's trajectory."""
    kw = {"SGD": dict(lr=0.1, momentum=0.9, weight_decay=1e-3), "Adam": dict(lr=0.05),
          "AdamW": dict(lr=0.05, weight_decay=0.1), "RMSprop": dict(lr=0.01, centered=True)}[opt_name]
    runs = {}
    for mode in ("eager", "compiled", "torch"):
        lib = torch if mode == "torch" else jg
        W = lib.tensor(W0.copy(), requires_grad=True)
        b = lib.zeros(1, dtype=lib.float64, requires_grad=True)
        X, Y = lib.tensor(X16), lib.tensor(Y16)

        def loss(x, y):
            r = x @ W + b - y
            return (r * r).mean() + 0.01 * W.abs().sum()

        f = jg.compile(loss) if mode == "compiled" else loss
        opt = getattr(lib.optim, opt_name)([W, b], **kw)
        hist = []
        for i in range(24):
            sl = slice(i % 4 * 4, i % 4 * 4 + 4)
            opt.zero_grad()
            val = f(X[sl], Y[sl])
            val.backward()
            hist.append((val.detach().clone(), W.grad.clone(), b.grad.clone()))
            opt.step()
            hist.append((W.detach().clone(), b.detach().clone()))
        runs[mode] = hist
        if mode == "compiled":
            rec, rep, eager = counts(f)
            assert (rec, rep, eager) == (1, 23, 0)
    for i, (e, c, t) in enumerate(zip(runs["eager"], runs["compiled"], runs["torch"])):
        assert_bits(e, c, f"step {i}")
        assert_torch(e, t, f"step {i}", tol=1e-9)


def test_closure_parameters_of_a_compiled_value_and_grad():
    """compile(value_and_grad(loss)) of the parameters passed as arguments,
    data read from a closure list replaced between epochs."""
    data = [jg.tensor(X16[:8]), jg.tensor(Y16[:8])]

    def loss(w, b):
        x, y = data
        return ((jg.tanh(x @ w) + b - y) ** 2).sum()

    cvg = jg.compile(jg_vg(loss, argnums=(0, 1)))
    evg = jg_vg(loss, argnums=(0, 1))
    tdata = [torch.tensor(X16[:8]), torch.tensor(Y16[:8])]

    def tloss(w, b):
        x, y = tdata
        return ((torch.tanh(x @ w) + b - y) ** 2).sum()

    tvg = torch.func.grad_and_value(tloss, argnums=(0, 1))
    w, b = jg.tensor(W0), jg.tensor(0.0, dtype=jg.float64)
    tw, tb = torch.tensor(W0), torch.tensor(0.0, dtype=torch.float64)
    for epoch in range(3):
        for step in range(6):
            e = evg(w, b)
            c = cvg(w, b)
            tg, tv = tvg(tw, tb)
            assert_bits(e, c, f"epoch {epoch} step {step}")
            assert_torch(e, (tv, tg), "torch", tol=1e-9)
            w = w - 0.01 * c[1][0]
            b = b - 0.01 * c[1][1]
            tw, tb = tw - 0.01 * tg[0], tb - 0.01 * tg[1]
        # a new epoch's data: the closure's list items are rebound
        data[0], data[1] = jg.tensor(X16[8:] * (epoch + 2)), jg.tensor(Y16[8:] - epoch)
        tdata[0], tdata[1] = torch.tensor(X16[8:] * (epoch + 2)), torch.tensor(Y16[8:] - epoch)
    assert counts(cvg)[0] <= 4


def test_gradient_descent_with_a_learning_rate_changing_every_call():
    """A compiled step(x, lr) with lr a Python float that decays every call:
    one tape serves every value once the float is a tape input."""

    def step(lib, x, lr):
        f = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
        g0 = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2)
        g1 = 200 * (x[1] - x[0] ** 2)
        return x - lr * lib.stack([g0, g1]), f

    cf = jg.compile(lambda x, lr: step(jg, x, lr))
    xe, xc, xt = jg.tensor([-1.2, 1.0]), jg.tensor([-1.2, 1.0]), torch.tensor([-1.2, 1.0])
    for i in range(40):
        lr = 1e-3 / (1 + 0.05 * i)
        e, c, t = step(jg, xe, lr), cf(xc, lr), step(torch, xt, lr)
        assert_bits(e, c, f"iter {i}")
        assert_torch(e, t, f"iter {i}", tol=1e-4)
        xe, xc, xt = e[0], c[0], t[0]
    rec, rep, eager = counts(cf)
    assert eager == 0 and rec <= 4 and rep >= 36


def test_backtracking_line_search_calls_the_compiled_function_at_trial_points():
    """Armijo backtracking: the compiled value_and_grad at the iterate, the
    compiled objective at trial points x - t g (t halves: a float the
    objective does not see), decisions made in Python on .item() values."""

    def obj(lib, x, A):
        return 0.5 * (x @ (A @ x)) + lib.log(1 + lib.exp(-x)).sum()

    A = RNG.normal(size=(5, 5))
    A = A @ A.T + 5 * np.eye(5)
    cvg = jg.compile(jg_vg(lambda x, a: obj(jg, x, a)))
    cobj = jg.compile(lambda x, a: obj(jg, x, a))
    for lib_run in ("jg", "torch"):
        pass
    xj, xt = jg.tensor(np.ones(5)), torch.tensor(np.ones(5))
    Aj, At = jg.tensor(A), torch.tensor(A)
    trials = 0
    for it in range(8):
        v, g = cvg(xj, Aj)
        ve, ge = jg_vg(lambda x, a: obj(jg, x, a))(xj, Aj)
        assert_bits((ve, ge), (v, g), f"iter {it}")
        xt_ = xt.clone().requires_grad_(True)
        vt = obj(torch, xt_, At)
        (gt,) = torch.autograd.grad(vt, xt_)
        assert_torch((v, g), (vt.detach(), gt), f"iter {it}", tol=1e-9)
        t = 1.0
        while True:
            trial = xj - t * g
            fv = cobj(trial, Aj)
            assert_bits(obj(jg, trial, Aj), fv, "trial")
            trials += 1
            if fv.item() <= v.item() - 1e-4 * t * (g @ g).item() or t < 1e-8:
                break
            t *= 0.5
        xj = trial
        xt = xt - t * gt
        assert_torch(xj, xt, f"iterate {it}", tol=1e-8)
    assert counts(cobj)[0] == 1 and counts(cobj)[1] == trials - 1
    assert counts(cvg)[0] == 1


def _rk4(lib, y, k, dt):
    def f(y):
        pos, vel = y[0], y[1]
        return lib.stack([vel, -k * lib.sin(pos) - 0.1 * vel])

    k1 = f(y)
    k2 = f(y + dt / 2 * k1)
    k3 = f(y + dt / 2 * k2)
    k4 = f(y + dt * k3)
    return y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_rk4_steps_chained_through_replays_and_differentiated_end_to_end(dtype):
    """A pendulum integrated by 25 compiled RK4 steps, each call's output the
    next call's input; backward from the final state through every replayed
    tape to the initial state and the stiffness k (a tensor argument)."""
    cstep = jg.compile(lambda y, k, dt: _rk4(jg, y, k, dt))
    outs = {}
    for mode in ("eager", "compiled", "torch"):
        lib = torch if mode == "torch" else jg
        dt_ = getattr(lib, dtype)
        y0 = lib.tensor([1.0, 0.0], dtype=dt_, requires_grad=True)
        k = lib.tensor(2.5, dtype=dt_, requires_grad=True)
        y = y0
        traj = []
        for i in range(25):
            y = cstep(y, k, 0.05) if mode == "compiled" else _rk4(lib, y, k, 0.05)
            traj.append(y)
        (y[0] ** 2 + y[1]).backward()
        outs[mode] = traj + [y0.grad, k.grad]
    assert_bits(outs["eager"], outs["compiled"], dtype)
    assert_torch(outs["eager"], outs["torch"], dtype, tol=1e-4 if dtype == "float32" else 1e-10)
    assert counts(cstep) == (1, 24, 0)


def _forces(lib, pos, box, cutoff):
    """Lennard-Jones-like energy with minimum-image periodic boundaries and
    a cutoff mask; positions wrapped into the box with remainder."""
    pos = lib.remainder(pos, box)
    d = pos[:, None, :] - pos[None, :, :]
    d = d - box * lib.round(d / box)
    r2 = (d * d).sum(-1)
    n = pos.shape[0]
    eye = lib.eye(n, dtype=lib.bool)
    mask = (r2 < cutoff ** 2) & ~eye
    safe = lib.where(mask, r2, lib.ones_like(r2))
    inv6 = safe ** -3
    e = lib.where(mask, 4 * (inv6 * inv6 - inv6), lib.zeros_like(r2))
    # the pair count as a float: a bool mask's own sum() is guarded on its value
    return 0.5 * e.sum(), mask.to(pos.dtype).sum()


def test_pairwise_forces_with_cutoff_masks_and_periodic_boundaries():
    """Particles move between calls so pairs cross the cutoff and the
    periodic wrap: masks and round() are recomputed at replay, and the
    returned pair count (an int64 tensor) follows."""
    pts = RNG.uniform(0, 4.0, size=(7, 3))
    vel = RNG.normal(size=(7, 3))
    calls = [(Grad(pts + 0.3 * i * vel), 4.0, 1.6) for i in range(15)]
    cf = run_scenario(_forces, calls)
    assert counts(cf)[2] == 0 and counts(cf)[0] == 1


def test_cdist_energy_of_a_changing_cluster():
    """cdist between two point clouds whose sizes change (new tapes) and
    come back (cached), softened by a cutoff with where; some pairs at
    distance zero. Replayed: the zero test is recorded."""

    def energy(lib, a, b):
        r = lib.cdist(a, b)
        return lib.where(r < 1.5, (1.5 - r) ** 2, lib.zeros_like(r)).sum(), r.min(1).values  # (nearest neighbours)

    calls = []
    for i in range(12):
        n = (4, 6, 4)[i % 3]
        a, b = RNG.normal(size=(n, 2)), RNG.normal(size=(5, 2))
        if i % 4 == 1:
            b[2] = a[1]         # a zero distance: torch's zero gradient there
        calls.append((Grad(a), Grad(b)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # (cdist's zero test ran every call eagerly, with a warning)
        cf = run_scenario(energy, calls)
    assert counts(cf) == (2, 10, 0)


def test_newton_iterations_with_a_tolerance_loop_inside():
    """A while loop on tensor values inside the compiled function: Newton's
    square root until |y*y - x| < tol; the trip count changes with x, so
    guards re-record only for new trip counts."""

    def sqrt_newton(lib, x):
        y = x / 2 + 0.5
        n = 0
        while (y * y - x).abs().max() > 1e-12 and n < 50:
            y = 0.5 * (y + x / y)
            n += 1
        return y, n

    xs = [np.array([2.0, 9.0]), np.array([2.5, 9.5]), np.array([2.0, 9.0]), np.array([100.0, 0.25]),
          np.array([2.25, 8.0]), np.array([100.0, 0.25])]
    cf = run_scenario(sqrt_newton, [(Grad(x),) for x in xs])
    rec, rep, eager = counts(cf)
    # converged residuals of exactly zero tie at the max: those calls run eagerly
    assert rep >= 1 and rep + eager <= len(xs)


def test_compiled_grad_in_a_fixed_point_loop_with_early_exit():
    """compile(grad(f)) called until the gradient norm (read by .item() in
    the caller) is small; each call's gradient equals eager grad's."""

    def f(x):
        return (jg.cosh(x) + 0.1 * x ** 4).sum()

    cg = jg.compile(jg_grad(f))
    eg = jg_grad(f)
    x = jg.tensor(np.linspace(-2, 2, 6))
    tx = torch.tensor(np.linspace(-2, 2, 6))
    for it in range(200):
        g = cg(x)
        assert_bits(eg(x), g, f"iter {it}")
        tg = torch.func.grad(lambda x: (torch.cosh(x) + 0.1 * x ** 4).sum())(tx)
        assert_torch(g, tg, f"iter {it}", tol=1e-8)
        if g.norm().item() < 1e-6:
            break
        x, tx = x - 0.2 * g, tx - 0.2 * tg
    assert it < 199
    assert counts(cg)[0] == 1


def test_gradient_accumulation_and_hessian_vector_products_through_replays():
    """Two compiled calls accumulate into one .grad; create_graph gradients
    of a replayed output give Hessian-vector products, as eager jitgrad
    (bits) and torch. The data matrix is an argument that doesn't require
    grad: a constant of the double backward, as in eager mode (it was a
    live slot of the replayed tape, and its matmul's products an ulp off)."""

    def f(lib, x, w):
        return (lib.tanh(x @ w) ** 2).sum() + ((x @ w) ** 2).mean()

    cf = jg.compile(lambda x, w: f(jg, x, w))
    for i in range(12):
        X, Wv = RNG.normal(size=(4, 3)), RNG.normal(size=3)
        res = []
        for lib, fn in ((jg, lambda *a: f(jg, *a)), (jg, cf), (torch, lambda *a: f(torch, *a))):
            w = lib.tensor(Wv, requires_grad=True)
            l1, l2 = fn(lib.tensor(X), w), fn(lib.tensor(X * 2), w)
            (l1 + l2).backward()
            acc = w.grad.clone()
            (gw,) = lib.autograd.grad(fn(lib.tensor(X), w), w, create_graph=True)
            (hv,) = lib.autograd.grad((gw * lib.tensor([1.0, -2.0, 3.0], dtype=lib.float64)).sum(), w)
            res.append((l1, l2, acc, gw, hv))
        assert_bits(res[0], res[1], f"call {i}")
        assert_torch(res[0], res[2], f"call {i}", tol=1e-9)


def test_lbfgs_and_a_scheduler_around_a_compiled_closure_loss():
    """LBFGS (strong Wolfe) calls a compiled loss many times per step
    through its closure; Adam with a StepLR schedule on another problem:
    each trajectory equals eager jitgrad's bits and torch's values."""
    runs = {}
    for mode in ("eager", "compiled", "torch"):
        lib = torch if mode == "torch" else jg
        w = lib.tensor([1.5, -0.5], dtype=lib.float64, requires_grad=True)
        v = lib.tensor(W0.copy(), requires_grad=True)

        def rosen():
            return (1 - w[0]) ** 2 + 10 * (w[1] - w[0] ** 2) ** 2

        def quad(x, y):
            return ((x @ v - y) ** 2).mean() + 0.1 * (v ** 4).sum()

        lf = jg.compile(rosen) if mode == "compiled" else rosen
        qf = jg.compile(quad) if mode == "compiled" else quad
        lbfgs = lib.optim.LBFGS([w], lr=1, max_iter=15, line_search_fn="strong_wolfe")

        def closure():
            lbfgs.zero_grad()
            val = lf()
            val.backward()
            return val

        hist = []
        for _ in range(3):
            hist.append(lbfgs.step(closure).detach().clone())
            hist.append(w.detach().clone())
        adam = lib.optim.Adam([v], lr=0.1)
        sched = lib.optim.lr_scheduler.StepLR(adam, step_size=3, gamma=0.5)
        X, Y = lib.tensor(X16), lib.tensor(Y16)
        for i in range(10):
            adam.zero_grad()
            val = qf(X, Y)
            val.backward()
            adam.step()
            sched.step()
            hist.append((val.detach().clone(), v.detach().clone()))
        runs[mode] = hist
        if mode == "compiled":
            assert counts(lf)[0] == 1 and counts(lf)[2] == 0 and counts(qf) == (1, 9, 0)
    assert_bits(runs["eager"], runs["compiled"])
    assert_torch(runs["eager"], runs["torch"], tol=1e-8)


def test_compiled_function_called_from_several_threads():
    """Four threads call one compiled function (a branch on a value inside)
    with their own inputs; every call equals eager jitgrad, gradients too."""
    import threading

    def f(x, w):
        h = jg.tanh(x @ w)
        if h.sum() > 0:
            h = h * 2
        return (h ** 2).mean(), h.max(1).values

    cf = jg.compile(f)
    errors = []

    def worker(seed):
        r = np.random.default_rng(seed)
        for _ in range(40):
            X, Wm = r.normal(size=(5, 3)), r.normal(size=(3, 4))
            w1, w2 = jg.tensor(Wm, requires_grad=True), jg.tensor(Wm, requires_grad=True)
            a, b = cf(jg.tensor(X), w1), f(jg.tensor(X), w2)
            a[0].backward()
            b[0].backward()
            try:
                assert_bits(b, a)
                assert_bits(w2.grad, w1.grad)
            except AssertionError as exc:
                errors.append(str(exc)[:300])

    threads = [threading.Thread(target=worker, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:2]
    assert counts(cf)[1] >= 150 and len(cf.tapes) <= 8
