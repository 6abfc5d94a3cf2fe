"""The special functions' own kernels (`core/special_sweep.py`): an eager
backward through lgamma, erfinv, ... sweeps their records with per-op
kernels instead of the complete `_sweep`; the adjoints, reach and freed
marks and statuses are the complete sweep's bit for bit, and the array
forward is `elementwise_map`'s."""
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
EDGES = [0.0, -0.0, 1.0, -1.0, 2.0, 0.5, -2.5, 3.0, np.inf, -np.inf, np.nan, 1e-300, 7.25, -0.999, 0.3]
BINARY = {op.opcode for op in O.TABLE if op.kind == "binary"}
SPECIAL = [int(op) for op in K.SPECIAL_OPS]


def _same_bits(u, v):
    return np.array_equal(np.asarray(u).view(np.uint8), np.asarray(v).view(np.uint8))


def _tape(op, xs, ys, seeds, c=None):
    """One elementwise record of `op` over xs (and ys), broadcast by length 1,
    its result after the operands, then the constant c; adjoints `seeds`."""
    n = max(len(xs), len(ys)) if ys is not None else len(xs)
    nx, ny = len(xs), (len(ys) if ys is not None else 0)
    out = nx + ny
    vals = np.zeros(out + n + 1)
    vals[:nx] = xs
    if ys is not None:
        vals[nx:out] = ys
    ia = -1
    if c is not None:
        ia = out + n
        vals[ia] = c
    for i in range(n):
        x = xs[0 if nx == 1 else i]
        y = ys[0 if ny == 1 else i] if ys is not None else 0.0
        vals[out + i] = K.elementwise(op, x, y, 0.0 if c is None else c)[0]
    m = 4 | (8 if ys is not None else 0) | (1 if nx == 1 and n > 1 else 0) | (2 if ny == 1 and n > 1 else 0)
    rec = np.array([[op, out, n, 0, nx if ys is not None else -1, m, ia]], np.int64)
    adj = np.zeros((len(vals), seeds.shape[1]))
    adj[out:out + n] = seeds
    reach = np.zeros(len(vals), np.uint8)
    reach[out:out + n] = 1
    return rec, vals, adj, reach


def _tiered_and_complete(rec, vals, adj, reach, freed=None, stale=K.NO_STALE, retain=False):
    runs = []
    for tiered in (True, False):
        a, re = adj.copy(), reach.copy()
        fr = np.zeros(len(rec), np.uint8) if freed is None else freed.copy()
        meta = np.zeros(1, np.int64)
        hi = len(rec) - 1
        if tiered:
            st = K.sweep_tiered(rec, vals, meta, a, re, fr, stale, hi, 0, retain)
        else:
            st = K._sweep(rec, vals, meta, a, re, fr, stale, hi, 0, retain, K.NO_PROG, K.NO_PD)
        runs.append((st, a, re, fr))
    return runs


@pytest.mark.parametrize("op", SPECIAL, ids=[O.TABLE[op].name for op in SPECIAL])
def test_special_records_match_the_complete_sweep_bit_for_bit(op):
    rng = np.random.default_rng(op)
    edges = np.array(EDGES)
    c = 2.0 if op == K.POLYGAMMA else None
    one = np.array([[1.0]])
    cases = []
    if op in BINARY:
        for x in edges:
            for y in edges:
                cases.append(([x], [y], one))
        cases.append((edges, edges[::-1], rng.standard_normal((len(edges), 3))))
        cases.append((edges, [2.0], rng.standard_normal((len(edges), 1))))
        cases.append(([-0.5], edges, rng.standard_normal((len(edges), 2))))
    else:
        for x in edges:
            cases.append(([x], None, one))
            cases.append(([x], None, -one * np.inf))
        cases.append((edges, None, rng.standard_normal((len(edges), 3))))
    cases.append((edges, edges if op in BINARY else None, np.full((len(edges), 1), -0.0)))
    for xs, ys, seeds in cases:
        rec, vals, adj, reach = _tape(op, np.array(xs, float), None if ys is None else np.array(ys, float), seeds, c)
        for retain in (False, True):
            (st, at, rt, ft), (sc, ac, rc, fc) = _tiered_and_complete(rec, vals, adj, reach, retain=retain)
            assert st == sc == (K.DONE, -1)
            assert _same_bits(at, ac), (O.TABLE[op].name, xs, ys, at, ac)
            assert np.array_equal(rt, rc) and np.array_equal(ft, fc)


def test_freed_and_modified_statuses_match_the_complete_sweep():
    rec, vals, adj, reach = _tape(K.LGAMMA, np.array([0.5, 1.5]), None, np.ones((2, 1)))
    freed = np.ones(1, np.uint8)
    (st, at, *_), (sc, ac, *_) = _tiered_and_complete(rec, vals, adj, reach, freed=freed)
    assert st == sc == (K.FREED, 0) and _same_bits(at, ac) and _same_bits(at, adj)
    stale = np.zeros(len(vals), np.uint8)
    stale[0] = 1        # lgamma saved x, overwritten in place since
    (st, at, *_), (sc, ac, *_) = _tiered_and_complete(rec, vals, adj, reach, stale=stale)
    assert st == sc == (K.MODIFIED, 0) and _same_bits(at, ac) and _same_bits(at, adj)


def _chain(m, x, steps):
    """Many special-function records (more than SPECIAL_RECORDS_ALONE) between plain ones."""
    y = x
    for k in range(steps):
        y = m.lgamma(y.abs() + 1.5) + m.special.erfinv(y.tanh() * 0.5) * 0.25 + m.digamma(y * y + 1.0)
        y = y + m.remainder(y * 3.0, 0.7) * 0.1 - m.round(y * 4.0) * 0.01
    return (y * x.sin()).sum()


@pytest.mark.parametrize("steps", [1, K.SPECIAL_RECORDS_ALONE])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_eager_backward_through_special_functions_matches_torch(steps, dtype):
    xv = np.array([0.3, -1.2, 2.5, 0.0, 4.0])
    jx = jitgrad.tensor(xv, requires_grad=True, dtype=getattr(jitgrad, dtype))
    tx = torch.tensor(xv, requires_grad=True, dtype=getattr(torch, dtype))
    _chain(jitgrad, jx, steps).backward()
    _chain(torch, tx, steps).backward()
    assert jx.grad.dtype == getattr(jitgrad, dtype)
    tol = dict(rtol=1e-10, atol=1e-12) if dtype == "float64" else dict(rtol=2e-4, atol=1e-5)
    np.testing.assert_allclose(jx.grad.numpy(), tx.grad.numpy(), **tol)


def test_many_special_records_sweep_as_the_complete_sweep():
    """Past SPECIAL_RECORDS_ALONE records the complete sweep takes over: the
    same adjoints as sweeping the whole tape with it."""
    x = jitgrad.tensor([0.3, -1.2, 2.5, 0.0, 4.0], requires_grad=True, dtype=jitgrad.float64)
    y = _chain(jitgrad, x, 2 * K.SPECIAL_RECORDS_ALONE)
    tape = x._tape if x._tape is not None else y._tape
    rec = np.frombuffer(tape.rec, np.int64).reshape(-1, K.REC_WIDTH).copy()
    vals = np.asarray(tape.vals, np.float64)
    adj = np.zeros((len(vals), 1))
    adj[y._slot] = 1.0
    reach = np.zeros(len(vals), np.uint8)
    reach[y._slot] = 1
    assert np.count_nonzero(np.isin(rec[:, 0], K.SPECIAL_OPS)) > K.SPECIAL_RECORDS_ALONE
    (st, at, rt, ft), (sc, ac, rc, fc) = _tiered_and_complete(rec, vals, adj, reach, retain=True)
    assert st == sc == (K.DONE, -1)
    assert _same_bits(at, ac) and np.array_equal(rt, rc) and np.array_equal(ft, fc)


@pytest.mark.parametrize("op", range(O.N_ELEMENTWISE), ids=[o.name for o in O.TABLE[:O.N_ELEMENTWISE]])
def test_value_map_is_elementwise_map_bit_for_bit(op):
    xs = np.array(EDGES)
    ys = np.array(EDGES[::-1])
    for c in (0.0, 2.0, 0.25):
        expected, got = np.empty(len(xs)), np.empty(len(xs))
        K.elementwise_map(op, xs, ys, c, expected)
        K.value_map(op, xs, ys, c, got)
        assert _same_bits(got, expected), O.TABLE[op].name


COLD = r"""
import jitgrad, numpy as np
from jitgrad.core import kernels as K
from numba.core.dispatcher import Dispatcher
x = jitgrad.tensor([0.5, -0.25, 0.75], requires_grad=True)
jitgrad.special.erfinv(x).sum().backward()
print(x.grad.tolist())
print(sorted(n for n, d in vars(K).items() if isinstance(d, Dispatcher) and d.signatures))
"""


def test_a_special_function_compiles_only_its_own_kernels(tmp_path):
    """On an empty cache, erfinv's forward and backward compile erfinv's map,
    the basic sweep and special_record: no other special function, no full sweep."""
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path), PYTHONPATH=ROOT, NUMBA_DISABLE_JIT="0")
    out = subprocess.run([sys.executable, "-c", COLD], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    grad, names = out.stdout.splitlines()[:2]
    t = torch.tensor([0.5, -0.25, 0.75], requires_grad=True)
    torch.special.erfinv(t).sum().backward()
    np.testing.assert_allclose(eval(grad), t.grad.tolist(), rtol=1e-6)
    names = eval(names)
    assert {"_map_erfinv", "special_record", "sweep_basic", "erfinv_vp"} <= set(names)
    for other in ("_sweep", "elementwise", "elementwise_special", "elementwise_common", "lgamma_vp", "_map_lgamma",
                  "polygamma_vp", "elementwise_map"):
        assert other not in names, (other, names)
