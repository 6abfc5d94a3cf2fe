"""Hypothesis: random expression graphs over random broadcastable shapes,
run in torch and jitgrad; values, dtypes, grad_fn names and leaf gradients
must agree, and where torch raises (shapes that stop broadcasting after a
reduction), jitgrad must raise the same error.

Leaf values come from a grid of quarters so that exact zeros and ties (the
kinks of relu, abs, max, clamp) are common: both libraries must follow the
same derivative conventions there.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from _compare import check, check_error, error_of, leaves

GRID = [k / 4 for k in range(-8, 9)]

# Ops with restricted domains get their argument mapped into it first.
UNARY = {
    "neg": lambda lib, x: -x, "abs": lambda lib, x: lib.abs(x), "exp": lambda lib, x: lib.exp(x),
    "log": lambda lib, x: lib.log(x.abs() + 0.5), "sqrt": lambda lib, x: (x * x + 0.25).sqrt(),
    "sin": lambda lib, x: lib.sin(x), "cos": lambda lib, x: x.cos(), "tanh": lambda lib, x: lib.tanh(x),
    "sigmoid": lambda lib, x: x.sigmoid(), "relu": lambda lib, x: lib.relu(x), "square": lambda lib, x: x.square(),
    "reciprocal": lambda lib, x: (x.abs() + 0.5).reciprocal(), "log1p": lambda lib, x: lib.log1p(x.abs()),
    "expm1": lambda lib, x: lib.expm1(x), "sign": lambda lib, x: lib.sign(x) * x,
    "softplus": lambda lib, x: lib.nn.functional.softplus(x), "gelu": lambda lib, x: lib.nn.functional.gelu(x),
    "silu": lambda lib, x: lib.nn.functional.silu(x), "elu": lambda lib, x: lib.nn.functional.elu(x),
    "leaky_relu": lambda lib, x: lib.nn.functional.leaky_relu(x, 0.1), "clamp": lambda lib, x: x.clamp(-0.5, 1.0),
    "pow_scalar": lambda lib, x: x ** 2, "rpow": lambda lib, x: 2.0 ** x, "rsub": lambda lib, x: 1 - x,
    "rdiv": lambda lib, x: 2 / (x.abs() + 1), "scale": lambda lib, x: x * 0.5,
}
BINARY = {
    "add": lambda lib, x, y: x + y, "sub": lambda lib, x, y: x - y, "mul": lambda lib, x, y: x * y,
    "div": lambda lib, x, y: x / (y * y + 0.5), "pow": lambda lib, x, y: (x.abs() + 0.5) ** y,
    "maximum": lambda lib, x, y: lib.maximum(x, y), "minimum": lambda lib, x, y: lib.minimum(x, y),
    "atan2": lambda lib, x, y: lib.atan2(x, y + 3.0), "where": lambda lib, x, y: lib.where(x > y, x, y * 2),
    "clamp_t": lambda lib, x, y: lib.clamp(x, min=y),
}
REDUCE = {
    "sum": lambda lib, x, d, k: x.sum(d, keepdim=k), "mean": lambda lib, x, d, k: lib.mean(x, d, keepdim=k),
    "amax": lambda lib, x, d, k: lib.amax(x, d, keepdim=k), "amin": lambda lib, x, d, k: x.amin(d, keepdim=k),
    "max": lambda lib, x, d, k: lib.max(x, d, keepdim=k).values, "min": lambda lib, x, d, k: x.min(d, k)[0],
    "logsumexp": lambda lib, x, d, k: lib.logsumexp(x, d, keepdim=k), "prod": lambda lib, x, d, k: x.prod(d, k),
    "norm": lambda lib, x, d, k: lib.norm(x, dim=d, keepdim=k), "cumsum": lambda lib, x, d, k: x.cumsum(d),
    "cumprod": lambda lib, x, d, k: lib.cumprod(x, d),
    "softmax": lambda lib, x, d, k: lib.nn.functional.softmax(x, d),
    "log_softmax": lambda lib, x, d, k: lib.nn.functional.log_softmax(x, d),
    "sum_all": lambda lib, x, d, k: x.sum(), "max_all": lambda lib, x, d, k: x.max(),
}


@st.composite
def shapes(draw):
    """Shapes broadcastable to one base shape: a suffix of it, some dims 1."""
    base = draw(st.lists(st.integers(1, 3), max_size=3))
    n = draw(st.integers(0, len(base)))
    return tuple(1 if draw(st.booleans()) else s for s in base[len(base) - n:]), base


@st.composite
def programs(draw):
    base = draw(st.lists(st.integers(1, 3), max_size=3))
    leaf_shapes = []
    for _ in range(draw(st.integers(1, 3))):
        n = draw(st.integers(0, len(base)))
        leaf_shapes.append(tuple(1 if draw(st.booleans()) else s for s in base[len(base) - n:]))
    values = [draw(arrays(np.float64, s, elements=st.sampled_from(GRID))) for s in leaf_shapes]
    step = st.one_of(
        st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY)), st.integers(0, 9)),
        st.tuples(st.just("binary"), st.sampled_from(sorted(BINARY)), st.integers(0, 9), st.integers(0, 9)),
        st.tuples(st.just("reduce"), st.sampled_from(sorted(REDUCE)), st.integers(0, 9), st.integers(-3, 2),
                  st.booleans()),
    )
    return values, draw(st.lists(step, min_size=1, max_size=6))


def run_program(lib, steps, *xs):
    nodes = list(xs)
    for kind, name, i, *rest in steps:
        x = nodes[i % len(nodes)]
        if kind == "unary":
            nodes.append(UNARY[name](lib, x))
        elif kind == "binary":
            nodes.append(BINARY[name](lib, x, nodes[rest[0] % len(nodes)]))
        else:
            d, keep = rest
            nodes.append(REDUCE[name](lib, x, d % max(x.dim(), 1) - (d < 0) * max(x.dim(), 1), keep))
    return nodes[-1]


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_random_graphs_match_torch(program):
    torch = pytest.importorskip("torch")
    values, steps = program

    def case(lib, *xs):
        return run_program(lib, steps, *xs)
    for dtype in ("float64", "float32"):
        if error_of(lambda: case(torch, *leaves(torch, values, dtype))) is not None:
            check_error(torch, case, values, dtype)
        else:
            tol = (1e-6, 1e-9) if dtype == "float64" else (2e-4, 1e-4)
            check(torch, case, values, dtype, tol=tol, what=f"{dtype} {steps}")


@settings(max_examples=60, deadline=None, derandomize=True)
@given(shapes(), shapes(), st.sampled_from(sorted(BINARY)))
def test_broadcast_gradients_reduce_to_each_operand(sa, sb, name):
    """Any pair of shapes broadcastable to a common base: gradients summed
    back to each operand's own shape, as in torch."""
    torch = pytest.importorskip("torch")
    (shape_a, _), (shape_b, _) = sa, sb
    rng = np.random.default_rng(len(shape_a) * 7 + len(shape_b))
    a, b = rng.normal(size=shape_a), rng.normal(size=shape_b)
    case = BINARY[name]
    if error_of(lambda: case(torch, *leaves(torch, [a, b], "float64"))) is not None:
        check_error(torch, case, [a, b])
    else:
        check(torch, case, [a, b])
