"""Values without a gradient that `jitgrad.compile` records: comparisons,
logical ops, isnan/isinf/isfinite, casts, the masks of `where` (the op
table's "nondiff" entries). Only while a function records and an operand is
on its tape (`recording`); eager mode never comes here.

A recorded bool or int64 result is a `Tracked` tensor. The ops that record
what they read (comparisons, logical ops, casts, `where`, float arithmetic)
take its value through `plain()` and read its tape slot, so a replay
recomputes it. Any other read of its value (`_v`, `_arr`: indexing with it,
`sum()`, printing, NumPy) *escapes*: a guard on its recorded value is added
then, so the tape is recorded again when the value changes, as before these
ops were recorded. Never a frozen value: the escape is detected by the
attributes every read goes through, not by knowing every reader.
"""
import numpy as np

from ..core import kernels as K
from ..core import tape as T
from . import tensor as TT
from .tensor import Tensor, _init

_RAW_V = Tensor._v          # the slot descriptors Tracked's properties wrap
_RAW_ARR = Tensor._arr


class Tracked(Tensor):
    """A recorded bool/int64 result: reading its value outside the recording
    ops adds a guard on it (see the module docstring)."""
    __slots__ = ()

    def _escape(self):
        d = self.__dict__
        if not d.get("_escaped"):
            d["_escaped"] = True
            hook = TT._guard_hook
            if hook is not None:
                hook.read(self, "value")

    @property
    def _v(self):
        self._escape()
        return _RAW_V.__get__(self)

    @_v.setter
    def _v(self, v):
        _RAW_V.__set__(self, v)

    @property
    def _arr(self):
        self._escape()
        return _RAW_ARR.__get__(self)

    @_arr.setter
    def _arr(self, a):
        _RAW_ARR.__set__(self, a)

    # Metadata a signature fixes: reading it is no escape.
    @property
    def shape(self):
        a = _RAW_ARR.__get__(self)
        return TT.Size(() if a is None else a.shape)

    @property
    def ndim(self):
        a = _RAW_ARR.__get__(self)
        return 0 if a is None else a.ndim

    def numel(self):
        a = _RAW_ARR.__get__(self)
        return 1 if a is None else a.size

    nelement = numel

    # As torch: a comparison's result is a leaf that doesn't require grad.
    @property
    def requires_grad(self):
        return False

    @property
    def grad_fn(self):
        return None

    @property
    def is_leaf(self):
        return True


def recording(*xs) -> bool:
    """Whether an op on xs is recorded as a no-gradient record: compile is
    recording on this thread (grad mode on) and an operand is on its tape."""
    hook = TT._guard_hook
    if hook is None or not T.STATE.grad_enabled or not hook.recording():
        return False
    for x in xs:
        if isinstance(x, Tensor) and x._rg:
            return True
    return False


def plain(x):
    """x's value as an ordinary Tensor on the same tape slot (for an op that
    records its read of a Tracked tensor); anything else as is."""
    if x.__class__ is not Tracked:
        return x
    t = object.__new__(Tensor)
    _init(t, _RAW_V.__get__(x), _RAW_ARR.__get__(x), x.dtype)
    t._rg, t._tape, t._slot, t._name = True, x._tape, x._slot, x._name
    return t


def shaped(fn, x, *args):
    """fn(x, *args) of a Tracked x, a view or reshape (no read of values):
    fn on plain(x), which records a copy/gather of x's slot, and the result
    a recorded mask again (compile: mask.unsqueeze(-1), mask[:, None],
    mask.view(-1) replay instead of guarding the mask's value)."""
    out = fn(plain(x), *args)
    if isinstance(out, Tensor) and out._rg:
        out.__class__ = Tracked
        out._name = "NotDifferentiable"
        TT._guard_hook.tracked(out)
    return out


def escape(*xs) -> None:
    """xs' values leave the tape unrecorded: guard them."""
    for x in xs:
        if x.__class__ is Tracked:
            x._escape()


def _operand(tape, x, n, shape):
    """(slot, scalar flag) of operand x (a plain tensor or a number) of a
    result of n elements with `shape`."""
    if not isinstance(x, Tensor):
        slot = len(tape.vals)
        tape.vals.append(float(x))
        return slot, 1
    size = x.numel()
    if not x._rg:       # a constant
        if size == n or size == 1:
            return T.push_value(tape, x), int(size != n)
        return T.push_array(tape, np.broadcast_to(x._data(), shape)), 0
    a = T.slot_of(tape, x)
    if size == n:
        return a, 0
    if size == 1:
        return a, 1
    # A general broadcast: an explicit expand (a gather).
    out = T.push_array(tape, np.broadcast_to(x._data(), shape))
    off = T.push_meta(tape, np.broadcast_to(np.arange(size).reshape(tuple(x.shape)), shape).ravel())
    T.record(tape, K.GATHER, out, n, a, -1, size, off)
    return out, 0


def record(code: int, out: Tensor, *xs) -> Tensor:
    """Record out = op(*xs) (op `code`, no gradient; xs plain tensors or
    numbers); a bool/int64 out becomes Tracked, a float one an ordinary
    tensor on the tape (it requires grad to no one: `visible_rg`)."""
    tape = T.current()
    n = out.numel()
    shape = tuple(out.shape)
    a, fa = _operand(tape, xs[0], n, shape)
    b, fb = _operand(tape, xs[1], n, shape) if len(xs) > 1 else (-1, 0)
    slot = T.push_value(tape, out)
    T.record(tape, code, slot, n, a, b, fa | (fb << 1), -1)
    if not out.dtype.is_floating_point:
        out.__class__ = Tracked
    out._rg = True
    out._tape = tape
    out._slot = slot
    out._name = "NotDifferentiable"
    TT._guard_hook.tracked(out)
    return out


_INT64_RANGE = 2.0 ** 63


def cast_codes(dt):
    """The no-gradient cast op to dtype dt, or -1 (another dtype: not recorded)."""
    return {"bool": K.TO_BOOL, "int64": K.TO_INT64, "float32": K.TO_FLOAT32, "float64": K.TO_FLOAT64}.get(dt.name, -1)


def int64_range_guards(x) -> bool:
    """x (float, plain) casts to int64 exactly where -2**63 < x < 2**63 (not
    nan): guard that, or False if it fails now (the cast is then not recorded)."""
    v = x._data()
    with np.errstate(invalid="ignore"):
        lo, hi = v > -_INT64_RANGE, v < _INT64_RANGE
    if not (np.all(lo) and np.all(hi)):
        return False
    hook = TT._guard_hook
    hook.compare(np.greater, x, -_INT64_RANGE, Tensor._wrap(np.asarray(lo)))
    hook.compare(np.less, x, _INT64_RANGE, Tensor._wrap(np.asarray(hi)))
    return True


def weak_number(x, y):
    """A Python number compared with a float32 tensor: NumPy (arrays) and
    eager's 0-d path round it to float32 first (NEP 50, torch), so the
    recorded constant is rounded too."""
    if y.__class__ in (float, int) and x.__class__ is Tensor and x.dtype.name == "float32":
        return float(np.float32(y))
    return y
