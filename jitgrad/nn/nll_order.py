"""torch's CPU nll_loss (cross_entropy's reduction) for 2-D inputs: its
kernel sums the picked scores in the input's dtype through a cascade of
eight partial sums (runs of 16, then of 16 partials, ...), skipping ignored
targets, and divides by the total weight, so its rounding differs from a
plain sum's; printed losses (`loss.item()`) show it. Eager mode computes
the sum in NumPy and records it as one sum, then divides (the gradient
is unchanged);
while jitgrad.compile records, the cascade is recorded op by op (0-d adds),
so the replay gives eager mode's bits."""
from __future__ import annotations

import numpy as np

from ..functional import functions as F
from ..tensors.tensor import Tensor, _guard_recording

_LEVELS = 8
_LEVEL_POWER = 4        # max(4, CeilLog2(batch) // 8): 4 below 2**32 samples
_MASK = (1 << _LEVEL_POWER) - 1


def _pushes(b: int) -> int:
    """How many partial sums the kernel carries up after sample b."""
    j = 0
    while j < _LEVELS - 1 and not b & (_MASK << (j * _LEVEL_POWER)):
        j += 1
    return j


def _add(a, b):
    """a + b of NumPy scalars as the kernel's x86 code adds: of two NaNs the
    first (NumPy's scalar add keeps the second's sign)."""
    return a if a != a else a + b


def _cascade(terms, batch_index, zero, add=lambda a, b: a + b):
    """sum of terms (those of samples batch_index, in order) in the kernel's order."""
    parts = [zero] * _LEVELS
    for term, b in zip(terms, batch_index):
        parts[0] = add(parts[0], term)
        for j in range(_pushes(b)):
            parts[j + 1] = add(parts[j + 1], parts[j])
            parts[j] = zero
    out = zero
    for part in parts:
        out = add(out, part)
    return out


def nll_reduced(loss: Tensor, keep: np.ndarray, kept_weights: np.ndarray, weighted: bool, mean: bool) -> Tensor:
    """sum (mean: / total weight) of loss, the per-sample terms -w[t_b] x[b, t_b]
    of the samples `keep` (not ignored), in torch's order and dtype."""
    f = loss.dtype.np.type
    batch_index = keep.tolist()
    total = f(len(batch_index))
    if weighted:
        total = _cascade(kept_weights.astype(loss.dtype.np), batch_index, f(0), _add)
    if not _guard_recording(loss):
        with np.errstate(all="ignore"):
            value = _cascade(list(loss._data()), batch_index, f(0), _add)
        out = F._new_scalar(float(value), loss.dtype)
        if F._grad_on(loss):
            F._record_sum(loss, out, (0,), 1.0, "SumBackward0")
        return out / float(total) if mean else out
    zero = F.zeros((), dtype=loss.dtype)
    out = _cascade([loss[i] for i in range(len(batch_index))], batch_index, zero)
    return out / float(total) if mean else out
