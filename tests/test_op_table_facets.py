"""The op table is complete and its two derivative forms agree.

Every entry declares the facets the rest of the package derives from it;
every elementwise entry has a branch in the jitted kernel; and at sample
points of its test domain the jitted partials (`kernels.partials`, and the
written-out `kernels.common_partials`) equal the entry's vjp rule evaluated
with tensor ops (a gradient of ones): the two forms cannot drift apart.
"""
import math

import numpy as np
import pytest

import jitgrad
from jitgrad.core import kernels as K
from jitgrad.core import ops as O

ELEMENTWISE = [op for op in O.TABLE if op.kind not in ("structural", "nondiff")]
NONDIFF = [op for op in O.TABLE if op.kind == "nondiff"]


def test_opcodes_are_assigned_from_the_table():
    codes = [op.opcode for op in O.TABLE]
    assert len(set(codes)) == len(codes)
    assert sorted(op.opcode for op in ELEMENTWISE + NONDIFF) == list(range(O.N_ELEMENTWISE))
    assert all(op.opcode >= O.STRUCTURAL_BASE for op in O.TABLE if op.kind == "structural")
    assert O.N_ELEMENTWISE <= O.STRUCTURAL_BASE
    for name in ("add", "mul", "exp", "logit", "sum", "gather", "host", "bulk"):
        assert getattr(K, name.upper()) == O.BY_NAME[name].opcode


@pytest.mark.parametrize("op", O.TABLE, ids=[op.name for op in O.TABLE])
def test_every_entry_has_its_facets(op):
    assert op.backward and op.backward[0].isupper()
    assert set(op.saves) <= set("xyo") and set(op.masked) <= set("xy")
    if op.kind == "structural":
        assert op.transpose or op.saves, "a structural op declares its transpose"
        return
    if op.kind == "nondiff":
        assert op.vjp is None and not op.saves and not op.method and op.arity in (1, 2)
        assert O.NONDIFF_BASE <= op.opcode < O.N_ELEMENTWISE
        return
    assert op.kind in ("unary", "binary", "param", "select")
    assert callable(op.scalar) and callable(op.vjp)
    assert op.array is None or callable(op.array)
    assert len(op.domain) in (0, op.arity)
    assert O.SAVES[op.opcode] == ((1 if "x" in op.saves else 0) | (2 if "y" in op.saves else 0)
                                  | (4 if "o" in op.saves else 0))
    if op.method:
        assert hasattr(jitgrad.Tensor, op.name)
    if op.inplace:
        assert hasattr(jitgrad.Tensor, op.name + "_")
    # The kernel has a branch for it (its fallback returns nan, nan, nan).
    x, y = _points(op, np.random.default_rng(0), 1)
    v, dx, dy = K.elementwise(op.opcode, x[0], y[0], float(op.param))
    assert not (math.isnan(v) and math.isnan(dx) and math.isnan(dy)), "no kernel branch"


def _points(op, rng, n):
    doms = list(op.domain) or [O.SIGNED] * op.arity
    out = []
    for kind, lo, hi in doms:
        v = rng.uniform(lo, hi, n)
        out.append(v * rng.choice([-1.0, 1.0], n) if kind == "signed" else v)
    if len(out) == 1:
        out.append(np.zeros(n))
    return out


@pytest.mark.parametrize("op", ELEMENTWISE, ids=[op.name for op in ELEMENTWISE])
def test_jitted_partials_equal_the_rule(op):
    rng = np.random.default_rng(1)
    xs, ys = _points(op, rng, 6)
    c = float(op.param) if op.kind == "param" else 0.0
    for x, y in zip(xs, ys):
        out = K.elementwise(op.opcode, x, y, c)[0]
        dx, dy = K.partials(op.opcode, x, y, c, out)
        found, cdx, cdy = K.common_partials(op.opcode, x, y, out)
        if found:
            assert (cdx, cdy if op.arity == 2 else 0.0) == (dx, dy if op.arity == 2 else 0.0), op.name
        X = jitgrad.tensor(x, dtype=jitgrad.float64)
        Y = jitgrad.tensor(y, dtype=jitgrad.float64) if op.arity == 2 else None
        G = jitgrad.tensor(1.0, dtype=jitgrad.float64)
        Out = jitgrad.tensor(out, dtype=jitgrad.float64)
        args = (G, X, Y, Out, c) + (((True, True),) if op.arity == 2 else ())
        gx, gy = op.vjp(*args)
        np.testing.assert_allclose(float(gx), dx, rtol=1e-12, atol=1e-14, err_msg=f"{op.name} d/dx at {x}, {y}")
        if op.arity == 2 and gy is None:
            assert dy == 0.0, op.name       # where's mask gets no gradient
        elif op.arity == 2:
            np.testing.assert_allclose(float(gy), dy, rtol=1e-12, atol=1e-14, err_msg=f"{op.name} d/dy at {x}, {y}")


SPECIALS = [-math.inf, -2.5, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 3.0, math.inf, math.nan]


@pytest.mark.parametrize("op", NONDIFF, ids=[op.name for op in NONDIFF])
def test_nondiff_kernel_equals_the_entry(op):
    """A no-gradient entry's jitted value is its scalar forward (bools as
    1.0 / 0.0, signed zeros included) and its partials are zero."""
    ys = SPECIALS if op.arity == 2 else [0.0]
    for x in SPECIALS:
        for y in ys:
            if op.name == "to_int64" and not -2.0 ** 63 < x < 2.0 ** 63:
                continue        # recorded only under range guards
            want = op.scalar(x, y) if op.arity == 2 else op.scalar(x)
            v, dx, dy = K.elementwise(op.opcode, x, y, 0.0)
            assert (v == want or v != v and want != want) and math.copysign(1, v) == math.copysign(1, want), (op.name, x, y)
            assert dx == 0.0 and dy == 0.0
