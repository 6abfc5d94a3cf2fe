"""Recording a function for jitgrad.compile: the per-thread recording state,
the hooks that turn Python reads of tensor values into guards, and the
argument trees (pytrees) that make a call's signature."""
import array
import linecache
import math
import os
import sys
import threading
import weakref

import numpy as np

from ..core import dtypes as D
from ..core import grad_mode as GM
from ..autodiff import grad_accumulation as GA
from ..core import kernels as K
from ..core import tape as T
from ..core import upper
from ..tensors.tensor import Tensor
from ..tensors.tracked import Tracked
from ..tensors import tensor as TT
from . import returned_reads as RR
from .argument_trees import (_Static, _TupleOf, _flatten, _signature, _struct_key, _tensor_key,  # noqa: F401
                             _unflatten, argument_containers, containers_changed, scalar_key, static_objects)


_PKG_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep   # jitgrad/
_STATE = T.STATE


_GUARD_WORDS = {K.G_LT: "<", K.G_LE: "<=", K.G_GT: ">", K.G_GE: ">=", K.G_EQ: "==", K.G_NE: "!=",
                K.G_TRUTH: "bool", K.G_VALUE: "value", K.G_INT: "int"}
_CMP_KIND = {np.less: K.G_LT, np.less_equal: K.G_LE, np.greater: K.G_GT,
             np.greater_equal: K.G_GE, np.equal: K.G_EQ, np.not_equal: K.G_NE}
_MIRROR = {K.G_LT: K.G_GT, K.G_LE: K.G_GE, K.G_GT: K.G_LT, K.G_GE: K.G_LE,
           K.G_EQ: K.G_EQ, K.G_NE: K.G_NE}


# ----- recording state and the guard hooks ----------------------------------

class _TrackedVals(array.array):
    """The `vals` column of a tape recorded for compile. It remembers which
    slots were pushed as arrays (NumPy results) rather than one Python scalar
    at a time (the 0-d fast path): the two round float32 differently."""

    def __new__(cls):
        self = super().__new__(cls, "d")
        self.array_ranges = []
        return self

    def frombytes(self, b):
        start = len(self)
        array.array.frombytes(self, b)
        self.array_ranges.append((start, len(self)))


class _Recording:
    """Guards collected while one function is being recorded on `tape`."""

    def __init__(self, tape):
        self.tape = tape
        self.parts = []         # (a slots, b slots, kind, const, want, site) arrays
        self.f32_slots = []     # (slot, n, 2 float32 / 1 float64): casts (_guard_float_dtype)
        self.sites = []         # (file, line, code)
        self._site_index = {}
        self.taint = ""         # why (and where) the tape can't be replayed
        self.grad_mode_used = False     # _grad_mode_used
        self.stand_ids = set()  # ids of the tensors standing for the arguments
        self.grads = {}         # id -> (tensor weakref, its .grad before the recording changed it)
        self.hooks = {}         # id -> (tensor weakref, its hooks before the recording added one)
        self.held_prints = []   # print()'s arguments, held back (compile_guards.PrintWatch)
        self.plain = set()      # ids of the stand-in leaves of arguments that don't require grad
        self.written = {}       # id -> (tensor ref, value, version) before the call's first write to it
        self._dep = (-1, None)  # (records, per-slot dependence on inputs that require grad)
        self.tracked = []       # weakrefs of recorded no-gradient results (tensors.tracked)
        self.draws = []         # (slot, n, sampler kind, generator or None, sampler arguments), in draw order
        self.rng_before = {}    # id -> (NumPy generator, its state before the recording's first draw from it)
        self.parent = None      # build._record's frame: the function's own frame is called from it
        # Numbers read only to be returned (returned_reads.py): (path, slots, values, what,
        # dtype, shape, site, value read, frame, offset of its RETURN_VALUE)
        self.returned = []

    def _site(self):
        f = sys._getframe(3)
        while f is not None and f.f_code.co_filename.startswith(_PKG_DIR):
            f = f.f_back
        if f is None:
            key = ("<unknown>", 0)
        else:
            key = (f.f_code.co_filename, f.f_lineno)
        i = self._site_index.get(key)
        if i is None:
            i = self._site_index[key] = len(self.sites)
            self.sites.append((key[0], key[1], linecache.getline(key[0], key[1]).strip()))
        return i

    def _add(self, a, b, kind, const, want):
        n = a.size
        self.parts.append((a, np.broadcast_to(b, (n,)), np.full(n, kind, np.int8),
                           np.broadcast_to(np.asarray(const, np.float64), (n,)),
                           np.asarray(want, np.float64), np.full(n, self._site(), np.int32)))

    def _slots(self, t, shape):
        base = T.slot_of(self.tape, t)
        n = t.numel()
        if n == 1:     # (broadcast to the result's shape; an empty result reads nothing)
            return np.full(math.prod(shape), base, np.int64)
        return base + np.broadcast_to(np.arange(n).reshape(t.shape), shape).ravel()

    def float_dtype(self, t):
        """t (on the tape) has a float dtype its operands don't show (a cast):
        build.py passes it to classify (2 float32, 1 float64)."""
        if t._tape is self.tape and t._slot >= 0:
            # (3: a float32 array: torch rounds its operands and constants to float32 first)
            code = (3 if t._v is None else 2) if t.dtype is D.float32 else 1
            self.f32_slots.append((t._slot, max(t.numel(), 1), code))

    def sealed(self):
        """A backward inside the function swept the recording tape (its
        arrays are views now: nothing can be appended). The tape runs
        eagerly then (build: "spans several tapes"), so guards are moot."""
        return self.tape.sealed is not None

    def user_read(self, t, what):
        """The user's item(), float(), tolist(), ...: a guard, unless the
        number only goes into the returned structure (returned_reads.py)."""
        if not RR.note(self, t, what, _PKG_DIR):
            self.read(t, what)

    def guard_values(self, a, v, site):
        """The value guards of a read (returned_reads.settle: not returned after all)."""
        n = a.size
        self.parts.append((a, np.full(n, -1, np.int64), np.full(n, K.G_VALUE, np.int8), np.zeros(n),
                           np.asarray(v, np.float64), np.full(n, site, np.int32)))

    def read(self, t, what):
        if self.sealed():
            return
        v = np.asarray(t._data(), np.float64).ravel()
        a = self._slots(t, t.shape)
        if what == "truth":      # ("data": tolist, numpy: the values, as "value")
            self._add(a, -1, K.G_TRUTH, 0.0, (v != 0.0).astype(np.float64))
        elif what == "int":
            with np.errstate(invalid="ignore"):
                self._add(a, -1, K.G_INT, 0.0, np.trunc(v))
        else:
            self._add(a, -1, K.G_VALUE, 0.0, v)

    def compare(self, fn, x, y, r):
        kind = _CMP_KIND.get(fn)
        if kind is None or self.sealed():
            return
        xt = isinstance(x, Tensor) and x._rg
        yt = isinstance(y, Tensor) and y._rg
        shape = tuple(r.shape)
        want = np.asarray(r._data(), np.float64).ravel()
        if not xt:
            x, y, kind = y, x, _MIRROR[kind]
            xt, yt = True, False
            weak = False
        else:
            # NumPy converts a Python number to a float32 array's dtype first.
            weak = y.__class__ in (float, int) and x._v is None and x.dtype is D.float32
        a = self._slots(x, shape)
        if yt:
            self._add(a, self._slots(y, shape), kind, 0.0, want)
            return
        yv = y._data() if isinstance(y, Tensor) else y
        c = np.asarray(yv, np.float64)
        if weak:
            c = c.astype(np.float32).astype(np.float64)
        self._add(a, -1, kind, np.broadcast_to(c, shape).ravel(), want)

    def extreme(self, x, mask, dims, largest):
        """x's max (largest) or min over dims sits at the True positions of
        mask: per group, the first of them is the reference; other picked
        elements must equal it, the rest stay strictly below (above) it."""
        if self.sealed():
            return
        shape = tuple(x.shape)
        mask = np.broadcast_to(np.asarray(mask, bool), shape)
        nd = len(shape)
        dims = tuple(sorted(d % nd for d in dims)) if nd else ()
        keep = [d for d in range(nd) if d not in dims]
        order = keep + list(dims)
        pos = np.arange(x.numel()).reshape(shape).transpose(order)
        msk = mask.transpose(order)
        g = math.prod(shape[d] for d in dims) if dims else 1
        pos = pos.reshape(-1, g)
        msk = msk.reshape(-1, g)
        ref = pos[np.arange(pos.shape[0]), np.argmax(msk, axis=1)]
        base = T.slot_of(self.tape, x)
        a = base + pos.ravel()
        b = base + np.repeat(ref, g)
        keep_mask = a != b
        kind = np.where(msk.ravel(), K.G_EQ, K.G_LT if largest else K.G_GT).astype(np.int8)[keep_mask]
        a, b = a[keep_mask], b[keep_mask]
        n = a.size
        self.parts.append((a, b, kind, np.zeros(n), np.ones(n), np.full(n, self._site(), np.int32)))

    def visible_rg(self, t):
        """requires_grad as eager mode would say: stand-ins of arguments that
        don't require grad are on the tape too, and so is what derives only
        from them (not visibly requiring grad)."""
        tape = self.tape
        if t._tape is not tape or t._name is None or not (self.plain or self.tracked):
            return True
        nrec = len(tape.rec) // K.REC_WIDTH
        if self._dep[0] != nrec:
            dep = np.zeros(len(tape.vals), np.uint8)
            for ref, older, older_slot, slot, n in tape.inputs:
                leaf = ref() if ref is not None else None
                if leaf is None or id(leaf) not in self.plain:
                    dep[slot:slot + max(n, 1)] = 1
            host_n = np.zeros((max(nrec, 1), 2), np.int64)
            for r, h in tape.host.items():
                if hasattr(h, "ashape"):
                    host_n[r] = math.prod(h.ashape), math.prod(h.bshape)
            if nrec:
                K.dependence(np.array(tape.rec, np.int64).reshape(-1, K.REC_WIDTH),
                             np.array(tape.meta if len(tape.meta) else [0], np.int64), dep, host_n)
            self._dep = (nrec, dep)
        return bool(self._dep[1][t._slot:t._slot + max(t.numel(), 1)].any())

    def before_draw(self, rng):
        if id(rng) not in self.rng_before:
            self.rng_before[id(rng)] = (rng, rng.bit_generator.state)

    def draw(self, t, kind, generator, args):
        """t was drawn by sampler `kind` (functional/sampling.py): its values
        go on the tape as a draw group, slots the replay fills with fresh draws."""
        if self.sealed():
            return
        tape = self.tape
        slot = T.push_value(tape, t)
        self.draws.append((slot, t.numel(), kind, generator, args))
        if not t.dtype.is_floating_point:
            t.__class__ = Tracked
        t._rg = True
        t._tape = tape
        t._slot = slot
        t._name = "NotDifferentiable"
        self.tracked.append(weakref.ref(t))

    def wrote(self, t):
        """Journal t's value before the recording call's first in-place write
        to it (a BatchNorm's running statistics...): if the signature then runs
        eagerly, `undo_writes` puts it back, so the writes happen once per call."""
        if id(t) not in self.written:
            self.written[id(t)] = (weakref.ref(t), t._data().copy(), t._version)

    def grad_bound(self, t):
        """Journal t's .grad (the object bound and its value) before the
        recording call's first change to it: a backward or an optimizer's
        zero_grad inside. `undo_writes` puts it back."""
        if id(t) not in self.grads:
            self.grads[id(t)] = (weakref.ref(t), t._grad)
            if t._grad is not None:
                self.wrote(t._grad)

    def release_tracked(self):
        """After recording: recorded no-gradient results still alive (kept by
        the function somewhere) become ordinary constant tensors."""
        for ref in self.tracked:
            t = ref()
            if t is not None:
                if t.__class__ is not Tensor:
                    t.__class__ = Tensor
                t._rg, t._tape, t._slot, t._name = False, None, -1, None
        self.tracked = []

    def undo_writes(self):
        for ref, hooks in self.hooks.values():
            t = ref()
            if t is not None:
                t._hooks = hooks
        for ref, grad in self.grads.values():
            t = ref()
            if t is not None:
                t._grad = grad
        for ref, value, version in self.written.values():
            t = ref()
            if t is not None:
                if t._v is not None:
                    t._v = value.item()
                else:
                    t._arr[...] = value
                t._version = version

    def tainted(self, what):
        """A value derived from the inputs left the tape (first reason kept)."""
        if not self.taint:
            f, line, code = self.sites[self._site()]
            self.taint = f"{what} at {f}:{line}" + (f": {code}" if code else "")

    def pairs(self, x, first, second, kinds):
        if self.sealed():
            return
        base = T.slot_of(self.tape, x)
        n = first.size
        self.parts.append((base + np.asarray(first, np.int64), base + np.asarray(second, np.int64),
                           np.asarray(kinds, np.int8), np.zeros(n), np.ones(n), np.full(n, self._site(), np.int32)))

    def number_guards(self, slots, vals):
        """Value guards on `slots` (float_args.pow_guards), found after the
        function returned: their site names the reason, not a line."""
        key = ("<a number argument as pow's exponent or base>", 0)
        i = self._site_index.get(key)
        if i is None:
            i = self._site_index[key] = len(self.sites)
            self.sites.append((key[0], 0, ""))
        n = slots.size
        self.parts.append((slots, np.full(n, -1, np.int64), np.full(n, K.G_VALUE, np.int8), np.zeros(n),
                           vals[slots], np.full(n, i, np.int32)))

    def guard_arrays(self):
        if not self.parts:
            z = np.zeros(0, np.int64)
            return z, z.copy(), np.zeros(0, np.int8), np.zeros(0), np.zeros(0), np.zeros(0, np.int32)
        cols = list(zip(*self.parts))
        return (np.concatenate(cols[0]).astype(np.int64), np.concatenate(cols[1]).astype(np.int64),
                np.concatenate(cols[2]), np.concatenate(cols[3]).astype(np.float64),
                np.concatenate(cols[4]), np.concatenate(cols[5]))


_LOCAL = threading.local()
_LOCK = threading.Lock()
_ACTIVE = [0]


_VMAP_READ = {
    "value": "vmap: It looks like you're calling .item() on a Tensor. We don't support vmap over calling .item() on "
             "a Tensor, please try to rewrite what you're doing with other operations. If error is occurring "
             "somewhere inside PyTorch internals, please file a bug report.",
    "int": "vmap: It looks like you're calling .item() on a Tensor. We don't support vmap over calling .item() on "
           "a Tensor, please try to rewrite what you're doing with other operations. If error is occurring "
           "somewhere inside PyTorch internals, please file a bug report.",
    "truth": "vmap: It looks like you're attempting to use a Tensor in some data-dependent control flow. We don't "
             "support that yet, please file an issue at https://github.com/pytorch/pytorch/issues .",
    "data": "Cannot access data pointer of Tensor that doesn't have storage",
    "tracked": "vmap: It looks like you're either (1) calling .item() on a Tensor or (2) attempting to use a Tensor "
               "in some data-dependent control flow or (3) encountering this error in PyTorch internals. For (1): we "
               "don't support vmap over calling .item() on a Tensor, please try to rewrite what you're doing with "
               "other operations. For (2): we don't support data-dependent control flow in vmap yet, please file an "
               "issue at https://github.com/pytorch/pytorch/issues . For (3): please file an issue.",
}


_VMAP_COMPARED: "weakref.WeakKeyDictionary[Tensor, bool]" = weakref.WeakKeyDictionary()


class _Hook:
    """Installed as tensor._guard_hook while any thread records."""

    @staticmethod
    def read(t, what):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None and t._rg:
            rec.read(t, what)

    @staticmethod
    def user_read(t, what):
        """A read by the user's .item(), float(), int(), bool(), tolist(), numpy()."""
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None and getattr(upper.VMAP, "depth", 0) and type(t) in (Tensor, Tracked) and (
                t._rg or t in _VMAP_COMPARED):
            # (a value torch.func.grad tracks inside vmap: torch's message names every cause)
            tracked = getattr(upper.VMAP, "graded", False) or _VMAP_COMPARED.get(t, False) or t.requires_grad
            raise RuntimeError(_VMAP_READ["tracked" if what != "data" and tracked else what])
        if rec is not None and t._rg:
            rec.user_read(t, what)

    @staticmethod
    def vmap_batched(t):
        """Whether t is batched inside vmap (derived from vmap's arguments, while
        vmap records its function): ops whose result's shape depends on t's
        values (a boolean mask, nonzero, unique) are torch's errors then."""
        rec = getattr(_LOCAL, "rec", None)
        return rec is not None and getattr(upper.VMAP, "depth", 0) and type(t) in (Tensor, Tracked) and (
            t._rg or t in _VMAP_COMPARED)

    @staticmethod
    def float_dtype(t):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None and t._rg:
            rec.float_dtype(t)

    @staticmethod
    def extreme(x, mask, dims, largest):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None:
            rec.extreme(x, mask, dims, largest)

    @staticmethod
    def taint(what):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None:
            rec.tainted(what)

    @staticmethod
    def held_print(args, kwargs):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None:
            rec.held_prints.append((args, kwargs))

    @staticmethod
    def hook_added(t):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None:
            rec.tainted("register_hook() inside the function (a replay's tensors would not have the hook)")
            if id(t) not in rec.hooks:      # (a leaf's hooks outlive the call: put back before the eager call)
                rec.hooks[id(t)] = (weakref.ref(t), None if t._hooks is None else list(t._hooks))

    @staticmethod
    def grad_bound(t):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None:
            rec.grad_bound(t)

    @staticmethod
    def argument_flag(t):
        """requires_grad_() of an argument's stand-in: the caller's tensor would change (eager)."""
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None and id(t) in rec.stand_ids:
            rec.tainted("requires_grad_() of an argument (a replay would not change the caller's tensor)")
            return True
        return False

    @staticmethod
    def pairs(x, first, second, kinds):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None:
            rec.pairs(x, first, second, kinds)

    @staticmethod
    def visible_rg(t):
        rec = getattr(_LOCAL, "rec", None)
        return True if rec is None else rec.visible_rg(t)

    @staticmethod
    def before_draw(rng):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None:
            rec.before_draw(rng)

    @staticmethod
    def draw(t, kind, generator, args):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None:
            rec.draw(t, kind, generator, args)

    @staticmethod
    def recording():
        return getattr(_LOCAL, "rec", None) is not None

    @staticmethod
    def tracked(t):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None:
            rec.tracked.append(weakref.ref(t))

    @staticmethod
    def compare(fn, x, y, r):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None and ((isinstance(x, Tensor) and x._rg) or (isinstance(y, Tensor) and y._rg)):
            rec.compare(fn, x, y, r)
            if getattr(upper.VMAP, "depth", 0):
                # (its truth value is data-dependent control flow under vmap)
                _VMAP_COMPARED[r] = any(isinstance(v, Tensor) and v.requires_grad for v in (x, y))


_HOOK = _Hook()


def _journal_write(t):
    rec = getattr(_LOCAL, "rec", None)
    if rec is not None:
        if t.__class__ is Tracked:
            # Its slot keeps the recorded value: later records would read the old one.
            rec.tainted("an in-place write to a recorded comparison, mask or cast")
        elif "_detached_recorded" in t.__dict__:
            # (eager's detach() shares its source's storage: the write would reach it)
            rec.tainted("an in-place write to a detach()ed tensor")
        elif "_moving_view" in t.__dict__:
            # (x[x.argmax()]: a view whose position the replay recomputes, the view machinery doesn't)
            rec.tainted("an in-place write to a tensor indexed by a recorded index, or to its view")
        elif "_detach_source" in t.__dict__:
            # (... and the other way: the detached tensor, a recorded copy, would not see it)
            rec.tainted("an in-place write to a tensor after its detach() / .data")
        rec.wrote(t)


def _grad_mode_used():
    """User code enables grad or reads the grad mode while a function records
    (which records with grad on): a call under no_grad runs eagerly."""
    rec = getattr(_LOCAL, "rec", None)
    if rec is not None:
        file = sys._getframe(2).f_code.co_filename
        # (grad_mode.py: the wrapper of a user's `@enable_grad()` function; the library uses `with`)
        if not file.startswith(_PKG_DIR) or file == GM.__file__:
            rec.grad_mode_used = True


def _hook_on():
    with _LOCK:
        _ACTIVE[0] += 1
        TT._guard_hook = _HOOK
        GM.no_grad_hook = _HOOK.taint
        GM.grad_mode_hook = _grad_mode_used
        GA.grad_hook = _HOOK.grad_bound
        T.write_hook = _journal_write


def _hook_off():
    with _LOCK:
        _ACTIVE[0] -= 1
        if _ACTIVE[0] == 0:
            TT._guard_hook = None
            GM.no_grad_hook = None
            GM.grad_mode_hook = None
            GA.grad_hook = None
            T.write_hook = None
