"""Tapes as data: save a compiled tape to a NumPy ``.npz`` file and load it
back, in another process, without the function that recorded it.

    cf = jitgrad.compile(f)
    cf(x)                                    # records
    cf.tape_for(x).save("f.npz")
    ...
    t = jitgrad.load_tape("f.npz")           # anywhere
    y = t(x2); y.backward(); x2.grad         # replay + the normal backward
    print(t.stats()); print(t.dump(20))

The file holds the records, the recorded values, the index maps, the forward
modes, the guards (with their file:line), and the layout of arguments and
outputs, all as arrays plus one JSON header. Matmul host records are stored
by their operand slots and shapes. Tensors the function captured (globals,
parameters) are saved with their recorded values and replay as constants.
A guard that flips on a loaded tape raises ``compiler.GuardFailed``: there
is no function to record again.
"""
import array
import json

import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from .compiler import CompiledTape, _Static

FORMAT = "jitgrad-tape/1"


def _enc_struct(s):
    if s.__class__ is int:
        return {"leaf": s}
    if s.__class__ is _Static:
        v = s.value
        if isinstance(v, (bool, int, float, str)) or v is None:
            return {"static": v}
        return {"static_repr": repr(v)}
    c, items = s
    if c is dict:
        return {"dict": [[k, _enc_struct(v)] for k, v in items]}
    return {c.__name__: [_enc_struct(v) for v in items]}


def _dec_struct(d):
    if "leaf" in d:
        return d["leaf"]
    if "static" in d:
        return _Static(d["static"])
    if "static_repr" in d:
        return _Static(d["static_repr"])
    if "dict" in d:
        return (dict, tuple((k, _dec_struct(v)) for k, v in d["dict"]))
    if "tuple" in d:
        return (tuple, tuple(_dec_struct(v) for v in d["tuple"]))
    return (list, tuple(_dec_struct(v) for v in d["list"]))


def save(tape, path):
    """Write CompiledTape `tape` to `path` (.npz)."""
    if tape.mode != "replay":
        raise RuntimeError(f"an eager-mode tape can't be saved: {tape.reason}")
    outs, consts = [], []
    for spec in tape.outs:
        if spec[0] == "slot":
            _, slot, n, shape, dt, name, rg = spec
            outs.append(["slot", int(slot), int(n), list(shape), dt.name, name, bool(rg)])
        elif spec[0] == "arg":
            outs.append(["arg", int(spec[1])])
        else:
            t = spec[1]
            arr = np.asarray(t._data() if hasattr(t, "_data") else t)
            dt = spec[2] if spec[0] == "const" else getattr(t, "dtype", None)
            if dt is None or not hasattr(dt, "np"):
                raise RuntimeError(f"output of type {type(t).__name__} can't be saved")
            outs.append(["const", len(consts), dt.name])
            consts.append(arr)
    host = []
    for r, h in sorted(tape.host.items()):
        host.append([int(r), int(h.a), int(h.b), int(h.out), list(h.ashape), list(h.bshape), list(h.oshape),
                     bool(h.arg), bool(h.brg)])
    header = {
        "format": FORMAT,
        "fn": tape.fn_name,
        "args": [[int(slot), int(n), list(shape), dt.name, bool(rg)] for slot, n, shape, dt, rg in tape.args],
        "constants": [[int(slot), int(n), list(shape), dt.name] for _, slot, n, shape, dt, _ in tape.captured]
        + [[int(slot), int(n), [int(n)], "float64"] for _, _, slot, n in tape.extern],
        "outs": outs,
        "arg_struct": _enc_struct(tape.arg_struct),
        "out_struct": _enc_struct(tape.out_struct),
        "host": host,
        "sites": [list(s) for s in tape.sites],
    }
    ga, gb, gk, gc, gw, gs = tape.guards
    arrays = dict(rec=tape.rec, vals=tape.vals0, meta=tape.meta, fmode=tape.fmode,
                  guard_a=ga, guard_b=gb, guard_kind=gk, guard_const=gc, guard_want=gw, guard_site=gs,
                  header=np.frombuffer(json.dumps(header).encode(), np.uint8))
    for i, c in enumerate(consts):
        arrays[f"const{i}"] = c
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def load_tape(path):
    """Read a tape written by ``CompiledTape.save``: a callable CompiledTape."""
    from ..functional.functions import _MatmulBackward
    with np.load(path, allow_pickle=False) as z:
        header = json.loads(bytes(z["header"]).decode())
        if header.get("format") != FORMAT:
            raise ValueError(f"{path}: not a jitgrad tape file ({header.get('format')!r})")
        e = CompiledTape()
        rec = np.ascontiguousarray(z["rec"], np.int64)
        e.rec_buf = array.array("q", rec.tobytes())
        e.rec = np.frombuffer(e.rec_buf, np.int64).reshape(-1, K.REC_WIDTH) if rec.size else \
            np.zeros((0, K.REC_WIDTH), np.int64)
        e.meta_buf = array.array("q", np.ascontiguousarray(z["meta"], np.int64).tobytes())
        e.meta = np.frombuffer(e.meta_buf, np.int64)
        e.vals0 = np.array(z["vals"], np.float64)
        e.fmode = np.array(z["fmode"], np.uint8)
        e.freed = np.zeros(max(len(e.rec), 1), np.uint8)
        e.guards = (np.array(z["guard_a"], np.int64), np.array(z["guard_b"], np.int64),
                    np.array(z["guard_kind"], np.int8), np.array(z["guard_const"], np.float64),
                    np.array(z["guard_want"], np.float64), np.array(z["guard_site"], np.int32))
        consts = {k: np.array(z[k]) for k in z.files if k.startswith("const")}
    e.fn_name = header["fn"]
    e.sites = [tuple(s) for s in header["sites"]]
    e.args = [(slot, n, tuple(shape), D._by_name(dt), rg) for slot, n, shape, dt, rg in header["args"]]
    e.arg_struct = _dec_struct(header["arg_struct"])
    e.out_struct = _dec_struct(header["out_struct"])
    for spec in header["outs"]:
        if spec[0] == "slot":
            _, slot, n, shape, dt, name, rg = spec
            e.outs.append(("slot", slot, n, tuple(shape), D._by_name(dt), name, rg))
        elif spec[0] == "arg":
            e.outs.append(("arg", spec[1]))
        else:
            e.outs.append(("const", consts[f"const{spec[1]}"], D._by_name(spec[2])))
    for r, a, b, out, ashape, bshape, oshape, arg, brg in header["host"]:
        h = _MatmulBackward()
        h.a, h.b, h.out = a, b, out
        h.ashape, h.bshape, h.oshape = tuple(ashape), tuple(bshape), tuple(oshape)
        h.arg, h.brg = arg, brg
        e.host[r] = h
    e.host_records = np.array(sorted(e.host), np.int64)
    if e.outs and e.outs[0][0] == "slot" and e.outs[0][2] == 1:
        e.first_scalar = e.outs[0][1]
    return e
