"""The softmax family: softmax, log_softmax, logsumexp, each a composite
shifted by the detached max of its input (`_detached_max`; recorded and
recomputed at replay while jitgrad.compile records)."""
import math

import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from ..core import tape as T
from ..core import saved_nodes as SN
from ..tensors.tensor import (Tensor, _guard_recording)
from ..tensors import tracked as TR
from .base import (_as_tensor, _c_order, _named, _to_dtype)
from .shapes import reshape
from .elementwise import maximum, where
from .extremes import _kept_shape, _max_min, amax
from .reductions import _reduce_dims, isfinite, sum
from . import selection as SEL
from . import small
from . import small_ops


# Vectors of at most this many elements: the recorded shift is a chain of
# maximum records (see _detached_max).
SMALL_SHIFT = 8


def _detached_max(x, dims, keep_inf=False):
    """max of x over dims (kept), without gradient, 0 where not finite: the
    shift that keeps exp from overflowing in logsumexp and softmax.
    keep_inf: a max of +inf stays (torch's softmax kernels subtract it:
    the whole slice is nan; its logsumexp masks it)."""
    if x.numel() == 0:     # nothing to shift (amax of an empty dim is an error)
        dims = _reduce_dims(dims, x.ndim)
        return Tensor._wrap(np.zeros(tuple(1 if i in dims else s for i, s in enumerate(x.shape)), x.dtype.np))
    fast = small.detached_max(x, _reduce_dims(dims, x.ndim), keep_inf)
    if fast is not None:
        return fast
    if _guard_recording(x):
        # jitgrad.compile records: the shift is recomputed at replay, its
        # finiteness guarded; the same values as below. Over one dim (or all)
        # the max is a pick recomputed at replay (max(dim)'s select_order
        # record): a new argmax or a tie neither re-records nor runs eagerly,
        # as amax's position guards did (a classifier's loss re-recorded for
        # almost every batch). Other dims: amax, its positions guarded.
        rd = _reduce_dims(dims, x.ndim)
        if x.ndim == 1 and 2 <= x.numel() <= SMALL_SHIFT:
            # A handful of elements (softmax over a stack of scalars): a
            # chain of maximum records, scalar records that replay inline,
            # where a pick's record rewrites an index map on every call
            # (the max's value is exact either way; its sign of zero shows
            # only through a one-element sum, not here). The maximum records
            # read x's slots (_slot_reads: no copy record per element).
            xs = _slot_reads(x)
            m = xs[0]
            for xi in xs[1:]:
                m = maximum(m, xi)
        elif SEL.recording(x) and (len(rd) == 1 or len(rd) == x.ndim):
            if len(rd) == 1:
                m = _max_min(x, rd[0], True, "max")[0]
            else:
                m = reshape(_max_min(reshape(x, (-1,)), 0, True, "max")[0], (1,) * x.ndim)
        else:
            m = amax(x, dims, keepdim=True)
        # One no-gradient record (eager's detach: a gradient through m would
        # cancel only to an ulp) of the values below.
        v = m._data()
        with np.errstate(invalid="ignore"):
            shift = np.where((v > -math.inf) & ((v < math.inf) | keep_inf), v, v.dtype.type(0))
        if x.ndim == 1 and shift.ndim == 0:     # (the chain's 0-d max: x's one dim kept)
            shift = shift.reshape(1)
        return TR.record(K.SHIFT_OF_MAX_KEEP_INF if keep_inf else K.SHIFT_OF_MAX, Tensor._wrap(shift), TR.plain(m))
    m = amax(x.detach(), dims, keepdim=True)
    return where(isfinite(m) | (keep_inf & (m == math.inf)), m, 0.0)


def _slot_reads(x):
    """The elements of vector x as 0-d tensors on x's own slots (x on the
    tape compile records; recorded ops read those slots directly), else x[i]."""
    if x._tape is not T.current() or x._slot < 0 or x._bulk:
        return [x[i] for i in range(x.numel())]
    out = []
    for i, v in enumerate(x._data()):
        t = Tensor._wrap(v)
        t._rg, t._tape, t._slot, t._name = True, x._tape, x._slot + i, x._name
        out.append(t)
    return out


def _softmax_dtype_check(name, x, dim):
    """torch's softmax kernels exist for floating dtypes only."""
    if not x.dtype.is_floating_point:
        last = isinstance(dim, int) and dim in (x.ndim - 1, -1) or x.ndim <= 1
        raise NotImplementedError(f'"{name}{"_lastdim" if last else ""}_kernel_impl" not implemented for '
                                  f"'{D.TORCH_NAMES[x.dtype.name]}'")


def _dim_arg(dim):
    return {"dim": SN.uint(dim)}      # (what torch's node saves: grad_fn._saved_dim)


def softmax(input, dim, dtype=None):
    """exp(x - max) / sum(exp(x - max)): the detached max keeps exp finite."""
    if dtype is None and input.__class__ is Tensor:
        out = small.softmax_vector(input, dim, log=False)     # (None unless a small float vector)
        if out is not None:
            return _named(out, "SoftmaxBackward0", input, saved=_dim_arg(dim))
    x = _as_tensor(input)
    x = _to_dtype(x, dtype or x.dtype)
    _softmax_dtype_check("softmax", x, dim)
    if x.dtype is D.float16:        # (torch's float16 softmax: in float32, rounded once)
        return _named(_to_dtype(softmax(_to_dtype(x, D.float32), dim), D.float16), "SoftmaxBackward0", x, saved=_dim_arg(dim))
    out = small.softmax_vector(x, dim, log=False)
    if out is not None:
        return _named(out, "SoftmaxBackward0", x, saved=_dim_arg(dim))
    e = (x - _detached_max(x, dim, keep_inf=True)).exp()
    return _named(_c_order(e / sum(e, dim, keepdim=True)), "SoftmaxBackward0", x, saved=_dim_arg(dim))


def log_softmax(input, dim, dtype=None):
    if dtype is None and input.__class__ is Tensor:
        out = small.softmax_vector(input, dim, log=True)      # (None unless a small float vector)
        if out is not None:
            return _named(out, "LogSoftmaxBackward0", input, saved=_dim_arg(dim))
    x = _as_tensor(input)
    x = _to_dtype(x, dtype or x.dtype)
    _softmax_dtype_check("log_softmax", x, dim)
    if x.dtype is D.float16:
        return _named(_to_dtype(log_softmax(_to_dtype(x, D.float32), dim), D.float16), "LogSoftmaxBackward0", x, saved=_dim_arg(dim))
    out = small.softmax_vector(x, dim, log=True)
    if out is not None:
        return _named(out, "LogSoftmaxBackward0", x, saved=_dim_arg(dim))
    s = x - _detached_max(x, dim, keep_inf=True)
    return _named(_c_order(s - sum(s.exp(), dim, keepdim=True).log()), "LogSoftmaxBackward0", x, saved=_dim_arg(dim))


def logsumexp(input, dim, keepdim=False):
    """log(sum(exp(x))) shifted by the detached max, so large inputs don't overflow."""
    x = _as_tensor(input)
    if not x.dtype.is_floating_point:
        x = _to_dtype(x, D.get_default_dtype())
    dims = _reduce_dims(dim, x.ndim)
    out = small_ops.logsumexp_kept(x, dims)     # (a handful of floats: the same records)
    if out is None:
        m = _detached_max(x, dims)
        out = sum((x - m).exp(), dims, keepdim=True).log() + m
    if not keepdim:
        out = reshape(out, _kept_shape(x.shape, dims))
    return _named(out, "LogsumexpBackward0", x, saved={"dim": SN.dims(dim), "keepdim": bool(keepdim),
                                                     "self": SN.Input(0), "result": SN.RESULT})
