"""Random draws inside a jitgrad.compile'd function replay fresh.

A draw's values depend only on the generator's state and its shape, dtype
and distribution parameters, so each draw is a *draw group* of the tape
(functional/sampling.py): slots the replay fills, before the Numba forward
runs, by the same sampler with the same arguments, from the generator as it
is then, in the order of the recording. So over consecutive calls a compiled
function gives the bits an uncompiled one gives from the same seed, values
and gradients, through `__call__`, `func.value_and_grad` and `.batch()`.
Draws whose parameters derive from the inputs run eagerly (with a warning),
never frozen; a flipped guard rewinds the replay's draws.
"""
import warnings

import numpy as np
import pytest

import torch

import jitgrad as jg
import jitgrad.nn.functional as JF
from jitgrad.func import value_and_grad as jg_value_and_grad


def same(a, b):
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True) and \
        np.array_equal(np.signbit(a), np.signbit(b))


def _np(t):
    return t.detach().numpy() if isinstance(t, jg.Tensor) else np.asarray(t)


# Functions as users write them: (name, fn(x) -> tensor). x: a (4,) float tensor.
DRAWS = {
    "randn": lambda x: x * jg.randn(4, dtype=x.dtype) + x,
    "rand": lambda x: (x * jg.rand(4, dtype=x.dtype)).sum(),
    "randn_like": lambda x: (x + jg.randn_like(x)).pow(2).sum(),
    "rand_like_0d": lambda x: x.sum() * jg.rand((), dtype=x.dtype),
    "randint": lambda x: x * jg.randint(0, 5, (4,)),
    "randint_like": lambda x: x * jg.randint_like(x, 3),
    "normal_floats": lambda x: x * jg.normal(1.0, 2.0, size=(4,), dtype=x.dtype),
    "normal_const_tensors": lambda x: x * jg.normal(jg.zeros(4, dtype=x.dtype), jg.ones(4, dtype=x.dtype)),
    "normal_": lambda x: x * jg.empty(4, dtype=x.dtype).normal_(0.5, 3.0),
    "uniform_": lambda x: x * jg.empty(2, 4, dtype=x.dtype).uniform_(-1.0, 2.0),
    "bernoulli_p": lambda x: x * jg.bernoulli(jg.zeros(4, dtype=x.dtype), p=0.5),
    "bernoulli_const": lambda x: x * jg.bernoulli(jg.full((4,), 0.3, dtype=x.dtype)),
    "bernoulli_": lambda x: x * jg.zeros(4, dtype=x.dtype).bernoulli_(0.5),
    "poisson": lambda x: x * jg.poisson(jg.full((4,), 2.0, dtype=x.dtype)),
    "randperm": lambda x: x * jg.randperm(4).to(x.dtype),
    "multinomial": lambda x: x * jg.multinomial(jg.tensor([0.1, 0.2, 0.3, 0.4]), 4, replacement=True).to(x.dtype),
    "dropout": lambda x: JF.dropout(x * 2.0, 0.5).sum(),
    "dropout_module": lambda x: jg.nn.Dropout(0.25)(x.reshape(2, 2)).exp().sum(),
    "dropout_inplace": lambda x: JF.dropout(x * 1.5, 0.4, inplace=True),
    "mask_compare": lambda x: jg.where(jg.rand(4, dtype=x.dtype) < 0.5, x, -x).sum(),
    "mask_cast": lambda x: x * (jg.rand(4) > 0.3).to(x.dtype),
    "two_draws": lambda x: (x * jg.randn(4, dtype=x.dtype)).sum() + jg.rand((), dtype=x.dtype) * x[0],
    "draw_returned": lambda x: (x.sum() * 2.0, jg.randn(3)),
    "draw_chain": lambda x: x * (0.1 * jg.randn(4, dtype=x.dtype) + 1.0).abs().sqrt(),
    "empty_like_uniform_": lambda x: x * jg.empty_like(x).uniform_(-1, 1),
    "new_empty_normal_": lambda x: x + x.new_empty(x.shape).normal_(),
    "matmul_draw": lambda x: x @ jg.randn(x.size(0), 3, dtype=x.dtype),
    "randint_float": lambda x: x * jg.randint(0, 10, (4,)).float().to(x.dtype),
    "bernoulli_of_input": lambda x: (x * jg.bernoulli(jg.sigmoid(x))).sum(),
    "bernoulli_method": lambda x: x * x.sigmoid().bernoulli(),
    "normal_of_input": lambda x: x * jg.normal(x, 1.0),
    "normal_mean_std_inputs": lambda x: jg.normal(x * 2.0, x.abs() + 0.5).sum() + x.sum(),
    "normal_std_input_broadcast": lambda x: jg.normal(jg.zeros(2, 4, dtype=x.dtype), x.exp()).sum(),
}


def _grads(out, x):
    leaf = out[0] if isinstance(out, tuple) else out
    if not leaf.requires_grad:
        return None
    (leaf.sum() if leaf.ndim else leaf).backward()
    g = x.grad
    x.grad = None
    return None if g is None else g.numpy().copy()


def _series(fn, inputs, seed):
    """Outputs and gradients of fn over consecutive calls from one seed."""
    jg.manual_seed(seed)
    res = []
    for v in inputs:
        x = jg.tensor(v.copy(), dtype=jg.float64 if v.dtype == np.float64 else jg.float32, requires_grad=True)
        out = fn(x)
        res.append(([_np(o) for o in out] if isinstance(out, tuple) else [_np(out)], _grads(out, x)))
    return res


def _inputs(dtype, calls=4):
    rng = np.random.default_rng(5)
    return [rng.standard_normal(4).astype(dtype) for _ in range(calls)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(DRAWS))
def test_draws_replay_bit_for_bit(name, dtype):
    fn = DRAWS[name]
    inputs = _inputs(dtype)
    want = _series(fn, inputs, 7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # no "runs eagerly" warning
        cf = jg.compile(fn)
        got = _series(cf, inputs, 7)
    for (wv, wg), (gv, gg) in zip(want, got):
        assert all(same(a, b) for a, b in zip(wv, gv))
        assert (wg is None) == (gg is None) and (wg is None or same(wg, gg))
    assert cf.eager_calls == 0
    if name not in ("randint", "randint_like", "randperm", "multinomial"):
        assert cf.replays == len(inputs) - 1 and cf.records == 1
    # Fresh numbers on each call: not the recording's.
    assert not all(same(a[0][-1], b[0][-1]) for a, b in zip(want, want[1:]))


@pytest.mark.parametrize("name", ["randn", "dropout", "two_draws", "mask_compare"])
def test_generator_state_after_calls_is_eager_state(name):
    """After compiled calls the generator is where eager calls leave it."""
    fn = DRAWS[name]
    x = jg.tensor([0.5, -1.0, 2.0, 3.0], requires_grad=True)
    jg.manual_seed(3)
    for _ in range(3):
        fn(x)
    want = jg.rand(5).numpy()
    cf = jg.compile(fn)
    jg.manual_seed(3)
    for _ in range(3):
        cf(x)
    assert same(jg.rand(5).numpy(), want)


def test_explicit_generator_argument():
    def fn(x, g):
        return x * jg.randn(4, generator=g) + jg.rand(4)
    cf = jg.compile(fn)
    x = jg.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    g1, g2 = jg.Generator().manual_seed(1), jg.Generator().manual_seed(1)
    jg.manual_seed(0)
    want = [fn(x, g1).detach().numpy() for _ in range(3)]
    jg.manual_seed(0)
    got = [cf(x, g2).detach().numpy() for _ in range(3)]
    assert all(same(a, b) for a, b in zip(want, got))
    assert cf.replays == 2


def test_value_and_grad_draws_fresh():
    def loss(w, x):
        h = JF.dropout(jg.tanh(x @ w), 0.5)
        return (h + 0.01 * jg.randn(3, dtype=jg.float64)).pow(2).sum()
    vg = jg.compile(jg_value_and_grad(loss))
    rng = np.random.default_rng(0)
    W = [rng.standard_normal((2, 3)) for _ in range(4)]
    X = rng.standard_normal(2)
    jg.manual_seed(11)
    want = [jg_value_and_grad(loss)(jg.tensor(w), jg.tensor(X)) for w in W]
    jg.manual_seed(11)
    got = [vg(jg.tensor(w), jg.tensor(X)) for w in W]
    for (wv, wgr), (gv, ggr) in zip(want, got):
        assert same(wv.numpy(), gv.numpy()) and same(wgr.numpy(), ggr.numpy())
    assert vg.cf.replays == len(W) - 1 and vg.cf.eager_calls == 0


@pytest.mark.parametrize("grad", [False, True])
def test_batch_draws_point_by_point(grad):
    """`.batch()` gives what calling the function point after point gives."""
    def f(x):
        return (x * jg.randn(3, dtype=jg.float64)).sum()
    X = np.arange(12.0).reshape(4, 3) / 7
    if grad:
        vg = jg.compile(jg_value_and_grad(f))
        jg.manual_seed(2)
        v, g = vg.batch(jg.tensor(X))
        jg.manual_seed(2)
        for k in range(4):
            wv, wg = jg_value_and_grad(f)(jg.tensor(X[k]))
            assert same(v.numpy()[k], wv.numpy()) and same(g.numpy()[k], wg.numpy())
    else:
        cf = jg.compile(f)
        jg.manual_seed(2)
        v = cf.batch(jg.tensor(X))
        jg.manual_seed(2)
        assert same(v.numpy(), [f(jg.tensor(r)).item() for r in X])


def test_guard_flip_rewinds_the_draws():
    """A branch on the input flips a guard: the replay's draws are undone, so
    the re-recording draws what eager does, and later calls stay in step."""
    def fn(x):
        z = jg.randn(3, dtype=jg.float64)
        return x * z if x.sum() > 0 else x - z
    cf = jg.compile(fn)
    xs = [[1.0, 2.0, 3.0], [-1.0, -2.0, 0.5], [0.25, 1.0, 1.0], [-4.0, 1.0, 1.0], [3.0, 3.0, 3.0]]
    jg.manual_seed(4)
    want = [fn(jg.tensor(v, dtype=jg.float64)).numpy() for v in xs]
    jg.manual_seed(4)
    got = [cf(jg.tensor(v, dtype=jg.float64)).numpy() for v in xs]
    assert all(same(a, b) for a, b in zip(want, got))
    assert cf.replays >= 2


def test_integer_draw_used_as_index_is_never_stale():
    """randint used as an index is a guard on its values: a call whose draw
    differs records again (rewound), never reuses the recorded index."""
    def fn(x):
        i = jg.randint(0, 4, (2,))
        return x[i] * 2.0
    cf = jg.compile(fn)
    x = jg.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    jg.manual_seed(9)
    want = [fn(x).detach().numpy() for _ in range(6)]
    jg.manual_seed(9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = [cf(x).detach().numpy() for _ in range(6)]
    assert all(same(a, b) for a, b in zip(want, got))


@pytest.mark.parametrize("case", ["multinomial_tensor", "poisson_tensor"])
def test_draw_parameters_from_inputs_run_eagerly(case):
    fns = {
        "multinomial_tensor": lambda x: x[jg.multinomial(jg.softmax(x, 0), 2)],
        "poisson_tensor": lambda x: x * jg.poisson(x.exp()),
    }
    fn = fns[case]
    cf = jg.compile(fn)
    x = jg.tensor([0.5, 1.0, 1.5], requires_grad=True)
    jg.manual_seed(1)
    want = [fn(x).detach().numpy() for _ in range(3)]
    jg.manual_seed(1)
    with pytest.warns(RuntimeWarning, match="runs eagerly.*parameters derive from the inputs"):
        got = [cf(x).detach().numpy() for _ in range(3)]
    assert all(same(a, b) for a, b in zip(want, got))
    assert cf.eager_calls == 3


@pytest.mark.parametrize("what", ["manual_seed", "generator", "requires_grad", "get_rng_state"])
def test_reseeding_inside_runs_eagerly(what):
    def fn(x):
        if what == "manual_seed":
            jg.manual_seed(0)
            return x * jg.randn(2)
        if what == "generator":
            return x * jg.randn(2, generator=jg.Generator().manual_seed(0))
        if what == "get_rng_state":
            jg.get_rng_state()
            return x * 2.0
        return x * jg.randn(2, requires_grad=True)
    cf = jg.compile(fn)
    x = jg.tensor([1.0, 2.0], requires_grad=True)
    jg.manual_seed(5)
    want = [fn(x).detach().numpy() for _ in range(3)]
    jg.manual_seed(5)
    with pytest.warns(RuntimeWarning, match="runs eagerly"):
        got = [cf(x).detach().numpy() for _ in range(3)]
    assert all(same(a, b) for a, b in zip(want, got))
    assert cf.eager_calls == 3


def test_bernoulli_of_input_probabilities_guards_the_range():
    """bernoulli(p) with p from the inputs replays (u < p recorded); a p
    outside [0, 1] at a later call records again and raises eager's error."""
    fn = lambda x: x * jg.bernoulli(x * 0.5)      # noqa: E731
    cf = jg.compile(fn)
    x = jg.tensor([0.5, 1.0, 1.5], requires_grad=True)
    jg.manual_seed(0)
    want = [fn(x).detach().numpy() for _ in range(3)]
    jg.manual_seed(0)
    got = [cf(x).detach().numpy() for _ in range(3)]
    assert all(same(a, b) for a, b in zip(want, got)) and cf.replays == 2
    with pytest.raises(RuntimeError, match="Expected p_in >= 0 && p_in <= 1"):
        cf(jg.tensor([0.5, 3.0, 1.0], requires_grad=True))
    xt = torch.tensor([0.5, 1.0, 1.5], requires_grad=True)
    (xt * torch.bernoulli(xt * 0.5)).sum().backward()
    x.grad = None
    y = cf(x)
    y.sum().backward()
    assert y.grad_fn.name() == "MulBackward0"
    b = (y / x).detach().numpy()        # the 0/1 draws: the gradient is the draws, as torch's (zero through p)
    assert same(x.grad.numpy(), b)


def test_draw_output_requires_no_grad_and_is_released():
    seen = {}

    def fn(x):
        z = jg.randn(3)
        seen["rg"] = z.requires_grad
        seen["z"] = z
        return x + z
    cf = jg.compile(fn)
    out = cf(jg.tensor([1.0, 2.0, 3.0], requires_grad=True))
    assert seen["rg"] is False and out.requires_grad
    z = seen["z"]
    assert not z.requires_grad and z.grad_fn is None     # after recording: a plain constant again


def test_saving_a_tape_with_draws_is_refused(tmp_path):
    cf = jg.compile(lambda x: x * jg.rand(2))
    cf(jg.tensor([1.0, 2.0], requires_grad=True))
    with pytest.raises(RuntimeError, match="random draws can't be saved"):
        cf.tapes[0].save(str(tmp_path / "t.npz"))


def test_sampling_errors_leave_the_generator_untouched():
    jg.manual_seed(0)
    state = jg.get_rng_state()
    with pytest.raises(RuntimeError, match="invalid multinomial distribution"):
        jg.multinomial(jg.tensor([[0.2, 0.8], [0.0, 0.0]]), 1)
    assert same(jg.get_rng_state().numpy(), state.numpy())


def test_eager_draw_values_unchanged_by_the_refactor():
    """Eager sampling draws what torch draws for the same seed and calls
    (the sampler table computes torch's CPU algorithms: tests/test_torch_rng.py)."""
    jg.manual_seed(123)
    torch.manual_seed(123)
    a = jg.randn(3, dtype=jg.float64).numpy()
    b = jg.rand(2, dtype=jg.float64).numpy()
    c = jg.randint(0, 10, (4,)).numpy()
    d = jg.nn.functional.dropout(jg.ones(5, dtype=jg.float64), 0.5).numpy()
    assert same(a, torch.randn(3, dtype=torch.float64).numpy()) and same(b, torch.rand(2, dtype=torch.float64).numpy())
    assert same(c, torch.randint(0, 10, (4,)).numpy())
    assert same(d, torch.nn.functional.dropout(torch.ones(5, dtype=torch.float64), 0.5).numpy())


def test_disable_jit_runs_the_same(tmp_path):
    """NUMBA_DISABLE_JIT=1 gives the same compiled-with-draws bits."""
    import subprocess
    import sys
    code = ("import jitgrad as jg, numpy as np\n"
            "f = lambda x: (jg.nn.functional.dropout(x, 0.5) * jg.randn(4, dtype=jg.float64)).sum()\n"
            "cf = jg.compile(f)\n"
            "x = jg.tensor([1., 2., 3., 4.], dtype=jg.float64, requires_grad=True)\n"
            "jg.manual_seed(0)\n"
            "out = []\n"
            "for _ in range(3):\n"
            "    y = cf(x); y.backward(); out += [y.item()] + x.grad.tolist(); x.grad = None\n"
            "print(repr(out))\n")
    env = dict(__import__("os").environ)
    res = []
    for disable in ("0", "1"):
        env["NUMBA_DISABLE_JIT"] = disable
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                           cwd=str(__import__("pathlib").Path(jg.__file__).parent.parent))
        assert p.returncode == 0, p.stderr
        res.append(p.stdout)
    assert res[0] == res[1]




def test_global_generator_rebound_records_again():
    """A draw from a global Generator: rebinding the global re-records, so the
    replay draws from the generator the function now names."""
    global _G
    _G = jg.Generator().manual_seed(1)

    def fn(x):
        return x * jg.randn(3, generator=_G)
    cf = jg.compile(fn)
    x = jg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    cf(x)
    cf(x)
    _G = jg.Generator().manual_seed(2)
    got = cf(x).detach().numpy()
    want = (x * jg.randn(3, generator=jg.Generator().manual_seed(2))).detach().numpy()
    assert same(got, want) and cf.records == 2


def test_branch_on_a_draw_stays_in_step_with_eager():
    """Python reading a draw (`if rand() < 0.5`, `float(rand())`) guards: the
    replays whose guard flips are rewound and recorded again, so 30 calls
    give eager's 30 results from the same seed."""
    def fn(x):
        if jg.rand(()) < 0.5:
            return x * jg.randn(2, dtype=jg.float64)
        return x - float(jg.rand(()))
    cf = jg.compile(fn)
    x = jg.tensor([1.0, 2.0], dtype=jg.float64)
    jg.manual_seed(3)
    want = [fn(x).numpy() for _ in range(30)]
    jg.manual_seed(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # (the retrace warning)
        got = [cf(x).numpy() for _ in range(30)]
    assert all(same(a, b) for a, b in zip(want, got))
    assert cf.replays > 0


def test_normal_of_input_std_guards_its_sign():
    """normal(mean, std) with std from the inputs replays; a negative std at a
    later call records again and raises eager's error (never a silent draw)."""
    fn = lambda x: jg.normal(x, x - 1.0)       # noqa: E731
    cf = jg.compile(fn)
    jg.manual_seed(0)
    want = [fn(jg.tensor([2.0, 3.0])).numpy() for _ in range(3)]
    jg.manual_seed(0)
    got = [cf(jg.tensor([2.0, 3.0], requires_grad=True)).detach().numpy() for _ in range(3)]
    assert all(same(a, b) for a, b in zip(want, got)) and cf.replays == 2
    with pytest.raises(RuntimeError, match="normal expects all elements of std >= 0.0"):     # (torch's, for a std tensor)
        cf(jg.tensor([0.5, 3.0], requires_grad=True))
    x = jg.tensor([2.0, 3.0], requires_grad=True)
    cf(x).sum().backward()
    xt = torch.tensor([2.0, 3.0], requires_grad=True)
    torch.normal(xt, xt - 1.0).sum().backward()
    assert same(x.grad.numpy(), xt.grad.numpy())       # torch: zero through mean and std
