"""pytest-benchmark setup for jitgrad's benchmarks (``pytest benchmarks/``).

Each workload of ``workloads.py`` runs once per backend (jitgrad, torch) in
one pytest-benchmark *group* named after the workload, so pytest-benchmark's
table puts the two side by side. After that table, a summary prints the
torch / jitgrad ratio of every workload against its target (report only: a
noisy machine must not turn a benchmark run red).
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import workloads as W  # noqa: E402

BACKENDS = ("jitgrad", "torch")


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """pyproject.toml's addopts run the tests on every core (`-n auto`); timings
    need one process (pytest-benchmark turns itself off under xdist)."""
    if getattr(config.option, "numprocesses", None):
        config.option.numprocesses = 0

# (workload name, backend) -> (min, median) seconds per call
_RESULTS = {}


@pytest.fixture(params=BACKENDS)
def backend(request):
    """(name, module) of the backend under benchmark; torch variants skip
    when torch is not installed, jitgrad variants still run."""
    name = request.param
    module = pytest.importorskip("torch") if name == "torch" else W.load(name)
    return name, module


@pytest.fixture(scope="session")
def core_results():
    return _RESULTS


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter):
    if not _RESULTS:
        return
    tr = terminalreporter
    tr.section("torch / jitgrad (per-call min and median, target on min)")
    tr.write_line(f"{'workload':<20} {'jitgrad min':>12} {'torch min':>12} {'ratio min':>10} "
                  f"{'ratio med':>10} {'target':>7}  met")
    for w in W.WORKLOADS:
        j = _RESULTS.get((w.name, "jitgrad"))
        t = _RESULTS.get((w.name, "torch"))
        if j is None:
            continue
        if t is None:
            tr.write_line(f"{w.name:<20} {W.fmt_time(j[0]):>12} {'n/a':>12}")
            continue
        rmin, rmed = t[0] / j[0], t[1] / j[1]
        tr.write_line(f"{w.name:<20} {W.fmt_time(j[0]):>12} {W.fmt_time(t[0]):>12} {rmin:>9.1f}x "
                      f"{rmed:>9.1f}x {w.target:>6.0f}x  {'yes' if rmin >= w.target else 'NO'}")
