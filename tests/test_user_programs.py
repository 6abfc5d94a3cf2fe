"""Programs written the way users write PyTorch code (samplers, integrators,
training loops, Jacobians, custom Functions, torch.func, torch.testing, ...),
run with `import torch` and with jitgrad bound as torch: printed output,
displayed values, errors and warnings must be identical (conftest's
`differential`). Each program is a file in tests/user_programs/ (cells split
at ``# %%``); inputs come from NumPy's seeded generator, never torch's RNG
(jitgrad now draws torch's stream for rand/randn/randint/uniform_/normal_, not for the other samplers).

Also here: einsum's equations against torch (values, gradients, backward
names)."""
import os

import numpy as np
import pytest

import jitgrad
from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)
from _compare import check

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "user_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))



@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))


_R = np.random.default_rng(0)


def _r(*shape):
    return _R.normal(size=shape)


EINSUM = [
    ("ii", [_r(3, 3)]), ("ii->i", [_r(3, 3)]), ("bii->b", [_r(2, 3, 3)]), ("bii->bi", [_r(2, 3, 3)]),
    ("iij->j", [_r(2, 2, 3)]), ("ij,kj->ik", [_r(3, 4), _r(5, 4)]), ("ij,jk->ik", [_r(3, 4), _r(4, 2)]),
    ("ij,jk", [_r(3, 4), _r(4, 2)]), ("bij,bjk->bik", [_r(2, 3, 4), _r(2, 4, 5)]), ("i,i->", [_r(4), _r(4)]),
    ("i,j->ij", [_r(3), _r(4)]), ("ij,j->i", [_r(3, 4), _r(4)]), ("...i,...i->...", [_r(2, 3, 4), _r(2, 3, 4)]),
    ("...ij,...jk->...ik", [_r(2, 3, 4), _r(2, 4, 5)]), ("...ij,...jk", [_r(3, 4), _r(2, 4, 5)]),
    ("ij->ji", [_r(3, 4)]), ("ij->", [_r(3, 4)]), ("ij", [_r(3, 4)]), ("ji", [_r(3, 4)]),
    ("i,i,i->", [_r(3), _r(3), _r(3)]), ("ij,ij->ij", [_r(2, 3), _r(2, 3)]), ("ij,ij->", [_r(2, 3), _r(2, 3)]),
    ("bn,nm,bm->b", [_r(2, 3), _r(3, 4), _r(2, 4)]), ("ijk,ikl->jl", [_r(2, 3, 4), _r(2, 4, 5)]),
    ("ij,ik->jk", [_r(3, 2), _r(3, 4)]), ("ij,kl->ijkl", [_r(2, 2), _r(2, 3)]), ("bi,bj->bij", [_r(2, 3), _r(2, 4)]),
    ("ij,jk->ki", [_r(3, 4), _r(4, 2)]), ("i,ij->j", [_r(3), _r(3, 4)]), ("ij,i->j", [_r(1, 4), _r(3)]),
    ("...,...->...", [_r(3), _r(2, 3)]), ("ii,i->i", [_r(3, 3), _r(3)]), ("ab,bc,cd->ad", [_r(2, 3), _r(3, 4), _r(4, 2)]),
    ("ij,jk->ik", [_r(1, 4), _r(4, 2)]), (" i j , j k -> i k ", [_r(2, 3), _r(3, 2)]),
]


@pytest.mark.parametrize("eq,arrays", EINSUM, ids=[e for e, _ in EINSUM])
def test_einsum_against_torch(eq, arrays):
    check(torch, lambda lib, *xs: lib.einsum(eq, *xs), arrays, what=eq)


def test_einsum_second_derivative():
    """einsum is recorded ops: a Hessian through a trace and a contraction."""
    def f(lib, a):
        return lib.einsum("ii", lib.einsum("ij,kj->ik", a, a) ** 2)
    a = _r(3, 3)
    got = jitgrad.autograd.functional.hessian(lambda x: f(jitgrad, x), jitgrad.tensor(a))
    want = torch.autograd.functional.hessian(lambda x: f(torch, x), torch.tensor(a))
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-10, atol=1e-10)


NEW_OPTIMIZERS = [("Adamax", {"lr": 0.05}), ("Adamax", {"lr": 0.05, "weight_decay": 0.1, "maximize": True}),
                  ("NAdam", {"lr": 0.05}), ("NAdam", {"lr": 0.05, "weight_decay": 0.1}),
                  ("NAdam", {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True}),
                  ("RAdam", {"lr": 0.05}), ("RAdam", {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True}),
                  ("Adadelta", {"lr": 1.0}), ("Adadelta", {"lr": 0.5, "rho": 0.8, "weight_decay": 0.01})]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,kw", NEW_OPTIMIZERS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(NEW_OPTIMIZERS)])
def test_optimizer_trajectory_against_torch(name, kw, dtype):
    """100 steps follow torch's trajectory (torch's CPU addcmul may fuse a
    multiply-add: an occasional last-bit difference, hence the tolerance) and
    keep torch's state entries."""
    def run(lib):
        w = lib.tensor([1.5, -0.5, 0.2], requires_grad=True, dtype=getattr(lib, dtype))
        opt = getattr(lib.optim, name)([w], **kw)
        for _ in range(100):
            opt.zero_grad()
            loss = (1 - w[0]) ** 2 + 0.5 * (w[1] - 0.3 * w[0]) ** 2 + 0.1 * w[1] ** 4 + (w[2] * w[0]).sin()
            loss.backward()
            opt.step()
        return w.detach().numpy(), {k: v.detach().numpy() for k, v in opt.state[w].items()}
    (got, gstate), (want, wstate) = run(jitgrad), run(torch)
    rtol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)
    assert list(gstate) == list(wstate)
    for k in wstate:
        assert gstate[k].dtype == wstate[k].dtype, k
        np.testing.assert_allclose(gstate[k], wstate[k], rtol=rtol, atol=rtol, err_msg=k)


def test_generator_streams_are_independent_and_compile_sees_their_draws():
    g1, g2 = jitgrad.Generator().manual_seed(5), jitgrad.Generator().manual_seed(5)
    jitgrad.manual_seed(0)
    a = jitgrad.randn(4, generator=g1)
    mid = jitgrad.rand(3)                    # the default stream is untouched by g1's draws
    jitgrad.manual_seed(0)
    assert jitgrad.equal(mid, jitgrad.rand(3))
    assert jitgrad.equal(a, jitgrad.randn(4, generator=g2))
    assert not jitgrad.equal(jitgrad.randn(4, generator=g1), a)
    # A compiled function drawing from a Generator replays fresh draws from it
    # (tests/test_compile_random.py): never a frozen draw, the same as eager.
    cf = jitgrad.compile(lambda x: (x * jitgrad.randn(3, generator=g1)).sum())
    x = jitgrad.ones(3, requires_grad=True)
    state = g1.get_state()
    first = cf(x).item()
    second = cf(x).item()
    assert second != first and cf.replays == 1
    g1.set_state(state)
    assert (x * jitgrad.randn(3, generator=g1)).sum().item() == first
    assert (x * jitgrad.randn(3, generator=g1)).sum().item() == second


def test_func_linearize_against_torch():
    """torch.func.linearize (torch's own run warns from its FX internals, so values are compared, not transcripts)."""
    import warnings
    x = np.array([1.0, 2.0])
    results = []
    for lib in (torch, jitgrad):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out, fn = lib.func.linearize(lambda a, b: (a * b).exp() + a.sin(), lib.tensor(x), lib.tensor(x + 1))
            t1, t2 = lib.tensor([1.0, -0.5], dtype=lib.float64), lib.tensor([0.25, 2.0], dtype=lib.float64)
            results.append([out.numpy(), fn(t1, t2).numpy(), fn(t2, t1).numpy()])
            with pytest.raises(RuntimeError, match="doesn't match the shape"):
                fn(lib.ones(3), t2)
            with pytest.raises(RuntimeError, match="doesn't match the dtype"):
                fn(lib.ones(2), t2)
    for got, want in zip(results[1], results[0]):
        np.testing.assert_allclose(got, want, rtol=1e-12)


_X = np.array([-4.0, -3.0, -2.0, -0.5, -0.3, 0.0, 0.3, 0.5, 2.0, 3.0, 4.0])   # kinks at +-3, +-0.5, 0
_P = np.array([0.3, -1.2, 0.7, 2.0, -0.1, 0.0, 1.5, -2.5])
ACTIVATIONS = {
    "selu": (lambda L, x: L.nn.functional.selu(x), [_X]),
    "celu": (lambda L, x: L.nn.functional.celu(x, 0.7), [_X]),
    "mish": (lambda L, x: L.nn.functional.mish(x), [_X]),
    "hardswish": (lambda L, x: L.nn.functional.hardswish(x), [_X]),
    "hardsigmoid": (lambda L, x: L.nn.functional.hardsigmoid(x), [_X]),
    "softshrink": (lambda L, x: L.nn.functional.softshrink(x, 0.5), [_X]),
    "hardshrink": (lambda L, x: L.nn.functional.hardshrink(x, 0.5), [_X]),
    "tanhshrink": (lambda L, x: L.nn.functional.tanhshrink(x), [_X]),
    "threshold": (lambda L, x: L.nn.functional.threshold(x, 0.3, -2.0), [_X]),
    "glu_dim0": (lambda L, x: L.nn.functional.glu(x.reshape(2, 4), 0), [_P]),
    "glu": (lambda L, x: L.nn.functional.glu(x.reshape(2, 4)), [_P]),
    "prelu": (lambda L, x, w: L.nn.functional.prelu(x, w), [_X, np.array([0.25])]),
    "prelu_channels": (lambda L, x, w: L.nn.functional.prelu(x.reshape(2, 4), w), [_P, np.array([0.1, 0.2, 0.3, 0.4])]),
    "pairwise_distance": (lambda L, a, b: L.nn.functional.pairwise_distance(a.reshape(2, 4), b.reshape(2, 4)),
                          [_P, _P[::-1].copy()]),
    "pairwise_distance_p1": (lambda L, a, b: L.nn.functional.pairwise_distance(a.reshape(2, 4), b, p=1, keepdim=True),
                             [_P, _P[:4].copy()]),
    "gaussian_nll": (lambda L, a, b, v: L.nn.functional.gaussian_nll_loss(a, b, v),
                     [_P, _P[::-1].copy(), np.abs(_P) + 1e-7]),     # var below eps: clamped, gradient unclamped
    "gaussian_nll_full_sum": (lambda L, a, b, v: L.nn.functional.gaussian_nll_loss(
        a.reshape(2, 4), b.reshape(2, 4), v, full=True, reduction="sum"), [_P, _P[::-1].copy(), np.array([0.5, 2.0])]),
    "gaussian_nll_none": (lambda L, a, b, v: L.nn.functional.gaussian_nll_loss(
        a.reshape(2, 4), b.reshape(2, 4), v, reduction="none"), [_P, _P[::-1].copy(), np.array([[0.5], [2.0]])]),
    "poisson_nll": (lambda L, a, t: L.nn.functional.poisson_nll_loss(a, t), [_P, np.abs(_P) * 2]),
    "poisson_nll_full": (lambda L, a, t: L.nn.functional.poisson_nll_loss(
        a.abs() + 0.1, t, log_input=False, full=True, reduction="none"), [_P, np.abs(_P) * 2]),
}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_more_functional_against_torch(name, dtype):
    """Values (signed zeros included), gradients (at the kinks too) and backward names."""
    fn, arrays = ACTIVATIONS[name]
    check(torch, fn, arrays, dtype=dtype, what=name)


@pytest.mark.parametrize("name", ["selu", "celu", "mish", "gaussian_nll", "poisson_nll_full", "prelu_channels"])
def test_more_functional_second_order_against_torch(name):
    """Second derivatives (by composition) against torch's double backward."""
    fn, arrays = ACTIVATIONS[name]

    def grad_norm(lib, *xs):
        gs = lib.autograd.grad(fn(lib, *xs).sum(), xs, create_graph=True)
        return sum((g * g).sum() for g in gs)
    check(torch, grad_norm, [a + 0.05 for a in arrays], what=name, signed_zeros=False)   # (zeros of composites)


def _filled(lib, module):
    with lib.no_grad():
        for i, p in enumerate(module.parameters()):
            p.copy_(lib.linspace(-0.5, 0.5, p.numel()).reshape(p.shape) * (1 + 0.2 * i) + 0.05 * i)
    return module


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_recurrent_float32_gradients_against_torch(kind):
    """Same weights: outputs, final states and gradients (inputs, and through
    create_graph the weights' second order) within float32 tolerances."""
    x = np.random.default_rng(1).normal(size=(5, 2, 3))
    results = []
    for lib in (torch, jitgrad):
        m = _filled(lib, getattr(lib.nn, kind)(3, 4, num_layers=2, bidirectional=True))
        xt = lib.tensor(x, dtype=lib.float32, requires_grad=True)
        out, state = m(xt)
        h = state[0] if kind == "LSTM" else state
        g, = lib.autograd.grad((out ** 2).sum() + h.sum(), xt, create_graph=True)
        (g ** 2).sum().backward()
        results.append([out.detach().numpy(), h.detach().numpy(), g.detach().numpy(),
                        m.weight_ih_l0.grad.numpy(), m.weight_hh_l1_reverse.grad.numpy()])
    for got, want in zip(results[1], results[0]):
        np.testing.assert_allclose(got, want, rtol=2e-5, atol=2e-5)


def test_load_refuses_arbitrary_objects_by_default(tmp_path):
    """weights_only=True (torch's default): tensors, containers and torch's allowlist (Counter, Size,
    dtypes, devices); other pickled objects need weights_only=False or add_safe_globals."""
    import collections
    import math
    path = str(tmp_path / "o.pt")
    jitgrad.save({"o": collections.defaultdict(list, a=[1]), "t": jitgrad.ones(2), "f": math.tanh}, path)
    import pickle
    with pytest.raises(pickle.UnpicklingError, match="`weights_only` set to `False` will likely succeed"):
        jitgrad.load(path)
    assert jitgrad.load(path, weights_only=False)["o"] == {"a": [1]}
    jitgrad.save({"f": math.tanh}, path)
    with pytest.raises(pickle.UnpicklingError, match=r"add_safe_globals\(\[math.tanh\]\)"):
        jitgrad.load(path)
    with jitgrad.serialization.safe_globals([math.tanh]):
        assert jitgrad.load(path)["f"] is math.tanh
    with pytest.raises(pickle.UnpicklingError):
        jitgrad.load(path)


def test_init_orthogonal_trunc_normal_and_generators():
    """The draws are jitgrad's own (not torch's stream): check what torch guarantees."""
    w = jitgrad.nn.init.orthogonal_(jitgrad.empty(4, 6))
    np.testing.assert_allclose(w.numpy() @ w.numpy().T, np.eye(4), atol=1e-5)
    w = jitgrad.nn.init.orthogonal_(jitgrad.empty(6, 3, dtype=jitgrad.float64), gain=2.0)
    np.testing.assert_allclose(w.numpy().T @ w.numpy(), 4 * np.eye(3), atol=1e-12)
    t = jitgrad.nn.init.trunc_normal_(jitgrad.empty(20000, dtype=jitgrad.float64), mean=0.5, std=2.0, a=-1.0, b=3.0)
    v = t.numpy()
    assert v.min() >= -1 and v.max() <= 3
    # the truncated normal's mean: 0.5 + 2 (phi(alpha) - phi(beta)) / (Phi(beta) - Phi(alpha))
    alpha, beta = -0.75, 1.25
    phi = [np.exp(-z * z / 2) / np.sqrt(2 * np.pi) for z in (alpha, beta)]
    cdf = [0.5 * (1 + __import__("math").erf(z / np.sqrt(2))) for z in (alpha, beta)]
    assert abs(v.mean() - (0.5 + 2 * (phi[0] - phi[1]) / (cdf[1] - cdf[0]))) < 0.05
    draws = [jitgrad.nn.init.kaiming_normal_(jitgrad.empty(3, 3), generator=jitgrad.Generator().manual_seed(3))
             for _ in range(2)]
    assert jitgrad.equal(*draws)
