"""The adjoint store of a create_graph backward (`symbolic.py`): adjoints
are tensors, summed per slot range in one op where pieces meet (as torch's
accumulation), and the helpers that place gradient pieces into a range."""
import bisect

import numpy as np

from ..autodiff import select_sum as SS
from ..core import dtypes as D
from ..functional import base as FB
from ..functional import functions as F
from ..tensors.tensor import keep_name
from . import symbolic_zeros as SZ


class _Adjoints:
    """Adjoint contributions of one tape, as tensors keyed by first slot.

    A piece may cover several records' outputs (stack/cat of consecutive
    results, a GATHER reading a range that spans records): `take` splits such
    pieces, keeping the parts outside the requested range for later.
    """

    def __init__(self, handles=()):
        self.pieces = {}
        self.keys = []
        self.longest = 1
        self.handles = handles      # bulk handle slots: one slot, a whole tensor
        self.bulk = {}
        # The tape's input slots (leaves, older tapes' tensors: no record
        # writes them) and their adjoints, kept apart once `split` (their
        # pieces never decide whether a record is reached).
        self.at_input = None
        self.inputs = None

    def split(self, at_input):
        """Keep adjoints of the slots marked in `at_input` apart from here on
        (pieces already there move, in the order they came)."""
        self.inputs = _Adjoints(self.handles)
        self.at_input = at_input
        for slot in [k for k in self.keys if at_input[k]]:
            for piece in self.pieces.pop(slot):
                self.inputs.add(slot, piece)
        self.keys = [k for k in self.keys if not at_input[k]]
        for slot in [k for k in self.bulk if at_input[k]]:
            self.inputs.bulk[slot] = self.bulk.pop(slot)

    def add(self, slot, g):
        if self.at_input is not None and self.at_input[slot]:
            self.inputs.add(slot, g)
            return
        if slot in self.handles:
            cur = self.bulk.get(slot)
            self.bulk[slot] = g if cur is None else cur + g
            return
        size = g.numel()
        if size > self.longest:
            self.longest = size
        if slot not in self.pieces:
            bisect.insort(self.keys, slot)
            self.pieces[slot] = [g]
        else:
            self.pieces[slot].append(g)

    def empty(self):
        """Whether no adjoint is left to route to a record (input slots' aside)."""
        return not self.pieces and not self.bulk

    def bound(self):
        """A slot at or above which no adjoint lies (a record whose result
        starts there is not reached)."""
        b = self.keys[-1] + self.longest if self.keys else 0
        if self.bulk:
            b = max(b, max(self.bulk) + 1)
        return b

    def take(self, slot, n):
        """The summed adjoint (flat tensor of n) of slots slot..slot+n, or None."""
        if self.at_input is not None and self.at_input[slot]:
            return self.inputs.take(slot, n)
        if slot in self.handles:
            return self.bulk.pop(slot, None)
        if n == 0:
            # An empty tensor: reached if an (empty) adjoint sits on its
            # placeholder slot; torch gives it an empty gradient, not None.
            pieces = self.pieces.get(slot)
            if pieces is None or pieces[0].numel():
                return None
            self.pieces.pop(slot)
            self.keys.remove(slot)
            return pieces[0]
        end = slot + n
        keys = self.keys
        lo = bisect.bisect_left(keys, slot - self.longest + 1)
        hi = bisect.bisect_left(keys, end)
        if lo == hi:
            return None
        if hi - lo == 1 and keys[lo] == slot:
            # (the common case: pieces exactly covering the range, summed in
            # the order they came, as _assemble sums overlapping blocks)
            pieces = self.pieces[slot]
            if all(piece.numel() == n for piece in pieces):
                del self.pieces[slot]
                del keys[lo]
                return SZ.summed(pieces)
        blocks, rest = [], []
        reached = None      # an empty piece inside the range (an empty result's routing): zeros
        for key in self.keys[lo:hi]:
            keep = []
            for piece in self.pieces.pop(key):
                size = piece.numel()
                if size == 0 and key >= slot:
                    reached = piece
                    continue
                if key + size <= slot:          # entirely before the range
                    keep.append(piece)
                    continue
                a, b = max(key, slot), min(key + size, end)
                if key < slot:
                    rest.append((key, piece[:slot - key]))
                if key + size > end:
                    rest.append((end, piece[end - key:]))
                if a != key or b != key + size:
                    piece = piece[a - key:b - key]
                blocks.append((a - slot, piece))
            if keep:
                self.pieces[key] = keep
        self.keys[lo:hi] = [k for k in self.keys[lo:hi] if k in self.pieces]
        for key, piece in rest:
            self.add(key, piece)
        if not blocks and reached is not None:
            return F.zeros(n, dtype=reached.dtype)
        return _assemble(blocks, n)


def _assemble(blocks, n):
    """The adjoint of n slots from (offset, flat piece) blocks: blocks side by
    side (x[i] of a vector, unbind's parts) are placed, so a -0.0 stays as in
    torch's copy into zeros; overlapping ones are summed."""
    if not blocks:
        return None
    if len(blocks) == 1 and blocks[0][0] == 0 and blocks[0][1].numel() == n:
        return blocks[0][1]
    blocks.sort(key=lambda ab: ab[0])
    end, disjoint = 0, True
    for start, piece in blocks:
        disjoint = disjoint and start >= end
        end = start + piece.numel()
    if not disjoint:
        total = None
        for start, piece in blocks:
            if start != 0 or piece.numel() != n:
                piece = _place(piece, np.arange(start, start + piece.numel()), n)
            total = piece if total is None else total + piece
        return total
    parts, end = [], 0
    for start, piece in blocks:
        if start > end:
            parts.append(_graph_zeros(piece, start - end))
        parts.append(flat(piece))
        end = start + piece.numel()
    if end < n:
        parts.append(_graph_zeros(blocks[0][1], n - end))
    if len(parts) == 1:
        return parts[0]
    out = F.cat(parts)
    out.__dict__["_placed"] = tuple(piece for _, piece in blocks)     # (_select_sum's next functions)
    return out


def _graph_zeros(ref, k):
    """k zeros, in ref's graph when ref has one: torch's zero-filled parts of
    a create_graph gradient (select/slice backward) stay in the graph, so an
    input reached through them gets a zero gradient, not None (a gradient
    entry that does not depend on x, differentiated again). A where with a
    false mask: +0.0 values; its masked +0.0 gradient, times -0.0, reaches
    ref[0] as -0.0, which changes no sum (torch's slice / select backward
    adds nothing there: a +0.0 would turn a -0.0 gradient into +0.0)."""
    if not ref.requires_grad:
        return F.zeros(k, dtype=ref.dtype)
    flat = F.reshape(ref, (-1,))
    one = flat[:1] if flat.numel() else flat.sum().reshape(1)     # (an empty ref: its sum, 0, in its graph)
    return F.where(F.zeros(k, dtype=D.bool_), (one * -0.0).expand(k), 0.0)


def flat(g):
    """A gradient piece as a 1-D tensor (one-slot adjoints are 0-d; the
    reshape is bookkeeping, named as the op that made g)."""
    return keep_name(F.reshape(g, (1,)), g) if g.dim() == 0 else g


def _place(g, idx, n):
    """g copied into n zeros at distinct positions idx (a -0.0 stays, as in
    torch's select or slice backward; index_add would start each element's
    sum from +0.0)."""
    g = flat(g)
    where = np.full(n, g.numel(), np.int64)
    where[idx] = np.arange(g.numel())
    if g.numel() == n:
        # A permutation (transpose, permute, flip): every position gets an
        # element of g, as torch's permuted gradient, and no zero is needed
        # (whose masked +0.0 would reach g[0]'s gradient at the next order).
        return F._gather_tensor(g, where)
    return F._gather_tensor(F.cat([F.reshape(g, (-1,)), _graph_zeros(g, 1)]), where)


def _scatter_add(g, idx, n):
    """out (n elements) with out[idx[i]] += g[i]: GATHER's transpose."""
    return F._index_add(flat(g), np.asarray(idx, np.int64), n)


def _select_sum(g, groups, graphed=()):
    """torch's sum of the x[i] reads' full-size gradients
    (select_sum.select_groups): reads of two or more indices of the input itself
    are an AddBackward0 in torch's graph, and every -0.0 where the sum adds
    +0.0 reads +0.0."""
    if not groups:
        return g
    if g._rg and g._name == "CatBackward0":     # (the reads' gradients placed in zeros: torch's select backward)
        FB._named(g, "SelectBackwardBackward0", *g.__dict__.pop("_placed", ()))
    plus = np.zeros(g.numel(), bool)
    for image, read in groups:
        plus[SS.plus_zero_positions(image, read)] = True
    if g._rg:
        # torch's forward-over-reverse (hessian, jacfwd of a gradient) adds
        # each read's +0.0 tangent where it does not read, if that read's
        # gradient has one (a graph here): a zero in the graph there
        live = np.zeros(g.numel(), bool)
        for (image, read), rg in zip(groups, graphed):
            if len(read) >= 2 and len(rg):
                live[image if len(rg) >= 2 else image[image != rg[0]]] = True
        if live.any():
            base = int(next(rg[0] for rg in graphed if len(rg)))
            return g + _plus_zeros(g[base:base + 1], plus, live)
    v = g.detach().numpy()
    flips = (plus & np.signbit(v) & (v == 0.0)).any()
    if len(groups[0][1]) >= 2 and len(groups[0][0]) == g.numel() and plus.all():
        return g + 0.0
    if flips:
        zeros = np.where(plus, 0.0, -0.0).astype(v.dtype)     # x + -0.0 is x: elsewhere nothing changes
        return g + F.tensor(zeros)
    return g


def _plus_zeros(ref, plus, live):
    """Zeros to add to a gradient: +0.0 where `plus`, in ref's graph (a +0.0
    tangent) where `live`; -0.0 (adds nothing) elsewhere."""
    k = int(live.sum())
    where = np.where(plus, k, k + 1)
    where[live] = np.arange(k)
    zeros = F.cat([_graph_zeros(ref, k), F.tensor([0.0, -0.0], dtype=ref.dtype)])
    return F._gather_tensor(zeros, where)
