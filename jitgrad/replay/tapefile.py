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

A tape file is untrusted input: ``load_tape`` reads it with
``allow_pickle=False`` and checks every index, size, opcode and guard
(``tapefile_check``) before anything runs; a bad file raises ``ValueError``.
"""
import array
import hashlib
import json
import math
import zipfile

import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from ..core import ops as O
from ..autodiff import losses as LO
from ..autodiff.host_ops import ReplayHost
from ..autodiff.matmul import MatmulBackward
from ..functional.var_host import VarHost
from . import blas_records as BR
from . import tapefile_check as C
from .compiler import _ELEMENTWISE_NP, CompiledTape
from .recording import _Static, _TupleOf

FORMAT = "jitgrad-tape/1"
_HOST_OPS = {"var": VarHost}      # (var's fallback host record, functional/var_host.py)
# Opcodes are positions in the op table: a file records which table it used.
OP_TABLE = hashlib.sha256(repr([(op.name, op.opcode) for op in O.TABLE]).encode()).hexdigest()[:16]


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
    name = "tuple" if isinstance(c, _TupleOf) else c.__name__     # (a tuple subclass loads as a tuple)
    return {name: [_enc_struct(v) for v in items]}


def _dec_struct(d, depth=0):
    if depth > 64 or not isinstance(d, dict) or len(d) != 1:
        raise C.TapeFileError(f"bad argument/output structure {str(d)[:80]!r}")
    (kind, v), = d.items()
    if kind == "leaf":
        return C._int(v, "a structure leaf", 0, C.MAX_SLOTS)
    if kind == "static":
        if not (isinstance(v, (bool, int, float, str)) or v is None):
            raise C.TapeFileError(f"bad static value {v!r}")
        return _Static(v)
    if kind == "static_repr":
        return _Static(str(v))
    if not isinstance(v, list):
        raise C.TapeFileError(f"bad argument/output structure {str(d)[:80]!r}")
    if kind == "dict":
        if not all(isinstance(kv, list) and len(kv) == 2 and isinstance(kv[0], (str, int)) for kv in v):
            raise C.TapeFileError("bad dict in an argument/output structure")
        return (dict, tuple((k, _dec_struct(x, depth + 1)) for k, x in v))
    if kind in ("tuple", "list"):
        return (tuple if kind == "tuple" else list, tuple(_dec_struct(x, depth + 1) for x in v))
    raise C.TapeFileError(f"bad argument/output structure kind {kind!r}")


def save(tape, path):
    """Write CompiledTape `tape` to `path` (.npz)."""
    if tape.mode != "replay":
        raise RuntimeError(f"an eager-mode tape can't be saved: {tape.reason}")
    if tape.draws:
        raise RuntimeError("a tape with random draws can't be saved: its draws come from the generators of the "
                           "process that records it")
    outs, consts = [], []
    for spec in tape.outs:
        if spec[0] == "slot":
            _, slot, n, shape, dt, name, rg = spec
            outs.append(["slot", int(slot), int(n), list(shape), dt.name, name, bool(rg)])
        elif spec[0] in ("arg", "same"):
            outs.append([spec[0], int(spec[1])])
        elif spec[0] == "read":
            raise RuntimeError("a tape that returns Python numbers read from its tensors (item(), float(), "
                               "tolist()) can't be saved: return the tensors")
        else:
            t = spec[1]
            arr = np.asarray(t._data() if hasattr(t, "_data") else t)
            dt = spec[2] if spec[0] == "const" else getattr(t, "dtype", None)
            if dt is None or not hasattr(dt, "np"):
                raise RuntimeError(f"output of type {type(t).__name__} can't be saved")
            outs.append(["const", len(consts), dt.name])
            consts.append(arr)
    host, host_ops = [], []
    for r, h in sorted(tape.host.items()):
        if isinstance(h, ReplayHost):      # a loss, var, batch norm: its kind and parameters
            host_ops.append([int(r), h.kind, h.params(), int(h.a), int(h.b), int(h.out), list(h.ashape),
                             list(h.bshape), list(h.oshape), h.dtype.name, int(h.src)])
            for slot, v in ((h.a, h.aval), (h.b, h.bval)):
                if slot < 0 and v is not None:
                    consts.append(np.asarray(v, np.float64))
                    host_ops[-1].append(len(consts) - 1)
            continue
        host.append([int(r), int(h.a), int(h.b), int(h.out), list(h.ashape), list(h.bshape), list(h.oshape),
                     bool(h.arg), bool(h.brg)])
        for side, slot, v in (("a", h.a, h.aval), ("b", h.b, h.bval)):
            if slot < 0:        # a constant operand kept by the record
                consts.append(np.asarray(v, np.float64))
                host[-1].append(len(consts) - 1)
    header = {
        "format": FORMAT,
        "op_table": OP_TABLE,
        "fn": tape.fn_name,
        "args": [[int(slot), int(n), list(shape), dt.name, bool(rg)] for slot, n, shape, dt, rg in tape.args],
        "constants": [[int(slot), int(n), list(shape), dt.name] for _, slot, n, shape, dt, _ in tape.captured]
        + [[int(slot), int(n), [int(n)], "float64"] for _, _, slot, n in tape.extern],
        "outs": outs,
        "arg_struct": _enc_struct(tape.arg_struct),
        "out_struct": _enc_struct(tape.out_struct),
        "host": host,
        "host_ops": host_ops,
        # eager mode's memory layout of each matmul's operands (replay_blas.py): the same BLAS calls
        "host_layout": [[int(r), int(h.layout[0]), int(h.layout[1])] for r, h in sorted(tape.host.items())
                        if getattr(h, "layout", None) is not None],
        "sites": [list(s) for s in tape.sites],
    }
    ga, gb, gk, gc, gw, gs = tape.guards
    arrays = dict(rec=tape.rec, vals=tape.vals0, meta=tape.meta, fmode=tape.fmode,
                  guard_a=ga, guard_b=gb, guard_kind=gk, guard_const=gc, guard_want=gw, guard_site=gs)
    for i, c in enumerate(consts):
        arrays[f"const{i}"] = c
    header["checksum"] = checksum(arrays, header)
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), np.uint8)
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def load_tape(path):
    """Read a tape written by ``CompiledTape.save``: a callable CompiledTape.
    Raises ValueError if the file is not a valid tape (see tapefile_check)."""
    try:
        return _load(path)
    except C.TapeFileError as exc:
        raise ValueError(f"{path}: invalid jitgrad tape file: {exc}") from None
    except (KeyError, IndexError, TypeError, EOFError, zipfile.BadZipFile, RecursionError, OverflowError,
            NotImplementedError) as exc:     # (zipfile: an unsupported zip version or compression)
        raise ValueError(f"{path}: invalid jitgrad tape file: {type(exc).__name__}: {exc}") from None
    except OSError as exc:
        if isinstance(exc, (FileNotFoundError, PermissionError, IsADirectoryError)):
            raise
        # A corrupted zip directory can send the reader to an invalid offset.
        raise ValueError(f"{path}: invalid jitgrad tape file: {type(exc).__name__}: {exc}") from None


_ELEMENTWISE_KIND = {op: kind for op, (kind, fn) in _ELEMENTWISE_NP.items()}


def checksum(arrays, header):
    """SHA-256 of a tape file's arrays (dtype, shape, bytes) and header (without
    its checksum): a file changed after saving is refused, not replayed."""
    h = hashlib.sha256()
    for k in sorted(arrays):
        if k == "header":
            continue
        a = np.ascontiguousarray(arrays[k])
        h.update(f"{k}:{a.dtype.str}:{a.shape};".encode())
        h.update(a.tobytes())
    h.update(json.dumps({k: v for k, v in header.items() if k != "checksum"}, sort_keys=True).encode())
    return h.hexdigest()


def _load(path):
    with np.load(path, allow_pickle=False) as z:
        if not hasattr(z, "files"):
            raise C.TapeFileError("not an .npz archive")
        arrays = {}
        for name in C.ARRAYS:
            if name not in z.files:
                raise C.TapeFileError(f"array {name!r} is missing")
            arrays[name] = z[name]
            C.check_array(name, arrays[name])
        consts = {}
        for k in z.files:
            if k.startswith("const"):
                consts[k] = np.array(z[k])
                if consts[k].dtype.kind not in "biuf" or consts[k].size > C.MAX_SLOTS:
                    raise C.TapeFileError(f"array {k!r} has dtype {consts[k].dtype} / {consts[k].size} elements")
    header = json.loads(arrays["header"].tobytes().decode())
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise C.TapeFileError(f"not a jitgrad tape file ({header.get('format') if isinstance(header, dict) else None!r})")
    if "checksum" in header and header["checksum"] != checksum(dict(arrays, **consts), header):
        raise C.TapeFileError("checksum mismatch: the file was changed or damaged after it was saved")
    if header.get("op_table") != OP_TABLE:
        raise C.TapeFileError("the tape was saved by a jitgrad with another op table (its opcodes would mean "
                              "other ops here): record it again with this version")
    e = CompiledTape()
    rec = np.ascontiguousarray(arrays["rec"])
    e.rec_buf = array.array("q", rec.tobytes())
    e.rec = np.frombuffer(e.rec_buf, np.int64).reshape(-1, K.REC_WIDTH) if rec.size else \
        np.zeros((0, K.REC_WIDTH), np.int64)
    e.meta_buf = array.array("q", np.ascontiguousarray(arrays["meta"]).tobytes())
    e.meta = np.frombuffer(e.meta_buf, np.int64)
    e.vals0 = np.array(arrays["vals"])
    e.fmode = np.array(arrays["fmode"])
    e.freed = np.zeros(max(len(e.rec), 1), np.uint8)
    e.guards = tuple(np.array(arrays[k]) for k in ("guard_a", "guard_b", "guard_kind", "guard_const",
                                                   "guard_want", "guard_site"))
    S = e.vals0.size
    e.fn_name = str(header.get("fn", ""))
    e.sites = [(str(f), C._int(line, "a site's line", 0), str(code)) for f, line, code in _list(header, "sites", 3)]
    for slot, n, shape, dt, rg in _list(header, "args", 5):
        e.args.append((C._int(slot, "an argument's slot", -1, S), C._int(n, "an argument's size", 0, S),
                       C.check_shape(shape, "an argument"), _dtype(dt), bool(rg)))
    e.arg_struct = _dec_struct(header.get("arg_struct"))
    e.out_struct = _dec_struct(header.get("out_struct"))
    C.count_leaves(e.arg_struct, len(e.args), "the argument structure")
    for spec in _list(header, "outs", None):
        if not isinstance(spec, list) or not spec:
            raise C.TapeFileError(f"bad output {spec!r}")
        if spec[0] == "slot" and len(spec) == 7:
            _, slot, n, shape, dt, name, rg = spec
            e.outs.append(("slot", C._int(slot, "an output's slot", 0, S), C._int(n, "an output's size", 0, S),
                           C.check_shape(shape, "an output"), _dtype(dt), str(name), bool(rg)))
        elif spec[0] == "arg" and len(spec) == 2:
            e.outs.append(("arg", C._int(spec[1], "an output's argument", 0, len(e.args) - 1)))
        elif spec[0] == "same" and len(spec) == 2:      # (an earlier output returned again)
            e.outs.append(("same", C._int(spec[1], "an output returned twice", 0, len(e.outs) - 1)))
        elif spec[0] == "const" and len(spec) == 3:
            arr = consts.get(f"const{C._int(spec[1], 'a constant output', 0)}")
            if arr is None:
                raise C.TapeFileError(f"constant output {spec[1]} is missing")
            e.outs.append(("const", arr, _dtype(spec[2])))
        else:
            raise C.TapeFileError(f"bad output {spec!r}")
    C.count_leaves(e.out_struct, len(e.outs), "the output structure")
    for row in _list(header, "host", None):
        if not isinstance(row, list) or len(row) < 9:
            raise C.TapeFileError(f"bad host record {str(row)[:80]!r}")
        r, a, b, out, ashape, bshape, oshape, arg, brg = row[:9]
        h = MatmulBackward()
        r = C._int(r, "a host record's index", 0, len(e.rec) - 1)
        h.a, h.b = C._int(a, "a matmul operand slot", -1, S), C._int(b, "a matmul operand slot", -1, S)
        h.out = C._int(out, "a matmul result slot", 0, S)
        h.ashape, h.bshape = C.check_shape(ashape, "a matmul operand"), C.check_shape(bshape, "a matmul operand")
        h.oshape = C.check_shape(oshape, "a matmul result")
        h.arg, h.brg = bool(arg), bool(brg)
        extra = iter(row[9:])
        h.aval = _host_const(consts, extra) if h.a < 0 else None
        h.bval = _host_const(consts, extra) if h.b < 0 else None
        h.name = "MmBackward0"
        h.layout = None
        e.host[r] = h
    for row in header.get("host_ops", []) if isinstance(header.get("host_ops", []), list) else [None]:
        r, h = _host_op(row, consts, len(e.rec), S)
        if r in e.host or e.rec[r, K.REC_OP] != K.HOST:
            raise C.TapeFileError(f"a host op entry for record {r}: another entry's, or no host record")
        e.host[r] = h
    for row in header.get("host_layout", []) if isinstance(header.get("host_layout", []), list) else [None]:
        if not isinstance(row, list) or len(row) != 3:
            raise C.TapeFileError(f"bad matmul layout {str(row)[:80]!r}")
        r = C._int(row[0], "a matmul layout's record", 0, len(e.rec) - 1)
        if r not in e.host:
            raise C.TapeFileError(f"a matmul layout for record {r}, which is no matmul")
        e.host[r].layout = (C._int(row[1], "a matmul layout", 0, 2), C._int(row[2], "a matmul layout", 0, 2))
    C.check_records(e.rec, e.vals0, e.meta, e.fmode, e.host, _ELEMENTWISE_KIND)
    e.meta = None       # (a view would keep meta_buf from growing)
    e.dyn_meta = C.select_index_maps(e.rec, e.meta_buf)     # (then each call rewrites its own copy of the maps)
    e.meta = np.frombuffer(e.meta_buf, np.int64)
    C.check_guards(e.guards, S, len(e.sites))
    C.check_layout(e, S)
    e.host_records = np.array(sorted(e.host), np.int64)
    e.blas = BR.checked_plans(e)
    if e.outs and e.outs[0][0] == "slot" and e.outs[0][2] == 1:
        e.first_scalar = e.outs[0][1]
    return e


def _list(header, key, width):
    v = header.get(key)
    if not isinstance(v, list) or (width and not all(isinstance(x, list) and len(x) == width for x in v)):
        raise C.TapeFileError(f"header field {key!r} is malformed")
    return v


def _dtype(name):
    try:
        return D._by_name(name)
    except (KeyError, TypeError):
        raise C.TapeFileError(f"unknown dtype {name!r}") from None


def _host_op(row, consts, nrec, S):
    """(record, ReplayHost) of a saved loss / var / batch norm host entry, checked."""
    if not isinstance(row, list) or len(row) < 11 or row[1] not in _HOST_OPS:
        raise C.TapeFileError(f"bad host op {str(row)[:80]!r}")
    r, kind, params, a, b, out, ashape, bshape, oshape, dtype, src = row[:11]
    r = C._int(r, "a host op's record", 0, nrec - 1)
    try:
        h = _HOST_OPS[kind].from_params(params)
    except ValueError as exc:
        raise C.TapeFileError(f"record {r}: {exc}") from None
    if dtype not in ("float32", "float64"):
        raise C.TapeFileError(f"record {r}: host op dtype {str(dtype)[:20]!r}")
    a, b = C._int(a, "a host op operand slot", -1, S), C._int(b, "a host op operand slot", -1, S)
    shapes = [C.check_shape(v, "a host op operand") for v in (ashape, bshape, oshape)]
    extra = iter(row[11:])
    has_b = kind == "loss" or (kind == "batch_norm" and len(shapes[1]) > 0)     # (var reads one operand)
    avals = [_host_const(consts, extra) if slot < 0 and there else None for slot, there in ((a, True), (b, has_b))]
    h.set_operands(a, shapes[0], b, shapes[1], C._int(out, "a host op result slot", 0, S), shapes[2], dtype,
                   "", avals)
    h.src = C._int(src, "a host op's value slot", -1, S)
    if next(extra, None) is not None:
        raise C.TapeFileError(f"record {r}: a host op with extra fields")
    for v, shape in zip(avals, shapes):
        if v is not None and v.size != math.prod(shape):
            raise C.TapeFileError(f"record {r}: a host op constant of {v.size} values for shape {list(shape)}")
    try:
        h.check()
    except ValueError as exc:
        raise C.TapeFileError(f"record {r}: {exc}") from None
    h.name = {"loss": LO.NAMES.get(getattr(h, "loss", ""), ""), "var": "VarBackward0"}.get(
        kind, "NativeBatchNormBackward0")
    return r, h


def _host_const(consts, extra):
    """The constant operand a host record keeps (stored as a const array)."""
    k = next(extra, None)
    arr = consts.get(f"const{C._int(k, 'a matmul constant', 0)}")
    if arr is None:
        raise C.TapeFileError(f"matmul constant {k} is missing")
    return arr.astype(np.float64)


def _save_method(self, path):
    """Write this tape to a NumPy .npz file (see tapefile.py)."""
    save(self, path)


CompiledTape.save = _save_method    # (compiler.py, below this module, cannot import it)
