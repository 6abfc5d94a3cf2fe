"""Random draws as data: every sampling function computes its values with one
sampler of `SAMPLERS` from (generator state, shape, dtype, parameters), and
registers the result with `track`. The samplers are torch's CPU algorithms
on torch's mt19937 stream (torch_samplers.py, mt19937.py): same seed, same
numbers as torch.

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

from . import count_draws as CD
from . import torch_samplers as TS
from ..tensors import tensor as TT
from ..tensors.tensor import Tensor, _guard_taint

Shape = Tuple[int, ...]


def _size(shape: Shape) -> int:
    return int(np.prod(shape, dtype=np.int64))


def _standard_normal(rng, shape: Shape, dt) -> np.ndarray:
    return TS.normal(rng, _size(shape), dt).astype(dt).reshape(shape)


def _uniform01(rng, shape: Shape, dt) -> np.ndarray:
    return TS.uniform(rng, _size(shape), dt).astype(dt).reshape(shape)


def _integers(rng, shape: Shape, dt, low: int, high: int) -> np.ndarray:
    return TS.integers(rng, _size(shape), low, high).astype(dt).reshape(shape)


def _normal(rng, shape: Shape, dt, mean, std, order: Any = None) -> np.ndarray:
    """normal_(mean, std) for numbers (`order`: a strided view's dims in
    memory order, drawn there by torch's serial sampler); for tensors of
    means/stds, torch's normal(Tensor, Tensor): standard normals, then
    * std + mean in dt."""
    if np.ndim(mean) == 0 and np.ndim(std) == 0:
        if order is None:
            return TS.normal(rng, _size(shape), dt, float(mean), float(std)).astype(dt).reshape(shape)
        flat = TS.normal(rng, _size(shape), dt, float(mean), float(std), contiguous=False).astype(dt)
        return flat.reshape([shape[d] for d in order]).transpose(np.argsort(order))
    z = TS.normal(rng, _size(shape), dt).astype(dt).reshape(shape)
    return (z * np.asarray(std, dt) + np.asarray(mean, dt)).astype(dt)


def _uniform(rng, shape: Shape, dt, low: float, high: float, order: Any = None) -> np.ndarray:
    """uniform_(low, high) (`order`: a strided view's dims in memory order,
    where torch's serial sampler draws them)."""
    flat = TS.uniform(rng, _size(shape), dt, low, high).astype(dt)
    if order is None:
        return flat.reshape(shape)
    return flat.reshape([shape[d] for d in order]).transpose(np.argsort(order))


def _dropout(rng, shape: Shape, dt, p: float, udt) -> np.ndarray:
    """The scaled keep mask of dropout: bernoulli_(1 - p), then / (1 - p) in dt."""
    keep = TS.bernoulli_scalar(rng, _size(shape), 1.0 - p).reshape(shape).astype(dt)
    return (keep / np.asarray(1.0 - p, dt)).astype(dt)


def _bernoulli(rng, shape: Shape, dt, probs, p_double: bool = True) -> np.ndarray:
    """bernoulli_(Tensor p) (u < p element by element)."""
    return TS.bernoulli_tensor(rng, np.broadcast_to(probs, shape), p_double).astype(dt).reshape(shape)


def _bernoulli_scalar(rng, shape: Shape, dt, p: float) -> np.ndarray:
    return TS.bernoulli_scalar(rng, _size(shape), float(p)).astype(dt).reshape(shape)


def _poisson(rng, shape: Shape, dt, rates) -> np.ndarray:
    """torch's _s_poisson_cpu, element by element on the double uniforms (count_draws.py)."""
    return CD.poisson_values(np.broadcast_to(rates, shape), dt, rng)


def _permutation(rng, shape: Shape, dt, n: int) -> np.ndarray:
    return TS.randperm_values(rng, n).astype(dt)


def _multinomial(rng, shape: Shape, dt, probs, num_samples: int, replacement: bool) -> np.ndarray:
    """Rows of `probs` (2-d, checked by the caller), by torch's algorithms (torch_samplers.multinomial)."""
    return TS.multinomial(rng, probs, num_samples, replacement).astype(dt).reshape(shape)


SAMPLERS: Dict[str, Callable[..., np.ndarray]] = {
    "standard_normal": _standard_normal, "uniform01": _uniform01, "integers": _integers, "normal": _normal,
    "uniform": _uniform, "dropout": _dropout, "bernoulli": _bernoulli, "poisson": _poisson,
    "permutation": _permutation, "multinomial": _multinomial, "bernoulli_scalar": _bernoulli_scalar,
}

# Integers above 2**53 don't round-trip through the tape's float64 slots.
EXACT_INT = 2.0 ** 53


def sample(rng, kind: str, shape: Shape, dt, *params: Any) -> np.ndarray:
    """The values of one draw (`rng`: the generator state itself, mt19937.CPUStream)."""
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
