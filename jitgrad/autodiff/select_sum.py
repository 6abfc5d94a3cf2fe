"""torch's sum over x[i] reads, for the engine and the create_graph walker.

An `x[i]` read of a vector is one one-slot COPY record here (the hot op of
scalar loops); torch has a SelectBackward0 whose gradient is a full-size
tensor, zeros elsewhere, summed with the input's other uses: an element
that a read of another index does not cover gets +0.0 (a -0.0 reads +0.0).
The engine applies it to an input's gradient after the sweep and, at a stop
before the producing record, to a vector made on the tape (ARCHITECTURE.md,
"Reach and signed zeros")."""
import weakref

import numpy as np

from ..core import kernels as K

# select_stops of a compiled tape's records, per replay program (the records
# of its every call are the same): a 10k-record tape took ~100 us a call.
_STOPS: dict = {}      # id(program) -> (weakref to it, stops)
_EAGER_STOPS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()    # eager tape -> (records, stops)


def has_reads(rec) -> bool:
    """Whether the records hold an x[i] read (a one-slot COPY): without one,
    select_groups and select_stops find nothing."""
    return bool(((rec[:, 0] == K.COPY) & (rec[:, 2] == 1)).any())


def select_groups(rec, meta, slot, n, reached) -> list:
    """torch sums an input's gradient from one full-size tensor per use; an
    x[i] read (tensors/indexing._element) is one one-slot COPY record here.
    For the n-slot input at `slot` (a leaf, or a tensor of an older tape:
    its reads here are all done) and each of its views (identity copies such
    as view_as, which the functional API reads; gathers with distinct
    indices: slices) that x[i] reads, (positions of the input the view
    covers, positions its reads reached by the sweep cover) (`reached(out
    slots)` -> bool mask)."""
    return reached_groups(select_views(rec, meta, slot, n), reached)


def select_views(rec, meta, slot, n) -> list:
    """The part of `select_groups` that depends on the records only (a
    sealed tape's: the create_graph walker keeps it per tape): per view of
    the input that x[i] reads, (positions of the input it covers, the
    reads' positions in the view, the reads' output slots)."""
    op, out, size, src = rec[:, 0], rec[:, 1], rec[:, 2], rec[:, 3]
    reads = (op == K.COPY) & (size == 1)
    if not reads.any():
        return []
    whole = np.arange(n)
    views = [(slot, whole)] + [(o, whole) for o in out[(op == K.COPY) & (size == n) & (src == slot)].tolist()]
    from_view = src == slot
    for base, _ in views[1:]:
        from_view |= src == base
    for r in np.nonzero((op == K.GATHER) & from_view & (rec[:, 5] == n) & (rec[:, 4] != K.GATHER_SUM))[0]:
        idx = np.asarray(meta[rec[r, K.REC_IA]:rec[r, K.REC_IA] + size[r]], np.int64)
        if np.unique(idx).size == idx.size:
            views.append((int(out[r]), idx))
    found = []
    for base, image in views:
        sel = reads & (src >= base) & (src < base + len(image))
        if sel.any():
            found.append((image, src[sel] - base, out[sel]))
    return found


def reached_groups(views, reached) -> list:
    """`select_groups` from `select_views`: (image, positions its reads
    reached by the sweep cover), for the views with a reached read."""
    groups = []
    for image, pos, outs in views:
        hit = np.unique(pos[reached(outs)])
        if hit.size:
            groups.append((image, image[hit]))
    return groups


SMALL_TAPE = 256


def select_stops(rec) -> list:
    """(record, out, n) of the multi-slot results on this tape that x[i]
    reads (one-slot COPY records) read, directly or through a view: their
    adjoint gets `select_groups`' +0.0 before the record is swept."""
    op, size, src = rec[:, 0], rec[:, 2], rec[:, 3]
    if len(rec) <= SMALL_TAPE:      # (NumPy's per-call costs dominate a few records)
        ops = op.tolist()
        if K.COPY not in ops or 1 not in [n for o, n in zip(ops, size.tolist()) if o == K.COPY]:
            return []
    reads = (op == K.COPY) & (size == 1)
    if not reads.any():
        return []
    multi = np.nonzero(size > 1)[0]
    if not multi.size:
        return []
    order = multi[np.argsort(rec[multi, K.REC_OUT], kind="stable")]
    read = src[reads]
    at = np.searchsorted(rec[order, K.REC_OUT], read, side="right") - 1
    keep = at >= 0
    producer = order[at[keep]]
    producer = np.unique(producer[read[keep] < rec[producer, K.REC_OUT] + rec[producer, K.REC_N]])
    return [(int(r), int(rec[r, K.REC_OUT]), int(rec[r, K.REC_N])) for r in producer]


def select_stops_of(tape, rec) -> list:
    """select_stops(rec), remembered for a replayed call's tape (its
    program's records never change)."""
    if tape.program is None:
        if len(rec) <= SMALL_TAPE:
            return select_stops(rec)        # (cheaper than the cache)
        # (an eager tape only grows: its stops are kept while its record
        # count stays, as many backward calls through a tape holding many
        # small graphs would find them again each time)
        hit = _EAGER_STOPS.get(tape)
        if hit is None or hit[0] != len(rec):
            hit = _EAGER_STOPS[tape] = (len(rec), select_stops(rec))
        return hit[1]
    prog = tape.program[0]
    hit = _STOPS.get(id(prog))
    if hit is not None and hit[0]() is prog:
        return hit[1]
    stops = select_stops(rec)
    key = id(prog)
    _STOPS[key] = (weakref.ref(prog, lambda _, key=key: _STOPS.pop(key, None)), stops)
    return stops


def plus_zero_positions(image, read) -> np.ndarray:
    """Where torch's sum over a view's reads adds +0.0: every covered
    position that a read of another index does not cover."""
    return image if len(read) >= 2 else image[image != read[0]]


def select_sum_zeros(g, groups):
    """(Called for a gradient holding a -0.0.) torch's +0.0 of the x[i]
    reads' full-size gradients (`select_groups`): a -0.0 there reads +0.0."""
    if not groups:
        return g
    g = np.array(g)
    for image, read in groups:
        g[plus_zero_positions(image, read)] += 0.0
    return g
