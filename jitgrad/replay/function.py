"""CompiledFunction: the object jitgrad.compile returns: a cache of recorded
tapes per call signature (LRU), replayed with guards, re-recorded when a
guard flips, eager when the contract says so (see ARCHITECTURE.md, Replay)."""
import collections
import threading
import types
import warnings

import numpy as np

from ..core import kernels as K
from ..functional import functions as F
from ..tensors.tensor import Tensor
from ..core.grad_mode import STATE as _GRAD
from . import float_args as FA
from .recording import (_LOCAL, _signature, _unflatten)
from .build import (_record, _shape)


MAX_TAPES_PER_SIGNATURE = 8     # guard outcomes kept per signature (LRU)
RETRACE_WARNING = 16            # warn once when a function retraced this often
CACHE_SIZE = 64                 # signatures kept per compiled function (LRU)
RECORD_WARNING = 16             # warn once when new signatures were recorded this often


# ----- the compiled function ------------------------------------------------------

def _compiled_again(fn, fixed_shapes, max_tapes, cache_size):
    return CompiledFunction(fn, fixed_shapes=fixed_shapes, max_tapes=max_tapes, cache_size=cache_size)


class CompiledFunction:
    """What ``jitgrad.compile(fn)`` returns: call it like fn."""

    def __init__(self, fn, fixed_shapes=False, max_tapes=MAX_TAPES_PER_SIGNATURE, cache_size=CACHE_SIZE):
        if not isinstance(cache_size, int) or cache_size < 1:
            raise ValueError(f"jitgrad.compile: cache_size must be a positive int, got {cache_size!r}")
        self.fn = fn
        self.fixed_shapes = fixed_shapes
        self.max_tapes = max_tapes
        self.cache_size = cache_size
        # signature -> [CompiledTape] (most recently used first); the signatures in LRU order
        self._cache = collections.OrderedDict()
        self._last_key = None
        self._warned_eager = set()   # reasons already warned about
        self._warned_records = False
        self.evictions = 0
        self._shapes = None          # the tensor shapes/dtypes when fixed_shapes
        self.calls = 0
        self.replays = 0
        self.records = 0
        self.retraces = 0
        self.eager_calls = 0
        self.flips = {}              # "file:line: code" -> count
        self._warned = False
        # family key -> float_args.Family: signatures equal but for float arguments (LRU)
        self._families = collections.OrderedDict()
        self.dynamic_reason = ""     # why float arguments last failed to become tape inputs
        # float_args.fast_key -> (generic key, argument tree): calls of positional tensors and
        # floats, every float a tape input, found without flattening the arguments
        self._fast = {}
        self._lock = threading.RLock()
        self.grad_mode_used = False  # a recording saw enable_grad()/is_grad_enabled() in user code
        try:
            functools_update(self, fn)
        except Exception:
            pass

    def __get__(self, obj, objtype=None):
        """A compiled method (`@torch.compile` on a method, `forward`): bound
        to its instance, which becomes an argument the signature guards."""
        return self if obj is None else types.MethodType(self, obj)

    def __reduce__(self):
        """copy.deepcopy / pickle (a module compiled in place, an EMA copy of
        it): the function compiled afresh, its recordings not carried over."""
        return (_compiled_again, (self.fn, self.fixed_shapes, self.max_tapes, self.cache_size))

    # -- calling ---------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        if getattr(_LOCAL, "rec", None) is not None:
            # Called while another compiled function records: inline it.
            return self.fn(*args, **kwargs)
        if self.grad_mode_used and not _GRAD.grad_enabled:
            # (It turns grad on or reads the mode: its replays record with grad on.)
            self.eager_calls += 1
            return self.fn(*args, **kwargs)
        if self._fast and not kwargs:
            fast = self._fast_generic(args)
            if fast is not None:
                e, res = self._lookup(fast[0], fast[1], check=False)
                if e is not None and e.mode == "replay":
                    self.calls += 1
                    return res
        self.calls += 1
        key, struct, leaves = _signature(args, kwargs)
        e, res = self._lookup(key, leaves)
        if e is None:
            d = self._dynamic(key, struct, leaves, _replay_probe) if key[0] != "T" else None
            if d is not None:
                gkey, gstruct, gleaves, e = d
                if e is None:
                    e, res = self._lookup(gkey, gleaves, check=False)
                    if e is None:       # no generic tape fits: record as it is, try the generic form again
                        e = self._regeneric(key, struct, leaves, gkey, gstruct, gleaves, _replay_probe)
                        gleaves = leaves
                if res is None:         # (recorded by this call)
                    if e.mode == "replay":
                        return e._outputs(e.vals0.copy(), gleaves)
                    self.eager_calls += 1
                    return self.fn(*args, **kwargs)
            if e is None:
                a2, k2 = _unflatten(struct, leaves) if d is not None else (args, kwargs)
                e = self._new_tape(key, a2, k2, struct, leaves)
                if e.mode == "replay":
                    return e._outputs(e.vals0.copy(), leaves)
        if e.mode != "replay":
            self.eager_calls += 1
            return self.fn(*args, **kwargs)
        return res

    def _fast_generic(self, args):
        """(generic key, leaves) of a call of positional tensors and floats
        whose family replays every float as a tape input, else None."""
        fk = FA.fast_key(args)
        if fk is None:
            return None
        hit = self._fast.get(fk[0])
        if hit is None:
            return None
        return hit[0], fk[1] + [FA.wrap(v) for v in fk[2]]

    def _family(self, struct, leaves):
        """(number classes, family key) of a call's signature: floats and ints
        as tape inputs, or floats alone once the function's ints failed."""
        kinds = FA.NUMBERS if FA.has_ints(struct) else FA.FLOATS
        if kinds is FA.NUMBERS:
            with self._lock:
                ifam = self._families.get(FA.family_key(struct, leaves, kinds))
            if ifam is not None and ifam.ints_static:
                kinds = FA.FLOATS       # (its ints stay constants: families per int value)
        return kinds, FA.family_key(struct, leaves, kinds)

    def _regeneric(self, key, struct, leaves, gkey, gstruct, gleaves, probe):
        """A call of a family with tape inputs that no generic tape fits (a
        guard flipped): it records as it is (its result: the returned tape),
        and once more in its generic form, kept only if that replays what the
        specialised tape gives (a generic recording's own values are not
        eager mode's: x ** n by a tensor n is pow(), not x * x * x)."""
        args, kwargs = _unflatten(struct, leaves)
        spec = self._new_tape(key, args, kwargs, struct, leaves)
        kinds, fkey = self._family(struct, leaves)
        fam = self._families.get(fkey)
        if fam is None or fam.failed or fam.dynamic is None or spec.mode != "replay":
            return spec
        gargs, gkwargs = _unflatten(gstruct, gleaves)
        rng = FA.RngState()
        try:
            new = _record(self.fn, gargs, gkwargs, gleaves, gstruct)
            self.records += 1
            why = FA.validate(spec, new, leaves, gleaves, probe)
        except Exception as exc:
            new, why = None, f"the function raised {type(exc).__name__} with the number argument as a tensor"
        finally:
            rng.restore()
        if not why:
            with self._lock:
                tapes = self._cache.get(gkey)
                (self._add_signature(gkey) if tapes is None else tapes).insert(0, new)
            return spec
        self.dynamic_reason = why
        values = FA.floats(struct, [], kinds)
        if any(values[p].__class__ is int for p in fam.dynamic):
            fam.ints_static = True  # (its floats: families per int value from now on)
        fam.attempts += 1
        fam.failed = fam.attempts >= FA.MAX_ATTEMPTS or new is None or new.mode != "replay" or bool(new.draws)
        with self._lock:
            self._fast.clear()      # (calls take the general path: this family may stay specialised)
        return spec

    def _dynamic(self, key, struct, leaves, probe):
        """For a call no tape fits, whose signature has number arguments: None
        to record it as it is (a tape for these values); (key, argument tree,
        leaves, None) of its generic form, where the numbers the family
        replays as tape inputs are 0-d tensor arguments (float_args.py); or
        (key, tree, leaves, tape) of this call as it is, recorded now (its
        result), when its changed numbers were just tried as tape inputs."""
        kinds, fkey = self._family(struct, leaves)
        values = FA.floats(struct, [], kinds)
        if not values:
            return None
        with self._lock:
            fam = self._families.get(fkey)
            if fam is None:
                self._families[fkey] = FA.Family(key, values)
                while len(self._families) > self.cache_size:
                    self._families.popitem(last=False)
                return None
            self._families.move_to_end(fkey)
        dyn = fam.dynamic
        changed = frozenset(i for i, (a, b) in enumerate(zip(fam.values, values)) if not FA.same(a, b))
        changed -= dyn or frozenset()
        if not FA.exact(values, changed | (dyn or frozenset())):
            return None                 # (an int too large for a float stand-in: by value)
        fallback = None if dyn is None else FA.generic(struct, leaves, dyn, values, kinds) + (None,)
        if not changed or fam.failed:
            return fallback
        old = [t for t in self._cache.get(fam.key, ()) if t.mode == "replay"]
        if not old:
            fam.key, fam.values = (key if dyn is None else fallback[0]), values
            return fallback
        # This call records as it is (its result), then with the changed
        # floats as tensors: that generic tape is kept if it gives what the
        # specialised tapes give, at this call's values and at the last ones.
        # (As it is: a generic recording's own values are not eager mode's, x ** n.)
        spec_key, spec_struct, spec_leaves = key, struct, leaves
        sargs, skwargs = _unflatten(spec_struct, spec_leaves)
        spec = self._new_tape(spec_key, sargs, skwargs, spec_struct, spec_leaves)
        want = changed | (dyn or frozenset())
        old_leaves = (FA.generic(struct, leaves, dyn, fam.values, kinds)[2] if fam.key[0] == "dynamic"
                      else spec_leaves)
        new_leaves_then = FA.generic(struct, leaves, want, fam.values, kinds)[2]     # (at the last call's values)
        fam.key, fam.values = spec_key, values
        gkey, gstruct, gleaves = FA.generic(struct, leaves, want, values, kinds)
        gargs, gkwargs = _unflatten(gstruct, gleaves)
        new = None
        if spec.mode != "replay" or spec.draws:     # (no generic tape would pass: not recorded)
            why = "the function runs eagerly" if spec.mode != "replay" else \
                "the function draws random numbers (a check replay would draw them)"
        else:
            rng = FA.RngState()
            try:
                new = _record(self.fn, gargs, gkwargs, gleaves, gstruct)
                self.records += 1
                why = (FA.validate(spec, new, spec_leaves, gleaves, probe)
                       or FA.validate(old[0], new, old_leaves, new_leaves_then, probe))
            except Exception as exc:    # (e.g. round(x, 2) of a tensor): the number stays a constant
                new, why = None, f"the function raised {type(exc).__name__} with the number argument as a tensor"
            finally:
                rng.restore()           # (the specialised recording drew what this call draws)
        if why and any(values[p].__class__ is int for p in changed):
            # An int that can't be a tensor (a shape, a loop count, an index): the
            # function's ints stay constants, its floats get families per int value.
            fam.ints_static = True
            self.dynamic_reason = "int arguments: " + why
            return spec_key, spec_struct, spec_leaves, spec
        if why:
            fam.attempts += 1
            fam.failed = (fam.attempts >= FA.MAX_ATTEMPTS or bool(spec.draws) or (new is None and spec.mode == "replay")
                          or new is not None and (new.mode != "replay" or bool(new.draws)))
            self.dynamic_reason = why
            return spec_key, spec_struct, spec_leaves, spec
        fam.dynamic = want
        fam.key = gkey              # (recorded at `values`, as fam.values says)
        pos = FA.positional_floats(struct, kinds)
        if pos is not None and len(want) == len(pos):
            fk = FA.fast_key(_unflatten(struct, leaves)[0])
            if fk is not None:
                self._fast[fk[0]] = (gkey, gstruct)
                while len(self._fast) > self.cache_size:
                    self._fast.pop(next(iter(self._fast)))
        with self._lock:
            self._add_signature(gkey).append(new)
        return spec_key, spec_struct, spec_leaves, spec

    def _lookup(self, key, leaves, run=True, check=True):
        """(tape valid for these arguments, its outputs), or (None, None): no
        tape fits, record one. Replay tapes are tried first, most recently used
        first; when none fits, the signature's eager outcome (if any) is
        returned while its backoff lasts (`_eager_now`), else (None, None)."""
        tapes = self._cache.get(key)
        if not tapes:
            if self.fixed_shapes and check:
                self._check_fixed(leaves)
            return None, None
        try:
            self._cache.move_to_end(key)
        except KeyError:        # dropped by another thread meanwhile
            pass
        eager = None
        for i, e in enumerate(list(tapes)):
            if e.mode != "replay":
                eager = e
                continue
            if (e.captured or e.world is not None) and not e.valid():
                with self._lock:
                    if e in tapes:
                        tapes.remove(e)     # stale for good: a rebinding or a newer version
                continue
            if not run:
                return e, None
            res = e.replay(leaves)
            if res.__class__ is int:
                self._flipped(e, res)
                continue
            if i:
                with self._lock:
                    if e in tapes:
                        tapes.remove(e)
                        tapes.insert(0, e)
            self.replays += 1
            return e, res
        if eager is not None and self._eager_now(eager):
            return eager, None
        return None, None

    @staticmethod
    def _eager_now(e):
        """Whether a call no replay tape fits runs eagerly on the signature's
        eager outcome `e` without recording. An eager outcome belongs to the
        call that recorded it (its values may have taken a branch others don't:
        median() of ties, a guard before a detach()), so such calls record
        again, after 0, 1, 3, 7, ... eager calls in a row (a function that is
        eager for every value records about log2(calls) times)."""
        if e.skip > 0:
            e.skip -= 1
            return True
        return False
    def _flipped(self, e, g):
        site = e.flipped_site(g)
        self.flips[site] = self.flips.get(site, 0) + 1

    def _add_signature(self, key):
        """A new signature's (empty) tape list, the least recently used ones
        dropped past cache_size (called under the lock)."""
        tapes = self._cache[key] = []
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
            self.evictions += 1
        return tapes

    def _new_tape(self, key, args, kwargs, struct, leaves):
        with self._lock:
            tapes = self._cache.get(key)
            fresh = tapes is None
            if fresh:
                tapes = self._add_signature(key)
            else:
                self._cache.move_to_end(key)
        if fresh and self.records + 1 >= RECORD_WARNING and not self._warned_records:
            self._warned_records = True
            warnings.warn(f"jitgrad.compile: {getattr(self.fn, '__qualname__', self.fn)} was recorded for "
                          f"{self.records + 1} signatures ({_key_change(self._last_key, key)}); each signature "
                          f"records its own tape and only the {self.cache_size} most recently used are kept "
                          "(cache_size). A Python number argument that changes every call records a tape per "
                          "value unless it can be a tape input"
                          + (f" (here it can't: {self.dynamic_reason})" if self.dynamic_reason else "")
                          + ": pass it as a tensor to reuse one tape.",
                          RuntimeWarning, stacklevel=3)
        self._last_key = key
        if any(t.mode == "replay" for t in tapes):     # (a guard of each flipped)
            self.retraces += 1
            if self.retraces >= RETRACE_WARNING and not self._warned:
                self._warned = True
                worst = max(self.flips, key=self.flips.get) if self.flips else "?"
                warnings.warn(f"jitgrad.compile: {getattr(self.fn, '__qualname__', self.fn)} was recorded again "
                              f"{self.retraces} times; the guard flipping most often is at {worst} "
                              "(see .report())", RuntimeWarning, stacklevel=3)
        elif self.fixed_shapes and self._shapes is None:
            self._shapes = [(_shape(t), t.dtype) for t in leaves]
        e = _record(self.fn, args, kwargs, leaves, struct)
        with self._lock:
            self.records += 1
            self.grad_mode_used |= e.grad_mode_used
            old = [t for t in tapes if t.mode != "replay"]
            if e.mode == "replay":
                tapes.insert(0, e)
                for t in old:       # a replayable outcome: eager outcomes record again at once
                    t.eager_outcomes = t.skip = 0
            else:
                # One eager outcome per signature, after its replay tapes (which
                # it never shadows); its backoff grows with each eager outcome in a row.
                for t in old:
                    tapes.remove(t)
                e.eager_outcomes = (old[0].eager_outcomes if old else 0) + 1
                e.skip = 2 ** min(e.eager_outcomes - 1, 30) - 1
                tapes.append(e)
            replayable = [t for t in tapes if t.mode == "replay"]
            if len(replayable) > self.max_tapes:
                for t in replayable[self.max_tapes:]:
                    tapes.remove(t)
        if e.mode != "replay" and e.reason not in self._warned_eager:
            self._warned_eager.add(e.reason)
            warnings.warn(f"jitgrad.compile: {getattr(self.fn, '__qualname__', self.fn)} runs eagerly (not "
                          f"replayed) for this signature: {e.reason}", RuntimeWarning, stacklevel=3)
        return e

    def batch(self, *args, parallel=False, **kwargs):
        """fn at B points in one Numba call: every tensor argument has a
        leading batch axis of size B; fn must return one scalar tensor.
        Returns the (B,) tensor of values (points whose guards flip run one
        by one). ``parallel=True`` spreads the points over all cores. For
        gradients too, compile ``jitgrad.func.value_and_grad(fn)``."""
        tensors = [a for a in args if isinstance(a, Tensor)]
        if not tensors:
            raise TypeError("batch() needs tensor arguments with a leading batch axis")
        B = tensors[0].shape[0]
        if any(t.ndim == 0 or t.shape[0] != B for t in tensors):
            raise ValueError("batch(): every tensor argument needs the same leading batch size")
        first = tuple(a[0] if isinstance(a, Tensor) else a for a in args)
        key, struct, leaves = _signature(first, kwargs)
        e, _ = self._lookup(key, leaves, run=False)
        if e is None:
            e = self._new_tape(key, first, kwargs, struct, leaves)
            e.rewind(e.rng_before)      # (recording is no call of fn here: its draws are undone)
        point = lambda k: tuple(a[int(k)] if isinstance(a, Tensor) else a for a in args)  # noqa: E731
        if e.mode != "replay" or e.first_scalar < 0 or len(e.outs) != 1 or e.draws or e.dyn_meta:
            # (random draws: point by point, each drawing in turn as eager calls do; picks: a meta each)
            return F.stack([self(*point(k), **kwargs).detach() for k in range(B)])
        X = [np.asarray(a._data(), np.float64).reshape(B, -1) for a in tensors]
        values, _, status, _ = e.batch(X, [], False, parallel)
        self.calls += B
        ok = status[:, 0] == K.VG_DONE
        self.replays += int(np.count_nonzero(ok))
        for k in np.nonzero(~ok)[0]:
            if status[k, 0] == K.VG_GUARD:
                self._flipped(e, int(status[k, 1]))
            self.calls -= 1
            values[k] = float(self(*point(k), **kwargs))
        spec = e.outs[0]
        return Tensor._wrap(values.astype(spec[4].np).reshape((B,) + spec[3]), spec[4])

    def _check_fixed(self, leaves):
        if self._shapes is None:
            return
        if len(leaves) != len(self._shapes):
            raise TypeError(f"jitgrad.compile(fixed_shapes=True): {getattr(self.fn, '__qualname__', self.fn)} "
                            f"was compiled for {len(self._shapes)} tensor argument(s), got {len(leaves)}")
        for i, (t, (shape, dt)) in enumerate(zip(leaves, self._shapes)):
            if _shape(t) != shape or t.dtype is not dt:
                raise ValueError(f"jitgrad.compile(fixed_shapes=True): tensor argument {i} has shape "
                                 f"{list(_shape(t))} and dtype {t.dtype.name}, but the function was compiled for "
                                 f"shape {list(shape)} and dtype {dt.name}")

    # -- inspection ------------------------------------------------------------------
    @property
    def tapes(self):
        """Every cached CompiledTape."""
        return [e for tapes in self._cache.values() for e in tapes]

    def tape_for(self, *args, **kwargs):
        """The tape used for these arguments (recorded now if needed)."""
        key, struct, leaves = _signature(args, kwargs)
        e, res = self._lookup(key, leaves)
        if e is None:
            e = self._new_tape(key, args, kwargs, struct, leaves)
        return e

    def report(self):
        """Calls, replays, recordings, retraces, and the guards that flipped."""
        name = getattr(self.fn, "__qualname__", repr(self.fn))
        lines = [f"jitgrad.compile({name}): {self.calls} calls, {self.replays} replays, "
                 f"{self.records} recordings ({self.retraces} after a guard flipped), "
                 f"{self.eager_calls} eager calls, {len(self._cache)} signatures, {len(self.tapes)} tapes"]
        dynamic = sum(f.dynamic is not None for f in self._families.values())
        if dynamic:
            lines.append(f"  number arguments replayed as tape inputs in {dynamic} signature(s)")
        if self.dynamic_reason:
            lines.append(f"  number arguments kept as constants: {self.dynamic_reason}")
        for site, count in sorted(self.flips.items(), key=lambda kv: -kv[1]):
            lines.append(f"  guard flipped {count}x at {site}")
        for e in self.tapes:
            if e.mode != "replay":
                lines.append(f"  eager tape: {e.reason}")
        return "\n".join(lines)

    def __repr__(self):
        return f"<jitgrad.compile({getattr(self.fn, '__qualname__', self.fn)})>"


def _replay_probe(e, leaves):
    return e.replay(leaves)


def _key_change(old, new):
    """What differs between two signatures, briefly."""
    if old is None:
        return "new arguments"
    if len(old) != len(new):
        return "the number or structure of the arguments changed"
    for a, b in zip(old, new):
        if a != b:
            text = f"{a!r} became {b!r}"
            return "the signature changed: " + (text if len(text) < 200 else text[:197] + "...")
    return "the guards flipped"


def functools_update(wrapper, fn):
    for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
        try:
            setattr(wrapper, attr, getattr(fn, attr))
        except AttributeError:
            pass
    wrapper.__wrapped__ = fn
