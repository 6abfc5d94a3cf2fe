"""Core performance benchmarks: jitgrad vs torch on the workloads of
``workloads.py`` (one pytest-benchmark group per workload).

    pytest benchmarks/                       # both backends, grouped
    pytest benchmarks/ -k jitgrad            # jitgrad only (no torch needed)
    pytest benchmarks/ --benchmark-disable   # one call each: a smoke test
"""
import pytest

import workloads as W


@pytest.mark.parametrize("workload", W.WORKLOADS, ids=lambda w: w.name)
def test_core(benchmark, workload, backend, core_results):
    name, module = backend
    run = workload.make(module)
    benchmark.group = workload.name
    benchmark.extra_info.update(backend=name, timed=workload.timed, target=workload.target)
    if benchmark.disabled:
        benchmark.pedantic(run)
        return
    # plan() warms up (Numba compiles on its first call) and sizes the rounds:
    # ~1.5 s of rounds per benchmark, so the min can catch a quiet moment of a
    # machine shared with other processes.
    iterations, rounds = W.plan(run, budget=1.5)
    benchmark.pedantic(run, rounds=rounds, iterations=iterations, warmup_rounds=1)
    stats = benchmark.stats.stats
    core_results[workload.name, name] = (stats.min, stats.median)


@pytest.mark.parametrize("workload", W.WORKLOADS, ids=lambda w: w.name)
def test_same_numbers(workload):
    """Both backends compute the same thing (else the timings compare nothing)."""
    torch = pytest.importorskip("torch")
    import jitgrad
    got = W.values(workload.make(jitgrad)())
    want = W.values(workload.make(torch)())
    assert W.agree(got, want), (got[:8], want[:8])
