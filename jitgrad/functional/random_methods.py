"""In-place samplers (`random_`, `exponential_`, `cauchy_`, `geometric_`,
`log_normal_`) on jitgrad's generator with torch's algorithms
(torch_samplers.py: same seed, same numbers), torch's argument checks and
grad_fn names, and the element-by-element `map_` / `apply_`."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes as D
from ..tensors.tensor import Tensor
from . import functions as F
from . import count_draws as CD
from . import torch_samplers as TS
from ..tensors.tensor import _guard_taint

# C++ type names torch's random_ bound errors print.
_CPP_NAMES = {"bool": "bool", "int8": "signed char", "uint8": "unsigned char", "int16": "short", "int32": "int",
              "int64": "long int", "float16": "c10::Half", "float32": "float", "float64": "double"}


def _stream(generator):
    """The generator state to draw from. While jitgrad.compile records, these
    draws aren't replayable: the signature runs eagerly (compile_guards)."""
    rng = F._rng_of(generator)
    real = getattr(rng, "_real", rng)
    if real is not rng:
        _guard_taint("a use of jitgrad's generator outside its sampling functions")
    return real


def _fill_values(self: Tensor, values: np.ndarray, name: str) -> Tensor:
    """Write drawn values into self in place (the old value gets a zero gradient,
    node `name`). Draws come from `F._rng_of`, which compile watches: a compiled
    function drawing here runs eagerly, never with frozen draws."""
    self.copy_(Tensor._wrap(np.asarray(values).astype(self.dtype.np), self.dtype))
    if self._rg and self._name is not None:
        self._name = name
        self._gfn = None
    return self


def _default_to(dt: D.dtype) -> int:
    if dt.is_floating_point:
        return 2 ** D.DIGITS[dt.name] + 1     # (the integers the dtype holds exactly)
    if dt is D.bool_:
        return 2
    return int(np.iinfo(dt.np).max) + 1


def _random_args(args: tuple, kwargs: dict) -> tuple:
    for k in kwargs:
        if k not in ("from", "to"):
            raise TypeError(f"random_() got an unexpected keyword argument '{k}'")
    for a in list(args) + [v for k, v in kwargs.items() if k in ("from", "to")]:
        if a is not None and (isinstance(a, float) or not isinstance(a, (int, np.integer))):
            got = ", ".join(type(v).__name__ for v in args)
            raise TypeError(f"random_() received an invalid combination of arguments - got ({got}), but expected "
                            "one of:\n * (*, torch.Generator generator = None)\n * (int from, int to, *, "
                            "torch.Generator generator = None)\n * (int to, *, torch.Generator generator = None)\n")
    if "from" in kwargs or len(args) == 2:
        lo = kwargs.get("from", args[0] if args else 0)
        hi = kwargs.get("to", args[1] if len(args) == 2 else None)
        return lo, hi, "RandomBackward0"
    if args or "to" in kwargs:
        return 0, kwargs.get("to", args[0] if args else None), "RandomBackward1"
    return 0, None, "RandomBackward2"


def random_(self: Tensor, *args: Any, generator=None, **kwargs: Any) -> Tensor:
    """Integers drawn uniformly from [from, to) (to: the dtype's largest exact integer + 1 by default)."""
    lo, hi, name = _random_args(args, kwargs)
    dt = self.dtype
    if hi is None:
        hi = _default_to(dt)
    if lo >= hi:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={lo} >= to={hi}")
    if not dt.is_floating_point:
        info = (0, 1) if dt is D.bool_ else (np.iinfo(dt.np).min, np.iinfo(dt.np).max)
        if hi - 1 > info[1]:
            raise RuntimeError(f"to - 1 is out of bounds for {_CPP_NAMES[dt.name]}")
        if lo < info[0]:
            raise RuntimeError(f"from is out of bounds for {_CPP_NAMES[dt.name]}")
    rng, n = _stream(generator), self.numel()
    if name == "RandomBackward2":          # no bounds: uniform_int_distribution
        draws = TS.random_default(rng, n, dt.np)
    elif lo == -2 ** 63 and hi == 2 ** 63 and dt.name in ("int64", "float32", "float64"):
        draws = rng.u64(n).view(np.int64)    # torch's full 64-bit range kernel
    else:
        draws = TS.integers(rng, n, lo, hi)
    return _fill_values(self, draws.reshape(tuple(self.shape)), name)


def _continuous(self: Tensor, dist: str) -> None:
    if not self.dtype.is_floating_point:
        raise RuntimeError(f"{dist} distribution is a continuous probability distribution. dtype must be a "
                           f"floating point but you specified {D.TORCH_NAMES[self.dtype.name]}")


def _num(v: float) -> str:
    """A number as torch's checks print it (1.5, 0, -1)."""
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def exponential_(self: Tensor, lambd: float = 1.0, *, generator=None) -> Tensor:
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_num(lambd)}")
    _continuous(self, "Exponential")
    draws = TS.exponential(_stream(generator), self.numel(), float(lambd)).reshape(tuple(self.shape))
    return _fill_values(self, draws, "ExponentialBackward0")


def cauchy_(self: Tensor, median: float = 0.0, sigma: float = 1.0, *, generator=None) -> Tensor:
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={_num(sigma)}")
    if not self.dtype.is_floating_point:
        raise RuntimeError("Cauchy distribution is a continuous probability distribution. dtype must be a "
                           f"floating point but you specified {_CPP_NAMES[self.dtype.name]}")
    draws = TS.cauchy(_stream(generator), self.numel(), float(median), float(sigma)).reshape(tuple(self.shape))
    return _fill_values(self, draws, "CauchyBackward0")


def geometric_(self: Tensor, p: float, *, generator=None) -> Tensor:
    """The number of Bernoulli(p) trials up to the first success (1, 2, ...)."""
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_num(p)}")
    if self.dtype is D.bool_:
        raise NotImplementedError("\"geometric_cpu\" not implemented for 'Bool'")
    draws = TS.geometric(_stream(generator), self.numel(), float(p)).reshape(tuple(self.shape))
    return _fill_values(self, draws, "GeometricBackward0")


def log_normal_(self: Tensor, mean: float = 1.0, std: float = 2.0, *, generator=None) -> Tensor:
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={_num(std)}")
    if not self.dtype.is_floating_point:
        raise NotImplementedError(f"\"log_normal_cpu\" not implemented for '{D.TORCH_NAMES[self.dtype.name]}'")
    draws = TS.log_normal(_stream(generator), self.numel(), float(mean), float(std)).reshape(tuple(self.shape))
    return _fill_values(self, draws, "LogNormalBackward0")


def _python_value(v: Any) -> Any:
    """A callable's result, a number (torch: 'must be real number')."""
    if not isinstance(v, (bool, int, float, np.number, np.bool_)):
        raise TypeError(f"must be real number, not {type(v).__name__}")
    return v


def _elementwise(self: Tensor, fn: Callable, others: list, name: str) -> Tensor:
    if self.requires_grad:
        raise RuntimeError(f"Can't call {name}() on Variable that requires grad. Use var.detach().{name}() instead.")
    cols = [np.asarray(self._data()).ravel()] + [np.asarray(o._data()).ravel() for o in others]
    kind = bool if self.dtype is D.bool_ else (float if self.dtype.is_floating_point else int)
    out = np.array([_python_value(fn(*(kind(c[i]) for c in cols)))
                    for i in range(cols[0].size)]).reshape(tuple(self.shape))
    return self.copy_(Tensor._wrap(out.astype(self.dtype.np), self.dtype))


def apply_(self: Tensor, callable: Callable) -> Tensor:
    """Replace each element x by callable(x) (Python numbers; CPU tensors only in torch)."""
    return _elementwise(self, callable, [], "apply_")


def map_(self: Tensor, tensor: Tensor, callable: Callable) -> Tensor:
    """Replace each element x by callable(x, y), y the element of `tensor` broadcast to self."""
    if tensor.dtype is not self.dtype:
        raise TypeError(f"map_: expected torch.{D.TORCH_NAMES[self.dtype.name]}Tensor for 'other' "
                        f"(got torch.{D.TORCH_NAMES[tensor.dtype.name]}Tensor)")
    return _elementwise(self, callable, [F.expand(tensor, tuple(self.shape))], "map_")


for _f in (random_, exponential_, cauchy_, geometric_, log_normal_, apply_, map_):
    setattr(Tensor, _f.__name__, _f)


def binomial(count: Tensor, prob: Tensor, generator=None) -> Tensor:
    """Binomial(count, prob) draws (prob clamped to [0, 1], negative counts give 0), as torch."""
    if not count.dtype.is_floating_point:
        raise ValueError(f"binomial only supports floating-point dtypes for count, got: "
                         f"{D.TORCH_NAMES[count.dtype.name]}")
    if prob.dtype is not count.dtype:
        raise RuntimeError(f"Found dtype {D.TORCH_NAMES[prob.dtype.name]} but expected "
                           f"{D.TORCH_NAMES[count.dtype.name]}")
    n, p = np.broadcast_arrays(np.asarray(count._data(), np.float64), np.asarray(prob._data(), np.float64))
    return Tensor._wrap(CD.binomial_values(n, p, count.dtype.np, _stream(generator)), count.dtype)    # torch's sampler


__all__ = ["binomial"]
