"""jitgrad.autograd.forward_ad: dual tensors, torch's forward-mode API.

    with forward_ad.dual_level():
        x = forward_ad.make_dual(primal, tangent)
        y = f(x)
        jvp = forward_ad.unpack_dual(y).tangent

A dual tensor is recorded like a tensor that requires grad: `make_dual`
returns a fresh leaf for the primal, and the ops of `f` go on the tape as
usual (bulk off, so every value is on the tape). `unpack_dual` then pushes
the tangents of the level's duals forward through the tapes recorded since
the level began (`functional.forward_tangents`, the tangent sweep `jvp`
uses), so no op needs derivative code of its own.

A primal that requires grad gets a dual made by an identity Function
(`_MakeDual`) whose `jvp` hands out the tangent, so reverse mode still
reaches the primal and the tangent sweep picks the tangent up there.

Known difference: inside a level, results of dual tensors report
``requires_grad=True`` and a grad_fn (torch: False, and ``tangent=`` in
their repr), since they are recorded.
"""
import contextlib
from collections import namedtuple

import numpy as np

from ..autodiff import bulk
from ..core import tape as T
from ..tensors.tensor import Tensor
from .function import Function
from .functional import forward_tangents

UnpackedDualTensor = namedtuple("UnpackedDualTensor", ["primal", "tangent"])


class _Level:
    def __init__(self, index, start):
        self.index = index
        self.bulk = contextlib.ExitStack()
        self.start = start        # tapes with a serial from here were recorded in the level
        self.duals = {}           # id(dual) -> (dual, tangent): leaves made for primals
        self.carriers = 0         # duals of primals that require grad (_MakeDual records)


_LEVELS = []


def enter_dual_level():
    """Open a new forward-AD level (torch allows one at a time)."""
    if _LEVELS:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    T.STATE.tape = T.dead          # the level's records start on a fresh tape
    level = _Level(len(_LEVELS), next(T._serials))
    level.bulk.enter_context(bulk.disabled())
    _LEVELS.append(level)
    return level.index


def exit_dual_level(*, level=None):
    if not _LEVELS:
        raise RuntimeError("Trying to exit a forward AD level that was not the last one that was created. This is "
                           "not supported.")
    lv = _LEVELS.pop()
    lv.bulk.close()
    for dual, _ in lv.duals.values():
        dual.__dict__.pop("_tangent", None)
    lv.duals.clear()


class dual_level:
    """Context manager of one forward-AD level."""

    def __enter__(self):
        return enter_dual_level()

    def __exit__(self, *exc):
        exit_dual_level()
        return False


def make_dual(tensor, tangent, *, level=None):
    """A tensor with `tensor`'s value carrying `tangent` at the current level."""
    if not _LEVELS:
        raise RuntimeError("Trying to create a dual Tensor for forward AD but no level exists, make sure to "
                           "enter_dual_level() first.")
    if not (tensor.dtype.is_floating_point and tangent.dtype.is_floating_point):
        raise ValueError(f"Expected primal to be floating point or complex, but got: {tensor.dtype}")
    if tuple(tensor.shape) != tuple(tangent.shape):
        raise RuntimeError("Trying to set a forward gradient that has a different size than that of the original "
                           f"Tensor, this is not supported. Tensor is of size {list(tensor.shape)} while the given "
                           f"forward gradient is of size {list(tangent.shape)}.")
    lv = _LEVELS[-1]
    if tensor.requires_grad:
        # Reverse mode must still reach `tensor`: the dual is the output of
        # an identity Function whose jvp hands out the tangent.
        dual = _MakeDual.apply(tensor, tangent)
        lv.carriers += 1
    else:
        dual = tensor.detach().requires_grad_(True)
        lv.duals[id(dual)] = (dual, tangent)
    dual._tangent = tangent
    return dual


class _MakeDual(Function):
    """make_dual of a tensor that requires grad: identity backward, and a
    jvp that is the given tangent."""

    @staticmethod
    def forward(ctx, x, tangent):
        ctx.tangent = tangent
        return x.view_as(x)

    @staticmethod
    def backward(ctx, g):
        return g, None

    @staticmethod
    def jvp(ctx, tx, ttangent):
        return ctx.tangent


def unpack_dual(tensor, *, level=None):
    """(primal, tangent): the tangent is None for a tensor that depends on no dual."""
    if not _LEVELS or not isinstance(tensor, Tensor) or not tensor._rg:
        return UnpackedDualTensor(tensor, None)
    lv = _LEVELS[-1]
    primal = tensor.detach()
    own = tensor.__dict__.get("_tangent")
    if own is not None:
        return UnpackedDualTensor(primal, own)
    if tensor._name is None or not (lv.duals or lv.carriers):
        return UnpackedDualTensor(primal, None)
    duals = [d for d, _ in lv.duals.values()] or [Tensor._wrap(np.zeros(1))]   # (a seed fixes K = 1)
    seeds = [np.asarray(t._data(), np.float64).reshape(-1, 1) for _, t in lv.duals.values()] or [np.zeros((1, 1))]
    if not lv.carriers and not _depends_on(tensor, lv):
        return UnpackedDualTensor(primal, None)
    tan, = forward_tangents(duals, seeds, [tensor], lv.start)
    return UnpackedDualTensor(primal, Tensor._wrap(tan[:, 0].reshape(tuple(tensor.shape)).astype(tensor.dtype.np),
                                                   tensor.dtype))


def _depends_on(t, lv):
    """Whether t was computed in the level from one of its duals."""
    tape = t._tape
    if tape is None or tape.serial < lv.start:
        return False
    seen, stack = set(), [tape]
    while stack:
        tp = stack.pop()
        if tp in seen or tp.serial < lv.start:
            continue
        seen.add(tp)
        for leaf, older, _, _, _ in tp.inputs:
            if leaf is not None:
                d = leaf()
                if d is not None and id(d) in lv.duals:
                    return True
            elif older is not None:
                stack.append(older)
    return False
