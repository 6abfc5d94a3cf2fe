"""Tape files are untrusted input: a seeded fuzzer of corrupted .npz tapes.

A few real compiled tapes (a scalar chain, vector ops with gather / sum /
matmul, guards, float32) are saved; a few hundred corrupted copies are made
(targeted corruptions of every array and header field: out-of-range and
negative slots, sizes, meta offsets and index maps, opcodes, forward modes,
guard indices and kinds, shapes, dtypes, truncation, random bytes). Child
processes load and replay each (many files per child) and report what
happened: every file must end with a replay or a clean exception (load errors
are ValueError), never a crash, a hang or an out-of-bounds read.
"""
import io
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import jitgrad as jg
from jitgrad.replay import tapefile

SEED = 20261204
OWN_OPS = {jg.core.kernels.MSE_LOSS, jg.core.kernels.HUBER_LOSS, jg.core.kernels.SMOOTH_L1_LOSS, jg.core.kernels.VAR,
           jg.core.kernels.BATCH_NORM}
N_CHILDREN = 2
CHILD_TIMEOUT = 120


def _base_tapes(tmp):
    """Real tapes, saved: (name, path)."""
    x64 = lambda v: jg.tensor(v, dtype=jg.float64, requires_grad=True)      # noqa: E731
    W = jg.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]], dtype=jg.float64)

    def chain(x, y):
        for _ in range(20):
            x = x * 1.01 + jg.sin(y) * 0.5
        return x * y

    def vector(x, w):
        h = jg.tanh(w @ x + W @ x)              # matmul: a leaf operand and a constant one
        return (h[jg.tensor([1, 0, 1])] ** 2).sum() + x.cumsum(0)[1:].sum() + jg.logsumexp(x, 0)

    def guarded(x):
        y = x * 2.0
        if y.sum() > 0:
            y = y * x.amax()
        # (y.min(): guards on its position; a recorded sort's tape is not saved)
        return y.min() + y.long().sum() * 0.5 + jg.where(x > 0.5, x, -x).sum()

    def single(x):
        return jg.softmax(x * 3.0, 0)[0] + x.norm()

    def losses(x, t):
        # the losses, var and batch norm: records of their own (core/loss_kernels.py)
        F = jg.nn.functional
        a = F.smooth_l1_loss(x, t, reduction="none")
        b = F.batch_norm(a.reshape(2, 3), None, None, t[:3], t[3:], training=True)
        return F.mse_loss(b.reshape(-1), t) + F.huber_loss(x, t * 0.5) + a.var(0) + b.std(1).sum()

    f32 = lambda v: jg.tensor(v, requires_grad=True)       # noqa: E731
    cases = [("chain", chain, (x64(0.3), x64(1.2))),
             ("vector", vector, (x64([0.1, -0.2, 0.3]), x64(np.arange(6.0).reshape(2, 3) / 7))),
             ("guarded", guarded, (x64([0.7, -0.1, 0.4, 2.0]),)),
             ("float32", single, (jg.tensor([0.2, 0.9, -0.4], requires_grad=True),)),
             ("losses", losses, (f32([0.5, -1.0, 2.0, 0.0, 1.5, 0.25]), f32([0.5, 0.0, 1.0, -2.0, 1.5, 3.0])))]
    out = []
    for name, f, args in cases:
        cf = jg.compile(f)
        cf(*args)
        path = os.path.join(tmp, f"{name}.npz")
        cf.tape_for(*args).save(path)
        out.append((name, path))
    return out


def _read(path):
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: np.array(z[k]) for k in z.files}
    header = json.loads(arrays["header"].tobytes().decode())
    return arrays, header


def _write(path, arrays, header=None, fix_checksum=True):
    """A crafted file: its checksum matches its (corrupted) contents, so the
    checks behind the checksum are what must refuse it."""
    arrays = dict(arrays)
    if header is None and "header" in arrays:
        try:
            header = json.loads(arrays["header"].tobytes().decode())
        except ValueError:
            header = None
        if not isinstance(header, dict):
            header = None
    if header is not None:
        if fix_checksum:
            header = dict(header, checksum=tapefile.checksum(arrays, header))
        arrays["header"] = np.frombuffer(json.dumps(header).encode(), np.uint8)
    with open(path, "wb") as f:
        np.savez(f, **arrays)


BAD_INTS = [-1, -2, -(1 << 40), 1 << 40, (1 << 62), 7, 0]


def _bad_int(rng, size):
    return int(rng.choice(BAD_INTS + [size, size + 1, size - 1, int(rng.integers(-size - 5, 2 * size + 5))]))


def _corruptions(rng, arrays, header):
    """(label, arrays, header or None, raw bytes or None) corrupted variants of one tape."""
    S = arrays["vals"].size
    rec = arrays["rec"]
    nrec = len(rec)
    out = []

    def mutate(key, fn, label):
        a = {k: v.copy() for k, v in arrays.items()}
        a[key] = fn(a[key])
        out.append((label, a, None, None))

    for _ in range(24):                         # single fields of records
        def f(r, row=int(rng.integers(nrec)), col=int(rng.integers(7))):
            r[row, col] = _bad_int(rng, S) if col else int(rng.choice([-1, 47, 63, 71, 95, 97, 255, 10 ** 6]))
            return r
        mutate("rec", f, "rec field")
    for _ in range(6):                          # whole columns shifted
        def f(r, col=int(rng.integers(1, 7)), d=int(rng.choice([-3, 1, S]))):
            r[:, col] += d
            return r
        mutate("rec", f, "rec column shift")
    mutate("rec", lambda r: r[: max(nrec // 2, 1)], "rec truncated")
    mutate("rec", lambda r: r.astype(np.float64), "rec dtype")
    mutate("rec", lambda r: r.reshape(-1), "rec shape")
    mutate("rec", lambda r: r[::-1].copy(), "rec reversed")
    for _ in range(12):
        def f(m, i=None):
            m = m.copy()
            m[int(rng.integers(m.size))] = _bad_int(rng, S)
            return m
        mutate("meta", f, "meta entry")
    own = [r for r in range(nrec) if int(rec[r, 0]) in OWN_OPS]
    for r in own:                               # the loss / var records' layouts (core/loss_kernels.py)
        ia, m = int(rec[r, 6]), int(rec[r, 5])
        for k in list(range(6)) + [int(rng.integers(6, 9 + m))]:
            def f(mt, at=ia + k):
                mt = mt.copy()
                if at < mt.size:
                    mt[at] = _bad_int(rng, S) if rng.random() < 0.8 else mt[at] ^ int(rng.choice([1, 2, 4, 8, 16]))
                return mt
            mutate("meta", f, "loss / var meta")
        for col in (2, 4, 5):
            def f(rc, row=r, col=col):
                rc[row, col] = int(rng.choice([rc[row, 2], rc[row, 5], 1, 0])) + int(rng.choice([0, 1, -1]))
                return rc
            mutate("rec", f, "loss / var size")
    mutate("meta", lambda m: m[: m.size // 2], "meta truncated")
    mutate("meta", lambda m: m[:0], "meta empty")
    mutate("meta", lambda m: m.astype(np.int32), "meta dtype")
    for _ in range(6):
        def f(v, i=int(rng.integers(max(len(arrays["fmode"]), 1)))):
            v[i] = int(rng.integers(256))
            return v
        mutate("fmode", f, "fmode entry")
    mutate("fmode", lambda v: v[:-1], "fmode truncated")
    mutate("vals", lambda v: v[: v.size // 2], "vals truncated")
    mutate("vals", lambda v: v[:1], "vals one slot")
    mutate("vals", lambda v: v.astype(np.float32), "vals dtype")
    mutate("vals", lambda v: v.reshape(1, -1), "vals shape")
    mutate("vals", lambda v: np.where(rng.random(v.size) < 0.3, rng.normal(size=v.size) * 1e6, v), "vals values")
    if arrays["guard_a"].size:
        for key in ("guard_a", "guard_b", "guard_kind", "guard_site"):
            for _ in range(3):
                def f(g, key=key):
                    g = g.copy()
                    bad = _bad_int(rng, S) if key != "guard_kind" else int(rng.choice([-1, 9, 100]))
                    info = np.iinfo(g.dtype)        # (an int32 column can't hold every bad int64)
                    g[int(rng.integers(g.size))] = min(max(bad, info.min), info.max)
                    return g
                mutate(key, f, f"{key} entry")
        mutate("guard_want", lambda g: 1.0 - g, "guard outcomes flipped")
        mutate("guard_a", lambda g: g[:-1], "guard_a truncated")
    for key in sorted(arrays):
        a = {k: v for k, v in arrays.items() if k != key}
        out.append((f"{key} missing", a, None, None))

    def hmut(fn, label):
        h = json.loads(json.dumps(header))
        try:
            fn(h)
        except (IndexError, KeyError, TypeError):
            return
        out.append((label, arrays, h, None))

    for i in range(len(header["args"])):
        for j, bad in ((0, _bad_int(rng, S)), (1, _bad_int(rng, S)), (2, [3, 5]), (2, [-1]), (2, "x"),
                       (3, "complex512"), (4, "yes")):
            hmut(lambda h, i=i, j=j, bad=bad: h["args"][i].__setitem__(j, bad), f"arg {i} field {j}")
    for i in range(len(header["outs"])):
        for j, bad in ((1, _bad_int(rng, S)), (2, _bad_int(rng, S)), (3, [7, 7]), (4, "float1")):
            hmut(lambda h, i=i, j=j, bad=bad: h["outs"][i].__setitem__(j, bad), f"out {i} field {j}")
    for i in range(len(header["host"])):
        for j in range(7):
            bad = _bad_int(rng, S) if j < 4 else [int(rng.integers(0, 5)) for _ in range(int(rng.integers(0, 3)))]
            hmut(lambda h, i=i, j=j, bad=bad: h["host"][i].__setitem__(j, bad), f"host {i} field {j}")
    bad_params = [[], None, "mse", ["mse", "x", "sum"], ["huber", -1.0, "sum"], ["huber", 1.0, "avg"],
                  [1e-5, 1, 2], [float("nan"), True, True], [None, 1, True, [0], 1], [[0, 0], 1, True, [0], 1],
                  [[70], 1, True, [70], 1], [[0], 1, True, [0], 0], [[0], 1, True, [0], 1e300]]
    for i in range(len(header.get("host_ops", []))):
        for j, bad in ((0, _bad_int(rng, nrec)), (1, "matmul"), (2, bad_params[int(rng.integers(len(bad_params)))]),
                       (2, bad_params[int(rng.integers(len(bad_params)))]), (3, _bad_int(rng, S)),
                       (4, _bad_int(rng, S)), (5, _bad_int(rng, S)), (6, [7, 7]), (6, []), (7, [2]), (8, [5]),
                       (8, [1 << 40]), (9, "int64"), (9, "float32")):
            hmut(lambda h, i=i, j=j, bad=bad: h["host_ops"][i].__setitem__(j, bad), f"host op {i} field {j}")
        hmut(lambda h, i=i: h["host_ops"][i].__setitem__(slice(10, None), [10 ** 6]), f"host op {i} constant")
    if header.get("host_ops"):
        hmut(lambda h: h["host_ops"].append(list(h["host_ops"][0])), "host op twice")
        hmut(lambda h: h.__setitem__("host_ops", {"a": 1}), "host_ops type")
    hmut(lambda h: h.__setitem__("arg_struct", {"leaf": 5}), "arg_struct leaf")
    hmut(lambda h: h.__setitem__("out_struct", {"tuple": [{"leaf": 0}, {"leaf": 0}]}), "out_struct twice")
    hmut(lambda h: h.__setitem__("out_struct", {"bogus": 1}), "out_struct kind")
    hmut(lambda h: h.__setitem__("sites", [["f", -3, ""]]), "sites")
    hmut(lambda h: h.__setitem__("format", "jitgrad-tape/0"), "format")
    hmut(lambda h: h.pop("outs"), "outs missing")
    hmut(lambda h: h.__setitem__("args", {"a": 1}), "args type")
    a = dict(arrays)
    a["header"] = np.frombuffer(b"{not json", np.uint8)
    out.append(("header not json", a, None, None))
    a = dict(arrays)
    a["header"] = np.frombuffer(b"\xff\xfe\x00", np.uint8)
    out.append(("header not utf-8", a, None, None))

    raw = io.BytesIO()
    np.savez(raw, **arrays)
    raw = raw.getvalue()
    for _ in range(10):
        cut = int(rng.integers(len(raw)))
        out.append((f"truncated at {cut}", None, None, raw[:cut]))
    for _ in range(16):
        b = bytearray(raw)
        for i in rng.integers(len(b), size=int(rng.integers(1, 8))):
            b[int(i)] = int(rng.integers(256))
        out.append(("bytes flipped", None, None, bytes(b)))
    out.append(("random bytes", None, None, rng.bytes(int(rng.integers(10, 3000)))))
    out.append(("npy, not npz", None, None, _npy(arrays["vals"])))
    return out


def _npy(arr):
    b = io.BytesIO()
    np.save(b, arr)
    return b.getvalue()


CHILD = textwrap.dedent(r"""
    import json, sys, traceback
    import numpy as np
    import jitgrad as jg
    from jitgrad.replay.recording import _unflatten
    for path in sys.argv[1:]:
        print("START", path, flush=True)
        stage = "load"
        try:
            t = jg.load_tape(path)
            stage = "replay"
            t.stats(); t.dump(50)
            # The recorded argument values (so that the guards hold and the replay runs through).
            leaves = [jg.tensor(t.vals0[slot:slot + n].reshape(shape) if slot >= 0 else np.zeros(shape),
                                dtype=dt, requires_grad=dt.is_floating_point)
                      for slot, n, shape, dt, rg in t.args]
            a, k = _unflatten(t.arg_struct, leaves)
            res = t(*a, **k)
            outs = res if isinstance(res, (tuple, list)) else [res]
            for o in outs:
                if isinstance(o, jg.Tensor) and o.requires_grad:
                    (o.sum() if o.ndim else o).backward()
                    break
            if t.first_scalar >= 0:
                t.value_and_grad(leaves, list(range(len(leaves))))
            print("RESULT", json.dumps({"path": path, "stage": "ok"}), flush=True)
        except Exception as exc:
            print("RESULT", json.dumps({"path": path, "stage": stage, "error": type(exc).__name__,
                                        "value_error": isinstance(exc, ValueError), "msg": str(exc)[:300]}),
                  flush=True)
""")


def test_corrupted_tape_files_never_crash(tmp_path):
    rng = np.random.default_rng(SEED)
    files, labels = [], {}
    bases = _base_tapes(str(tmp_path))
    for name, path in bases:
        arrays, header = _read(path)
        for k, (label, a, h, raw) in enumerate(_corruptions(rng, arrays, header)):
            p = os.path.join(str(tmp_path), f"{name}-{k}.npz")
            if raw is not None:
                with open(p, "wb") as f:
                    f.write(raw)
            else:
                _write(p, a, h)
            files.append(p)
            labels[p] = f"{name}: {label}"
    assert len(files) >= 300
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    all_files = [p for _, p in bases] + files
    chunks = [all_files[i::N_CHILDREN] for i in range(N_CHILDREN)]
    root = os.path.dirname(os.path.dirname(os.path.abspath(jg.__file__)))     # this checkout's jitgrad
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    procs = [subprocess.Popen([sys.executable, str(script)] + chunk, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env) for chunk in chunks]
    results = {}
    for proc, chunk in zip(procs, chunks):
        try:
            out, err = proc.communicate(timeout=CHILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            started = [line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("START")]
            pytest.fail(f"a child hung on {labels.get(started[-1], started[-1]) if started else '?'}")
        started = [line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("START")]
        assert proc.returncode == 0, (f"child exited {proc.returncode} on "
                                      f"{labels.get(started[-1], started[-1]) if started else '?'}\n{err[-2000:]}")
        for line in out.splitlines():
            if line.startswith("RESULT"):
                r = json.loads(line.split(" ", 1)[1])
                results[r["path"]] = r
    assert sorted(results) == sorted(all_files)
    for name, path in bases:                      # the genuine files load and replay
        assert results[path]["stage"] == "ok", results[path]
    load_errors = [r for r in results.values() if r["stage"] == "load"]
    wrong_kind = [(labels[r["path"]], r["error"], r["msg"]) for r in load_errors if not r["value_error"]]
    assert not wrong_kind, wrong_kind[:5]
    # Most corruptions are caught when loading, with a message saying what is wrong.
    assert len(load_errors) > 0.6 * len(files)
    assert all(r["msg"] for r in load_errors)


def test_a_file_changed_after_saving_is_refused(tmp_path):
    (name, path), = [b for b in _base_tapes(str(tmp_path)) if b[0] == "vector"]
    arrays, header = _read(path)
    arrays["vals"] = arrays["vals"] * 1.5            # valid indices, different numbers
    bad = str(tmp_path / "changed.npz")
    _write(bad, arrays, header, fix_checksum=False)
    with pytest.raises(ValueError, match="checksum mismatch"):
        jg.load_tape(bad)
    _write(bad, arrays, header)                     # re-signed: loads (the numbers are data)
    jg.load_tape(bad)


def test_a_file_from_another_op_table_is_refused(tmp_path):
    """Opcodes are positions in the op table: a tape saved under another table
    (an older or newer jitgrad) would read as other ops, so it is refused."""
    (name, path), = [b for b in _base_tapes(str(tmp_path)) if b[0] == "vector"]
    arrays, header = _read(path)
    other = str(tmp_path / "other_table.npz")
    _write(other, arrays, dict(header, op_table="0123456789abcdef"))
    with pytest.raises(ValueError, match="another op table"):
        jg.load_tape(other)
    _write(other, arrays, header)
    jg.load_tape(other)
