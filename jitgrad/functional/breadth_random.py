"""torch's sampling functions on jitgrad's generator (the one manual_seed
seeds): bernoulli, multinomial, normal, poisson, randperm, randint_like.
Values are torch's after the same seed and calls (torch_samplers.py,
count_draws.py); signatures, shapes, dtypes and errors are torch's. Like torch, samples carry a zero gradient to their
parameters."""
from __future__ import annotations
from . import arg_types as AT

from typing import Optional

import numpy as np

from . import functions as F
from . import sampling as SP
from .creation import real_rng
from ..core import dtypes as D
from ..core import kernels as K
from ..core.grad_mode import STATE as _GRAD
from ..tensors.construct import tensor
from ..tensors import tensor as TT
from ..tensors import tracked as TR
from ..tensors.tensor import Tensor, _guard_taint


def _t(x) -> Tensor:
    return x if isinstance(x, Tensor) else tensor(x)


def _zero_grad_sample(kind: str, generator, shape, dtype, sparams: tuple, params: list, name: str) -> Tensor:
    """The sample as a tensor that depends on `params` with gradient zero (torch's *Backward of samplers)."""
    out = Tensor._wrap(SP.sample(real_rng(generator), kind, shape, dtype.np, *sparams), dtype)
    SP.track(out, kind, generator, shape, dtype.np, *sparams)
    live = [p for p in params if isinstance(p, Tensor) and p.requires_grad]
    if live and _GRAD.grad_enabled:
        for p in live:
            out = out + F.sum(p * 0.0) * 0.0 if p.shape != out.shape else out + p * 0.0
        out = F._named(out, name)
    return out


def bernoulli(input, p: Optional[float] = None, *, generator=None) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"bernoulli(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    x = _t(input)
    recorded = p is None and x.__class__ is Tensor and x.dtype.is_floating_point and TR.recording(x)
    if p is None and not recorded:
        SP.taint_tensor_params(x)
    if p is None and not x.dtype.is_floating_point:
        raise NotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for '{D.TORCH_NAMES[x.dtype.name]}'")
    if p is not None and not 0 <= float(p) <= 1:     # (torch's bernoulli_(double p) check; C++'s %g)
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={float(p):g}")
    probs = np.full(tuple(x.shape), float(p)) if p is not None else np.asarray(x._data(), np.float64)
    ok = (probs >= 0) & (probs <= 1)
    if not ok.all():
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message "
                           "be improved?  If so, please report an enhancement request to PyTorch.)")
    if recorded:
        return _bernoulli_recorded(x, probs, generator)
    if p is not None:       # bernoulli_(double p): a double uniform per element
        return _zero_grad_sample("bernoulli_scalar", generator, tuple(x.shape), x.dtype, (float(p),), [x],
                                 "BernoulliBackward0")
    return _zero_grad_sample("bernoulli", generator, tuple(x.shape), x.dtype, (probs, x.dtype is D.float64), [x],
                             "BernoulliBackward0")


def _bernoulli_recorded(x: Tensor, probs: np.ndarray, generator) -> Tensor:
    """compile: bernoulli(p) of probabilities p on the tape, as eager draws it
    (uniform draws u, float64 for a double p, else float32, then u < p): a
    draw group of u, the comparison and the cast recorded, 0 <= p <= 1
    guarded (else recorded again, where eager's error is raised)."""
    hook = TT._guard_hook
    hook.compare(np.greater_equal, x, 0.0, Tensor._wrap(np.asarray(probs >= 0)))
    hook.compare(np.less_equal, x, 1.0, Tensor._wrap(np.asarray(probs <= 1)))
    shape = tuple(x.shape)
    udt = D.float64 if x.dtype is D.float64 else D.float32
    u = Tensor._wrap(SP.sample(real_rng(generator), "uniform01", shape, udt.np), udt)
    SP.track(u, "uniform01", generator, shape, udt.np)
    out = (u < x).to(x.dtype)
    if x.requires_grad:     # torch: a zero gradient to p
        out = F._named(out + x * 0.0, "BernoulliBackward0")
    return out


def multinomial(input, num_samples: int, replacement: bool = False, *, generator=None) -> Tensor:
    AT.need_tensor("multinomial", input)
    x = _t(input)
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{D.TORCH_NAMES[x.dtype.name]}")
    if x.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    probs = np.asarray(x._data()).reshape(-1, x.shape[-1])
    probs = probs.astype(np.float32) if probs.dtype.kind != "f" or probs.dtype.itemsize < 4 else probs
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > x.shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if not replacement or num_samples == 1:
        if not np.isfinite(probs).all() or (probs < 0).any():
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    else:       # torch's with-replacement kernel checks row by row, element by element
        for row in probs:
            bad = np.flatnonzero(~(row >= 0) | ~np.isfinite(row))
            if bad.size:
                kind = "< 0" if not row[bad[0]] >= 0 else "= infinity or NaN"
                raise RuntimeError(f"invalid multinomial distribution (encountering probability entry {kind})")
            if row.sum() <= 0:
                raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    SP.taint_tensor_params(x)
    if (probs.sum(axis=1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    shape = (num_samples,) if x.ndim == 1 else (probs.shape[0], num_samples)
    out = Tensor._wrap(SP.sample(real_rng(generator), "multinomial", shape, np.int64, probs, num_samples,
                                 bool(replacement)), D.int64)
    return SP.track(out, "multinomial", generator, shape, np.int64, probs, num_samples, bool(replacement))


def normal(mean, std=1.0, size=None, *, generator=None, dtype=None, requires_grad: bool = False) -> Tensor:
    m, s = mean, std
    if not isinstance(m, Tensor) and not isinstance(s, Tensor):
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments")
        if s < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {float(s):g}")     # (C++'s format)
        dt = dtype or D.get_default_dtype()
        shape = tuple(size)
        out = Tensor._wrap(SP.sample(real_rng(generator), "normal", shape, dt.np, m, s), dt)
        if requires_grad:
            _guard_taint("a random draw with requires_grad=True (a new leaf every call)")
            return out.requires_grad_(True)
        return SP.track(out, "normal", generator, shape, dt.np, m, s)
    recorded = [p for p in (m, s) if _on_tape(p)]
    if len(recorded) != sum(isinstance(p, Tensor) and p._rg for p in (m, s)):
        SP.taint_tensor_params(m, s)        # (a parameter on the tape that isn't a plain float tensor)
    mv = np.asarray(m._data() if isinstance(m, Tensor) else m, np.float64)
    sv = np.asarray(s._data() if isinstance(s, Tensor) else s, np.float64)
    if (sv < 0).any():
        if isinstance(s, Tensor):       # (torch's check of a std tensor names no element)
            raise RuntimeError("normal expects all elements of std >= 0.0")
        bad = float(sv[sv < 0].flat[0])
        raise RuntimeError(f"normal expects std >= 0.0, but found std {bad:g}")
    shape = np.broadcast_shapes(mv.shape, sv.shape)
    dt = m.dtype if isinstance(m, Tensor) else s.dtype
    name = "NormalBackward3" if isinstance(m, Tensor) and isinstance(s, Tensor) else \
        "NormalBackward1" if isinstance(m, Tensor) else "NormalBackward2"
    if recorded:
        return _normal_recorded(m, s, sv, shape, dt, generator, name)
    return _zero_grad_sample("normal", generator, shape, dt, (mv, sv), [m, s], name)


def _on_tape(p) -> bool:
    return isinstance(p, Tensor) and p.__class__ is Tensor and p.dtype.is_floating_point and TR.recording(p)


def _float64_without_grad(p):
    """compile: p's values in float64, no gradient (a recorded no-gradient cast
    of a tensor on the tape; a constant's values)."""
    if _on_tape(p):
        return TR.record(K.TO_FLOAT64, Tensor._wrap(np.asarray(p._data(), np.float64), D.float64), TR.plain(p))
    if isinstance(p, Tensor):
        return Tensor._wrap(np.asarray(p._data(), np.float64), D.float64)
    return p


def _normal_recorded(m, s, sv, shape, dt, generator, name) -> Tensor:
    """compile: normal(mean, std) with parameters from the inputs, as eager
    computes it (standard normals z in dt, then z * std + mean in dt): a draw
    group of z, the arithmetic recorded on no-gradient copies, std >= 0
    guarded."""
    if _on_tape(s):
        TT._guard_hook.compare(np.less, s, 0.0, Tensor._wrap(np.asarray(sv < 0)))
    z = Tensor._wrap(SP.sample(real_rng(generator), "standard_normal", shape, dt.np), dt)
    SP.track(z, "standard_normal", generator, shape, dt.np)

    def no_grad_copy(p):
        q = _float64_without_grad(p)
        if isinstance(q, Tensor) and dt is not D.float64:
            q = q.to(dt)
        return q
    out = z * no_grad_copy(s) + no_grad_copy(m)
    for p in (m, s):        # torch: a zero gradient to the parameters
        if isinstance(p, Tensor) and p.requires_grad:
            out = out + F.sum(p * 0.0) * 0.0 if p.shape != out.shape else out + p * 0.0
    return F._named(out, name) if out.requires_grad else out


def poisson(input, generator=None) -> Tensor:
    x = _t(input)
    SP.taint_tensor_params(x)
    rates = np.asarray(x._data(), np.float64)
    if (rates < 0).any():
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    return _zero_grad_sample("poisson", generator, tuple(x.shape), x.dtype, (rates,), [x], "PoissonBackward0")


def randperm(n: int, *, generator=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dt = dtype or D.int64
    out = Tensor._wrap(SP.sample(real_rng(generator), "permutation", (n,), dt.np, n), dt)
    out = SP.track(out, "permutation", generator, (n,), dt.np, n)
    if requires_grad:
        if not dt.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        out.requires_grad_(True)
    return out


def randint_like(input, low: int = 0, high: Optional[int] = None, *, dtype=None,
                 requires_grad: bool = False) -> Tensor:
    x = _t(input)
    if high is None:
        low, high = 0, low
    return F.randint(low, high, tuple(x.shape), dtype=dtype or x.dtype, requires_grad=requires_grad)


__all__ = ["bernoulli", "multinomial", "normal", "poisson", "randperm", "randint_like"]
