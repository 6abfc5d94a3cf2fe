"""Tape files of compiled functions with picks (sort, topk, max(dim),
argmax, median, and the softmax family's max shift, all select_order
records that rewrite their gathers' index maps at replay): saved, loaded
and replayed with new values equal the compiled function, eager jitgrad
(bit for bit) and torch; crafted select_order layouts are refused at load
or stay in bounds (replayed without Numba, where an index out of bounds
raises)."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch

import jitgrad as jg
from jitgrad.core import kernels as K
from jitgrad.replay import tapefile

from _users8_compile import assert_bits, assert_torch

RNG = np.random.default_rng(8080)


def _picks(lib, x):
    F = lib.nn.functional
    s = lib.sort(x, 1, descending=True).values
    t = lib.topk(x, 2, 1).values
    mx = x.max(0).values
    med = x.median(1).values
    return (s[:, 0] * 2 + t.sum(1) + med, mx, x.argmax(1), F.log_softmax(x, 1), lib.logsumexp(x, 0),
            F.cross_entropy(x, lib.tensor([0, 2, 1, 3])), x.sum(1)[lib.tensor([0, 3, 1])])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_saved_tape_with_picks_replays_new_picks(tmp_path, dtype):
    """A tape with every kind of pick saved and loaded: each later input
    (new argmax, ties, nan) replays as eager jitgrad and torch; values of
    two calls kept alive keep their own picks in backward."""
    cf = jg.compile(lambda x: _picks(jg, x))
    x0 = RNG.normal(size=(4, 5)).astype(dtype)
    cf(jg.tensor(x0, requires_grad=True))
    path = str(tmp_path / "picks.npz")
    cf.tapes[0].save(path)
    loaded = jg.load_tape(path)
    kept = []
    for i in range(8):
        x = RNG.normal(size=(4, 5)).astype(dtype)
        if i % 3 == 1:
            x[1] = x[1, 0]          # a row of ties
        if i == 5:
            x[2, 3] = np.nan
        xs = [jg.tensor(x, requires_grad=True) for _ in range(3)]
        xt = torch.tensor(x, requires_grad=True)
        e, l_, c, t = _picks(jg, xs[0]), loaded(xs[1]), cf(xs[2]), _picks(torch, xt)
        assert_bits(e, l_, f"loaded {i}")
        assert_bits(e, c, f"compiled {i}")
        assert_torch(e, t, f"torch {i}", tol=1e-5)
        kept.append((l_, xs[1], e, xs[0]))
    for l_, xl, e, xe in kept:          # backward after later calls: each call's own picks
        (l_[0].sum() + l_[1].sum() + l_[3].sum() + l_[4].sum() + l_[5]).backward()
        (e[0].sum() + e[1].sum() + e[3].sum() + e[4].sum() + e[5]).backward()
        assert_bits(xe.grad, xl.grad, "gradient")


def _read(path):
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: np.array(z[k]) for k in z.files}
    return arrays, json.loads(arrays["header"].tobytes().decode())


def _write(path, arrays, header):
    arrays = dict(arrays)
    header = dict(header, checksum=tapefile.checksum(arrays, header))
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), np.uint8)
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def _crafted(arrays):
    """(label, arrays) variants: every select_order layout field and column,
    positions and result positions, the gather it names, and meta shared
    with other records."""
    rec, meta = arrays["rec"], arrays["meta"]
    sel = [int(r) for r in np.flatnonzero(rec[:, 0] == K.SELECT_ORDER)]
    gathers = [int(r) for r in np.flatnonzero(rec[:, 0] == K.GATHER)]
    assert sel and gathers
    out = []

    def variant(label, rec2=None, meta2=None):
        a = dict(arrays)
        a["rec"] = rec if rec2 is None else rec2
        a["meta"] = meta if meta2 is None else meta2
        out.append((label, a))

    for r in sel:
        m = int(rec[r, 5])
        rows, L, k = (int(v) for v in meta[m:m + 3])
        for field in range(K.SEL_HEADER):
            for bad in (-1, 0, 1, 2, 7, 10 ** 6, int(meta[m + field]) + 1, int(meta[m + field]) - 1):
                mt = meta.copy()
                mt[m + field] = bad
                variant(f"select {r} header {field} = {bad}", meta2=mt)
        for j in (0, rows * L - 1, rows * L, rows * L + rows * k - 1):
            for bad in (-1, 10 ** 6, L, rows * k, int(meta[m + K.SEL_HEADER + j]) + 1):
                mt = meta.copy()
                mt[m + K.SEL_HEADER + j] = bad
                variant(f"select {r} body {j} = {bad}", meta2=mt)
        for col in range(1, 7):
            for bad in (-1, 0, 1, int(rec[r, col]) + 1, int(rec[r, col]) - 1, 10 ** 6):
                rc = rec.copy()
                rc[r, col] = bad
                variant(f"select {r} column {col} = {bad}", rec2=rc)
        if r + 1 < len(rec):
            for col in range(1, 7):
                for bad in (int(rec[r + 1, col]) + 1, int(rec[r + 1, col]) - 1, 0):
                    rc = rec.copy()
                    rc[r + 1, col] = bad
                    variant(f"gather after {r} column {col} = {bad}", rec2=rc)
        for g in gathers:       # another gather reading the select's layout or its gather's map
            if g == r + 1:
                continue
            n = int(rec[g, 2])
            G = int(meta[m + 5])
            for at in {m, m + 5 - n + 1, m + K.SEL_HEADER, max(G, 0), max(G - n + 1, 0)}:
                if 0 <= at and at + n <= meta.size:
                    rc = rec.copy()
                    rc[g, 6] = at
                    variant(f"gather {g} map at {at}", rec2=rc)
                    mt = meta.copy()
                    mt[at:at + n] = 0       # (valid for both records at load)
                    variant(f"gather {g} map at {at}, zeros", rec2=rc, meta2=mt)
    return out


CHILD = textwrap.dedent(r"""
    import json, sys
    import numpy as np
    import jitgrad as jg
    for path in sys.argv[1:]:
        try:
            t = jg.load_tape(path)
        except ValueError:
            print("RESULT", json.dumps([path, "refused"]), flush=True)
            continue
        try:
            for seed in range(3):
                x = np.random.default_rng(seed).normal(size=(4, 5))
                out = t(jg.tensor(x, requires_grad=True))
                out[0].sum().backward()
            print("RESULT", json.dumps([path, "ok"]), flush=True)
        except IndexError as exc:
            print("RESULT", json.dumps([path, "IndexError " + str(exc)[:200]]), flush=True)
        except Exception as exc:
            print("RESULT", json.dumps([path, "other " + type(exc).__name__]), flush=True)
""")


def test_crafted_select_order_layouts_are_refused_or_stay_in_bounds(tmp_path):
    cf = jg.compile(lambda x: _picks(jg, x))
    cf(jg.tensor(RNG.normal(size=(4, 5)), requires_grad=True))
    base = str(tmp_path / "base.npz")
    cf.tapes[0].save(base)
    arrays, header = _read(base)
    files, labels = [base], {base: "original"}
    for k, (label, a) in enumerate(_crafted(arrays)):
        p = str(tmp_path / f"c{k}.npz")
        _write(p, a, header)
        files.append(p)
        labels[p] = label
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    root = os.path.dirname(os.path.dirname(os.path.abspath(jg.__file__)))
    env = dict(os.environ, NUMBA_DISABLE_JIT="1", PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, str(script)] + files, capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = dict(json.loads(line.split(" ", 1)[1]) for line in proc.stdout.splitlines()
                   if line.startswith("RESULT"))
    assert sorted(results) == sorted(files)
    assert results[base] == "ok"
    bad = {labels[p]: r for p, r in results.items() if r.startswith("IndexError")}
    assert not bad, bad
    assert sum(r == "refused" for r in results.values()) > len(files) // 2


def test_saved_tape_returning_one_tensor_twice(tmp_path):
    def f(x):
        y = (x * x).sum(0)
        return y, (y, x), {"y": y}

    cf = jg.compile(f)
    x0 = jg.tensor(RNG.normal(size=(3, 2)), requires_grad=True)
    cf(x0)
    cf.tape_for(x0).save(str(tmp_path / "dup.npz"))
    loaded = jg.load_tape(str(tmp_path / "dup.npz"))
    for i in range(3):
        a = RNG.normal(size=(3, 2))
        xl, xe = jg.tensor(a, requires_grad=True), jg.tensor(a, requires_grad=True)
        got, want = loaded(xl), f(xe)
        assert_bits(want, got, f"call {i}")
        assert got[0] is got[1][0] is got[2]["y"] and got[1][1] is xl
        got[0].sum().backward()
        want[0].sum().backward()
        assert_bits(xe.grad, xl.grad)
