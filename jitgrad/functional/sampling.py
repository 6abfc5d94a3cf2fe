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
    if BATCHED is not None:
        return BATCHED.sample(rng, kind, tuple(shape), dt, params)
    return SAMPLERS[kind](rng, tuple(shape), dt, *params)


class BatchedDraws:
    """vmap(randomness="different") runs its function point by point, where
    torch draws each random op once for the whole batch (rand(3) as
    rand(B, 3), dropout's mask on the batched tensor, bernoulli(p) on the
    batched p): the draws of point 0 are made for all B points, in call
    order, and the k-th draw of point b is row b of the k-th of them. A
    draw with tensor parameters draws its parameter-free part so (bernoulli's
    uniforms, normal's standard normals); the samplers whose consumption
    depends on the values (poisson, multinomial, randperm, a strided fill)
    are drawn point by point, as torch's would be only when they are the
    one draw of each point: another draw beside them raises.

    `same` (randomness="same": vmapping rewinds the generator for each
    point): torch refuses a draw from batched tensor parameters; here a
    parameter that differs between points is one (equal ones can't tell)."""

    def __init__(self, batch: int, same: bool = False) -> None:
        self.batch = batch
        self.same = same
        self.draws: list = []       # (kind, shape, dt, scalar params, values (B, ...))
        self.point = 0
        self.k = 0
        self.serial = False         # the point-by-point case
        self.points: dict = {}      # id of a point's input tensor -> its batch dim (not 0)
        self.pending = None         # the next draw is a *_like of such a tensor: that dim

    def start(self, point: int) -> None:
        if point and self.k != len(self.draws) and not (self.serial or self.same):
            self._differs()
        self.point, self.k = point, 0

    @staticmethod
    def _differs() -> None:
        raise NotImplementedError("vmap(randomness='different'): the function's random draws differ between "
                                  "points (or mix value-dependent samplers with other draws); jitgrad draws "
                                  "them for the whole batch as torch does only when every point makes the "
                                  "same draws")

    def sample(self, rng, kind: str, shape: Shape, dt, params: tuple) -> np.ndarray:
        if self.same:
            return self._same(rng, kind, shape, dt, params)
        arrays = any(isinstance(p, np.ndarray) for p in params)
        batched_kind = kind in ("bernoulli", "normal") or not arrays
        if kind in ("poisson", "multinomial", "permutation") or (len(params) > 2 and params[2] is not None
                                                                  and kind in ("normal", "uniform")):
            batched_kind = False
        k, self.k = self.k, self.k + 1
        if self.serial or not batched_kind:
            if k or (self.point == 0 and self.draws):
                self._differs()
            self.serial = True
            return SAMPLERS[kind](rng, shape, dt, *params)
        scalars = tuple(None if isinstance(p, np.ndarray) else p for p in params)
        double = kind == "bernoulli" and (len(params) < 2 or bool(params[1]))
        d, self.pending = self.pending, None
        if d is not None and not arrays:
            scalars += (("like", d),)
        if self.point == 0:
            n = _size(shape)
            if d is not None and not arrays and kind in ("uniform01", "standard_normal"):
                # (rand_like / randn_like: torch fills the batched tensor, the batch dim at d in
                # memory, in memory order: the serial samplers there)
                order = [j + 1 if j < d else 0 if j == d else j for j in range(len(shape) + 1)]
                bshape = (self.batch,) + shape
                base = (_uniform(rng, bshape, dt, 0.0, 1.0, order) if kind == "uniform01"
                        else _normal(rng, bshape, dt, 0.0, 1.0, order))
            elif kind == "bernoulli":     # (u < p: the uniforms don't depend on p)
                base = rng.uniform_double(self.batch * n) if double else rng.uniform_float(self.batch * n)
            elif kind == "normal" and arrays:       # (standard normals, then * std + mean per point)
                base = TS.normal(rng, self.batch * n, dt).astype(dt)
            else:
                base = SAMPLERS[kind](rng, (self.batch,) + shape, dt, *params)
            self.draws.append((kind, shape, dt, scalars, base.reshape(self.batch, -1)))
        elif k >= len(self.draws) or self.draws[k][:4] != (kind, shape, dt, scalars):
            self._differs()
        base = self.draws[k][4][self.point]
        if kind == "bernoulli":
            probs = np.ascontiguousarray(np.broadcast_to(params[0], shape)).reshape(-1)
            hit = base < (probs if double else probs.astype(np.float32))
            return hit.astype(np.int64).astype(dt).reshape(shape)
        if kind == "normal" and arrays:
            return (base.reshape(shape) * np.asarray(params[1], dt) + np.asarray(params[0], dt)).astype(dt)
        return base.reshape(shape).copy()

    def _same(self, rng, kind: str, shape: Shape, dt, params: tuple) -> np.ndarray:
        tensors = [np.array(p) for p in params if isinstance(p, np.ndarray)]
        k, self.k = self.k, self.k + 1
        if self.point == 0:
            self.draws.append(tensors)
        elif k < len(self.draws) and any(a.shape != b.shape or not np.array_equal(a, b, equal_nan=True)
                                         for a, b in zip(tensors, self.draws[k])):
            raise RuntimeError("Vmap does not currently support same randomness with a batched tensor input. "
                               "Please file an issue with functorch")
        return SAMPLERS[kind](rng, shape, dt, *params)


# vmap(randomness="different")'s draws while it runs (vmapping.py sets it)
BATCHED: BatchedDraws | None = None


def like_input(t: Tensor) -> bool:
    """A *_like draw of t comes: under vmap(randomness="different") torch
    draws it in the layout of t's batched tensor (True: t is a point's input
    batched along a dim other than 0; the draw takes that dim)."""
    b = BATCHED
    if b is None or b.same:
        return False
    b.pending = b.points.get(id(t))
    return b.pending is not None


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
