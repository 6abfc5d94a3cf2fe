"""More programs written the way users write PyTorch code (hand-written
gradient descent, optimiser loops with schedulers, LBFGS with a closure,
HMC / MALA samplers, reparameterised Monte Carlo, Lagrangian and
Hamiltonian mechanics, PINNs, parameter sweeps, Jacobian strategies,
torch.func transforms, custom Functions, hooks, retain_graph loops,
detach / no_grad patterns, printing, small nn models with state_dict,
torch.save / load, torch.compile), run with `import torch` and with jitgrad
bound as torch: printed output, displayed values, errors and warnings must be
identical (conftest's `differential`). Each program is a file in
tests/user_programs_more/ (cells split at ``# %%``).

Also here: the regressions these programs found, checked against torch
directly (linspace / arange / logspace bits, round(decimals=))."""
import os

import numpy as np
import pytest

import jitgrad
from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "user_programs_more")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


WARM_UP_COMPILE = True       # (its programs use torch.compile: _programs' warm-up)


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))


_R = np.random.default_rng(11)
RANGES = [(-1, 1, 24), (0, 1, 16), (0, 1, 11), (0, 2 * np.pi, 100), (0.01, 0.99, 50), (3, 3, 4), (1, -1, 3),
          (0, 1, 1), (0, 1, 0), (-3.7, 12.25, 257)] + [
    (float(_R.normal() * 5), float(_R.normal() * 5), int(_R.integers(2, 200))) for _ in range(30)]


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_linspace_logspace_bits_match_torch(dtype):
    """torch computes start + step * i (first half) and end - step * (n - 1 - i)
    (second half) as fused multiply-adds in the dtype: NumPy's linspace differed
    in the last bit of ~1 element in 3."""
    for a, b, n in RANGES:
        want = torch.linspace(a, b, n, dtype=getattr(torch, dtype)).numpy()
        got = jitgrad.linspace(a, b, n, dtype=getattr(jitgrad, dtype)).numpy()
        assert got.dtype == want.dtype and np.array_equal(got, want), (a, b, n)
        if dtype != "int64":
            for base in (10.0, 2.0):
                want = torch.logspace(a / 4, b / 4, n, base=base, dtype=getattr(torch, dtype)).numpy()
                got = jitgrad.logspace(a / 4, b / 4, n, base=base, dtype=getattr(jitgrad, dtype)).numpy()
                assert np.array_equal(got, want), (a, b, n, base)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_arange_float_steps_bits_match_torch(dtype):
    """torch's arange(0, 1, 0.1) & co.: start + step * i fused in float64, its
    vectorised loop adding k * step to each vector's rounded first element."""
    cases = [(0, 1, 0.1), (0, 2, 0.5), (-1, 1, 0.05), (0, 10, 0.3), (0.1, 5.3, 0.17), (0, 2 * np.pi, 0.1)]
    cases += [(float(_R.normal()), float(_R.normal()) + 5, float(_R.uniform(0.01, 0.5))) for _ in range(30)]
    for c in cases:
        want = torch.arange(*c, dtype=getattr(torch, dtype)).numpy()
        got = jitgrad.arange(*c, dtype=getattr(jitgrad, dtype)).numpy()
        assert np.array_equal(got, want), c


def test_round_decimals_against_torch():
    """torch.round(x, decimals=d) / x.round(decimals=d): values in the dtype,
    RoundBackward1 (also for an explicit decimals=0), zero gradients, and the
    integer dtypes' errors."""
    vals = [1.2345, -2.5551, 0.5, 1.5, 2.675, 1234.5, 25.0, -0.04, float("inf")]
    out = []
    for lib in (torch, jitgrad):
        res = []
        for dt in (lib.float32, lib.float64):
            for d in (0, 1, 2, 3, -1, -2):
                x = lib.tensor(vals, dtype=dt, requires_grad=True)
                y = x.round(decimals=d)
                y.sum().backward()
                res.append((y.detach().numpy(), y.grad_fn.name(), x.grad.numpy()))
        errors = []
        for d in (0, -1):
            with pytest.raises(NotImplementedError) as e:
                lib.round(lib.tensor([15]), decimals=d)
            errors.append(str(e.value))
        out.append((res, errors))
    (got, gerr), (want, werr) = out[1], out[0]
    assert gerr == werr
    for (gy, gname, gg), (wy, wname, wg) in zip(got, want):
        np.testing.assert_array_equal(gy, wy)
        np.testing.assert_array_equal(np.signbit(gy), np.signbit(wy))
        assert gname == wname
        np.testing.assert_array_equal(gg, wg)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_full_sums_and_means_bits_match_torch(dtype):
    """x.sum() in torch's order (SumKernel.cpp's cascade over AVX2 vectors,
    threads' halves above 32768 elements): NumPy's pairwise order differed in
    ~1 sum in 2 from 5 elements on. Eager (small and general paths, a
    transposed view, keepdim), and the compiled replay of the same sum."""
    from jitgrad.core import torch_sum
    rng = np.random.default_rng(5)
    threads = torch.get_num_threads()
    torch.set_num_threads(torch_sum.THREADS)
    try:
        sizes = list(range(1, 40)) + [64, 100, 257, 1000, 4099, 40000, 70001]
        for n in sizes:
            a = rng.normal(size=n)
            want = torch.tensor(a, dtype=getattr(torch, dtype)).sum().item()
            x = jitgrad.tensor(a, dtype=getattr(jitgrad, dtype), requires_grad=n % 2 == 0)
            assert x.sum().item() == want, n
        m = rng.normal(size=(5, 7))
        tm, jm = torch.tensor(m, dtype=getattr(torch, dtype)), jitgrad.tensor(m, dtype=getattr(jitgrad, dtype))
        assert jm.t().sum().item() == tm.t().sum().item()
        assert jm.sum(dim=(0, 1), keepdim=True).numpy().tobytes() == tm.sum(dim=(0, 1), keepdim=True).numpy().tobytes()
        cf = jitgrad.compile(lambda v: (v * v).sum())
        for n in (5, 6, 13, 300):
            a = rng.normal(size=n)
            want = (torch.tensor(a, dtype=getattr(torch, dtype)) ** 2).sum().item()
            for _ in range(3):      # record, then replays
                assert cf(jitgrad.tensor(a, dtype=getattr(jitgrad, dtype), requires_grad=True)).item() == want, n
        assert cf.replays >= 8
        # mean: torch divides the sum by n (x * (1/n) differed in ~1 in 3)
        cm = jitgrad.compile(lambda v: (v * 1.5).mean() + v.mean(0))
        for n in (3, 5, 7, 10, 33, 100, 5000):
            for _ in range(3):
                a = rng.normal(size=n)
                t = torch.tensor(a, dtype=getattr(torch, dtype))
                x = jitgrad.tensor(a, dtype=getattr(jitgrad, dtype), requires_grad=True)
                assert x.mean().item() == t.mean().item(), n
                assert cm(x).item() == ((t * 1.5).mean() + t.mean(0)).item(), n
        assert cm.replays >= 14
    finally:
        torch.set_num_threads(threads)
