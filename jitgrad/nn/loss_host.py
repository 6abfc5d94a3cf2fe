"""The regression losses with torch's backward: eager mode's record
(autodiff/losses.py), or while `jitgrad.compile` records, the composite's
records (its value, eager mode's, replayed in Numba), then a loss record of
its own whose reverse is eager mode's torch kernel arithmetic in Numba
(autodiff/own_records.py, core/loss_kernels.py), so `jitgrad.compile` gives
eager mode's bits."""
from ..autodiff import host_ops as HO
from ..autodiff import losses as LO
from ..autodiff import own_records as OR
from ..core.grad_mode import STATE
from ..functional import functions as F
from ..tensors.tensor import Tensor, _guard_recording

LOSSES = ("mse", "huber", "smooth_l1")
REDUCTIONS = ("none", "mean", "sum")


def record_loss(kind, param, reduction, input, target, composite):
    """The loss with torch's backward as one record when input and target
    are alike and one requires grad (else None): eager mode's bulk-style
    record (autodiff/losses.py); while compile records, the composite's
    records (its value, replayed in Numba), then a loss record copying it."""
    if not (isinstance(input, Tensor) and isinstance(target, Tensor) and input.shape == target.shape
            and input.dtype is target.dtype and input.dtype.is_floating_point and input.numel() > 0
            and reduction in REDUCTIONS
            and (input._rg or target._rg) and STATE.grad_enabled and not HO.composite_only()):
        return None
    if _guard_recording(input) or _guard_recording(target):
        with HO.COMPOSITE:
            value = composite(input, target)
        rec = OR.record_loss(kind, param, reduction, input, target, value)
    elif LO.enabled():
        rec = LO.record(kind, param, reduction, input, target, composite(input.detach(), target.detach()))
    else:
        return None
    return F._named(rec, LO.NAMES[kind], input, target)
