"""Backward with create_graph=True: every step is an ordinary recorded op.

The numeric sweep (kernels.sweep) returns numbers. To differentiate a
gradient again, the backward pass itself must be on a tape: this module
walks a sealed tape's records in reverse, like the sweep, but computes each
adjoint with Tensor operations. Values of the original graph enter those
operations as *proxies*: tensors that stand for slots of the sealed tape, so a
second backward through them flows back into that tape. Any order of
derivative works, since each pass records a new graph of the same ops.

Each elementwise op's vector-Jacobian product is its rule in the op table
(`ops.RULES`), written with Tensor ops. Bulk records (bulk.py) run the same
rules on arrays, so `tests/test_bulk.py` (every op-table row, bulk mode,
against torch) and `tests/test_higher_order.py` keep them in step with
`kernels.elementwise`.
"""

import bisect

import numpy as np

from ..autodiff import engine
from ..autodiff import own_records as OR
from ..functional import own_vjp
from ..autodiff import select_sum as SS
from ..core import dtypes as D
from ..core import kernels as K
from ..core import ops as O
from ..core import saved_nodes as SN
from ..functional import base as FB
from ..functional import functions as F
from ..core.grad_mode import enable_grad
from ..tensors.tensor import Tensor, _scalar_out
from .symbolic_adjoints import _Adjoints, _place, _scatter_add, _select_sum, flat
from .symbolic_names import _MASKED_BY_INPUT, CompositeNames, _masked_by_input, _view_grad_names
from .symbolic_stops import _at_stop, _collect_nonleaf, _deliver_leaf, _stops
from . import symbolic_zeros as SZ


# Tapes of at most this many records: their facts by Python loops (NumPy's
# calls cost more there), and no skipping in the walk.
SMALL_TAPE = 64


class _TapeFacts:
    """What a walk needs to know of a tape's records, computed once per tape
    (kept in `tape._live`; a sealed tape never grows, and a jacobian or a
    create_graph loop walks the same tape again): the slots whose value
    depends on an input (others are constants), the records sharing an
    earlier record's output, the records before which x[i] reads' sums
    are due (select_sum.select_stops), and the result column, when in slot
    order, to skip records no adjoint reaches (_reached)."""
    __slots__ = ("nrec", "nvals", "live", "input_of", "at_input", "shared", "selects", "select_keys", "views", "outs",
                 "ordered")

    def __init__(self, tape, rec, nvals, given_live=None):
        self.nrec, self.nvals = len(rec), nvals
        # (live: inside some record's result range, or an input's)
        small = len(rec) <= SMALL_TAPE
        if small:
            live = np.zeros(nvals, bool)
            rows = rec[:, :3].tolist()
            outs = [out for _, out, _ in rows]
            sizes = [n for _, _, n in rows]
            live[[out for out, n in zip(outs, sizes) if n == 1]] = True     # (one-slot results at once)
            for out, n in zip(outs, sizes):
                if n != 1:
                    live[out:out + n] = True
        else:
            mark = np.zeros(nvals + 1, np.int64)
            np.add.at(mark, rec[:, 1], 1)
            np.add.at(mark, rec[:, 1] + rec[:, 2], -1)
            live = np.cumsum(mark[:nvals]) > 0
        # (per slot: the index of the tape input holding it, or -1; +1: an
        # empty input's placeholder slot at the end)
        self.input_of = input_of = np.full(nvals + 1, -1, np.int64)
        for i, (_, _, _, slot, n) in enumerate(tape.inputs):
            input_of[slot:slot + (1 if slot in tape.bulk else max(n, 1))] = i     # (a bulk handle: one slot)
        self.at_input = input_of >= 0
        # (a replayed call's tape: the slots that depend on its inputs, given)
        self.live = live | self.at_input[:nvals] if given_live is None else given_live
        if small and all(map(int.__lt__, outs, outs[1:])):
            self.shared = frozenset()       # (_shared_outputs' usual tape, found without NumPy's calls)
        else:
            self.shared = _shared_outputs(rec)
        # (select stops need an x[i] read, a one-slot COPY, of a multi-slot result)
        copy = K.COPY
        reads = not small or (max(sizes, default=0) > 1 and any(op == copy and n == 1 for op, _, n in rows))
        self.selects = {r: (o, n) for r, o, n in SS.select_stops(rec)} if reads else {}
        self.select_keys = sorted(self.selects)
        self.views = {}     # (slot, n) -> select_sum.select_views
        self.outs = rec[:, 1]
        # (a small tape is walked record by record: nothing worth skipping)
        self.ordered = len(rec) > SMALL_TAPE and bool((self.outs[1:] >= self.outs[:-1]).all())

    def select_groups(self, rec, meta, slot, n, copied):
        """select_sum.select_groups, reads reached when their output is in
        `copied`, and per group the input positions of its reads whose
        gradient has a graph (`copied[out]`)."""
        views = self.views.get((slot, n))
        if views is None:
            views = self.views[slot, n] = SS.select_views(rec, meta, slot, n)
        if not views:
            return [], []
        groups = SS.reached_groups(views, lambda outs: np.fromiter(map(copied.__contains__, outs.tolist()), bool,
                                                                   len(outs)))
        graphed = SS.reached_groups(views, lambda outs: np.fromiter((copied.get(o, False) for o in outs.tolist()),
                                                                    bool, len(outs)))
        # (aligned with groups: a view with a graphed read has a reached one)
        by_image = {id(image): read for image, read in graphed}
        return groups, [by_image.get(id(image), ()) for image, _ in groups]


def _tape_facts(tape, rec, nvals):
    facts = tape._live
    if callable(facts):     # a replayed call's tape: the slots that depend on its inputs (replay/compiler.py)
        facts = tape._live = _TapeFacts(tape, rec, nvals, facts())
    elif facts is None or facts.nrec != len(rec) or facts.nvals != nvals:
        facts = tape._live = _TapeFacts(tape, rec, nvals)
    return facts


def _reached(rec, facts, adjs, skip):
    """(index, row) of the records a reverse walk visits, last first: none
    once no adjoint is left, and, with `skip` (results in slot order), none
    whose result starts above every adjoint (a tape holding many graphs: one
    create_graph gradient walks its own). Rows are read in blocks as the walk
    comes to them."""
    outs, keys = facts.outs, facts.select_keys
    r, lo, block = len(rec) - 1, len(rec), []
    while r >= 0 and not adjs.empty():
        if skip and outs[r] >= adjs.bound():
            below = int(np.searchsorted(outs, adjs.bound())) - 1
            i = bisect.bisect_right(keys, r) - 1       # (an x[i] sum due in between: visited)
            if i < 0 or keys[i] <= below:
                r = below
                continue
            r = keys[i]
        if r < lo:
            lo = max(0, r - 255)
            block = rec[lo:r + 1].tolist()
        yield r, block[r - lo]
        r -= 1


class _Proxies:
    """Tensors standing for slots of a sealed tape."""

    def __init__(self, tape, vals, live):
        self.tape, self.vals, self.live = tape, vals, live
        self.made = {}      # (slot, n) -> proxy: one per value read by the walk

    def __call__(self, slot, n):
        t = self.made.get((slot, n))
        if t is None:
            t = self.made[slot, n] = self._make(slot, n)
        return t

    def _make(self, slot, n):
        entry = self.tape.bulk.get(slot)
        if entry is not None:
            t = Tensor._wrap(entry.arr.reshape(-1))
        elif n == 1:
            # (one slot: a 0-d tensor, whose ops take the scalar paths; a
            # one-slot adjoint is 0-d too, see `flat`)
            t = _scalar_out(float(self.vals[slot]), D.float64)
        else:
            t = Tensor._wrap(np.array(self.vals[slot:slot + n]))
        # (any live slot: cat([constant, x]) starts with a constant)
        if self.live[slot] or self.live[slot:slot + n].any():
            t._rg = True
            t._tape = self.tape
            t._slot = slot
            t._name = "Proxy"
            if entry is not None:
                t._bulk = True
        return t


def run(roots, grads, inputs=None, retain_graph=True):
    """Backward from `roots` with seeds `grads` (flat Tensors), recording.

    Without `inputs`, leaves' .grad get tensors that carry a graph; with
    `inputs`, returns each input's gradient (flat Tensor or None). As the
    numeric sweep: records already freed or whose saved values were
    overwritten in place raise torch's errors, and retain_graph=False frees
    the records visited.
    """
    mark = len(engine.AFTER_BACKWARD)
    with enable_grad():
        res = _run(roots, grads, inputs, retain_graph)
    if len(engine.AFTER_BACKWARD) > mark:
        engine.after_backward(mark)
    return res


def _run(roots, grads, inputs, retain_graph=True):
    if SCALAR_WALK:
        walked = _scalar_walk(roots, grads, inputs, retain_graph)
        if walked is not _NOT_SCALAR:
            return walked
    pending = {}
    found = None if inputs is None else {id(t): None for t in inputs}
    needed_cache: dict = {}
    leaves = {}         # id -> [leaf, summed gradient]: hooks see the total

    def seed(tape, slot, g):
        if tape not in pending:
            pending[tape] = _Adjoints(tape.bulk)
        pending[tape].add(slot, g)

    def to_leaf(t, g):
        if id(t) in leaves:
            leaves[id(t)][1] = leaves[id(t)][1] + g
        else:
            leaves[id(t)] = [t, g]

    for t, g in zip(roots, grads):
        if t._name is None:
            to_leaf(t, g)
        else:
            seed(t._tape, t._slot, g)
    while pending:
        tape = max(pending, key=lambda tp: tp.serial)
        adjs = pending.pop(tape)
        rec, vals, meta, freed = tape.arrays()
        facts = _tape_facts(tape, rec, len(vals))
        adjs.split(facts.at_input)
        copied = {}     # outputs of reached COPY records (x[i] reads among them) -> their gradient has a graph
        proxy = _Proxies(tape, vals, facts.live)
        shared, selects = facts.shared, facts.selects
        stops = _stops(tape, rec)
        needed = engine.NEEDED_SLOTS(tape, inputs, needed_cache) if found is not None else None
        if needed is not None:      # (hooks of a tensor depending on no input: torch runs none)
            stops = {r: kept for r, ts in stops.items()
                     if (kept := [t for t in ts if needed[t._slot:t._slot + max(t.numel(), 1)].any()])}
        stale = engine._stale_slots(tape, len(vals)) if getattr(tape, "stale", None) else K.NO_STALE
        overwritten = ({s[0]: s for s in SN.overwritten_results(tape, rec, stale, None, -1)}
                       if tape.saves_result is not None and stale is not K.NO_STALE else None)
        # (non-leaf inputs of grad() made on this tape: collected on the way)
        nonleaf = found is not None and any(t._name is not None and t._tape is tape for t in inputs)
        done = False
        names = CompositeNames(tape)
        # (skipped records hold no adjoint: a non-leaf input or a hooked
        # tensor there has none to collect either)
        for r, (op, out, n, a, b, m, ia) in _reached(rec, facts, adjs, facts.ordered):
            if r in selects:       # torch's sum over x[i] reads of this record's result
                o, k = selects[r]
                g = adjs.take(o, k)
                if g is not None:
                    adjs.add(o, _select_sum(g, *facts.select_groups(rec, meta, o, k, copied)))
            if r in stops:
                _at_stop(stops[r], adjs)
            if nonleaf:
                _collect_nonleaf(found, inputs, tape, adjs, out, n, op == K.HOST, names)
                if all(v is not None for v in found.values()):
                    # Every input asked for is a non-leaf whose gradient is
                    # complete: what lies below is not on a path to one (as
                    # torch's engine, which runs only those nodes).
                    done = True
                    break
            g = names.name(out, adjs.take(out, n))
            if g is None:
                continue
            if needed is not None and op == K.HOST and not engine.LEADS_TO_INPUTS(tape.host[r], needed):
                continue        # (a custom Function on no path to the inputs: torch does not run its backward)
            if overwritten and r in overwritten:     # (a composite's saved result, overwritten in place)
                _, _, node, o, k = overwritten[r]
                raise RuntimeError(SN.overwritten_result_message(tape, o, k, node))
            if op == K.COPY:
                copied[out] = g._rg
            free = False
            if op == K.BULK:
                free = tape.host[r].check(tape, stale, freed, r, retain_graph)
            elif freed[r] and K.saves_values(op):
                raise RuntimeError(engine.FREED_MSG)
            elif len(stale) and K.modified_saved(op, out, n, a, b, m, stale):
                raise RuntimeError(engine._modified_message(tape, rec, r, stale))
            if not retain_graph:
                freed[r] = 1
            if r in shared:
                # Earlier records write into the same output (stack: one
                # SUM_IDX per operand): they read the same adjoint.
                adjs.add(out, g)
            zeros = None
            if (op == K.SIGN and m & K.ZERO_TENSOR_GRAD) or SZ.is_zero_tensor(g):
                # (torch's ZeroTensor gradient, sgn's: passed on where the node keeps it)
                zeros = SZ.contributions(op, n, a, b, m, ia, g, vals, lambda z: _vjp(
                    tape, op, out, n, a, b, m, ia, z, vals, meta, proxy), lambda: proxy(out, max(n, 1)))
            if zeros is not None:
                contributions = zeros
            elif op == K.BULK:
                contributions = tape.host[r].vjp(flat(g), proxy)
                if free:
                    tape.host[r].release(tape)
            else:
                contributions = _vjp(tape, op, out, n, a, b, m, ia, g, vals, meta, proxy)
                if op == K.COPY or op == K.GATHER:
                    contributions = _view_grad_names(tape, r, op, n, g, contributions)
                if contributions and tape in FB.COMPOSITE_EDGES:
                    named = FB.COMPOSITE_EDGES[tape].get(int(out))
                    if named is not None and named[0] in _MASKED_BY_INPUT:
                        contributions = _masked_by_input(contributions, proxy, _MASKED_BY_INPUT[named[0]])
            composite = names.of(out)
            for slot, contribution in contributions:
                names.note(composite, slot, contribution, adjs)
                adjs.add(slot, contribution)
        if done:
            break
        if found is not None:
            for t in inputs:
                if t._name is not None and t._tape is tape and found[id(t)] is None:
                    found[id(t)] = adjs.take(t._slot, t.numel())
        # (the inputs reached, in the tape's order: a tape's inputs may be
        # many leaves of other graphs)
        for i in sorted({int(facts.input_of[k]) for k in adjs.inputs.keys + list(adjs.inputs.bulk)}):
            leaf, older, older_slot, slot, n = tape.inputs[i]
            g = names.name(slot, adjs.take(slot, n))
            if g is None:
                continue
            if n > 1:
                g = _select_sum(g, *facts.select_groups(rec, meta, slot, n, copied))
            if leaf is not None:
                t = leaf()
                if t is not None:
                    to_leaf(t, g)
            else:
                seed(older, older_slot, g)
    for t, g in leaves.values():
        _deliver_leaf(t, g, found)
    if found is not None:
        return [found[id(t)] for t in inputs]
    return None


# The walk of a tape of 0-d elementwise records (a create_graph loop over a
# scalar function) without _run's machinery for views, composites, hooks and
# several tapes; False: every walk takes _run's (tests compare the two).
SCALAR_WALK = True
SCALAR_WALK_MAX = 512       # records (each walk lists them all)
_NOT_SCALAR = object()


def _scalar_walk(roots, grads, inputs, retain_graph):
    """_run's walk, its records, sums and results, for one tape of one-slot
    elementwise records whose inputs are 0-d leaves (no hooks, retained
    grads, composites, views, bulk or overwritten values): the same rules
    called in the same order, adjoints summed in the order they came; else
    _NOT_SCALAR, having done nothing."""
    tape = roots[0]._tape
    if tape is None or tape.bulk or tape.hooked or tape.retained or tape.stale or tape.saves_result is not None \
            or tape.program is not None or callable(tape._live) or engine.NODE_HOOKS.get(tape) \
            or tape in FB.COMPOSITE_EDGES:
        return _NOT_SCALAR
    for t in roots:
        if t._tape is not tape or t._name is None:
            return _NOT_SCALAR
    if inputs is not None:
        for t in inputs:
            if t._name is not None:
                return _NOT_SCALAR
    rec, vals, meta, freed = tape.arrays()
    nrec = len(rec)
    if not nrec or nrec > SCALAR_WALK_MAX:
        return _NOT_SCALAR
    rows = rec.tolist()
    last = -1
    for op, out, n, _, _, _, _ in rows:
        if n != 1 or op >= K.NONDIFF_BASE or op == K.COPY or out <= last:
            return _NOT_SCALAR
        last = out
    in_slots = {}
    others = set()      # slots of older tapes' tensors (a loop's previous update): the walk must not reach them
    for i, (leaf, older, _, slot, n) in enumerate(tape.inputs):
        if leaf is None:
            others.update(range(slot, slot + max(n, 1)))
        elif n != 1:
            return _NOT_SCALAR
        else:
            in_slots[slot] = i
    if others:
        reached = {t._slot for t in roots}
        for op, out, n, a, b, m, ia in reversed(rows):
            if out in reached:
                reached.add(a)
                reached.add(b)
        if not others.isdisjoint(reached):
            return _NOT_SCALAR
    live = np.zeros(len(vals), bool)
    live[rec[:, 1]] = True
    live[list(in_slots) + list(others)] = True
    proxy = _Proxies(tape, vals, live)
    pieces: dict = {}       # record outputs' adjoints, in the order they came
    at_inputs: dict = {}    # the inputs' (kept apart, as _Adjoints.split)
    for t, g in zip(roots, grads):
        if g.numel() != 1:
            return _NOT_SCALAR
        pieces.setdefault(t._slot, []).append(g)
    saves = K.saves_values
    r = nrec - 1
    while r >= 0 and pieces:
        op, out, n, a, b, m, ia = rows[r]
        got = pieces.pop(out, None)
        if got is not None:
            g = got[0]
            for piece in got[1:]:
                g = g + piece
            if freed[r] and saves(op):
                raise RuntimeError(engine.FREED_MSG)
            if not retain_graph:
                freed[r] = 1
            for slot, c in _vjp(tape, op, out, n, a, b, m, ia, g, vals, meta, proxy):
                (at_inputs if slot in in_slots else pieces).setdefault(slot, []).append(c)
        r -= 1
    found = None if inputs is None else {id(t): None for t in inputs}
    leaves = {}
    for slot in sorted(at_inputs, key=in_slots.__getitem__):
        got = at_inputs[slot]
        g = got[0]
        for piece in got[1:]:
            g = g + piece
        t = tape.inputs[in_slots[slot]][0]()
        if t is not None:
            if id(t) in leaves:
                leaves[id(t)][1] = leaves[id(t)][1] + g
            else:
                leaves[id(t)] = [t, g]
    for t, g in leaves.values():
        _deliver_leaf(t, g, found)
    if found is not None:
        return [found[id(t)] for t in inputs]
    return None


def _shared_outputs(rec):
    """The records r that an earlier record shares the output slot with."""
    outs = rec[:, 1]
    if len(outs) < 2 or (outs[1:] > outs[:-1]).all():
        return frozenset()      # (results in slot order, the usual tape: none)
    shared = np.ones(len(rec), bool)
    _, first = np.unique(outs, return_index=True)
    shared[first] = False
    return frozenset(np.nonzero(shared)[0].tolist())


def _distinct(idx) -> bool:
    """Whether no position repeats in idx (a view's map is increasing: no sort)."""
    if idx.size < 2 or bool((idx[1:] > idx[:-1]).all()):
        return True
    return np.unique(idx).size == idx.size


def _vjp(tape, op, out, n, a, b, m, ia, g, vals, meta, proxy):
    """(slot, tensor) contributions of record `op` with output adjoint g."""
    if K.NONDIFF_BASE <= op < K.N_ELEMENTWISE:
        return []       # no gradient (comparisons, masks, casts recorded by jitgrad.compile)
    if op < K.N_ELEMENTWISE:
        na = 1 if m & 1 else n
        nb = 1 if m & 2 else n
        x = proxy(a, na)
        if op == K.POW and m & K.POW_NUMBER:
            y = float(vals[b])      # x ** 3: torch's pow(Tensor, Scalar) backward, 3 * x.pow(2)
        else:
            y = proxy(b, nb) if b >= 0 else None
        o = proxy(out, n)
        c = float(vals[ia]) if ia >= 0 else 0.0
        if y is None:
            gx, gy = O.RULES[op](g, x, y, o, c)
        else:
            gx, gy = O.RULES[op](g, x, y, o, c, (bool(m & 4), bool(m & 8)))
        res = [] if gx is None else [(a, gx.sum().reshape(1) if na != n else gx)]
        if b >= 0 and gy is not None:
            res.append((b, gy.sum().reshape(1) if nb != n else gy))
        return res
    if op == K.SUM:
        scale = float(vals[ia])
        g = g if scale == 1.0 else g * scale
        return [(a, g if m == 1 and g.dim() == 0 else F.expand(g, (m,)))]     # (one slot: 0-d as it is)
    if op == K.SUM_IDX:
        idx = meta[ia + 1:ia + 1 + m]
        scale = float(vals[meta[ia]])
        picked = F._gather_tensor(g, idx)
        if scale == 0.0:
            # A zero-gradient route (where, clamp): torch's where(mask, g, 0)
            # is +0.0 even where g is inf or nan, and keeps g's graph.
            return [(a, F.where(np.zeros(m, bool), picked, 0.0))]
        return [(a, picked * scale)]
    if op == K.GATHER:
        idx = np.asarray(meta[ia:ia + n], np.int64)
        if b != K.GATHER_SUM and _distinct(idx):
            return [(a, _place(g, idx, m))]     # a view read once per element
        return [(a, _scatter_add(g, idx, m))]
    if op == K.SCATTER:
        idx, keep = meta[ia:ia + m], meta[ia + m:ia + n]
        res = [(b, F._gather_tensor(g, idx))]
        if len(keep):
            res.append((a, _scatter_add(F._gather_tensor(g, keep), keep, n)))
        else:   # all overwritten (zero_, fill_, x[:] = v): reached, a zero gradient, as torch
            res.append((a, F.zeros(n, dtype=g.dtype)))
        return res
    if op == K.NORM:
        x = proxy(a, m)
        o = proxy(out, 1)
        if vals[out] == 0.0:    # torch's grad * (x / norm).masked_fill_(norm == 0, 0)
            return [(a, g * F.where(np.zeros(m, bool), x, 0.0))]
        return [(a, g * (x / o))]     # (torch's grad * (x / norm))
    if op == K.CUMSUM:
        outer, length, inner = (int(v) for v in meta[ia:ia + 3])
        if length == 1:
            return [(a, g)]     # torch's cumsum_backward: the gradient as it is
        g3 = F.reshape(g, (outer, length, inner))
        rev = F.flip(F.cumsum(F.flip(g3, (1,)), 1), (1,))
        return [(a, F.reshape(rev, (n,)))]
    if op == K.PROD:
        if ia == 1:     # a 0-d input: torch passes the gradient on as it is
            return [(a, g)]
        x = proxy(a, m)
        xv = vals[a:a + m]
        if np.all(xv != 0):
            return [(a, g * (proxy(out, 1) / x))]     # (torch's prod_backward: grad * (result / input))
        others = [F.prod(F.cat([x[:i], x[i + 1:]])) if m > 1 else F.ones(()) for i in range(m)]
        return [(a, g * F.stack(others))]
    if op == K.HOST:        # (host and own records' rules take 1-D adjoints)
        return tape.host[_record_index(tape, out)].vjp(flat(g), proxy)
    if op in OR.OWN_OPS:        # a loss, var as jitgrad.compile records them
        return own_vjp.vjp(op, out, n, a, b, m, ia, flat(g), vals, meta, proxy)
    raise NotImplementedError(f"create_graph through opcode {op}")


def _record_index(tape, out):
    rec = tape.arrays()[0]
    hits = np.nonzero((rec[:, 0] == K.HOST) & (rec[:, 1] == out))[0]
    return int(hits[-1])


