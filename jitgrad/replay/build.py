"""Building a CompiledTape from a recording: the forward modes that make the
replay bit-identical to eager mode, the dependence of slots on inputs, and
the validation that replays the recorded inputs once."""
import array
import enum
import itertools
import math
import sys
import types
import weakref

import numpy as np

from ..autodiff import bulk as B
from . import blas_records as BR
from . import program as P
from . import compile_guards as CG
from ..core import dtypes as D
from ..core import opmath as M
from ..core import kernels as K
from ..core import tape as T
from ..tensors.tensor import Tensor
from ..nn.modules.module import Module
from .recording import (_LOCAL, _LOCK, _Recording, _STATE, _Static, _TrackedVals, _flatten, _hook_off, _hook_on,
                        _unflatten, argument_containers, containers_changed, static_objects)
from . import float_args as FA
from . import returned_reads as RR
from .compiler import (CompiledTape, OP_NAMES, _ELEMENTWISE_NP, _NO_ADJ, _NO_FLAGS, _host_forward, _host_forward_ok)


# ----- building a CompiledTape from a recording ------------------------------------

def _record(fn, args, kwargs, leaves, struct):
    """Run fn eagerly on stand-ins for the tensor arguments, recording one
    tape. Returns a CompiledTape (mode "eager" if it can't be replayed)."""
    world = CG.World(fn, static_objects(struct, []))
    if world.iterators:
        # (not even recorded: next() inside would advance it twice)
        e = CompiledTape()
        e.fn_name = getattr(fn, "__qualname__", repr(fn))
        e.arg_struct = struct
        return _eager(e, "the function reaches an iterator or generator from outside (next() advances it every "
                         "call, a replay would not)")
    tape = T.Tape()
    tape.vals = _TrackedVals()
    rec = _Recording(tape)
    prev_tape = _STATE.tape
    prev_grad = _STATE.grad_enabled
    prev_rec = getattr(_LOCAL, "rec", None)
    prev_bulk = B.set_threshold(None)    # replay needs every value on the tape
    _STATE.tape = weakref.ref(tape)
    _STATE.grad_enabled = True
    _LOCAL.rec = rec
    _hook_on()
    with _LOCK:
        rng = CG.RngWatch()
        prints = CG.PrintWatch()
    host_rng = CG.HostRngWatch()
    stand = []
    leaf_of = []             # the fresh leaf holding each float argument's input slot
    try:
        seen = {}
        for t in leaves:
            s = seen.get(id(t))
            if s is not None:
                stand.append(s[0])
                leaf_of.append(s[1])
                continue
            if t.dtype.is_floating_point:
                leaf = Tensor._wrap(np.array(t._data()), t.dtype)
                leaf._rg = True
                leaf._grad = t._grad     # (read inside: the call runs eagerly, Tensor.grad)
                # An argument that doesn't require grad still gets a slot (its
                # value changes between calls): a clone, so that in-place ops
                # on it behave as on the caller's tensor.
                s = leaf if t._rg else leaf.clone()
                if not t._rg:
                    rec.plain.add(id(leaf))
            else:
                leaf = None
                s = t
            seen[id(t)] = (s, leaf)
            stand.append(s)
            leaf_of.append(leaf)
        # Give every float argument its input slot, in argument order.
        for leaf in leaf_of:
            if leaf is not None:
                T.slot_of(tape, leaf)
        versions = [s._version for s in stand]
        rec.stand_ids = {id(s) for s in stand}
        a2, k2 = _unflatten(struct, stand)
        arg_lists = argument_containers((a2, k2), [])
        rec.parent = sys._getframe()     # (the function's own frame returns here: returned_reads.py)
        out = fn(*a2, **k2)
        same_tape = _STATE.tape() is tape and tape.sealed is None
    except BaseException:
        # (raised as an uncompiled call raises: after printing what it printed)
        held, rec.held_prints = rec.held_prints, []
        with _LOCK:
            prints.close()
            prints = None
        CG.print_held(held)
        raise
    finally:
        # The caller's tape again, unless the function sealed it (a backward
        # through it: vjp_fn, autograd.grad of a closure's graph): the next
        # op opens a new tape, as after any backward.
        pt = prev_tape()
        _STATE.tape = T.dead if pt is not None and pt.sealed is not None else prev_tape
        _STATE.grad_enabled = prev_grad
        _STATE.bulk_min = prev_bulk
        _LOCAL.rec = prev_rec
        rec.parent = None
        with _LOCK:
            rng.close()
            if prints is not None:
                prints.close()
        _hook_off()
    e = CompiledTape()
    e.fn_name = getattr(fn, "__qualname__", repr(fn))
    e.arg_struct = struct
    out_leaves = []
    e.out_struct = _flatten(out, out_leaves)
    if any(t.__dict__.get("_detached_recorded") == "leaf" for t in out_leaves if hasattr(t, "__dict__")):
        # (eager's result shares the argument's storage; a replay's is a copy)
        rec.tainted("a returned detach() of an argument or a captured tensor")
    written = world.written() or host_rng.drew()
    world.settle()
    if world.versions_now():
        rec.tainted("an in-place write to a tensor read from a global or closure (the replay would not do it)")
    if written:
        rec.tainted(written)
    e.grad_mode_used = rec.grad_mode_used
    if rec.grad_mode_used and not prev_grad:
        rec.tainted("enable_grad() or is_grad_enabled() inside a function called under no_grad (the replay "
                    "records with grad on)")
    if containers_changed(arg_lists):
        rec.tainted("the function changes a list/dict argument (a replay would not)")
    if not same_tape:
        _eager(e, "the recorded graph spans several tapes (over 2**18 slots, or backward() inside the function)")
    elif any(s._version != v for s, v in zip(stand, versions)):
        _eager(e, "the function modifies an argument in place")
    elif rec.taint:
        _eager(e, rec.taint)
    elif _rebuilt_outputs(e.out_struct):
        _eager(e, f"the function returns an object of class {_rebuilt_outputs(e.out_struct)}, which a replay "
                  "would return as the recording left it")
    else:
        e.world = world if (world.tensors or world.scalars or world.arrays or world.objects
                                 or world.containers or world.hook_changes is not None) else None
        _build(e, tape, rec, leaves, stand, leaf_of, out_leaves)
    e.rng_before = list(rec.rng_before.values())
    if e.mode != "replay":
        rng.rewind()      # the eager call that follows draws what an uncompiled call would
        e.rewind(e.rng_before)
        rec.undo_writes()   # ... and makes the in-place writes an uncompiled call makes, once
        world.restore()
        host_rng.rewind()
    rec.release_tracked()
    world.watched = []
    return e


def _visible_view(tape, stand_ids, out_leaves, world):
    """Why the outputs can't be replayed as fresh tensors, or "": an output
    that is a view of an argument, of another output, of a tensor from
    outside the call (a parameter, a global), or that shares its base with
    another output, aliases memory the caller sees (an in-place write
    through one shows in the other, as torch.compile keeps); a replay's
    outputs own their values. (A view of a constant made inside the call
    is no alias.)"""
    out_ids = {id(t) for t in out_leaves}
    captured = {id(c[-3]()) for c in world.tensors} if world is not None else set()
    bases = set()
    for t in out_leaves:
        v = getattr(t, "_view", None)
        root = getattr(v, "root", None) if v is not None else None
        if root is None or root is t:
            continue
        outside = root._tape is not tape or root._name is None
        if (id(root) in stand_ids or id(root) in out_ids or id(root) in bases or id(root) in captured
                or (outside and root._rg)):
            return ("an output is a view of an argument, of another output or of a tensor from outside the "
                    "call (their memory is shared)")
        bases.add(id(root))
    return ""


def _rebuilt_outputs(out_struct):
    """The class name of a returned object that is not a plain value (a
    dataclass, a distribution holding the call's tensors: its tensors are
    the recording's), or ""."""
    for v in static_objects(out_struct, []):
        if not isinstance(v, (type, Module, D.dtype, D.device, enum.Enum, types.FunctionType,
                              types.BuiltinFunctionType, types.MethodType)):
            return type(v).__name__
    return ""


def _eager(e, reason):
    e.mode = "eager"
    e.reason = reason
    return e


def _build(e, tape, recording, leaves, stand, leaf_of, out_leaves):
    nrec = len(tape.rec) // K.REC_WIDTH
    e.rec_buf = tape.rec
    e.meta_buf = tape.meta if len(tape.meta) else array.array("q", [0])
    e.rec = np.frombuffer(e.rec_buf, np.int64).reshape(-1, K.REC_WIDTH) if nrec else np.zeros((0, K.REC_WIDTH), np.int64)
    e.meta = np.frombuffer(e.meta_buf, np.int64)
    e.dyn_meta = bool(nrec and (e.rec[:, 0] == K.SELECT_ORDER).any())
    e.vals0 = np.array(tape.vals, np.float64)
    e.host = tape.host
    e.freed = np.zeros(max(nrec, 1), np.uint8)
    numbers = [leaf._slot for t, leaf in zip(leaves, leaf_of)
               if leaf is not None and leaf._tape is tape and FA.is_number(t)]
    FA.pow_guards(recording, tape, numbers)
    returned = RR.settle(recording, e.out_struct, _Static, _unflatten)
    e.guards = recording.guard_arrays()
    e.sites = recording.sites
    S = e.vals0.size

    # Inputs: the argument leaves, captured leaves, tensors of older tapes.
    leaf_ids = {id(l): i for i, l in enumerate(leaf_of) if l is not None}
    for t, leaf in zip(leaves, leaf_of):
        if leaf is not None and leaf._tape is tape:
            e.args.append((leaf._slot, t.numel(), _shape(t), t.dtype, t._rg))
        else:
            e.args.append((-1, t.numel(), _shape(t), t.dtype, t._rg))
    for ref, older, older_slot, slot, n in tape.inputs:
        if ref is not None:
            t = ref()
            if t is None or id(t) in leaf_ids:
                continue
            e.captured.append((ref, slot, n, _shape(t), t.dtype, t._rg))
        else:
            e.extern.append((older, older_slot, slot, n))

    # Slots pushed as arrays (NumPy path) and per-slot dtypes.
    isarr = np.zeros(S, np.uint8)
    for lo, hi in tape.vals.array_ranges:
        isarr[lo:hi] = 1
    sdt = np.zeros(S, np.int8)
    for t, (slot, n, shape, dt, rg) in zip(leaves, e.args):
        if slot >= 0:
            sdt[slot:slot + n] = 2 if dt is D.float32 else 1
    for ref, slot, n, shape, dt, rg in e.captured:
        sdt[slot:slot + n] = 2 if dt is D.float32 else 1
    e.draws = recording.draws
    for slot, n, kind, gen, args in e.draws:
        dt = np.dtype(args[1])
        sdt[slot:slot + n] = 2 if dt == np.float32 else 1 if dt == np.float64 else 0
    for older, older_slot, slot, n in e.extern:
        v = e.vals0[slot:slot + n]
        sdt[slot:slot + n] = 2 if np.array_equal(v.astype(np.float32).astype(np.float64), v, equal_nan=True) else 1
    e.fmode = np.zeros(max(nrec, 1), np.uint8)
    host_n = np.zeros((max(nrec, 1), 2), np.int64)
    for r, h in tape.host.items():
        if hasattr(h, "ashape"):
            host_n[r, 0] = math.prod(h.ashape)
            host_n[r, 1] = math.prod(h.bshape)
    known = np.zeros(S, np.int8)        # slots of casts: 2 float32, 1 float64
    for slot, n, code in recording.f32_slots:
        known[slot:slot + n] = code
    bad = K.classify(e.rec, e.vals0, e.meta, isarr, sdt, e.fmode, host_n, known) if nrec else -1
    if bad >= 0:
        return _eager(e, f"record {bad} ({OP_NAMES.get(int(e.rec[bad, K.REC_OP]), 'op %d' % e.rec[bad, K.REC_OP])}) "
                         "has no forward replay")
    if numbers:     # (a generic recording: float_args.py)
        others = [(a[0], a[1]) for t, a in zip(leaves, e.args) if a[0] >= 0 and not FA.is_number(t)]
        others += [(c[1], c[2]) for c in e.captured] + [(x[2], x[3]) for x in e.extern] + [(d[0], d[1]) for d in e.draws]
        why = FA.promotion(e.rec, e.meta, sdt, numbers, others, host_n)
        if why:
            return _eager(e, why)
    for r in e.host:
        if not _host_forward_ok(e, r):
            return _eager(e, f"host record {r} ({type(e.host[r]).__name__}) has no forward replay")
    if nrec:    # a SUM with a scale is a mean, whose value eager mode divides by n (as torch)
        sums = np.nonzero(e.rec[:, 0] == K.SUM)[0]
        means = sums[e.vals0[e.rec[sums, K.REC_IA]] != 1.0]
        e.fmode[means] |= K.FM_DIV
        # a reduction's SUM_IDX (a first writer from +0.0): eager's torch order over dims (FM_F64ACC
        # reused), a mean's divided by n (FM_ZD reused)
        idx = np.nonzero((e.rec[:, 0] == K.SUM_IDX) & ((e.fmode[:nrec] & (K.FM_ZERO | K.FM_ACC)) == K.FM_ZERO))[0]
        e.fmode[idx] |= K.FM_F64ACC
        e.fmode[idx[e.vals0[e.meta[e.rec[idx, K.REC_IA]]] != 1.0]] |= K.FM_ZD
    e.host_records = np.array(sorted(e.host), np.int64)
    e.blas = BR.plans(e.host)
    _exact_pow(e)

    # Outputs.
    dep = None
    stand_ids = {id(s): i for i, s in enumerate(stand)}
    why = _visible_view(tape, stand_ids, out_leaves, e.world)
    if why:
        return _eager(e, why)
    first_of = {}
    captured = {id(c[-3]()) for c in e.world.tensors} if e.world is not None else set()
    for t in out_leaves:
        j = first_of.setdefault(id(t), len(e.outs))
        if j != len(e.outs):
            e.outs.append(("same", j))      # the same tensor returned twice: one tensor at replay too
            continue
        i = stand_ids.get(id(t))
        if i is not None:
            e.outs.append(("arg", i))
        elif t._rg and t._tape is tape and t._name is not None:
            if dep is None:
                dep = _dependence(e, tape, S, host_n)
            n = t.numel()
            if n == 0:
                # (no slot to read its dependence from: eager knows whether it requires grad)
                return _eager(e, "an empty output that may require grad")
            e.outs.append(("slot", t._slot, n, _shape(t), t.dtype, t._name, bool(dep[t._slot:t._slot + n].any())))
        elif t._rg or id(t) in captured:
            e.outs.append(("obj", t))      # a captured tensor (a parameter, a global, a buffer), returned as is
        else:
            e.outs.append(("const", np.array(t._data()), t.dtype))
    if e.outs and e.outs[0][0] == "slot" and e.outs[0][2] == 1:
        e.first_scalar = e.outs[0][1]
    RR.apply(e, returned)

    # The replay of the recorded inputs must give the recorded values.
    why = _validate(e)
    if why:
        return _eager(e, why)
    return e


def _exact_pow(e):
    """pow of an array past smallmath.ARRAY_MAX by a Python number of
    opmath.NUMBER_EXPONENTS is torch's x * x, sqrt, ... in eager mode
    (NumPy's IEEE operations), which the replay computes too
    (replay_scalar.pow_number_fwd): in Numba, not a host record."""
    rec, fmode = e.rec, e.fmode
    n = len(rec)
    cand = np.nonzero((rec[:, 0] == K.POW) & ((fmode[:n] & K.FM_HOST) != 0) & ((rec[:, 5] & K.POW_NUMBER) != 0))[0] if n else []
    if len(cand) == 0:
        return
    inputs = [(a[0], a[1]) for a in e.args if a[0] >= 0]
    inputs += [(c[1], c[2]) for c in e.captured] + [(x[2], x[3]) for x in e.extern] + [(d[0], d[1]) for d in e.draws]
    live = P.live_slots(rec, e.vals0.size, inputs)
    for r in cand.tolist():
        b = int(rec[r, K.REC_B])
        if not live[b] and float(e.vals0[b]) in M.NUMBER_EXPONENTS:
            fmode[r] ^= K.FM_HOST       # (set above)


def _shape(t):
    return () if t._v is not None else tuple(t._arr.shape)


def _dependence(e, tape, S, host_n):
    """Per slot: whether it depends on an input that requires grad."""
    dep = np.zeros(S, np.uint8)
    for slot, n, shape, dt, rg in e.args:
        if slot >= 0 and rg:
            dep[slot:slot + n] = 1
    for ref, slot, n, shape, dt, rg in e.captured:
        if rg:
            dep[slot:slot + n] = 1
    for older, older_slot, slot, n in e.extern:
        dep[slot:slot + n] = 1
    if len(e.rec):
        K.dependence(e.rec, e.meta, dep, host_n)
    return dep


def _candidates(e, r):
    op = int(e.rec[r, K.REC_OP])
    fm = int(e.fmode[r])
    if op < K.N_ELEMENTWISE:
        bits = [K.FM_R32, K.FM_R32IN]
        if op in _ELEMENTWISE_NP:
            bits.append(K.FM_HOST)
    elif op == K.SUM:
        bits = [K.FM_R32, K.FM_ZD, K.FM_R32SCALE, K.FM_F64ACC]
    elif op == K.SUM_IDX:
        bits = [K.FM_R32, K.FM_ZERO, K.FM_R32SCALE, K.FM_F64ACC, K.FM_ZD]
    elif op == K.PROD:
        bits = [K.FM_R32, K.FM_HOST]        # NumPy's own prod if the kernel's ever differed
    else:
        bits = [K.FM_R32]
    out = []
    for k in range(1, len(bits) + 1):
        for combo in itertools.combinations(bits, k):
            f = fm
            for bit in combo:
                f ^= bit
            out.append(f)
    return out


def _first_differing_slot(work, want):
    """Every slot, not only those each record wrote, must match: the first
    that doesn't, or -1."""
    bad = np.nonzero(~((work == want) & (np.signbit(work) == np.signbit(want))
                       | (np.isnan(work) & np.isnan(want))))[0]
    return int(bad[0]) if bad.size else -1


def _validate(e):
    """Replay the recorded inputs record by record, fixing each record's
    forward mode until its value matches the recorded one. Returns "" or why
    the tape can't be replayed bit for bit."""
    nrec = len(e.rec)
    if nrec == 0:
        return ""
    want = e.vals0
    work = e.vals0.copy()
    rec, meta, fmode = e.rec, e.meta, e.fmode
    if e.inline_only():
        # The program's own kernel first (a cold cache then compiles neither
        # `_forward` nor `_sweep`); a record it doesn't reproduce: record by
        # record below, and the program built again from the forward modes.
        ga, gb, gk, gc, gw, gs = e.guards
        prog = e.program()
        status, at = K.inline_program(K.IP_CHECK, prog, P.partials(prog), rec, work, meta, fmode, ga, gb, gk, gc,
                                      gw, _NO_ADJ, -1, _NO_FLAGS, want)
        if status == K.FWD_DONE and _first_differing_slot(work, want) < 0:
            return ""
        e.prog = e.inline = e.flags = None
        work = e.vals0.copy()
    r = 0
    while r < nrec:
        status, at = K.forward_check(rec, work, meta, fmode, want, r, nrec)
        if status == K.FWD_DONE:
            bad = _first_differing_slot(work, want)
            if bad >= 0:
                return f"slot {bad} is not reproduced bit for bit by the forward sweep"
            return ""
        ok = False
        if status == K.FWD_HOST:
            _host_forward(e, at, work)
            ok = K.record_matches(rec, work, meta, want, at)
            if not ok and e.blas.pop(at, None) is not None:
                # Numba's BLAS (SciPy's build) gave other bits: NumPy's, as eager mode
                _host_forward(e, at, work)
                ok = K.record_matches(rec, work, meta, want, at)
        if not ok:
            orig = int(fmode[at])
            for f in _candidates(e, at):
                fmode[at] = f
                if f & K.FM_HOST:
                    if not _host_forward_ok(e, at):
                        continue
                    _host_forward(e, at, work)
                    ok = K.record_matches(rec, work, meta, want, at)
                else:
                    st, _ = K.forward_check(rec, work, meta, fmode, want, at, at + 1)
                    ok = st == K.FWD_DONE
                if ok:
                    break
            if not ok:
                fmode[at] = orig
                return (f"record {at} ({OP_NAMES.get(int(rec[at, K.REC_OP]), 'op%d' % rec[at, K.REC_OP])}) is not "
                        "reproduced bit for bit by the forward sweep")
        r = at + 1
    # (a record fixed last, or a host record last: every slot checked still, as at
    # FWD_DONE above; an index sum's untouched outputs, a pad's constants, are in no record's check)
    bad = _first_differing_slot(work, want)
    if bad >= 0:
        return f"slot {bad} is not reproduced bit for bit by the forward sweep"
    return ""
