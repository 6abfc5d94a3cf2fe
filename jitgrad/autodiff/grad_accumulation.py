"""Gradients into `.grad`: the engine adds a leaf's (or a retained
tensor's) adjoint into its `.grad`, creating it on first use (torch's
AccumulateGrad)."""
import numpy as np

from ..core import dtypes as D
from ..core import tape as T
from ..core.arrays import quiet
from ..tensors.arith import _check_broadcast
from ..tensors.tensor import Tensor, _scalar_out, round32

_F64, _F32T = D.float64, D.float32
STATE = T.STATE
# jitgrad.compile, while it records: journals a leaf's .grad before a backward
# inside the function changes it (undone if the call then runs eagerly)
grad_hook = None


def journal(t) -> None:
    """Before t's .grad is created, replaced or added to (grad_hook)."""
    if grad_hook is not None:
        grad_hook(t)


def accumulate(t, g) -> None:
    """Add the flat float64 adjoint `g` into .grad (creating it if absent)."""
    if grad_hook is not None:
        grad_hook(t)
    grad = t._grad
    if grad is None and t._v is not None and (t.dtype is _F64 or t.dtype is _F32T):
        # A 0-d float leaf's first gradient: its Python float (a small
        # graph's backward pays no NumPy calls here)
        v = float(g[0])
        if t.dtype is _F32T:
            buf = STATE.ctx.f32
            buf[0] = v          # (past float32's range: inf, silently, as the cast below)
            v = buf[0]
        t._grad = _scalar_out(v, t.dtype)
    elif grad is None:
        if t.dtype is _F64:
            arr = np.array(g, np.float64).reshape(t.shape)
        else:
            with quiet():       # (a float64 adjoint past float32's range: inf, as torch, silently)
                arr = np.asarray(g, np.float64).reshape(t.shape).astype(t.dtype.np)
        t._grad = Tensor._wrap(arr, t.dtype)
    elif grad._v is not None:
        if t._v is None:
            _accumulate_reshaped(t, grad, g)
            return
        v = grad._v + float(g[0])
        grad._v = round32(v) if grad.dtype is D.float32 else v
    elif t._arr is None or grad._arr.shape != t._arr.shape:
        _accumulate_reshaped(t, grad, g)
    else:
        T.mark_overwritten(grad)
        grad._arr += np.asarray(g).reshape(grad._arr.shape)


def _accumulate_reshaped(t, grad, g) -> None:
    """t's .data was replaced by one of another size after its .grad was
    made: torch adds the new gradient in place, `grad += new` (broadcast into
    .grad's shape, else its errors)."""
    new = np.asarray(g, np.float64).reshape(t.shape)
    old = grad._data()
    _check_broadcast(old, new)
    full = np.broadcast_shapes(old.shape, new.shape)
    if full != old.shape:
        raise RuntimeError(f"output with shape {list(old.shape)} doesn't match the broadcast shape {list(full)}")
    grad._set_value(old + new)

def accumulate_bulk(t, g, owned) -> None:
    """Add g (t's shape, a bulk adjoint) into .grad; an `owned` g
    (referenced nowhere else) of the right dtype becomes .grad as it is."""
    if grad_hook is not None:
        grad_hook(t)
    grad = t._grad
    if grad is None:
        if not (owned and g.dtype == t.dtype.np and g.flags.c_contiguous and g.flags.writeable):
            g = np.array(g, t.dtype.np)
        t._grad = Tensor._wrap(g.reshape(t.shape), t.dtype)
    elif grad._v is not None:
        accumulate(t, np.asarray(g, np.float64).reshape(-1))
    else:
        T.mark_overwritten(grad)
        grad._arr += g.reshape(grad._arr.shape)
