"""The value of torch's nll_loss 'mean' / 'sum' for 1-d and 2-d inputs,
bit for bit: its CPU kernel sums -input[b, target[b]] * weight in the
input's dtype through an 8-level cascade (partial sums pushed up a level
at every multiple of 16, 16**2, ...; ignored targets skip both), then adds
the levels in order; 'mean' divides by the cascaded total weight (the count
of kept targets without weights). The gradient does not depend on it."""
from __future__ import annotations

import numpy as np

_LEVELS = 8
_POWER = 4          # torch: max(4, ceil_log2(batch) / 8), 4 below 2**32 rows
_MASK = (1 << _POWER) - 1


def _push(partial: list, b: int, zero) -> None:
    for j in range(_LEVELS - 1):
        if b & (_MASK << (j * _POWER)):
            break
        partial[j + 1] = partial[j + 1] + partial[j]
        partial[j] = zero


def _cascade(values: np.ndarray, kept: np.ndarray):
    """The cascade of values[b] over rows b (kept[b] False: skipped, no push)."""
    zero = values.dtype.type(0)
    partial = [zero] * _LEVELS
    if kept.all() and values.size > 1:
        # rows 1..16, 17..32, ...: each run summed in order (cumsum adds sequentially), pushed at its end
        partial[0] = partial[0] + values[0]
        _push(partial, 0, zero)
        runs = (values.size - 1) // 16
        if runs:
            sums = np.cumsum(values[1:1 + 16 * runs].reshape(runs, 16), axis=1, dtype=values.dtype)[:, -1]
            for m in range(runs):
                partial[0] = partial[0] + sums[m]
                _push(partial, 16 * (m + 1), zero)
        rest = values[1 + 16 * runs:]
        if rest.size:
            partial[0] = partial[0] + np.cumsum(rest, dtype=values.dtype)[-1]
    else:
        for b in range(values.size):
            if kept[b]:
                partial[0] = partial[0] + values[b]
                _push(partial, b, zero)
    total = zero
    for p in partial:
        total = total + p
    return total


def nll_value(picked: np.ndarray, weights: np.ndarray | None, kept: np.ndarray, reduction: str):
    """torch's reduced nll_loss of rows with picked scores `picked` (all rows,
    in order; `kept`: the rows whose target is not ignored), `weights` the
    class weight of each row's target (None: no weights)."""
    dt = picked.dtype.type
    losses = -(picked * weights.astype(picked.dtype)) if weights is not None else -picked
    total = _cascade(losses, kept)
    if reduction == "sum":
        return total
    with np.errstate(invalid="ignore", divide="ignore"):     # (no kept rows: 0 / 0, nan as torch's)
        if weights is None:
            return dt(total / dt(int(kept.sum())))
        return dt(total / _cascade(weights.astype(picked.dtype), kept))
