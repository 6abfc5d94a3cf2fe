"""jitgrad.compile: record a function's tape once, replay it at compiled speed.

    cf = jitgrad.compile(f)          # or @jitgrad.compile
    y = cf(x)                        # first call with this signature: records
    y = cf(x2)                       # later calls: Numba forward sweep
    y.backward(); x2.grad            # the normal engine, Numba reverse sweep

**Signature.** Shapes, dtypes and requires_grad of the tensor arguments,
which arguments are the same tensor, the values of non-tensor arguments (and
of integer/bool tensors, whose values become index maps). Each signature
gets its own tape(s).

**Recording.** The function runs eagerly once, on fresh leaves standing for
the floating-point tensor arguments, with its records going to a fresh tape.
Every place where Python read a tensor value (``bool()``, ``float()``,
``int()``, ``item()``, ``tolist()``, comparisons) becomes a *guard*: slot,
kind, outcome, and the file:line of the user's code.

**Replay.** A per-call copy of the recorded values gets the new argument
values in its input slots; ``kernels.forward_sweep`` recomputes every record
(matmul records by eager mode's BLAS calls in Numba, ``replay_blas.py``;
other host records run their NumPy forward from Python); the guards are
re-checked on the new values. If one flips, the function is
recorded again for this call (results are always those of eager mode), the
retrace is counted and ``report()`` names the guard's file:line. Outputs are
ordinary tensors on a per-call tape that shares the recorded records, so
``backward()`` goes through ``engine.run`` and ``kernels.sweep``.

**Bit-identical.** The forward sweep mirrors eager mode bit for bit: the
scalar path repeats ops.py's ``math`` forwards, arrays repeat NumPy (pairwise
sums, float32 rounding) or run NumPy itself. Right after recording, the
replay of the recorded inputs is checked against the recorded values record
by record; a record no forward mode reproduces sends the signature to eager
mode (``report()`` says which op).

**Never a frozen value.** Values the replay can't recompute are either
recomputed (the softmax family's max shift is recorded as amax), guarded
(casts to integers, masks, isnan/isfinite, max()/amax positions, globals
and closures: ``compile_guards.World``), recomputed (sort/topk/max(dim)/
argmax/median picks: ``select_order`` records), drawn fresh (random draws:
draw groups, ``functional/sampling.py``), or make the signature run eagerly
with a one-time warning naming the line (``detach()``, ``//``, draws from
input-derived parameters, ``no_grad`` blocks, ``unique``, in-place writes to
globals).
See ARCHITECTURE.md, "Replay".
"""
import array
import math
import weakref

import numpy as np

from . import blas_records as BR
from . import returned_reads as RR
from . import program as P
from ..autodiff.host_ops import ReplayHost
from ..autodiff.matmul import single_column_backward, single_column_plan
from ..core.grad_mode import ANOMALY
from ..core import kernels as K
from ..core import ops as O
from ..core import tape as T
from ..functional import sampling as SP
from ..functional.creation import real_rng
from ..tensors.tensor import Tensor
from ..tensors import tensor as TT
from .recording import (_STATE, _signature, _struct_key, _unflatten)
from .tape_report import OP_NAMES, TapeReport  # noqa: F401  (OP_NAMES: build.py reads it here)


# opcode -> (kind, NumPy forward) for host forwards of elementwise records.
_NO_ADJ = np.zeros((0, 1))       # (inline_program's arguments a forward doesn't use)
_NO_FLAGS = np.zeros(0, np.uint8)
_ELEMENTWISE_NP = {op.opcode: (op.kind, op.array) for op in O.TABLE if op.kind != "structural"}


# ----- the compiled tape ----------------------------------------------------------

class GuardFailed(RuntimeError):
    """A loaded tape's guard flipped and there is no function to record again."""


class CompiledTape(TapeReport):
    """One recorded tape, replayable: what ``jitgrad.compile`` caches per
    signature, what ``save`` writes and ``jitgrad.load_tape`` reads back.

    ``stats()`` and ``dump()`` inspect it; calling it replays it on new
    arguments (tensors of the recorded shapes and dtypes, in the recorded
    order), returning ordinary tensors.
    """

    grad_mode_used = False      # (build._record: user code turned grad on or read the mode)

    def __init__(self):
        self.mode = "replay"         # or "eager": the recording call's values can't be replayed
        self.reason = ""
        # An eager outcome's backoff (CompiledFunction._eager_now): eager outcomes in a
        # row for its signature, and calls left to run eagerly before recording again.
        self.eager_outcomes = 0
        self.skip = 0
        self.rec = np.zeros((0, K.REC_WIDTH), np.int64)
        self.rec_buf = array.array("q")
        self.meta = np.zeros(1, np.int64)
        self.meta_buf = array.array("q")
        self.vals0 = np.zeros(0)
        self.fmode = np.zeros(0, np.uint8)
        self.freed = np.zeros(0, np.uint8)
        self.host = {}               # record -> host op (NumPy backward; matmul)
        self.host_records = np.zeros(0, np.int64)
        self.blas = {}               # record -> blas_records.BlasPlan: matmul forwards run in Numba
        z = np.zeros(0, np.int64)
        self.guards = (z, z, np.zeros(0, np.int8), np.zeros(0), np.zeros(0), np.zeros(0, np.int32))
        self.sites = []
        # Arguments: per flattened tensor argument, (slot or -1, n, shape, dtype, requires_grad).
        self.args = []
        self.captured = []           # (leaf weakref, slot, n, shape, dtype, requires_grad)
        self.extern = []             # (older tape, its slot, slot, n)
        self.arg_struct = None
        self.out_struct = None
        # ("slot", slot, n, shape, dtype, name, rg) | ("arg", i) | ("same", j) | ("obj", x) | ("const", arr, dtype)
        # | ("read", slot, n, shape, dtype, float/int/bool/list): a number read to be returned
        self.outs = []
        self.first_scalar = -1       # slot of the first output if a scalar on the tape (value_and_grad, batch)
        self.flips = {}              # guard site -> count
        self.fn_name = ""
        self.world = None            # compile_guards.World: globals/closures read (None: not checked)
        self.prog = None             # the replay program (program.py), built on the first replay
        self.flags = None            # kernels.reverse_flags of the program from first_scalar (value_and_grad)
        self.inline = None           # inline_only(), once known
        # Draw groups (functional/sampling.py): (slot, n, sampler kind, generator or None, sampler
        # arguments) in the recorded order; every replay fills them with fresh draws.
        self.draws = []
        self.rng_before = []         # (generator, state) before the recording call drew (batch rewinds them)
        self.dyn_meta = False        # select_order records rewrite index maps: each call its own meta copy

    # -- replay --------------------------------------------------------------------
    def _fill(self, leaves, draw=True):
        """The recorded values with the arguments' (and fresh draws, unless
        `draw` is False: the recording's own draws, in vals0)."""
        vals = self.vals0.copy()
        for t, (slot, n, shape, dt, rg) in zip(leaves, self.args):
            if slot < 0:
                continue
            if t._v is not None:
                vals[slot] = t._v
            else:
                vals[slot:slot + n] = t._arr.reshape(-1)
        for ref, slot, n, shape, dt, rg in self.captured:
            t = ref() if ref is not None else None
            if t is None:
                continue
            if t._v is not None:
                vals[slot] = t._v
            else:
                vals[slot:slot + n] = t._arr.reshape(-1)
        if draw and self.draws:
            self._draw(vals)
        return vals

    def _draw(self, vals):
        """Fresh values of the draw groups, drawn as an eager call would draw them."""
        for slot, n, kind, gen, args in self.draws:
            v = SP.sample(real_rng(gen), kind, *args)
            if n:
                vals[slot:slot + n] = np.asarray(v, np.float64).reshape(-1)

    def rng_state(self):
        """The state of the generators this tape draws from (None: it draws nothing)."""
        if not self.draws:
            return None
        gens = {}
        for slot, n, kind, gen, args in self.draws:
            rng = real_rng(gen)
            gens[id(rng)] = (rng, rng.bit_generator.state)
        return list(gens.values())

    @staticmethod
    def rewind(state):
        """Undo the draws of a replay that is not used (a guard flipped): the
        recording that follows draws what an eager call would."""
        for rng, st in state or ():
            rng.bit_generator.state = st

    def program(self):
        """The replay program of this tape (program.py)."""
        if self.prog is None:
            inputs = [(a[0], a[1]) for a in self.args if a[0] >= 0]
            inputs += [(c[1], c[2]) for c in self.captured] + [(x[2], x[3]) for x in self.extern]
            inputs += [(d[0], d[1]) for d in self.draws]
            self.prog = P.build(self.rec, self.fmode, self.vals0.size, inputs)
        return self.prog

    def inline_only(self):
        """Whether every record of the program runs inline
        (kernels.program_run: kernels.inline_program runs it)."""
        if self.inline is None:
            kinds = self.program()[:len(self.rec), 0]
            self.inline = bool(((kinds != K.PROG_OTHER) & (kinds != K.PROG_SUMIDX)).all())
        return self.inline

    def reverse_flags(self):
        """kernels.reverse_flags of the program seeded at the first output:
        the reverse of value_and_grad, decided once (empty flags: a program
        with other records than scalar ones)."""
        if self.flags is None:
            if self.first_scalar < 0:
                self.flags = (np.zeros(0, np.uint8), np.zeros(0, np.uint8))
            else:
                self.flags = K.reverse_flags(self.program(), self.vals0.size, self.first_scalar)
        return self.flags

    def call_meta(self):
        """(buffer, array) of the index maps for one call: the tape's own, or
        a copy when select_order records rewrite the maps of their gathers
        (functional/selection.py), so each call's graph keeps its own picks."""
        if not self.dyn_meta:
            return self.meta_buf, self.meta
        buf = array.array("q")
        buf.frombytes(memoryview(self.meta).cast("B"))
        return buf, np.frombuffer(buf, np.int64)

    def _forward(self, vals, meta=None):
        """Recompute every record into vals; returns the partials the forward
        kept (the reverse sweep of this call reads them)."""
        rec, fmode = self.rec, self.fmode
        if meta is None:
            meta = self.meta
        prog = self.program()
        pd = P.partials(prog)
        nrec = len(rec)
        if self.inline_only():
            ga, gb, gk, gc, gw, gs = self.guards
            K.inline_program(K.IP_FORWARD, prog, pd, rec, vals, meta, fmode, ga, gb, gk, gc, gw, _NO_ADJ, -1,
                             _NO_FLAGS, vals)
            return pd
        lo = 0
        while True:
            h = K.forward_program(prog, rec, vals, meta, fmode, pd, lo, nrec)
            if h < 0:
                return pd
            plan = self.blas.get(h)
            if plan is not None and not isinstance(self.host[h], ReplayHost):   # (_host_forward's path to it)
                plan.run(vals, bool(fmode[h] & K.FM_R32))
            else:
                _host_forward(self, h, vals)
            lo = h + 1

    def _check(self, vals):
        ga, gb, gk, gc, gw, gs = self.guards
        if ga.size == 0:
            return -1
        return K.check_guards(vals, ga, gb, gk, gc, gw)

    def flipped_site(self, g):
        f, line, code = self.sites[self.guards[5][g]]
        return f"{f}:{line}" + (f": {code}" if code else "")

    def valid(self):
        """Whether this tape still stands for its function: captured leaves as
        recorded, globals/closures it read unchanged."""
        if self.captured and not self.check_captured():
            return False
        return self.world is None or not self.world.changed()

    def check_captured(self):
        """Whether captured leaves still have their recorded shape, dtype and
        requires_grad (else the tape is stale)."""
        for ref, slot, n, shape, dt, rg in self.captured:
            t = ref()
            if t is None:
                continue
            if t.dtype is not dt or t._rg != rg or (() if t._v is not None else t._arr.shape) != shape:
                return False
        return True

    def replay(self, leaves):
        """Outputs for the flattened tensor arguments `leaves`, or the index of
        the first flipped guard (an int) if the tape is not valid for them."""
        state = self.rng_state()
        vals = self._fill(leaves)
        meta = self.call_meta()
        pd = self._forward(vals, meta[1])
        g = self._check(vals)
        if g >= 0:
            self.rewind(state)
            return g
        return self._outputs(vals, leaves, pd=pd, meta=meta)

    def _outputs(self, vals, leaves, grad=True, pd=None, meta=None):
        grad_on = grad and _STATE.grad_enabled
        tp = None
        outs = []
        for spec in self.outs:
            kind = spec[0]
            if kind == "slot":
                _, slot, n, shape, dt, name, rg = spec
                t = object.__new__(Tensor)
                if not shape:
                    v = float(vals[slot])
                    TT._init(t, v, None, dt)
                else:
                    TT._init(t, None, vals[slot:slot + n].astype(dt.np).reshape(shape), dt)
                if rg and grad_on:
                    if tp is None:
                        tp = self._call_tape(vals, leaves, pd, meta)
                    t._rg = True
                    t._tape = tp
                    t._slot = slot
                    t._name = name
                outs.append(t)
            elif kind == "arg":
                outs.append(leaves[spec[1]])
            elif kind == "same":
                outs.append(outs[spec[1]])
            elif kind == "obj":
                outs.append(spec[1])
            elif kind == "read":        # a number read from a tensor to be returned (returned_reads.py)
                outs.append(RR.value(spec, vals))
            else:
                outs.append(Tensor._wrap(np.array(spec[1]), spec[2]))
        return _unflatten(self.out_struct, outs)

    def _call_tape(self, vals, leaves, pd=None, meta=None):
        """A sealed tape for one call: the shared records, this call's values
        (and the partials its forward kept: the engine sweeps by the program),
        inputs pointing at the caller's tensors."""
        tp = T.Tape()
        if pd is not None:
            tp.program = (self.program(), pd)
            flags, flag_reach = self.reverse_flags()
            if flags.size:      # the engine's backward from the first output: kernels.replay_reverse_flags
                tp.lean = (flags, flag_reach, self.first_scalar)
        tp.rec = self.rec_buf
        mbuf, marr = meta if meta is not None else (self.meta_buf, self.meta)
        tp.meta = mbuf
        tp.vals = vals
        tp.sealed = (self.rec, vals, marr)
        tp.host = self.host
        inputs = tp.inputs
        seen = set()
        for t, (slot, n, shape, dt, rg) in zip(leaves, self.args):
            if slot < 0 or not rg or not t._rg or slot in seen:
                continue            # (an argument passed twice has one slot)
            seen.add(slot)
            if t._name is None:
                inputs.append((weakref.ref(t), None, -1, slot, n))
            else:
                inputs.append((None, t._tape, t._slot, slot, n))
        for ref, slot, n, shape, dt, rg in self.captured:
            if rg:
                inputs.append((ref, None, -1, slot, n))
        for older, older_slot, slot, n in self.extern:
            inputs.append((None, older, older_slot, slot, n))
        # create_graph (autograd/symbolic.py) asks which slots are not constants:
        # those that depend on this call's inputs. Not "written by a record", as
        # on an eager tape: the recording's stand-ins of arguments that don't
        # require grad are on the tape too (their clones, casts...), and a
        # matmul of such a live-looking operand chose other BLAS products than
        # eager's constant operand (a Hessian-vector product an ulp off).
        tp._live = lambda: self._live_mask(tp, marr)
        return tp

    def _live_mask(self, tp, meta):
        """Per slot of call tape tp: whether it depends on tp's inputs."""
        dep = np.zeros(len(self.vals0), np.uint8)
        for ref, older, older_slot, slot, n in tp.inputs:
            dep[slot:slot + max(n, 1)] = 1
        if len(self.rec):
            host_n = np.zeros((len(self.rec), 2), np.int64)
            for r, h in self.host.items():
                if hasattr(h, "ashape"):
                    host_n[r] = math.prod(h.ashape), math.prod(h.bshape)
            K.dependence(self.rec, meta, dep, host_n)
        return dep.astype(bool)

    def __call__(self, *args, **kwargs):
        """Replay this tape on new arguments (no function to record again: a
        flipped guard raises GuardFailed)."""
        key, struct, leaves = _signature(args, kwargs)
        self._check_args(leaves)
        if self.arg_struct is not None and _struct_key(struct) != _struct_key(self.arg_struct):
            raise ValueError("the arguments' structure or non-tensor values differ from the recorded ones")
        if self.mode != "replay":
            raise RuntimeError(f"this tape can't be replayed: {self.reason}")
        res = self.replay(leaves)
        if isinstance(res, int):
            raise GuardFailed(f"guard at {self.flipped_site(res)} flipped: the recorded tape is not valid "
                              "for these inputs (record it again with jitgrad.compile)")
        return res

    def _check_args(self, leaves):
        if len(leaves) != len(self.args):
            raise TypeError(f"this tape takes {len(self.args)} tensor argument(s), got {len(leaves)}")
        for i, (t, (slot, n, shape, dt, rg)) in enumerate(zip(leaves, self.args)):
            got = () if t._v is not None else t._arr.shape
            if got != shape or t.dtype is not dt:
                raise ValueError(f"tensor argument {i} has shape {list(got)} and dtype {t.dtype.name}, but the "
                                 f"tape was recorded for shape {list(shape)} and dtype {dt.name}")

    # -- value and gradient in one Numba call ---------------------------------------
    def value_and_grad(self, leaves, argnums, draw=True):
        """(values, [gradient tensors]) of the scalar output w.r.t. the tensor
        arguments `argnums`, forward and reverse in one Numba call; or an int
        (the first flipped guard). `draw=False`: the call that recorded the
        tape (its draws are the recorded ones)."""
        seed = self.first_scalar
        if seed < 0:
            raise RuntimeError("value_and_grad of a compiled function needs a single scalar tensor output, "
                               "computed from the arguments")
        state = self.rng_state() if draw else None
        vals = self._fill(leaves, draw)
        S = vals.size
        adj = np.empty((S, 1))
        reach = np.empty(S, np.uint8)
        ga, gb, gk, gc, gw, gs = self.guards
        prog = self.program()
        meta = self.call_meta()[1]
        flags, flag_reach = self.reverse_flags()
        if self.host:
            # Matmul records differentiate in NumPy: the Numba call would stop at the first.
            status, idx = K.VG_HOST, -1
        elif flags.size:      # a scalar program: its reverse decided once
            status, idx = K.inline_program(K.IP_VALUE_AND_GRAD, prog, P.partials(prog), self.rec, vals, meta,
                                           self.fmode, ga, gb, gk, gc, gw, adj, seed, flags, vals)
            reach = flag_reach
        else:
            status, idx = K.value_and_grad_program(prog, P.partials(prog), self.rec, vals, meta, self.fmode,
                                                   ga, gb, gk, gc, gw, self.freed, adj, reach, seed)
        if status == K.VG_GUARD:
            self.rewind(state)
            return idx
        if status == K.VG_HOST:
            # Host records: forward from Python, then the guarded reverse sweep
            # (after a Numba call: the same draws again, the generators rewound first).
            if not self.host:
                self.rewind(state)
                vals = self._fill(leaves, draw)
            self._forward(vals, meta)
            g = self._check(vals)
            if g >= 0:
                self.rewind(state)
                return g
            adj[:] = 0.0        # (as the engine: a slot reached with no contribution holds +0.0)
            reach[:] = 0
            adj[seed, 0] = 1.0
            reach[seed] = 1
            _reverse(self, vals, adj, reach, meta)
        grads = []
        for i in argnums:
            slot, n, shape, dt, rg = self.args[i]
            if slot < 0:
                grads.append(Tensor._wrap(np.zeros(shape, dt.np), dt))
            elif not shape:     # a 0-d argument: its gradient a Python float, as eager mode keeps it
                g = float(adj[slot, 0]) if reach[slot] else 0.0
                grads.append(TT._scalar_out(g if dt.np.type is np.float64 else float(dt.np.type(g)), dt))
            else:
                g = np.where(reach[slot:slot + n] != 0, adj[slot:slot + n, 0], 0.0)
                grads.append(Tensor._wrap(g.astype(dt.np).reshape(shape), dt))
        return vals, grads

    def batch(self, X, argnums, with_grad, parallel):
        """Values (and gradients) at B points: X is a list of float64 arrays
        (B, n_i), one per tensor argument. Returns (values (B,), grads (B, sum
        n_i over argnums) or None, status (B, 2))."""
        if self.draws or self.dyn_meta:
            raise RuntimeError("a tape with random draws or recorded picks replays point by point "
                               "(CompiledFunction.batch does)")
        B = X[0].shape[0]
        in_slot, in_n, cols = [], [], []
        for i, (slot, n, shape, dt, rg) in enumerate(self.args):
            if slot < 0:
                continue
            in_slot.append(slot)
            in_n.append(n)
            cols.append(X[i].reshape(B, n))
        Xall = np.ascontiguousarray(np.concatenate(cols, axis=1) if cols else np.zeros((B, 0)))
        in_slot = np.array(in_slot, np.int64)
        in_n = np.array(in_n, np.int64)
        values = np.full(B, np.nan)
        grads = np.zeros((B, int(in_n.sum())))
        status = np.zeros((B, 2), np.int64)
        vals0 = self._fill([Tensor._wrap(np.zeros(a[2], a[3].np)) for a in self.args])
        ga, gb, gk, gc, gw, gs = self.guards
        args = (self.program(), self.rec, vals0, self.meta, self.fmode, ga, gb, gk, gc, gw, self.freed,
                in_slot, in_n, Xall, self.first_scalar, with_grad, values, grads, status)
        if parallel and B > 1:
            import numba
            K.batch_sweep_parallel(*args, min(B, 4 * numba.get_num_threads()))
        else:
            K.batch_sweep(*args)
        return values, grads, status, in_slot


# ----- host forwards and the reverse sweep ------------------------------------

def _host_forward(e, r, vals):
    """Forward of record r from Python (NumPy / BLAS), as eager mode ran it."""
    op, out, n, a, b, m, ia = (int(v) for v in e.rec[r])
    fm = int(e.fmode[r])
    dt = np.float32 if fm & K.FM_R32 else np.float64
    with np.errstate(all="ignore"):
        if op < K.N_ELEMENTWISE:
            kind, afn = _ELEMENTWISE_NP[op]
            if dt is np.float32 and op in O.F32_FORMS:
                afn = O.F32_FORMS[op][1]        # (eager mode's float32 steps, arith._unary)
            xs = np.asarray(vals[a], dt) if m & 1 else vals[a:a + n].astype(dt)
            if kind == "binary":
                ys = np.asarray(vals[b], dt) if m & 2 else vals[b:b + n].astype(dt)
                res = afn(xs, ys)
            elif afn is None:
                tmp = np.empty(n)
                c = float(vals[ia]) if kind == "param" else 0.0
                K.value_map(op, np.broadcast_to(xs.astype(np.float64), (n,)).copy(), np.zeros(n), c, tmp)
                res = tmp.astype(dt)
            elif kind == "param":
                res = afn(xs, float(vals[ia]))
            else:
                res = afn(xs)
            vals[out:out + n] = np.broadcast_to(np.asarray(res, dt), (n,))
        elif op == K.NORM:
            arr = vals[a:a + m]
            v = math.sqrt(float(np.dot(arr, arr))) if m else 0.0
            vals[out] = TT.round32(v) if dt is np.float32 else v
        elif op == K.PROD:
            vals[out] = np.asarray(vals[a:a + m].astype(dt).prod(dtype=dt), dt)
        elif op == K.HOST:
            h = e.host[r]
            if isinstance(h, ReplayHost):   # a loss, var, batch norm: eager mode's value (autodiff/host_ops.py)
                vals[out:out + n] = h.replay_forward(vals)
                return
            plan = e.blas.get(r)
            if plan is not None:        # in Numba, by eager mode's BLAS calls (replay_blas.py)
                plan.run(vals, dt is np.float32)
                return
            vals[out:out + n] = np.asarray(BR.numpy_product(e.host[r], vals, dt), dt).reshape(-1)
        else:
            raise RuntimeError(f"no host forward for opcode {op}")


def _host_forward_ok(e, r):
    op = int(e.rec[r, K.REC_OP])
    if op < K.N_ELEMENTWISE:
        return op in _ELEMENTWISE_NP
    if op == K.HOST:
        h = e.host.get(r)
        return isinstance(h, ReplayHost) or h is not None and all(hasattr(h, f) for f in ("a", "b", "ashape", "bshape"))
    return op in (K.NORM, K.PROD)


def _reverse(e, vals, adj, reach, meta):
    """Reverse sweep of the whole tape (retained), host records from Python."""
    rec, freed = e.rec, e.freed
    plans = e.__dict__.setdefault("mm_plans", {}) if adj.shape[1] == 1 else None
    r = len(rec) - 1
    while r >= 0:
        status, r = K.sweep(rec, vals, meta, adj, reach, freed, K.NO_STALE, r, 0, True)
        if status == K.DONE:
            return
        if status != K.AT_HOST:
            raise RuntimeError(f"compiled tape: reverse sweep stopped at record {r} (status {status})")
        h = e.host[r]
        if plans is not None and not ANOMALY.enabled:     # (a matmul's products with its choices made once)
            p = plans.get(r, False)
            if p is False:
                p = plans[r] = single_column_plan(h)
            if p is not None:
                single_column_backward(h, p, adj, vals, reach)
                r -= 1
                continue
        h.backward(adj, vals, reach)
        r -= 1
