"""Random draws as data: every sampling function computes its values with one
sampler of `SAMPLERS` from (NumPy generator, shape, dtype, parameters), and
registers the result with `track`.

Eager mode only calls the sampler. While `jitgrad.compile` records, `track`
puts the drawn tensor on the tape as a *draw group*: slots no record writes,
filled at every replay by the same sampler with the same arguments, from the
generator as it is then, in the order of the recording. So a replay draws
exactly the numbers an eager call would (see "Replay" in ARCHITECTURE.md).
Parameters are plain numbers or NumPy arrays of constants: a sampler whose
parameters derive from the function's inputs makes the signature run eagerly.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Tuple

import numpy as np

from ..tensors import tensor as TT
from ..tensors.tensor import Tensor, _guard_taint
from . import torch_mt as TM

Shape = Tuple[int, ...]


def _torch_stream(rng, dt, *numbers) -> bool:
    """Whether torch's own sampler applies: its stream, a float32/float64
    result, number parameters (tensors of parameters: NumPy's sampler)."""
    return (TM.owns(rng) and np.dtype(dt) in _TORCH_FLOATS
            and all(isinstance(v, (int, float)) or np.ndim(v) == 0 for v in numbers))


_TORCH_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _standard_normal(rng, shape: Shape, dt) -> np.ndarray:
    if _torch_stream(rng, dt):
        return TM.normal(rng, shape, dt)
    return np.asarray(rng.standard_normal(shape), dt)


def _uniform01(rng, shape: Shape, dt) -> np.ndarray:
    if _torch_stream(rng, dt):
        return TM.uniform(rng, shape, dt)
    return np.asarray(rng.random(shape), dt)


def _integers(rng, shape: Shape, dt, low: int, high: int) -> np.ndarray:
    if TM.owns(rng) and high > low:
        return TM.integers(rng, shape, low, high).astype(dt)
    return rng.integers(low, high, size=shape).astype(dt)


def _normal(rng, shape: Shape, dt, mean, std) -> np.ndarray:
    """mean + std * z, in float64 (mean and std numbers or arrays), then dt."""
    if _torch_stream(rng, dt, mean, std):
        return TM.normal(rng, shape, dt, float(mean), float(std))
    return np.asarray(mean + std * _standard_normal(rng, shape, np.float64)).astype(dt)     # (as compile records it)


def _uniform(rng, shape: Shape, dt, low: float, high: float) -> np.ndarray:
    if _torch_stream(rng, dt, low, high):
        return TM.uniform(rng, shape, dt, float(low), float(high))
    return np.asarray(low + (high - low) * _uniform01(rng, shape, np.float64)).astype(dt)


def _dropout(rng, shape: Shape, dt, p: float, udt) -> np.ndarray:
    """The scaled keep mask of dropout: 1 / (1 - p) where kept, else 0 (the
    uniform draws in `udt`, the default dtype, as torch.rand's)."""
    keep = _uniform01(rng, shape, udt) < 1 - p
    return (keep / (1 - p)).astype(dt)


def _bernoulli(rng, shape: Shape, dt, probs) -> np.ndarray:
    return (_uniform01(rng, shape, np.float64) < probs).astype(dt)     # (as compile's uniform01 draws)


def _poisson(rng, shape: Shape, dt, rates) -> np.ndarray:
    return np.asarray(rng.poisson(rates)).astype(dt)


def _permutation(rng, shape: Shape, dt, n: int) -> np.ndarray:
    return rng.permutation(n).astype(dt)


def _multinomial(rng, shape: Shape, dt, probs, num_samples: int, replacement: bool) -> np.ndarray:
    """Rows of `probs` (2-d, checked by the caller) sampled as torch does."""
    rows = []
    for row in probs:
        total = row.sum()
        if replacement:
            rows.append(rng.choice(row.size, size=num_samples, replace=True, p=row / total))
        else:   # an exponential race, as torch: zero-probability categories come last
            with np.errstate(divide="ignore"):
                keys = rng.exponential(size=row.size) / row
            rows.append(np.argsort(keys, kind="stable")[:num_samples])
    return np.stack(rows).astype(dt).reshape(shape)


SAMPLERS: Dict[str, Callable[..., np.ndarray]] = {
    "standard_normal": _standard_normal, "uniform01": _uniform01, "integers": _integers, "normal": _normal,
    "uniform": _uniform, "dropout": _dropout, "bernoulli": _bernoulli, "poisson": _poisson,
    "permutation": _permutation, "multinomial": _multinomial,
}

# Integers above 2**53 don't round-trip through the tape's float64 slots.
EXACT_INT = 2.0 ** 53


def sample(rng, kind: str, shape: Shape, dt, *params: Any) -> np.ndarray:
    """The values of one draw (`rng`: the NumPy generator itself)."""
    hook = TT._guard_hook
    if hook is not None:
        hook.before_draw(rng)       # compile keeps the state, to rewind a recording's draws
    return SAMPLERS[kind](rng, tuple(shape), dt, *params)


def track(out: Tensor, kind: str, generator, shape: Shape, dt, *params: Any) -> Tensor:
    """Register `out`, drawn by `sample(rng of generator, kind, shape, dt,
    *params)`: a draw group of the tape while jitgrad.compile records."""
    hook = TT._guard_hook
    if hook is not None and hook.recording():
        hook.draw(out, kind, generator, (tuple(shape), dt) + params)
    return out


def taint_tensor_params(*params: Any) -> None:
    """compile: a draw whose parameters derive from the function's inputs and
    shape the generator's own calls (multinomial(probs), poisson(rates) of
    tensors on the tape) runs eagerly: the replay has no such draw. (normal
    and bernoulli of such tensors are recorded: breadth_random.py.)"""
    _guard_taint("a random draw whose parameters derive from the inputs",
                 *[p for p in params if isinstance(p, Tensor)])


__all__ = ["SAMPLERS", "sample", "track", "taint_tensor_params"]
