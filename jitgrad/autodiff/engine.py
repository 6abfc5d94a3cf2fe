"""Backward: seed adjoints, run the jitted sweep tape by tape, deliver grads.

A graph may span several tapes (a tape is sealed by the first backward
through it, and later operations record on a new one). Tapes are swept
newest first; after each sweep, the adjoint of every input slot either goes
to a leaf or seeds the sweep of the older tape that produced the tensor.

Adjoints have K columns: K = 1 for a plain backward, K seeds at once for
batched gradients and Jacobians (one sweep, not a Python loop).
"""
import math
import threading

import numpy as np

from ..core.arrays import quiet

from . import anomaly_trace as AT
from . import bulk as B
from . import grad_accumulation as GA
from . import select_sum as SS
from .anomaly_sweep import anomaly_name, anomaly_step
from .tensor_hooks import (NODE_HOOKS, NodeHooks, _grad_slot, _hook_stops, _run_hooks, sum_expanded,  # noqa: F401  (engine.*)
                           check_hook_result, check_hook_type, check_node_hook_result, writes)
from ..core import kernels as K
from ..core import tape as T
from ..core import saved_nodes as SN
from ..tensors.tensor import COMPOSITE_EDGES, Tensor
from ..core.grad_mode import ANOMALY, check_anomaly  # noqa: F401  (re-exported: engine.ANOMALY)
from ..core.tape import FREED_MSG


class _Sweep:
    """Adjoint and reach buffers of the tapes still to sweep; `badj` holds
    the adjoints of bulk handles (bulk.py), (K, *shape) in their dtype."""

    def __init__(self, k):
        self.k = k
        self.adj = {}
        self.reach = {}
        self.badj = {}
        self.arrays = {}    # tape -> (rec, vals, meta, freed): one snapshot per backward

    def seed(self, tape, slot, g, bulk_g=None, zero=None):
        """Add g (n x K float64 columns; or bulk_g, (K, *shape)) into the
        adjoints of the tensor at `slot` of tape. `zero`: where g is torch's
        ZeroTensor (a newer tape's REACH_ZERO: sgn's backward), kept one."""
        adj = self.adj.get(tape)
        if adj is None:
            rec, vals, meta, freed = self.arrays[tape] = tape.arrays()
            adj = self.adj[tape] = _buffers.take((len(vals), self.k), np.float64)
            self.reach[tape] = _buffers.take((len(vals),), np.uint8)
            self.badj[tape] = {}
        reach = self.reach[tape]
        entry = tape.bulk.get(slot) if tape.bulk else None
        if entry is not None:
            if bulk_g is None:
                bulk_g = B.from_columns(g, entry.shape, entry.dtype)
            elif bulk_g.shape[1:] != entry.shape:
                # (a later tape read this value through a reshaped view of
                # it: create_graph's flat proxies)
                bulk_g = bulk_g.reshape((self.k,) + entry.shape)
            badj = self.badj[tape]
            cur = badj.get(slot)
            badj[slot] = bulk_g if cur is None else cur + bulk_g
            reach[slot] = 1
            return
        if g is None:
            g = B.to_columns(bulk_g)
        n = g.shape[0]
        if zero is not None:
            hit = reach[slot:slot + n]
            real = ~zero
            add = real & (hit == 1)
            adj[slot:slot + n] = np.where(add[:, None], adj[slot:slot + n] + g,
                                          np.where(real[:, None], g, adj[slot:slot + n]))
            hit[:] = np.where(real, 1, np.where(hit == 0, K.REACH_ZERO, hit))     # (ZeroTensor + g is g)
            return
        if n == 0:
            reach[slot] = 1     # an empty root: its placeholder slot
            return
        if n == 1:              # (a 0-d root: the rule below without its slices and np.where)
            if reach[slot]:
                adj[slot] += g[0]
            else:
                adj[slot] = g[0]
                reach[slot] = 1
            return
        hit = reach[slot:slot + n]
        if hit.all():
            adj[slot:slot + n] += g
        else:
            # First contributions are assigned (see "Accumulation" in kernels.py).
            if hit.any():
                adj[slot:slot + n] = np.where(hit[:, None], adj[slot:slot + n] + g, g)
            else:
                adj[slot:slot + n] = g
            hit[:] = 1


# Vectors this short are checked by Python lists (NumPy's calls cost more).
_FEW = 64


# Held while adding into a .grad: threads may share leaves (and retain_grad
# tensors), and PyTorch's accumulation is thread-safe.
GRAD_LOCK = threading.Lock()


# Buffers this small are cheaper made anew (np.zeros) than taken from the pool.
_SMALL_BUFFER = 4096


class _Buffers(threading.local):
    """Zeroed adjoint/reach buffers, reused across backward calls of a thread:
    a fresh large array costs a page fault per page when first written."""

    def __init__(self):
        self.free = {}

    def take(self, shape, dtype):
        n = math.prod(shape)
        if n <= _SMALL_BUFFER:
            return np.zeros(shape, dtype)
        key = np.dtype(dtype).str
        buf = self.free.pop(key, None)
        if buf is None or buf.size < n or buf.size > 8 * max(n, 1 << 16):
            return np.zeros(shape, dtype)
        view = buf[:n].reshape(shape)
        view.fill(0)
        return view

    def give(self, arr):
        if arr.size <= _SMALL_BUFFER:
            return
        base = arr.base if arr.base is not None else arr
        key = arr.dtype.str
        old = self.free.get(key)
        if old is None or old.size < base.size:
            self.free[key] = base.reshape(-1)


_buffers = _Buffers()


# Calls due once the backward that queued them has finished
# (torch.autograd.graph.register_multi_grad_hook's).
AFTER_BACKWARD: list = []


def run(roots, grads, retain_graph, inputs=None):
    """sweep(...), then the calls queued in AFTER_BACKWARD during it."""
    mark = len(AFTER_BACKWARD)
    res = sweep(roots, grads, retain_graph, inputs)
    if len(AFTER_BACKWARD) > mark:
        after_backward(mark)
    return res


def after_backward(mark):
    """Make the calls queued since AFTER_BACKWARD had `mark` entries."""
    due = AFTER_BACKWARD[mark:]
    del AFTER_BACKWARD[mark:]
    for fn in due:
        fn()


def sweep(roots, grads, retain_graph, inputs=None):
    """Backpropagate `grads` (float64 arrays, n x K) from `roots`.

    Without `inputs`, gradients accumulate into the ``.grad`` of leaves (and of
    non-leaves that retain_grad()). With `inputs`, nothing is accumulated and
    the gradient (float64 n x K array, or None if unreached) of each input is
    returned. A leaf's hooks run once, on its total gradient.
    """
    k = grads[0].shape[1]
    work = _Sweep(k)
    found = None if inputs is None else {id(t): None for t in inputs}
    needed_cache: dict = {}
    leaves = {}                       # id -> [leaf, summed gradient]
    expanded = {}                     # id -> whether a hooked leaf's gradient is sum's expand (tensor_hooks)
    for t, g in zip(roots, grads):
        if t._name is None:
            _collect(leaves, t, g)
        else:
            work.seed(t._tape, t._slot, g)
    while work.adj:
        tape = max(work.adj, key=_serial)
        adj = work.adj.pop(tape)
        reach = work.reach.pop(tape)
        badj = work.badj.pop(tape)
        arrays = work.arrays.pop(tape)
        floor = _inputs_floor(tape, arrays[0], inputs) if found is not None and not work.adj else -1
        if leaves and floor < 0:
            # (with a floor the sweep stops before collecting this tape's
            # leaves: a gradient moved into it would be lost, so none is)
            _carry_leaf_grads(tape, leaves, adj, reach)
        needed = NEEDED_SLOTS(tape, inputs, needed_cache) if found is not None and NEEDED_SLOTS else None
        ctx = _sweep_tape(tape, arrays, adj, reach, badj, retain_graph, floor, needed)
        if found is not None:
            for t in inputs:
                if t._name is not None and t._tape is tape:
                    g = _nonleaf_grad(t, adj, reach, badj)
                    if g is not None:
                        found[id(t)] = _add(found[id(t)], g)
        _deliver_retained(tape, adj, reach, badj)
        if floor >= 0:
            # Every input asked for is a non-leaf of this tape, complete above
            # `floor`: nothing below is on a path to one (torch's engine runs
            # only those nodes; their hooks alone fire).
            _buffers.give(adj)
            _buffers.give(reach)
            break
        nreach = len(reach)
        reads = None        # whether the tape has x[i] reads (select_sum): asked once, if needed
        for leaf, older, older_slot, slot, n in _maybe_reached(tape, reach):
            if slot >= nreach:
                continue    # entered after the snapshot another thread's sweep took
            if n <= 1:
                if not reach[slot]:     # (an empty input: its placeholder slot)
                    continue
            elif not (reach[slot] or (reach[slot + 1:slot + n].any() if n > _FEW else any(reach[slot + 1:slot + n].tolist()))):
                continue
            if slot in badj:
                g = badj[slot]
                if leaf is not None:
                    t = leaf()
                    if t is not None:
                        _collect_bulk(leaves, t, g, slot in ctx.owned)
                else:
                    work.seed(older, older_slot, None, g)
                continue
            g = adj[slot:slot + n]
            # (a -0.0 first: the tape-wide check for x[i] reads costs more)
            if n > 1 and (0.0 in g.ravel().tolist() if n <= _FEW else (g == 0.0).any()) and (np.signbit(g) & (g == 0.0)).any():
                if reads is None:
                    reads = SS.has_reads(arrays[0])
                if reads:
                    g = SS.select_sum_zeros(g, SS.select_groups(arrays[0], arrays[2], slot, n,
                                                                lambda o: reach[o] != 0))
            if leaf is not None:
                t = leaf()
                if t is not None:
                    if t._hooks:
                        expanded[id(t)] = id(t) not in leaves and sum_expanded(tape, arrays[0], arrays[1], -1, slot, n)
                    _collect(leaves, t, g)
            else:
                zero = reach[slot:slot + n] == K.REACH_ZERO     # (torch's ZeroTensor stays one across tapes)
                work.seed(older, older_slot, g, zero=zero if zero.any() else None)
        _buffers.give(adj)      # everything taken from it was copied
        _buffers.give(reach)
    posts = []
    # (torch's engine reaches the leaves used last first: their hooks, and
    # post-accumulate hooks, run in that order)
    for t, g, bulk_g in reversed(leaves.values()):
        if t._nograd_view:
            continue    # PyTorch drops the gradient of a view made under no_grad (no .grad, no hooks)
        if bulk_g is not None and (g is not None or t._hooks or found is not None):
            cols = B.to_columns(bulk_g[0])
            g = cols if g is None else g + cols
        if g is None:
            if t._rg:
                with GRAD_LOCK:
                    GA.accumulate_bulk(t, bulk_g[0][0], bulk_g[1])
                posts.append(t)
            continue
        if t._hooks and (found is None or id(t) in found):     # (torch runs no hook of a leaf grad() does not ask for)
            g = _run_hooks(t, g, expanded.get(id(t), False))
        if found is None:
            if not t._rg:
                continue    # requires_grad_(False) since the graph was built: torch accumulates nothing
            with GRAD_LOCK:
                GA.accumulate(t, g[:, 0])
            posts.append(t)
        elif id(t) in found:
            found[id(t)] = _add(found[id(t)], g)
    for t in posts:
        _post_accumulate(t)
    if found is not None:
        return [found[id(t)] for t in inputs]
    return None


# A tape with more inputs than this (many small graphs recorded before their
# backward calls) finds the reached ones with NumPy: each backward then pays
# per reached input, not per input of the tape (quadratic otherwise).
MANY_INPUTS = 64


def _maybe_reached(tape, reach):
    """tape.inputs without the one-slot inputs the sweep did not reach, in order."""
    inputs = tape.inputs
    m = len(inputs)
    if m <= MANY_INPUTS:
        return inputs
    index = tape.input_index
    if index is None or len(index[0]) != m:
        index = tape.input_index = (np.fromiter((e[3] for e in inputs), np.int64, m),
                                    np.fromiter((e[4] for e in inputs), np.int64, m))
    slots, sizes = index
    keep = (sizes > 1) | (slots >= len(reach))     # (checked one by one by the caller)
    single = np.flatnonzero(~keep)
    keep[single] = reach[slots[single]] != 0
    return [inputs[i] for i in np.flatnonzero(keep)]


def _post_accumulate(t):
    """torch's post-accumulate-grad hooks (Tensor.register_post_accumulate_grad_hook): each called with
    the leaf once its .grad holds this backward's gradient (the optimizer-in-backward idiom)."""
    hooks = getattr(t, "_post_acc_hooks", None)
    if hooks:
        for hook in list(hooks.values()):
            hook(t)


def _nonleaf_grad(t, adj, reach, badj):
    """Adjoint columns of non-leaf t after its tape's sweep, or None."""
    if t._bulk:
        g = badj.get(t._slot)
        return None if g is None else B.to_columns(g)
    if reach[t._slot:t._slot + max(t.numel(), 1)].any():
        return adj[t._slot:t._slot + t.numel()]
    return None


def _carry_leaf_grads(tape, leaves, adj, reach):
    """A leaf's gradient so far (from the newer tapes, swept first) becomes
    its slot's first contribution on this older tape, whose sweep adds its
    own after it: the order of one tape's reverse sweep (and torch's engine),
    not the sum of per-tape totals (compiled replays are tapes of their own:
    an argument also used outside the compiled function got an ulp away)."""
    for leaf, older, older_slot, slot, n in tape.inputs:
        t = leaf() if leaf is not None else None
        entry = leaves.get(id(t)) if t is not None else None
        if entry is None or entry[1] is None or entry[0] is not t or entry[1].shape[0] != max(n, 1) \
                or slot + max(n, 1) > len(reach):
            continue
        # (x[i] reads: the zeros' signs are then settled on the total, as on one eager tape)
        seg = slice(slot, slot + max(n, 1))
        # (a slot a newer tape already seeded: the leaf read through this tape's value)
        adj[seg] = np.where(reach[seg, None] != 0, entry[1] + adj[seg], entry[1])
        reach[seg] = 1
        entry[1] = None         # moved: this tape's total includes it


def _collect(leaves, t, g):
    entry = leaves.get(id(t))
    if entry is None:
        leaves[id(t)] = [t, np.array(g), None]
    elif entry[1] is None:
        entry[1] = np.array(g)
    else:
        entry[1] += g


def _collect_bulk(leaves, t, g, owned):
    """A leaf's gradient from a bulk handle: (K, *shape) in its dtype;
    `owned`: nothing else refers to g (it may become .grad as it is)."""
    entry = leaves.get(id(t))
    if entry is None:
        leaves[id(t)] = [t, None, (g, owned)]
    elif entry[2] is None:
        entry[2] = (g, owned)
    else:
        entry[2] = (entry[2][0] + g, True)


def _serial(tape):
    return tape.serial


def _add(acc, g):
    return g.copy() if acc is None else acc + g


# autograd/saved_builtin.py: unpacks what saved_tensors_hooks packed for a tape's nodes before its sweep
saved_hooks_unpack = None


# autograd/needed.py registers NEEDED_SLOTS(tape, inputs, cache): per slot, whether its value depends
# on one of grad()'s inputs (None: the tape holds no custom Function or hook), and LEADS_TO_INPUTS(host, mask)
NEEDED_SLOTS = None
LEADS_TO_INPUTS = None


def _inputs_floor(tape, rec, inputs):
    """The lowest record producing one of `inputs`, when all are non-leaf
    tensors of this tape (a grad() of intermediates: the sweep can end just
    above it); else -1."""
    floor = len(rec)
    for t in inputs:
        if t._name is None or t._tape is not tape or t._bulk:
            return -1
        hits = np.flatnonzero(writes(rec, t))
        if not hits.size:
            return -1
        floor = min(floor, int(hits[-1]))
    return floor if floor < len(rec) else -1


def _sweep_tape(tape, arrays, adj, reach, badj, retain, floor=-1, needed=None):
    """The reverse sweep of one tape's records above `floor` (all: -1)."""
    rec, vals, meta, freed = arrays
    ctx = B.Ctx(tape, adj, vals, reach, badj, _stale_slots(tape, len(vals)), freed, retain)
    ctx.needed = needed
    if tape.saves_index is not None:
        # nodes saving an index whose graph an earlier backward freed: an error if this one reaches them
        swept_before = [(r, name) for r, name in tape.saves_index if r > floor and freed[r]]
        if swept_before:
            ctx = _sweep_stops(tape, rec, meta, ctx, adj, reach, floor)
            names = COMPOSITE_EDGES.get(tape, {})
            for r, name in swept_before:
                out, n = rec[r, K.REC_OUT], rec[r, K.REC_N]
                if (rec[r, K.REC_OP] != K.BULK and names.get(out, (name,))[0] == name
                        and reach[out:out + max(n, 1)].any()):
                    raise RuntimeError(FREED_MSG)
            return ctx
    return _sweep_stops(tape, rec, meta, ctx, adj, reach, floor)


def _sweep_stops(tape, rec, meta, ctx, adj, reach, floor):
    """_sweep_tape's sweep, paused at the stops its hooks and x[i] sums need."""
    hi = len(rec) - 1
    if saved_hooks_unpack is not None:
        saved_hooks_unpack(tape, ctx.retain)
    # Pause just before the record that produced a tensor, when its adjoint
    # is complete: for torch's sum over its x[i] reads (`select_stops`), then
    # for its hooks, which see/replace it, and its node's hooks (t None).
    stops = [(r, 0, None, out, n) for r, out, n in SS.select_stops_of(tape, rec)]
    if tape.hooked or NODE_HOOKS:       # (else _hook_stops finds none)
        stops += [(r, 1, t, slot, 0) for r, t, slot in _hook_stops(tape, rec)]
    needed = ctx.needed
    if needed is not None:      # (a tensor depending on no input: torch runs its hooks in no grad() call)
        stops = [s for s in stops if s[2] is None or needed[s[3]:s[3] + max(s[2].numel(), 1)].any()]
    if tape.saves_result is not None and ctx.stale is not K.NO_STALE:
        stops += SN.overwritten_results(tape, rec, ctx.stale, needed, floor)
    if floor >= 0:
        stops = [s for s in stops if s[0] >= floor]     # (the inputs' own hooks and x[i] sums too)
    elif not stops and tape.lean is not None and _lean_sweep(tape, ctx, adj, reach):
        return ctx
    if stops:
        stops.sort(key=_stop_order)
        # (a hooked tensor's gradient already seeded from a newer tape: a sum, never sum's expand)
        seeded = {id(s[2]) for s in stops if s[1] == 1 and s[2] is not None and not s[2]._bulk
                  and reach[s[3]:s[3] + max(s[2].numel(), 1)].any()}
    for r, hooks, t, slot, n in stops:
        if hi > r:
            _sweep_range(tape, rec, meta, ctx, hi, r + 1)
        hi = r
        if hooks == 2:      # a composite's saved result, overwritten: an error if backward reaches its node
            if reach[slot:slot + n].any():
                raise RuntimeError(SN.overwritten_result_message(tape, slot, n, t))
            continue
        if not hooks:
            g = adj[slot:slot + n]
            if (np.signbit(g) & (g == 0.0)).any():
                adj[slot:slot + n] = SS.select_sum_zeros(g, SS.select_groups(rec, meta, slot, n, lambda o: reach[o] != 0))
            continue
        if t is None:       # hooks of the node of record r (`slot`: its NodeHooks): r swept there
            if _run_node_hooks(tape, rec, meta, ctx, r, slot):
                hi = r - 1
            continue
        if t._bulk:
            badj = ctx.badj
            if t._slot in badj:
                badj[t._slot] = B.from_columns(_run_hooks(t, B.to_columns(badj[t._slot])), t.shape, t.dtype.np)
                ctx.owned.discard(t._slot)
        elif reach[slot:slot + max(t.numel(), 1)].any():   # (x[2] of a vector reaches one slot: the hook sees zeros elsewhere)
            adj[slot:slot + t.numel()] = _run_hooks(t, adj[slot:slot + t.numel()], id(t) not in seeded and sum_expanded(
                tape, rec, tape.arrays()[1], r, slot, t.numel()))
            reach[slot:slot + t.numel()] = 1
    _sweep_range(tape, rec, meta, ctx, hi, floor + 1 if floor >= 0 else 0)
    return ctx


def _stop_order(stop):
    return -stop[0], stop[1]


def _lean_sweep(tape, ctx, adj, reach):
    """The whole reverse of a replayed scalar program by its reverse_flags,
    when the backward starts from the seed they were decided for alone (one
    column, nothing overwritten in place, no anomaly mode); False: not
    applicable, sweep as usual."""
    flags, flag_reach, seed = tape.lean
    if (ANOMALY.enabled or adj.shape[1] != 1 or ctx.stale is not K.NO_STALE or len(reach) != len(flag_reach)
            or not reach[seed] or np.count_nonzero(reach) != 1):
        return False
    prog, pd = tape.program
    status, r = K.replay_reverse_flags(prog, pd, ctx.vals, adj, ctx.freed, flags, ctx.retain)
    if status == K.FREED:
        raise RuntimeError(FREED_MSG)
    reach[:] = flag_reach
    return True


def _sweep_range(tape, rec, meta, ctx, hi, lo):
    if not ANOMALY.mode:
        return _sweep_records(tape, rec, meta, ctx, hi, lo, None)
    at = [hi]       # (the record being swept: the node an error is reported for)
    try:
        return _sweep_records(tape, rec, meta, ctx, hi, lo, at)
    except Exception:
        r = at[0]
        host = tape.host.get(r) if rec[r, K.REC_OP] == K.HOST else None
        node = getattr(host, "node", None)
        name = node._name if node is not None else getattr(host, "name", None) or anomaly_name(rec[r])
        AT.warn_error(tape, r, name)
        raise


def _sweep_records(tape, rec, meta, ctx, hi, lo, at):
    vals, freed, adj, reach, retain, stale = ctx.vals, ctx.freed, ctx.adj, ctx.reach, ctx.retain, ctx.stale
    r = hi
    while r >= lo:
        if ANOMALY.enabled:
            status, r = anomaly_step(rec, vals, meta, adj, reach, freed, stale, r, lo, retain, at)
        elif tape.program is not None:      # a replayed tape (replay/program.py)
            status, r = K.replay_reverse(*tape.program, rec, vals, meta, adj, reach, freed, stale, r, lo, retain)
        else:
            status, r = K.sweep_tiered(rec, vals, meta, adj, reach, freed, stale, r, lo, retain)
        if status == K.DONE:
            return
        if status == K.FREED:
            raise RuntimeError(FREED_MSG)
        if status == K.MODIFIED:
            raise RuntimeError(_modified_message(tape, rec, r, stale))
        if at is not None:
            at[0] = r
        with quiet():       # (NumPy's backward of nan / inf values: torch warns of none)
            if rec[r, K.REC_OP] == K.BULK:
                tape.host[r].backward(ctx, r)
            elif ctx.needed is None or LEADS_TO_INPUTS(tape.host[r], ctx.needed):
                tape.host[r].backward(adj, vals, reach)
                if not retain and getattr(tape.host[r], "saves_values", True):
                    freed[r] = 1
        r -= 1


def _stale_slots(tape, nvals):
    if not tape.stale:
        return K.NO_STALE
    stale = np.zeros(nvals, np.uint8)
    for slot, (n, _) in tape.stale.items():
        stale[slot:slot + n] = 1
    return stale


def _modified_message(tape, rec, r, stale):
    for col in (3, 4, 1):
        slot = rec[r, col]
        if slot >= 0 and stale[slot]:
            for start, (n, info) in tape.stale.items():
                if start <= slot < start + n:
                    return T.overwritten_message(info, anomaly_name(rec[r]) if col == 1 else None)
    return "one of the variables needed for gradient computation has been modified by an inplace operation"


def _deliver_retained(tape, adj, reach, badj):
    for ref in tape.retained:
        t = ref()
        if t is None or t._tape is not tape or t._name is None:
            continue
        slot = _grad_slot(t, tape)
        # (any element: x[2] of a retained vector reaches its third slot only)
        if reach[slot] or not t._bulk and reach[slot:slot + t.numel()].any():
            with GRAD_LOCK:
                if t._bulk:
                    GA.accumulate_bulk(t, badj[t._slot][0], False)
                else:
                    GA.accumulate(t, adj[slot:slot + t.numel(), 0])


def _run_node_hooks(tape, rec, meta, ctx, r, hooks):
    """Sweep record r alone on scratch adjoints (its contribution to each
    input: torch's grad_inputs), call the hooks with (grad_inputs,
    grad_outputs), add what they return (or the contributions) into the
    real adjoints. False when r is not reached (torch does not call them)."""
    out, n, oshape, odt = hooks.out
    adj, reach = ctx.adj, ctx.reach
    if not reach[out:out + max(n, 1)].any():
        return False
    for k in range(adj.shape[1]):
        for fn in list(hooks.pre.values()):
            res = fn((Tensor._wrap(adj[out:out + n, k].reshape(oshape).astype(odt.np), odt),))
            if res is not None:
                check_node_hook_result(res)
                adj[out:out + n, k] = np.asarray(res[0]._data(), np.float64).reshape(-1)
    sadj, sreach = np.zeros_like(adj), np.zeros_like(reach)
    sadj[out:out + n], sreach[out:out + n] = adj[out:out + n], 1
    sctx = B.Ctx(tape, sadj, ctx.vals, sreach, {}, ctx.stale, ctx.freed, ctx.retain)
    _sweep_range(tape, rec, meta, sctx, r, r)
    for o in hooks.operands:
        if o is not None and o[4] >= 0:
            _sweep_range(tape, rec, meta, sctx, o[4], o[4])     # a broadcast's expand: summed to the input
    for k in range(adj.shape[1]):
        g_out = (Tensor._wrap(adj[out:out + n, k].reshape(oshape).astype(odt.np), odt),)
        g_in = [None if o is None or not sreach[o[0]:o[0] + max(o[1], 1)].any() else
                Tensor._wrap(sadj[o[0]:o[0] + o[1], k].reshape(o[2]).astype(o[3].np), o[3]) for o in hooks.operands]
        for fn in list(hooks.fns.values()):
            res = fn(tuple(g_in), g_out)
            if res is not None:
                check_node_hook_result(res)
                if len(res) != len(g_in):
                    raise RuntimeError(f"hook '{getattr(fn, '__name__', fn)}' has returned an incorrect number of "
                                       f"values (got {len(res)}, but expected {len(g_in)})")
                g_in = list(res)
        for o, g in zip(hooks.operands, g_in):
            if o is None or g is None:
                continue
            s = slice(o[0], o[0] + o[1])
            col = np.asarray(g._data(), np.float64).reshape(-1)
            adj[s, k] = np.where(reach[s], adj[s, k] + col, col)
    for o, g in zip(hooks.operands, g_in):
        if o is not None and g is not None:
            reach[o[0]:o[0] + o[1]] = 1
    return True
