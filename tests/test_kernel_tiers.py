"""The eager sweep in tiers (cold start): `sweep_basic` differentiates the
common records and hands the rest to the full `_sweep`; both must give the
same adjoints, reach marks, freed marks and statuses, bit for bit, and a
plain backward must not compile the full sweep."""
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import jitgrad
from jitgrad.core import kernels as K
from jitgrad.core import ops as O

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Operand values with the edge cases of the masked and signed-zero rules.
EDGES = [0.0, -0.0, 1.0, -1.0, 2.0, 0.5, -2.5, 3.0, np.inf, -np.inf, np.nan, 1e-300, 7.25]


def _elementwise_record(op, xs, ys, m_flags, seeds):
    """A one-record tape: x in slots [0, nx), y in [nx, nx + ny), the result
    after them; its adjoint `seeds` (n x K)."""
    n = max(len(xs), len(ys)) if ys is not None else len(xs)
    nx, ny = len(xs), (len(ys) if ys is not None else 0)
    out = nx + ny
    vals = np.zeros(out + n + 1)
    vals[:nx] = xs
    if ys is not None:
        vals[nx:out] = ys
    for i in range(n):
        x = xs[0 if nx == 1 else i]
        y = (ys[0 if ny == 1 else i]) if ys is not None else 0.0
        vals[out + i] = K.elementwise(op, x, y, 0.0)[0]
    m = m_flags | (1 if nx == 1 and n > 1 else 0) | (2 if ny == 1 and n > 1 else 0)
    rec = np.array([[op, out, n, 0, nx if ys is not None else -1, m, -1]], np.int64)
    adj = np.zeros((len(vals), seeds.shape[1]))
    adj[out:out + n] = seeds
    reach = np.zeros(len(vals), np.uint8)
    reach[out:out + n] = 1
    return rec, vals, adj, reach


def _both(rec, vals, meta, adj, reach, stale=K.NO_STALE, retain=False, freed=None, kernel="basic"):
    """(status, r, adj, reach, freed) of `kernel` (sweep_basic or
    sweep_tiered) and of the complete _sweep, on copies."""
    runs = []
    for which in (kernel, "full"):
        a, re = adj.copy(), reach.copy()
        fr = np.zeros(len(rec), np.uint8) if freed is None else freed.copy()
        hi = len(rec) - 1
        if which == "basic":
            st, r = K.sweep_basic(rec, vals, meta, a, re, fr, stale, hi, 0, retain)
        elif which == "scalar":
            st, r = K.sweep_scalar(rec, vals, meta, a, re, fr, stale, hi, 0, retain)
        elif which == "tiered":
            st, r = K.sweep_tiered(rec, vals, meta, a, re, fr, stale, hi, 0, retain)
        else:
            st, r = K._sweep(rec, vals, meta, a, re, fr, stale, hi, 0, retain, K.NO_PROG, K.NO_PD)
        runs.append((st, r, a, re, fr))
    return runs


def _same_bits(u, v):
    return np.array_equal(np.asarray(u).view(np.uint8), np.asarray(v).view(np.uint8))


BASIC = [int(op) for op in np.nonzero(K.BASIC_OPS)[0]]
BINARY = {op.opcode for op in O.TABLE if op.kind == "binary"}


@pytest.mark.parametrize("op", BASIC, ids=[O.TABLE[op].name for op in BASIC])
def test_basic_ops_match_the_full_sweep_bit_for_bit(op):
    rng = np.random.default_rng(op)
    edges = np.array(EDGES)
    one = np.array([[1.0]])
    cases = []
    if op in BINARY:
        xs, ys = np.meshgrid(edges, edges)
        for x, y in zip(xs.ravel(), ys.ravel()):
            cases.append(([x], [y], 12, one))         # 0-d, both operands require grad
            cases.append(([x], [y], 4, -one))         # a constant y (pow: a constant exponent)
        cases.append((edges, edges[::-1], 12, rng.standard_normal((len(edges), 3))))   # vectors, K = 3
        cases.append((edges, [2.0], 12, rng.standard_normal((len(edges), 1))))          # y broadcast
        cases.append(([-0.5], edges, 12, rng.standard_normal((len(edges), 2))))         # x broadcast
        cases.append((edges, edges, 4, np.full((len(edges), 1), -0.0)))                # -0.0 seeds
    else:
        for x in edges:
            cases.append(([x], None, 4, one))
            cases.append(([x], None, 4, -one * np.inf))
        cases.append((edges, None, 4, rng.standard_normal((len(edges), 3))))
        cases.append((edges, None, 4, np.full((len(edges), 1), -0.0)))
    for xs, ys, m, seeds in cases:
        rec, vals, adj, reach = _elementwise_record(op, np.array(xs, float), None if ys is None else np.array(ys, float),
                                                    m, seeds)
        meta = np.zeros(1, np.int64)
        if seeds.shape[1] > 1:
            # Elementwise records with K seeds (Jacobians) are the full sweep's.
            a, re, fr = adj.copy(), reach.copy(), np.zeros(1, np.uint8)
            assert K.sweep_basic(rec, vals, meta, a, re, fr, K.NO_STALE, 0, 0, False) == (K.ESCALATE, 0)
            assert _same_bits(a, adj) and np.array_equal(re, reach) and not fr.any()
        scalar = seeds.shape[1] == 1 and len(vals) - rec[0, 1] - 1 == 1     # (a 0-d record: sweep_scalar's too)
        for kernel in ("basic", "tiered") + (("scalar",) if scalar else ()) if seeds.shape[1] == 1 else ("tiered",):
            (sb, rb, ab, reb, fb), (sf, rf, af, ref, ff) = _both(rec, vals, meta, adj, reach, kernel=kernel)
            assert (sb, rb) == (sf, rf) == (K.DONE, -1)
            assert _same_bits(ab, af), (O.TABLE[op].name, xs, ys, m, ab, af)
            assert np.array_equal(reb, ref) and np.array_equal(fb, ff)


def test_other_ops_escalate_untouched():
    """A record sweep_basic leaves to _sweep: ESCALATE at it, nothing written."""
    for op in range(O.N_ELEMENTWISE):
        if K.BASIC_OPS[op]:
            continue
        rec, vals, adj, reach = _elementwise_record(op, np.array([0.3]), np.array([0.7]) if op in BINARY else None,
                                                    12 if op in BINARY else 4, np.array([[1.0]]))
        a, re, fr = adj.copy(), reach.copy(), np.zeros(1, np.uint8)
        st, r = K.sweep_basic(rec, vals, np.zeros(1, np.int64), a, re, fr, K.NO_STALE, 0, 0, False)
        assert (st, r) == (K.ESCALATE, 0), O.TABLE[op].name
        assert _same_bits(a, adj) and np.array_equal(re, reach) and not fr.any()


def test_scalar_tier_escalates_untouched():
    """sweep_scalar leaves other ops, arrays, structural records and K seeds
    to sweep_basic: ESCALATE at the record, nothing written."""
    cases = []
    for op in range(O.N_ELEMENTWISE):
        if not K.BASIC_OPS[op]:
            cases.append(_elementwise_record(op, np.array([0.3]), np.array([0.7]) if op in BINARY else None,
                                             12 if op in BINARY else 4, np.array([[1.0]])))
    cases.append(_elementwise_record(K.MUL, np.array([0.3, 0.5]), np.array([0.7, 2.0]), 12, np.ones((2, 1))))
    cases.append(_elementwise_record(K.MUL, np.array([0.3]), np.array([0.7]), 12, np.ones((1, 2))))
    for rec, vals, adj, reach in cases:
        a, re, fr = adj.copy(), reach.copy(), np.zeros(1, np.uint8)
        st, r = K.sweep_scalar(rec, vals, np.zeros(1, np.int64), a, re, fr, K.NO_STALE, 0, 0, False)
        assert (st, r) == (K.ESCALATE, 0)
        assert _same_bits(a, adj) and np.array_equal(re, reach) and not fr.any()
    rec, vals, meta = _structural_tape()
    assert K.sweep_scalar(rec, vals, meta, np.zeros((len(vals), 1)), np.zeros(len(vals), np.uint8),
                          np.zeros(len(rec), np.uint8), K.NO_STALE, len(rec) - 1, 0, False)[0] == K.ESCALATE


@pytest.mark.parametrize("op", [op for op in range(O.N_ELEMENTWISE) if not K.BASIC_OPS[op]],
                         ids=[o.name for o in O.TABLE[:O.N_ELEMENTWISE] if not K.BASIC_OPS[o.opcode]])
def test_lean_full_sweep_matches_the_complete_one(op):
    """Eager tapes escalate to `_sweep` without a program (prog None: no
    special functions compiled), then, at a special function, to the complete
    `_sweep`: same bits as the complete sweep, or ESCALATE untouched."""
    binary = op in BINARY
    xs = np.array(EDGES)
    ys = np.array(EDGES[::-1]) if binary else None
    seeds = np.random.default_rng(op).standard_normal((len(xs), 2))
    rec, vals, adj, reach = _elementwise_record(op, xs, ys, 12 if binary else 4, seeds)
    if O.TABLE[op].kind == "param":
        vals = np.append(vals, 0.25 if op != K.POLYGAMMA else 2.0)
        rec[0, 6] = len(vals) - 1
        vals[rec[0, 1]:rec[0, 1] + len(xs)] = [K.elementwise(op, x, 0.0, vals[-1])[0] for x in xs]
        adj = np.vstack([adj, np.zeros((1, 2))])
        reach = np.append(reach, 0).astype(np.uint8)
    runs = []
    for prog, pd in ((None, None), (K.NO_PROG, K.NO_PD)):
        a, re, fr = adj.copy(), reach.copy(), np.zeros(1, np.uint8)
        runs.append((K._sweep(rec, vals, np.zeros(1, np.int64), a, re, fr, K.NO_STALE, 0, 0, False, prog, pd), a, re, fr))
    (lean, al, rel, frl), (full, af, ref, frf) = runs
    assert full == (K.DONE, -1)
    if op in K.SPECIAL_OPS:
        assert lean == (K.ESCALATE, 0) and _same_bits(al, adj) and np.array_equal(rel, reach) and not frl.any()
    else:
        assert lean == full and _same_bits(al, af) and np.array_equal(rel, ref) and np.array_equal(frl, frf)


def _structural_tape():
    """x (4 slots) -> gather [2, 0, 2] -> scaled sum_idx into 2 slots -> sum;
    then x * x elementwise and a sum over it (slots: x 0-3, gather 4-6, const
    7, sum_idx 8-9, sum const 10, sum 11, mul 12-15, sum 16)."""
    vals = np.zeros(17)
    vals[0:4] = [0.5, -1.5, 2.0, -0.0]
    vals[7] = -0.5
    vals[10] = 1.0
    meta = np.array([2, 0, 2,  7, 1, 0, 1,  0], np.int64)
    g = vals[0:4][[2, 0, 2]]
    vals[4:7] = g
    vals[8:10] = [-0.5 * g[1], -0.5 * (g[0] + g[2])]
    vals[11] = vals[8] + vals[9]
    vals[12:16] = vals[0:4] * vals[0:4]
    vals[16] = vals[12:16].sum()
    rec = np.array([
        [K.GATHER, 4, 3, 0, -1, 4, 0],
        [K.SUM_IDX, 8, 2, 4, -1, 3, 3],
        [K.SUM, 11, 1, 8, -1, 2, 10],
        [K.MUL, 12, 4, 0, 0, 12, -1],
        [K.SUM, 16, 1, 12, -1, 4, 10],
        [K.ADD, 16, 1, 11, 16, 12, -1],
    ], np.int64)
    vals = np.append(vals, vals[11] + vals[16])
    rec[5, 1] = 17
    return rec, vals, meta


@pytest.mark.parametrize("k", [1, 3])
def test_structural_records_match_the_full_sweep(k):
    rec, vals, meta = _structural_tape()
    adj = np.zeros((len(vals), k))
    adj[17] = np.arange(1, k + 1)
    reach = np.zeros(len(vals), np.uint8)
    reach[17] = 1
    for retain in (False, True):
        (sb, rb, ab, reb, fb), (sf, rf, af, ref, ff) = _both(rec, vals, meta, adj, reach, retain=retain,
                                                             kernel="basic" if k == 1 else "tiered")
        assert (sb, rb) == (sf, rf) == (K.DONE, -1)
        assert _same_bits(ab, af) and np.array_equal(reb, ref) and np.array_equal(fb, ff)
    # x's gradient: 2x from x * x, then -0.5 per gathered read (x[2] twice, x[0] once).
    expect = np.array([1.0 - 0.5, -3.0, 4.0 - 1.0, -0.0])
    np.testing.assert_array_equal(_both(rec, vals, meta, adj, reach, kernel="tiered")[0][2][0:4, 0], expect)


def test_statuses_match_the_full_sweep():
    rec, vals, meta = _structural_tape()
    adj = np.zeros((len(vals), 1))
    adj[17] = 1.0
    reach = np.zeros(len(vals), np.uint8)
    reach[17] = 1
    freed = np.zeros(len(rec), np.uint8)
    freed[3] = 1        # the mul saved x and was freed: a second backward raises
    (sb, rb, ab, *_), (sf, rf, af, *_) = _both(rec, vals, meta, adj, reach, freed=freed)
    assert (sb, rb) == (sf, rf) == (K.FREED, 3)
    # An in-place write to x: the mul's saved operand is stale. sweep_basic
    # leaves the record to _sweep, which names it.
    stale = np.zeros(len(vals), np.uint8)
    stale[0:4] = 1
    a, re, fr = adj.copy(), reach.copy(), np.zeros(len(rec), np.uint8)
    assert K.sweep_basic(rec, vals, meta, a, re, fr, stale, 5, 0, False) == (K.ESCALATE, 3)
    assert K.sweep_tiered(rec, vals, meta, adj.copy(), reach.copy(), np.zeros(len(rec), np.uint8), stale, 5, 0,
                          False) == (K.MODIFIED, 3)
    # A host record (matmul): AT_HOST from both.
    host = rec.copy()
    host[3, 0] = K.HOST
    (sb, rb, *_), (sf, rf, *_) = _both(host, vals, meta, adj, reach)
    assert (sb, rb) == (sf, rf) == (K.AT_HOST, 3)


def test_escalation_mid_tape_matches_torch():
    """Basic records after (above) a special function and a norm: the basic
    sweep runs first, the full sweep from the first record it can't do."""
    def f(m, x):
        y = m.special.gammaln(x.abs() + 1.0) * 2.0 + x.norm() - x.cumsum(0).sum()
        return (y * x.sin()).sum() + (x ** 2).sum() / x.exp().sum()
    xv = np.array([0.3, -1.2, 2.5, 0.0], np.float64)
    jx = jitgrad.tensor(xv, requires_grad=True)
    tx = torch.tensor(xv, requires_grad=True)
    f(jitgrad, jx).backward()
    f(torch, tx).backward()
    np.testing.assert_allclose(jx.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-15)


COLD = r"""
import jitgrad, numpy as np
from jitgrad.core import kernels as K
from numba.core.dispatcher import Dispatcher
compiled = lambda: sorted(n for n, d in vars(K).items() if isinstance(d, Dispatcher) and d.signatures)
print(compiled())
x = jitgrad.tensor(2.0, requires_grad=True)
v = jitgrad.tensor([0.5, -1.0, 3.0], requires_grad=True)
((x * x).sin() + (v * x).sum() + v[1] ** 2).backward()
print(x.grad.item(), v.grad.tolist())
print(compiled())
y = jitgrad.tensor(0.7, requires_grad=True)
(jitgrad.nn.functional.softplus(y) * y).backward()
print(y.grad.item())
print(compiled(), [str(sig[-1]) for sig in getattr(K._sweep, "signatures", [])])
y.grad = None
jitgrad.lgamma(y * 3.0).backward()
print(y.grad.item())
print(compiled())
print(len(getattr(K._sweep, "signatures", [])))
"""


@pytest.mark.parametrize("disable_jit", ["0", "1"])
def test_plain_backward_compiles_only_the_basic_sweep(disable_jit):
    """Nothing is compiled (or loaded from the cache) at import; a backward of
    plain records needs sweep_basic alone; a special function its own kernels.
    The same code runs with NUMBA_DISABLE_JIT=1. (The shared cache: an empty
    one would compile the full sweep, ~10 s.)"""
    env = dict(os.environ, NUMBA_DISABLE_JIT=disable_jit, PYTHONPATH=ROOT)
    out = subprocess.run([sys.executable, "-c", COLD], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    x, v = 2.0, [0.5, -1.0, 3.0]
    assert float(lines[1].split()[0]) == pytest.approx(np.cos(4.0) * 4.0 + sum(v))
    assert lines[1].split(" ", 1)[1] == str([x, x - 2.0, x])
    s = 1.0 / (1.0 + np.exp(-0.7))
    assert float(lines[3]) == pytest.approx(s * 0.7 + np.log1p(np.exp(0.7)))
    assert float(lines[5]) == pytest.approx(3.0 * float(torch.special.digamma(torch.tensor(2.1, dtype=torch.float64))))
    if disable_jit == "0":
        assert lines[0] == "[]"
        assert lines[2] == "['sweep_basic']"
        # softplus: the full sweep without a program (prog None), so without
        # the special functions (kernels it calls are listed only when compiled
        # here, not when loaded from the cache with their caller)
        assert lines[4] == "['_sweep', 'sweep_basic'] ['none']"
        # lgamma: its own map and special_record, neither the other special
        # functions nor the complete full sweep
        names = eval(lines[6])
        assert {"_map_lgamma", "special_record", "_sweep", "sweep_basic"} <= set(names)
        assert not [n for n in names if n.startswith("_map_") and n != "_map_lgamma"]
        assert "elementwise_special" not in names and "elementwise" not in names
        assert lines[7] == "1"


COLD_SCALAR = r"""
import jitgrad
from jitgrad.core import kernels as K
from numba.core.dispatcher import Dispatcher
compiled = lambda: sorted(n for n, d in vars(K).items() if isinstance(d, Dispatcher) and d.signatures)
x = jitgrad.tensor(2.0, requires_grad=True)
(x.sin() * x + x * x / (x + 1.0)).backward()
print(x.grad.item())
print(compiled())
v = jitgrad.tensor([0.5, -1.0, 3.0], requires_grad=True)
x.grad = None
((v * x).sum() * x).backward()
print(x.grad.item(), v.grad.tolist())
print(compiled())
"""


def test_scalar_first_backward_compiles_the_scalar_tier_alone():
    """The first backward of 0-d code compiles sweep_scalar (half the cold
    start of sweep_basic); a later tape with arrays escalates to sweep_basic."""
    out = subprocess.run([sys.executable, "-c", COLD_SCALAR], env=dict(os.environ, PYTHONPATH=ROOT), cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    x = 2.0
    assert float(lines[0]) == pytest.approx(np.sin(x) + x * np.cos(x) + (x * x + 2 * x) / (x + 1.0) ** 2)
    assert lines[1] == "['sweep_scalar']"
    assert lines[2].split()[0] == str(2 * x * 2.5) and "sweep_basic" in lines[3]
