"""Benchmark workloads, defined once for pytest-benchmark (``test_core.py``)
and for the plain-timer report (``report.py``).

A workload is a function ``make(m)`` that takes the module to benchmark
(``jitgrad`` or ``torch``: both are used through PyTorch's API only), does
the untimed setup, and returns ``run``: a zero-argument callable doing one
timed round. ``run()`` returns the tensors whose values both backends must
agree on (``values()`` flattens them for the check).

Adding a workload = one small function below + one ``Workload(...)`` row in
``WORKLOADS``. Both harnesses pick it up without further edits.
"""
from __future__ import annotations

import dataclasses
import functools
import math
import time
from typing import Any, Callable

STEPS = 5000            # scalar_chain: 4 ops per step -> 20,000 recorded ops
SWEEP_STEPS = 600       # retained_sweep: 5 ops per step -> 3,000 recorded ops
SWEEP_LEAVES = 8


# ----- workloads ------------------------------------------------------------

def scalar_chain(m, dtype="float32", steps=STEPS):
    """Forward + backward of a 20,000-op scalar chain built in Python."""
    dt = getattr(m, dtype)

    def run():
        x = m.tensor(0.5, requires_grad=True, dtype=dt)
        y = x
        for _ in range(steps):
            y = y * 1.0001 + m.sin(y) * 0.5
        y.backward()
        # The chain settles on y ~ pi where dy'/dy ~ 0.5, so x.grad underflows
        # to 0 (torch float32: a denormal); y is the meaningful check value.
        return y.detach(), x.grad

    return run


def retained_sweep(m, steps=SWEEP_STEPS, leaves=SWEEP_LEAVES):
    """Backward alone (retain_graph=True) of a prebuilt 3,000-op scalar graph:
    mul/sin/exp/mul/add per step, 8 leaves, y used twice per step (a DAG)."""
    ws = [m.tensor(0.3 + 0.05 * i, requires_grad=True, dtype=m.float64) for i in range(leaves)]
    y = ws[0]
    for k in range(steps):
        w = ws[k % leaves]
        y = m.exp(m.sin(y * w)) + y * 0.25

    def run():                     # the leaves stay alive with the closure
        y.backward(retain_graph=True)
        return [w.grad for w in ws]

    run.graph_output = y
    return run


@dataclasses.dataclass(frozen=True)
class Workload:
    name: str                       # benchmark group / table row
    make: Callable[[Any], Callable[[], Any]]
    target: float                   # required torch / jitgrad time ratio
    timed: str                      # what one round measures


WORKLOADS = [
    Workload("scalar_chain", scalar_chain, 5.0, "forward + backward, 20k ops, float32"),
    Workload("scalar_chain_f64", functools.partial(scalar_chain, dtype="float64"), 5.0,
             "forward + backward, 20k ops, float64"),
    Workload("retained_sweep", retained_sweep, 50.0, "backward(retain_graph=True) of 3k ops"),
]
BY_NAME = {w.name: w for w in WORKLOADS}


# ----- shared helpers --------------------------------------------------------

def load(backend):
    """The module for a backend name; ImportError if it is not installed."""
    if backend == "jitgrad":
        import jitgrad
        return jitgrad
    if backend == "torch":
        import torch
        return torch
    raise ValueError(backend)


def values(result):
    """Flatten what run() returned (tensors, None, nested sequences) to floats."""
    if result is None:
        return []
    if isinstance(result, (list, tuple)):
        return [v for r in result for v in values(r)]
    if isinstance(result, (int, float)):
        return [float(result)]
    data = result.detach().tolist()
    return values(data) if isinstance(data, list) else [float(data)]


def agree(a, b, rtol=1e-4, atol=1e-30):
    """Whether two values() lists match (float32 rounding differs per op)."""
    return len(a) == len(b) and all(
        (math.isnan(x) and math.isnan(y)) or abs(x - y) <= atol + rtol * abs(y) for x, y in zip(a, b))


def plan(run, round_time=0.002, budget=0.6, min_rounds=5, max_rounds=200, warmup=2):
    """Warm run() up (Numba compiles on its first call) and choose how to time
    it: (iterations per round, rounds) so a round lasts >= round_time (timer
    resolution) and all rounds fit in about `budget` seconds."""
    for _ in range(warmup):
        run()
    t = min(_once(run) for _ in range(3))
    iterations = max(1, math.ceil(round_time / max(t, 1e-9)))
    rounds = int(budget / (t * iterations))
    return iterations, max(min_rounds, min(max_rounds, rounds))


def fmt_time(seconds):
    """A duration with a readable unit: 12.3 ms, 45.6 us."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds * 1e9:.3g} ns"


def _once(run):
    t0 = time.perf_counter()
    run()
    return time.perf_counter() - t0
