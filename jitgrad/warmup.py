"""``python -m jitgrad warmup``: compile every Numba kernel ahead of time.

Numba compiles each kernel on its first use and caches it on disk
(``NUMBA_CACHE_DIR``, else ``__pycache__`` beside ``core/kernels.py``); with
a cold cache the first gradient of a fresh process waits for the sweep to
compile (seconds). This runs small examples that reach every kernel family
(the backward sweep, Jacobian seeds, forward mode, eager arrays, replay:
forward, guards, value_and_grad, batches, parallel batches), so later processes only load them from the cache.
"""
from __future__ import annotations

import time
import warnings

import numpy as np

import jitgrad
from .core.sweep import SPECIAL_RECORDS_ALONE


def _eager() -> None:
    x = jitgrad.tensor(0.7, requires_grad=True)
    y = jitgrad.tensor(1.3, requires_grad=True, dtype=jitgrad.float64)
    (jitgrad.sin(x) * x + jitgrad.exp(y) / (y + 1.0) - x ** 2).backward()
    v = jitgrad.tensor(np.linspace(0.2, 1.4, 12), requires_grad=True)
    w = v.reshape(3, 4)
    s = (w.sum(0) * w[1]).cumsum(0).prod() + w.norm() + w.max(1).values.sum() + v[::3].mean()
    s = s + (w @ w.T).trace() + jitgrad.lgamma(v).sum() + jitgrad.where(v > 1.0, v, -v).sum()
    s.backward()
    _special()
    jitgrad.autograd.functional.jacobian(lambda t: jitgrad.tanh(t) * t.sum(), v[:4].detach())
    jitgrad.autograd.functional.jvp(lambda t: jitgrad.sin(t) * t, v[:4].detach(), jitgrad.ones(4))
    for dt in (jitgrad.float64, jitgrad.float32):
        # arrays past smallmath.SMALL_MAX: eager mode's array_values, per dtype
        a = jitgrad.tensor(np.linspace(0.1, 2.0, 16), dtype=dt)
        jitgrad.tanh(a) + jitgrad.atan2(a, a)


def _special() -> None:
    """Each special function's own kernels (forward map, partials, the sweep's
    record), the complete sweep past SPECIAL_RECORDS_ALONE of them, and the
    array forward of the ops NumPy lacks."""
    u = jitgrad.tensor(np.linspace(0.05, 0.95, 16), requires_grad=True)
    s = (jitgrad.special.erfinv(u) + jitgrad.digamma(u) + jitgrad.polygamma(2, u) + jitgrad.round(u * 3.0)
         + jitgrad.remainder(u, 0.3) + jitgrad.erf(u) + jitgrad.erfc(u) + jitgrad.nn.functional.gelu(u)).sum()
    s.backward()
    s = jitgrad.lgamma(u).sum()
    for k in range(SPECIAL_RECORDS_ALONE):
        s = s + jitgrad.lgamma(u + k + 1).sum()
    s.backward()


_DTYPES = (jitgrad.float64, jitgrad.float32)
_X = np.linspace(0.1, 1.0, 6).reshape(2, 3)


def _program(t, u):     # a vector program: the replay's forward, guards and reverse
    return (jitgrad.sin(t) * u + jitgrad.exp(t[:2]).sum()).sum() + (t * t).amax()


def _scalar_program(t, u):  # a scalar program (kernels.inline_program, replay_reverse_flags)
    return jitgrad.sin(t[0]) * u + t[1] * t[2]


def _replay(fn) -> None:
    """compile(fn) forward and backward, value_and_grad, .batch, per dtype."""
    for dt in _DTYPES:
        cf = jitgrad.compile(fn)
        vg = jitgrad.compile(jitgrad.func.value_and_grad(fn))
        for k in range(2):
            t = jitgrad.tensor([0.3, 0.9, 1.1], dtype=dt, requires_grad=True)
            u = jitgrad.tensor(0.5 + k, dtype=dt, requires_grad=True)
            cf(t, u).backward()
            vg(t.detach(), u.detach())
        vg.batch(jitgrad.tensor(_X, dtype=dt), jitgrad.tensor(np.array([0.5, 0.7]), dtype=dt))


def _replay_blas_and_vmap() -> None:
    for dt in _DTYPES:
        # matmul records (replay_blas.py): each layout pair, a row, a column, a 1x1
        mm = jitgrad.compile(lambda a, b: (a @ b.T).sum() + (a.T @ b).sum() + (a.T @ b.T).sum()
                             + (a[:1] @ b[:1].T).sum() + (a @ b[0]).sum())
        for k in range(2):
            mm(jitgrad.tensor(np.eye(3) + k, dtype=dt, requires_grad=True), jitgrad.tensor(np.ones((3, 3)), dtype=dt))
        # vmap of a grad transform: every point at once (kernels.forward_points, sweep_points, guards_points)
        per_point = jitgrad.func.vmap(jitgrad.func.grad(lambda w, x: jitgrad.tanh(x @ w).amax()), in_dims=(None, 0))
        for k in range(2):
            per_point(jitgrad.ones(3, 2, dtype=dt), jitgrad.tensor(_X, dtype=dt))


def _replay_parallel() -> None:
    """batch(parallel=True): the prange kernels, the longest compiles of all."""
    for fn, dt in ((_program, jitgrad.float64), (_scalar_program, jitgrad.float32)):
        vg = jitgrad.compile(jitgrad.func.value_and_grad(fn))
        vg.batch(jitgrad.tensor(_X, dtype=dt), jitgrad.tensor(np.array([0.5, 0.7]), dtype=dt), parallel=True)


def _distributions() -> None:
    """The samplers jitgrad.distributions jits (gamma, binomial: BTRS and inversion)."""
    D = jitgrad.distributions
    D.Gamma(jitgrad.tensor([0.5, 2.0]), 1.0).sample()
    D.Binomial(jitgrad.tensor([5.0, 100.0]), 0.3).sample()


# Two halves of about equal compile time (~100 s of one core each, cold),
# for two processes at once (the test suite's warmup under pytest-xdist);
# kernels both halves reach are compiled by whichever gets there first, or
# both (Numba writes each cache file whole, by rename).
_PARTS = (
    (_eager, lambda: _replay(_program), _replay_blas_and_vmap),
    (lambda: _replay(_scalar_program), _distributions, _replay_parallel),
)


def main(parallel: bool = True, part: int | None = None) -> None:
    """Compile every kernel family (`parallel`: also `.batch(parallel=True)`'s);
    `part` 0 or 1: only that half of them."""
    t0 = time.perf_counter()
    steps = _PARTS[0] + _PARTS[1] if part is None else _PARTS[part]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for step in steps:
            if parallel or step is not _replay_parallel:
                step()
    print(f"jitgrad: Numba kernels compiled and cached in {time.perf_counter() - t0:.1f} s")
