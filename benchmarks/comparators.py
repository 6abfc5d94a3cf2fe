"""Optional comparators for compiled value-and-gradient (issue 11): CasADi's
SX virtual machine, built from the same Python functions as ``workloads.py``.

    python benchmarks/comparators.py              # needs `pip install casadi`
    python benchmarks/comparators.py --repeats 15

For each function (the non-degenerate scalar chain, the Rosenbrock loop, the
10k-op scalar graph; float64, CasADi's only type) it times, on the same
input: jitgrad's ``compile(func.value_and_grad(f))`` and CasADi's
``Function([x], [f, gradient(f, x)])`` called from Python (numbers in,
numbers out), and reports CasADi's build time (tracing ``f`` on SX symbols,
differentiating, building the Function) next to jitgrad's first call
(record + first replay). Prints a note and exits 0 when CasADi is missing.
"""
import argparse
import functools
import math
import os
import sys
import time
import types

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import workloads as W  # noqa: E402


def casadi_namespace(ca):
    """What the workload functions call on their module `m`, on SX values."""
    def softplus(v):
        return ca.log1p(ca.exp(v))      # torch's softplus below its threshold (20): the graph stays below it
    return types.SimpleNamespace(sin=ca.sin, exp=ca.exp, nn=types.SimpleNamespace(
        functional=types.SimpleNamespace(softplus=softplus)))


FUNCTIONS = {
    # name: (f(m, x), x0, scalar input)
    "scalar_chain_nd (20k ops)": (lambda m, x: W.chain(m, x, coef=W.CHAIN_ND), np.array(0.5), True),
    "rosenbrock loop (n=1000)": (W.rosenbrock_fn, np.array([0.5 + 0.001 * ((i * 13) % 17) for i in range(W.ROSEN_N)]),
                                 False),
    "scalar_graph (10k ops)": (W.scalar_graph_fn, np.array([0.01 * ((i * 37) % 101 - 50) for i in range(W.GRAPH_N)]),
                               False),
}


def per_call(run, repeats):
    iterations, _ = W.plan(run, budget=0.1, warmup=1)
    best = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(iterations):
            run()
        best = min(best, (time.perf_counter() - t0) / iterations)
    return best


def jitgrad_vg(fn, x0):
    import jitgrad
    vg = jitgrad.compile(jitgrad.func.value_and_grad(functools.partial(fn, jitgrad)))
    t0 = time.perf_counter()
    value, grad = vg(jitgrad.tensor(x0, dtype=jitgrad.float64))
    first = time.perf_counter() - t0

    def run():
        return vg(jitgrad.tensor(x0, dtype=jitgrad.float64))
    return run, first, float(value), np.asarray(grad.numpy(), float).ravel()


def casadi_vg(ca, fn, x0, scalar):
    t0 = time.perf_counter()
    x = ca.SX.sym("x") if scalar else ca.SX.sym("x", len(x0))
    y = fn(casadi_namespace(ca), x)
    f = ca.Function("vg", [x], [y, ca.gradient(y, x)])
    build = time.perf_counter() - t0
    arg = float(x0) if scalar else x0

    def run():
        return f(arg)
    value, grad = run()
    return run, build, float(value), np.asarray(grad, float).ravel()


def table(repeats):
    """The comparison as Markdown lines (a note when CasADi is missing)."""
    try:
        import casadi as ca
    except ImportError:
        return ["CasADi is not installed (pip install casadi): no comparison."]
    lines = ["| function (float64) | jitgrad compile(value_and_grad) | CasADi SX Function | CasADi / jitgrad "
             "| jitgrad first call | CasADi build |", "|---|---:|---:|---:|---:|---:|"]
    for name, (fn, x0, scalar) in FUNCTIONS.items():
        jrun, jfirst, jv, jg = jitgrad_vg(fn, x0)
        crun, cbuild, cv, cg = casadi_vg(ca, fn, x0, scalar)
        if not (math.isclose(jv, cv, rel_tol=1e-9, abs_tol=1e-12) and np.allclose(jg, cg, rtol=1e-7, atol=1e-12)):
            lines.append(f"WARNING: {name}: jitgrad and CasADi values differ")
        j, c = per_call(jrun, repeats), per_call(crun, repeats)
        lines.append(f"| {name} | {W.fmt_time(j)} | {W.fmt_time(c)} | {c / j:.2f}x | {W.fmt_time(jfirst)} | "
                     f"{W.fmt_time(cbuild)} |")
    lines.append("")
    lines.append(f"Per-call time: min of {repeats} rounds after warm-up; CasADi {ca.__version__}, called from "
                 "Python with a NumPy array (its default SX virtual machine, no code generation).")
    return lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=9, help="timed rounds (default 9)")
    print("\n".join(table(ap.parse_args(argv).repeats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
