"""Tape files are untrusted input: check a loaded tape before anything runs.

``load_tape`` hands the arrays of a ``.npz`` file to Numba kernels that index
``vals``, ``meta`` and ``adj`` without bounds checks (that is what makes them
fast). So every number that becomes an index is checked here, in Python,
against the arrays' bounds and the op table: opcodes, slot ranges of every
record's result and operands, offsets and index maps in ``meta``, forward
modes, guards, arguments, outputs and matmul host records. Records may only
read slots that an earlier record wrote, or slots no record writes (inputs,
constants). Sizes are bounded, so nothing allocates absurd memory or loops for
long. A bad file raises ``ValueError`` naming the first problem found.
"""
import math

import numpy as np

from ..autodiff.host_ops import ReplayHost
from ..core import kernels as K
from ..core import replay_select as RS

MAX_SLOTS = 1 << 24          # a compiled tape is one tape (tape.FULL = 2**18 slots): far below
MAX_RECORDS = 1 << 24
MAX_META = 1 << 26
MAX_GUARDS = 1 << 24
MAX_DIMS = 32

# The arrays of a tape file and the dtype and rank each must have.
ARRAYS = {"rec": (np.int64, 2), "vals": (np.float64, 1), "meta": (np.int64, 1), "fmode": (np.uint8, 1),
          "guard_a": (np.int64, 1), "guard_b": (np.int64, 1), "guard_kind": (np.int8, 1),
          "guard_const": (np.float64, 1), "guard_want": (np.float64, 1), "guard_site": (np.int32, 1),
          "header": (np.uint8, 1)}

_LOSSES = {K.MSE_LOSS, K.HUBER_LOSS, K.SMOOTH_L1_LOSS}
_OWN = {K.VAR, K.BATCH_NORM} | _LOSSES            # records of their own (core/loss_kernels.py)
_STRUCTURAL = {K.SUM, K.SUM_IDX, K.GATHER, K.SCATTER, K.NORM, K.CUMSUM, K.PROD, K.HOST} | _OWN
_HOST_ONLY = {K.NORM, K.HOST}       # no Numba forward: must be host mode
_HOST_OR_NUMBA = {K.PROD}            # either
_KNOWN_FM = K.FM_HOST | K.FM_R32 | K.FM_R32IN | K.FM_ZERO | K.FM_F64ACC | K.FM_ZD | K.FM_R32SCALE | K.FM_ACC


class TapeFileError(ValueError):
    """A tape file that can't be trusted: what is wrong, where."""


def check_array(name, arr):
    """The array `name` of a tape file has its dtype and rank and a bounded size."""
    dt, ndim = ARRAYS[name]
    if arr.dtype != np.dtype(dt):
        raise TapeFileError(f"array {name!r} has dtype {arr.dtype}, expected {np.dtype(dt)}")
    if arr.ndim != ndim:
        raise TapeFileError(f"array {name!r} has {arr.ndim} dimensions, expected {ndim}")
    if name == "rec" and arr.shape[1] != K.REC_WIDTH:
        raise TapeFileError(f"array 'rec' has {arr.shape[1]} columns, expected {K.REC_WIDTH}")
    limit = {"rec": MAX_RECORDS * K.REC_WIDTH, "vals": MAX_SLOTS, "meta": MAX_META}.get(name, MAX_GUARDS)
    if arr.size > limit:
        raise TapeFileError(f"array {name!r} has {arr.size} elements, more than {limit}")


def _int(v, what, lo=None, hi=None):
    if isinstance(v, bool) or not isinstance(v, int):
        raise TapeFileError(f"{what} must be an integer, got {v!r}")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise TapeFileError(f"{what} = {v} is out of range [{lo}, {hi}]")
    return v


def check_shape(shape, what):
    if not isinstance(shape, (list, tuple)) or len(shape) > MAX_DIMS:
        raise TapeFileError(f"{what}: a shape must be a list of at most {MAX_DIMS} sizes, got {shape!r}")
    for s in shape:
        _int(s, f"{what}: a size", 0, MAX_SLOTS)
    if math.prod(shape) > MAX_SLOTS:
        raise TapeFileError(f"{what}: shape {list(shape)} has more than {MAX_SLOTS} elements")
    return tuple(shape)


class _Slots:
    """Bounds of `vals` and which record first writes each slot."""

    def __init__(self, S, rec):
        self.S = S
        writes = np.full(S, len(rec), np.int64)
        for r in range(len(rec) - 1, -1, -1):
            out, n = int(rec[r, K.REC_OUT]), int(rec[r, K.REC_N])
            self.range(out, n, f"record {r}: result")
            writes[out:out + n] = r
        self.first = np.where(writes == len(rec), -1, writes)     # -1: no record writes it (input, constant)

    def range(self, lo, n, what):
        if n < 0 or n > self.S:
            raise TapeFileError(f"{what}: size {n} is out of range [0, {self.S}]")
        if lo < 0 or lo + max(n, 1) > self.S:
            raise TapeFileError(f"{what}: slots {lo}..{lo + max(n, 1) - 1} are outside vals (size {self.S})")

    def read(self, r, lo, n, what):
        """Record r reads slots lo..lo+n-1 (at least lo): in bounds, written before r."""
        self.range(lo, n, f"record {r}: {what}")
        w = self.first[lo:lo + max(n, 1)]
        if w.size and w.max() >= r:
            raise TapeFileError(f"record {r}: {what} reads slot {lo + int(np.argmax(w >= r))}, "
                                f"which record {int(w.max())} writes later")


def _meta(meta, off, n, what):
    if off < 0 or n < 0 or off + n > meta.size:
        raise TapeFileError(f"{what}: meta[{off}:{off + n}] is outside meta (size {meta.size})")
    return meta[off:off + n]


def _indices(idx, hi, what):
    if idx.size and (idx.min() < 0 or idx.max() >= hi):
        raise TapeFileError(f"{what}: an index map entry is outside [0, {hi})")


def check_records(rec, vals, meta, fmode, host, elementwise_host):
    """Every record's opcode, sizes, slots, meta ranges and forward mode.
    `elementwise_host`: opcode -> kind ("unary", "binary", "param") of the
    elementwise ops Python can run (host mode)."""
    nrec = len(rec)
    if fmode.size != max(nrec, 1):
        raise TapeFileError(f"fmode has {fmode.size} entries for {nrec} records")
    if meta.size == 0:
        raise TapeFileError("meta is empty (a tape has at least one meta entry)")
    slots = _Slots(vals.size, rec)
    for r in range(nrec):
        op, out, n, a, b, m, ia = (int(v) for v in rec[r])
        fm = int(fmode[r])
        if fm & ~_KNOWN_FM:
            raise TapeFileError(f"record {r}: unknown forward mode bits {fm:#x}")
        if op == K.SELECT_ORDER:
            _check_select(r, out, n, a, b, m, ia, fm, rec, meta, slots)
            continue
        if op < K.N_ELEMENTWISE and op >= 0:
            if m & ~(31 if op == K.POW else 47 if op == K.DIV else 79 if op == K.SIGN else 15):
                raise TapeFileError(f"record {r}: elementwise flags {m} are not a combination of 1, 2, 4, 8"
                                    + (", 16" if op == K.POW else ", 32" if op == K.DIV else ", 64" if op == K.SIGN else ""))
            slots.read(r, a, 1 if m & 1 else n, "operand a")
            if b != -1:
                slots.read(r, b, 1 if m & 2 else n, "operand b")
            if ia != -1:
                slots.read(r, ia, 1, "constant")
            if fm & K.FM_HOST:
                kind = elementwise_host.get(op)
                if kind is None or (kind == "binary" and b < 0) or (kind == "param" and ia < 0):
                    raise TapeFileError(f"record {r}: opcode {op} has no host forward of this form")
            continue
        if op not in _STRUCTURAL:
            raise TapeFileError(f"record {r}: unknown opcode {op}")
        if op in _HOST_ONLY and not fm & K.FM_HOST:
            raise TapeFileError(f"record {r}: opcode {op} replays on the host only (forward mode {fm})")
        if fm & K.FM_HOST and op not in _HOST_ONLY and op not in _HOST_OR_NUMBA:
            raise TapeFileError(f"record {r}: opcode {op} has no host forward")
        if op == K.HOST:
            h = host.get(r)
            _check_host(r, out, n, h, slots)
            if (a, b) != (h.a, h.b) or n == 0:
                raise TapeFileError(f"record {r}: host record operands {a}, {b} / size {n} differ from its entry")
            continue
        if op in _OWN:
            _check_own(r, op, out, n, a, b, m, ia, fm, vals, meta, slots)
            continue
        if op != K.SCATTER and b != -1 and not (op in (K.GATHER, K.SUM_IDX) and b == K.GATHER_SUM == K.SUM_IDX_PLACE) \
                and not (op == K.GATHER and b == K.GATHER_KEEPS_ZERO):
            raise TapeFileError(f"record {r}: opcode {op} has no second operand, got slot {b}")
        if m < 0 or m > vals.size:
            raise TapeFileError(f"record {r}: operand size {m} is out of range [0, {vals.size}]")
        if op in (K.SUM, K.NORM, K.PROD):
            if n != 1:
                raise TapeFileError(f"record {r}: a reduction has {n} results, expected 1")
            slots.read(r, a, m, "operand")
            if op == K.SUM:
                slots.read(r, ia, 1, "scale")
        elif op == K.GATHER:
            slots.read(r, a, m, "operand")
            _indices(_meta(meta, ia, n, f"record {r}"), m, f"record {r} (gather)")
        elif op == K.SUM_IDX:
            slots.read(r, a, m, "operand")
            scale = _meta(meta, ia, 1 + m, f"record {r}")
            slots.read(r, int(scale[0]), 1, "scale")
            _indices(scale[1:], max(n, 0), f"record {r} (sum_idx)")
            if m and n == 0:
                raise TapeFileError(f"record {r}: sum_idx of {m} elements into none")
            if fm & K.FM_ACC:
                slots.range(out, n, f"record {r}: accumulated result")
        elif op == K.SCATTER:
            slots.read(r, a, n, "operand a")
            if m > n:
                raise TapeFileError(f"record {r}: scatter of {m} elements into {n}")
            slots.read(r, b, m, "operand b")
            _indices(_meta(meta, ia, n, f"record {r}"), n, f"record {r} (scatter)")
        elif op == K.CUMSUM:
            outer, length, inner = (int(v) for v in _meta(meta, ia, 3, f"record {r}"))
            if min(outer, length, inner) < 0 or outer * length * inner != n:
                raise TapeFileError(f"record {r}: cumsum layout {outer}x{length}x{inner} does not have {n} elements")
            slots.read(r, a, n, "operand")


def _check_select(r, out, n, a, b, m, ia, fm, rec, meta, slots):
    """A select_order record (functional/selection.py; layout at meta[m]:
    rows, row length L, picks per row k, mode, first rank, the offset of
    the index map it rewrites or -1, then rows*L positions in x and rows*k
    result positions). The replay writes vals[out + o] for its result
    positions o, reads x at a + its positions, reads order[first + t] of a
    row (t < k), and writes positions into the index map of the gather
    record r + 1 (the one pick() records right after it), whose operand
    must be x: everything it touches is bounded here. select_indices_map
    then gives that gather a map of its own (no other record reads it)."""
    if b != -1 or ia != -1 or fm != 0:
        raise TapeFileError(f"record {r}: a select_order record with operand b {b}, constant {ia}, "
                            f"forward mode {fm}")
    rows, L, k, mode, first, G = (int(v) for v in _meta(meta, m, K.SEL_HEADER, f"record {r}"))
    picks_one = mode in (K.SEL_MAX, K.SEL_MIN, K.SEL_MEDIAN, K.SEL_NANMEDIAN, RS.SEL_MODE)
    by_index = mode in (RS.SEL_INDEX, RS.SEL_MASK)      # (first: the size of a, the index / mask)
    if (rows < 0 or L < 1 or k < 1 or not 0 <= mode <= RS.SEL_LAST or rows * k != n
            or (k != 1 or first != 0 if picks_one else first < 1 or G < 0 if by_index else first < 0 or first + k > L)):
        raise TapeFileError(f"record {r}: select_order of {rows} rows of {L}, {k} picks from rank {first}, "
                            f"mode {mode}, into {n} results")
    body = _meta(meta, m + K.SEL_HEADER, RS.layout_size(rows, L, k, mode) - K.SEL_HEADER, f"record {r}")
    pos, outpos = body[:rows * L], body[rows * L:rows * (L + k)]
    _indices(outpos, n, f"record {r} (select_order results)")
    if by_index:
        # positions in the index / mask a, read at replay; the picks index the next record's operand
        _indices(body[rows * (L + k):], first, f"record {r} (select_order index positions)")
        if r + 1 >= len(rec) or int(rec[r + 1, 0]) != K.GATHER or int(rec[r + 1, 6]) != G or int(rec[r + 1, 2]) != n:
            raise TapeFileError(f"record {r}: select_order's index map {G} is not that of the next record, "
                                f"a gather of {n} picks")
        _indices(pos, int(rec[r + 1, 5]), f"record {r} (select_order positions)")
        slots.read(r, a, first, "operand")
        slots.range(out, n, f"record {r}: result")
        return
    if G == -1:
        size = int(pos.max()) + 1 if pos.size else 0
    else:
        if r + 1 >= len(rec) or int(rec[r + 1, 0]) != K.GATHER or int(rec[r + 1, 6]) != G or (
                int(rec[r + 1, 2]) != n or int(rec[r + 1, 3]) != a):
            raise TapeFileError(f"record {r}: select_order's index map {G} is not that of the next record, "
                                f"a gather of its {n} picks of x")
        size = int(rec[r + 1, 5])
    _indices(pos, size, f"record {r} (select_order positions)")
    slots.read(r, a, size, "operand")
    slots.range(out, n, f"record {r}: result")


def select_index_maps(rec, meta_buf):
    """A loaded tape's select_order records rewrite their gathers' index
    maps at replay: each select_order layout and its gather's map are
    copied to the end of meta (past every range the checks allowed any
    record) and the two records pointed at the copies, so a crafted file
    can't make a replay rewrite meta another record reads. Existing meta
    is not changed. Returns whether there are such records."""
    found = False
    for r in np.flatnonzero(rec[:, 0] == K.SELECT_ORDER) if len(rec) else ():
        found = True
        m = int(rec[r, K.REC_M])
        rows, L, k = (int(v) for v in meta_buf[m:m + 3])
        G = int(meta_buf[m + 5])
        layout = meta_buf[m:m + RS.layout_size(rows, L, k, int(meta_buf[m + 3]))]
        rec[r, K.REC_M] = len(meta_buf)
        meta_buf.extend(layout)
        if G >= 0:
            new = len(meta_buf)
            meta_buf.extend(meta_buf[G:G + int(rec[r + 1, 2])])
            meta_buf[int(rec[r, K.REC_M]) + 5] = new
            rec[r + 1, 6] = new
    return found


def _check_own(r, op, out, n, a, b, m, ia, fm, vals, meta, slots):
    """A loss, var or batch norm record (layouts: core/loss_kernels.py)."""
    if op == K.BATCH_NORM:
        _check_batch_norm(r, out, n, a, b, m, ia, fm, vals, meta, slots)
        return
    if m < 1 or m > vals.size:
        raise TapeFileError(f"record {r}: operand size {m} is out of range [1, {vals.size}]")
    head = _meta(meta, ia, 4 if op == K.VAR else 3, f"record {r}")
    src, flags, ps = (int(v) for v in head[:3])
    f32 = bool(flags & K.LF_F32)
    if fm != (K.FM_R32 if f32 else 0):
        raise TapeFileError(f"record {r}: forward mode {fm} of a {'float32' if f32 else 'float64'} loss / var")
    slots.read(r, a, m, "operand a")
    slots.read(r, b, m, "operand b")
    slots.read(r, src, n, "the composite's value")
    if op == K.VAR:
        if flags & ~(K.LF_F32 | K.VAR_WELFORD | K.VAR_MEAN32) or (flags & K.VAR_WELFORD and flags & K.VAR_MEAN32):
            raise TapeFileError(f"record {r}: var flags {flags}")
        slots.read(r, ps, 1, "dof")
        if not 0.0 < vals[ps] < math.inf:
            raise TapeFileError(f"record {r}: var's dof {vals[ps]!r} is not positive")
        nd = int(head[3])
        if not 0 <= nd <= MAX_DIMS:
            raise TapeFileError(f"record {r}: var of {nd} dims")
        shape = [int(v) for v in _meta(meta, ia + 4, nd, f"record {r}")]
        mask = int(_meta(meta, ia + 4 + nd, 1, f"record {r}")[0])
        idx = _meta(meta, ia + 5 + nd, m, f"record {r}")
        if min(shape, default=1) < 1 or math.prod(shape) != m or not 0 <= mask < (1 << nd) or (mask == 0 and nd):
            raise TapeFileError(f"record {r}: var of shape {shape} over dims {mask:#x} with {m} elements")
        kept = math.prod(s for d, s in enumerate(shape) if not mask >> d & 1)
        dims = [d for d in range(nd) if mask >> d & 1]
        want = np.broadcast_to(np.arange(kept, dtype=np.int64).reshape(
            [1 if d in dims else s for d, s in enumerate(shape)]), shape).ravel()
        if n != kept or not np.array_equal(idx, want):
            raise TapeFileError(f"record {r}: var's index map or result size ({n}) does not match its shape")
        return
    if flags & ~(K.LF_A | K.LF_B | K.LF_MEAN | K.LF_F32) or n not in (1, m) or (flags & K.LF_MEAN and n != 1):
        raise TapeFileError(f"record {r}: loss flags {flags} / result size {n} for {m} elements")
    if op == K.MSE_LOSS:
        if ps != -1:
            raise TapeFileError(f"record {r}: an mse loss with a parameter slot {ps}")
    else:
        slots.read(r, ps, 1, "loss parameter")
        if not 0.0 < vals[ps] < math.inf:
            raise TapeFileError(f"record {r}: loss parameter {vals[ps]!r} is not positive")


def _check_batch_norm(r, out, n, a, b, m, ia, fm, vals, meta, slots):
    src, flags, es, N, C, t = (int(v) for v in _meta(meta, ia, 6, f"record {r}"))
    if not 1 <= t <= max(N, 1):
        raise TapeFileError(f"record {r}: batch norm of {N} rows in {t} slices")
    bounds = _meta(meta, ia + 6, t + 1, f"record {r}")
    if bounds[0] != 0 or bounds[-1] != N or (np.diff(bounds) <= 0).any():
        raise TapeFileError(f"record {r}: batch norm's row slices {bounds.tolist()[:8]} do not cover {N} rows")
    k = bool(flags & K.BN_W) + bool(flags & K.BN_B)
    if (flags & ~(K.LF_A | K.LF_B | K.LF_F32 | K.BN_W | K.BN_B) or not flags & K.LF_F32 or fm != K.FM_R32
            or N < 1 or C < 1 or N * C != n or m != k * C or (b == -1) != (k == 0) or (flags & K.LF_B and not k)):
        raise TapeFileError(f"record {r}: batch norm of {N}x{C} ({n} elements), flags {flags}, parameters "
                            f"of {m} elements, forward mode {fm}")
    slots.read(r, a, n, "operand a")
    if k:
        slots.read(r, b, m, "operand b")
    slots.read(r, src, n, "the composite's value")
    slots.read(r, es, 1, "eps")
    if not 0.0 <= vals[es] < math.inf:
        raise TapeFileError(f"record {r}: batch norm's eps {vals[es]!r}")


def _check_host(r, out, n, h, slots):
    if h is None:
        raise TapeFileError(f"record {r}: a host record without its host entry")
    if h.out != out:
        raise TapeFileError(f"record {r}: host entry writes slot {h.out}, the record {out}")
    if isinstance(h, ReplayHost):       # a loss, var, batch norm (shapes checked by tapefile._host_op)
        for slot, shape, what in ((h.a, h.ashape, "a"), (h.b, h.bshape, "b")):
            if slot >= 0:
                slots.read(r, slot, math.prod(shape), f"host operand {what}")
        if math.prod(h.oshape) != n:
            raise TapeFileError(f"record {r}: host result shape {list(h.oshape)} does not have {n} elements")
        if h.src >= 0:
            slots.read(r, h.src, n, "host value")
        return
    if h.arg and h.a < 0 or h.brg and h.b < 0:
        raise TapeFileError(f"record {r}: a matmul operand that requires grad has no slots")
    for slot, const, shape, what in ((h.a, h.aval, h.ashape, "a"), (h.b, h.bval, h.bshape, "b")):
        if len(shape) == 0:
            raise TapeFileError(f"record {r}: matmul operand {what} is 0-d")
        if slot >= 0:
            slots.read(r, slot, math.prod(shape), f"matmul operand {what}")
        elif slot != -1 or const is None or tuple(const.shape) != tuple(shape):
            raise TapeFileError(f"record {r}: matmul operand {what} has neither slots nor a constant of "
                                f"shape {list(shape)}")
    try:
        oshape = np.matmul(np.zeros(h.ashape), np.zeros(h.bshape)).shape
    except ValueError as exc:
        raise TapeFileError(f"record {r}: matmul of shapes {list(h.ashape)} and {list(h.bshape)}: {exc}") from None
    if tuple(oshape) != tuple(h.oshape) or math.prod(oshape) != n:
        raise TapeFileError(f"record {r}: matmul result shape {list(h.oshape)} / size {n} do not match "
                            f"{list(oshape)}")


def check_guards(guards, S, nsites):
    ga, gb, gk, gc, gw, gs = guards
    if len({g.size for g in guards}) != 1:
        raise TapeFileError("the guard arrays have different lengths")
    if ga.size == 0:
        return
    if ga.min() < 0 or ga.max() >= S:
        raise TapeFileError(f"a guard reads a slot outside vals (size {S})")
    if gb.min() < -1 or gb.max() >= S:
        raise TapeFileError(f"a guard compares with a slot outside vals (size {S})")
    if gk.min() < 0 or gk.max() > K.G_INT:
        raise TapeFileError("unknown guard kind")
    if gs.min() < 0 or gs.max() >= nsites:
        raise TapeFileError(f"a guard names a source site outside the {nsites} recorded")


def check_layout(e, S):
    """Arguments and outputs: slots in vals, sizes matching shapes."""
    for i, (slot, n, shape, dt, rg) in enumerate(e.args):
        if math.prod(shape) != n:
            raise TapeFileError(f"argument {i}: {n} elements for shape {list(shape)}")
        if slot != -1:
            if slot < 0 or slot + max(n, 1) > S:
                raise TapeFileError(f"argument {i}: slots {slot}..{slot + n - 1} are outside vals (size {S})")
    for i, spec in enumerate(e.outs):
        if spec[0] == "slot":
            _, slot, n, shape, dt, name, rg = spec
            if math.prod(shape) != n:
                raise TapeFileError(f"output {i}: {n} elements for shape {list(shape)}")
            if slot < 0 or slot + max(n, 1) > S:
                raise TapeFileError(f"output {i}: slots {slot}..{slot + n - 1} are outside vals (size {S})")
        elif spec[0] == "arg":
            if not 0 <= spec[1] < len(e.args):
                raise TapeFileError(f"output {i} returns argument {spec[1]} of {len(e.args)}")


def count_leaves(struct, n, what):
    """The leaf indices of a decoded structure are 0..n-1, each once."""
    seen = []

    def walk(s, depth):
        if depth > 64:
            raise TapeFileError(f"{what} is nested too deeply")
        if s.__class__ is int:
            seen.append(s)
        elif s.__class__ is tuple and len(s) == 2 and s[0] in (tuple, list, dict):
            for item in s[1]:
                walk(item[1] if s[0] is dict else item, depth + 1)
    walk(struct, 0)
    if sorted(seen) != list(range(n)):
        raise TapeFileError(f"{what} does not refer to its {n} tensors exactly once each")
