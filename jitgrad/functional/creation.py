"""Tensor creation: zeros, ones, full, eye, arange, linspace, random draws, from_numpy."""
import functools
import math

import numpy as np

from . import arg_types as AT
from ..core import dtypes as D
from ..core import layouts as LY
from ..core import tape as T
from ..core.grad_mode import no_grad
from ..tensors.tensor import (Tensor, _array_out, _guard_taint)
from ..tensors.construct import (check_creation_args, tensor)
from ..autodiff.engine import ANOMALY, check_anomaly  # noqa: F401  (check_anomaly: used by the layers above)
from ..autodiff.matmul import MatmulBackward, matmul_grads, sum_to_tensor as _sum_to_tensor  # noqa: F401

from .base import (builtins_any)
from . import sampling as SP
from . import mt19937 as MT
from .box_muller import fma64


# ----- creation --------------------------------------------------------------

def _size(size, fname="zeros", pos=1):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
        # (torch's parser checks a sequence's first element: no bool, no float)
        if size and (isinstance(size[0], (bool, np.bool_)) or not isinstance(size[0], (int, np.integer, Tensor))):
            raise TypeError(f"{fname}(): argument 'size' (position {pos}) must be tuple of ints, but found element of "
                            f"type {type(size[0]).__name__} at pos 0")
    elif len(size) == 1 and (isinstance(size[0], bool) or not isinstance(size[0], (int, np.integer, Tensor))):
        raise TypeError(f"{fname}(): argument 'size' (position 1) must be tuple of ints, not {type(size[0]).__name__}")
    for i, s in enumerate(size):
        if isinstance(s, Tensor):
            s = int(s)
        if not isinstance(s, (int, np.integer)):
            raise TypeError(f"{fname}(): argument 'size' failed to unpack the object at pos {i + 1} with error "
                            f"\"type must be tuple of ints,but got {type(s).__name__}\"")
        if s < 0:
            if fname == "zeros":
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
    return tuple(int(s) for s in size)


def _size_arg(size, kw, fname):
    """The size of a creation function, also given as `size=` (torch accepts both)."""
    kw = {k: v for k, v in kw.items() if k not in ("layout", "pin_memory", "memory_format")}  # dense, strided
    if kw:
        extra = set(kw) - {"size"}
        if extra:
            raise TypeError(f"{fname}() got an unexpected keyword argument '{extra.pop()}'")
        if size:
            raise TypeError(f"{fname}() received an invalid combination of arguments: size given twice")
        size = kw["size"]
        return tuple(size) if isinstance(size, (tuple, list)) else (size,)
    return size


def _check_grad_dtype(dt, requires_grad):
    if requires_grad and not dt.is_floating_point:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")


def _creation(value_fn, size, dtype, requires_grad, fname="zeros"):
    check_creation_args(fname, dtype, requires_grad)
    dt = dtype or D.get_default_dtype()
    shape = _size(size, fname)
    _check_grad_dtype(dt, requires_grad)
    out = _array_out(np.asarray(value_fn(shape, dt.np), dt.np), dt)
    if requires_grad:
        out.requires_grad_(True)
    return out


def _with_out(fname):
    """torch's `out=` of a factory: the result is computed in out's dtype,
    out is resized to it and overwritten, and out is returned."""
    def wrap(fn):
        @functools.wraps(fn)
        def factory(*args, out=None, **kwargs):
            if out is None:
                return fn(*args, **kwargs)
            if not isinstance(out, Tensor):
                raise TypeError(f"{fname}(): argument 'out' must be Tensor, not {type(out).__name__}")
            if out.requires_grad and T.STATE.grad_enabled:
                raise RuntimeError(f"aten::{fname}(): functions with out=... arguments don't support automatic "
                                   "differentiation, but one of the arguments requires grad.")
            dtype = kwargs.get("dtype")
            if dtype is not None and dtype is not out.dtype:
                raise RuntimeError(f"dtype {D.TORCH_NAMES[dtype.name]} does not match dtype of out parameter "
                                   f"({D.TORCH_NAMES[out.dtype.name]})")
            kwargs["dtype"] = out.dtype
            result = fn(*args, **kwargs)
            if tuple(out.shape) != tuple(result.shape):
                out.resize_(result.shape)
            with no_grad():
                out.copy_(result)
            return out
        factory._takes_out = True      # (functional.out_arg leaves it alone)
        return factory
    return wrap


@_with_out("zeros")
def zeros(*size, dtype=None, device=None, requires_grad=False, **kw):
    size = _size_arg(size, kw, "zeros")
    return _creation(np.zeros, size, dtype, requires_grad)


@_with_out("ones")
def ones(*size, dtype=None, device=None, requires_grad=False, **kw):
    size = _size_arg(size, kw, "ones")
    return _creation(np.ones, size, dtype, requires_grad, "ones")


@_with_out("empty")
def empty(*size, dtype=None, device=None, requires_grad=False, **kw):
    size = _size_arg(size, kw, "empty")
    return _creation(np.zeros, size, dtype, requires_grad, "empty")


@_with_out("full")
def full(size, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    if dtype is None:
        dtype = D.bool_ if isinstance(fill_value, bool) else D.int64 if isinstance(fill_value, int) else D.get_default_dtype()
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}")
    if isinstance(fill_value, (int, float, np.generic)):
        fill_value = D.checked_number(fill_value, dtype)
    elif not isinstance(fill_value, (complex, Tensor)):     # (torch's parser: a Number)
        raise TypeError(f"full(): argument 'fill_value' (position 2) must be Number, not {type(fill_value).__name__}")
    return _creation(lambda s, d: np.full(s, fill_value, d), (tuple(size),), dtype, requires_grad, "full")


def _like(x, dtype):
    return dtype or x.dtype


def _permuted(input, memory_format=None) -> bool:
    """Whether a *_like result takes a non-contiguous input's layout (torch's
    default memory_format, preserve_format: empty_like keeps a permuted
    layout)."""
    arr = getattr(input, "_arr", None)
    return arr is not None and arr.ndim > 1 and (1 in arr.shape or not LY.plain(arr)) and \
        (memory_format is None or getattr(memory_format, "_name", None) == "preserve_format")


def _laid_like(out: Tensor, input, memory_format=None) -> Tensor:
    """out (fresh, no record) in the layout torch's empty_like(input) has."""
    if _permuted(input, memory_format):
        out._arr = LY.like(out._arr, input._arr, input.stride())
    return out


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    AT.need_tensor("zeros_like", input)
    return _laid_like(zeros(input.shape, dtype=_like(input, dtype), requires_grad=requires_grad), input, memory_format)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    AT.need_tensor("ones_like", input)
    return _laid_like(ones(input.shape, dtype=_like(input, dtype), requires_grad=requires_grad), input, memory_format)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    AT.need_tensor("empty_like", input)
    return zeros_like(input, dtype=dtype, requires_grad=requires_grad, memory_format=memory_format)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    AT.need_tensor("full_like", input)
    out = full(input.shape, fill_value, dtype=_like(input, dtype), requires_grad=requires_grad)
    return _laid_like(out, input, memory_format)


@_with_out("arange")
def arange(start, end=None, step=1, *, dtype=None, layout=None, device=None, requires_grad=False,
           pin_memory=False):
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if vals[2] == 0:
        raise RuntimeError("step must be nonzero")
    if dtype is None:
        dtype = D.get_default_dtype() if builtins_any(isinstance(v, float) for v in vals) else D.int64
    if dtype is D.bool_:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    if not dtype.is_floating_point and int(vals[2]) == 0:
        raise ValueError("step must be nonzero")
    if not (math.isfinite(vals[0]) and math.isfinite(vals[1])):
        raise RuntimeError(f"unsupported range: {vals[0]} -> {vals[1]}")
    if (vals[2] > 0 and vals[1] < vals[0]) or (vals[2] < 0 and vals[1] > vals[0]):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype.is_floating_point:
        arr = _torch_arange(float(vals[0]), float(vals[2]), len(np.arange(*vals)), dtype.np)
    else:
        arr = np.arange(*vals, dtype=np.int64).astype(dtype.np)
    out = _array_out(arr, dtype)
    if requires_grad:
        if not dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        out._rg = True
    return out


@_with_out("linspace")
def linspace(start, end, steps, *, dtype=None, layout=None, device=None, requires_grad=False,
             pin_memory=False):
    dt = dtype or D.get_default_dtype()
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    if dt is D.bool_ and steps > 0:
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    _check_grad_dtype(dt, requires_grad)
    out = _array_out(torch_linspace(start, end, steps, dt.np), dt)
    if requires_grad:
        out.requires_grad_(True)
    return out


def torch_linspace(start, end, steps: int, np_dtype) -> np.ndarray:
    """torch's CPU linspace bit for bit: step = (end - start) / (steps - 1)
    in the dtype, start + step * i for the first half and end - step *
    (steps - 1 - i) for the second, each a fused multiply-add (NumPy's
    linspace rounds otherwise: ~1 element in 3 differed in its last bit)."""
    idx = np.arange(steps, dtype=np.float64)
    if not np.issubdtype(np_dtype, np.floating):      # integer dtypes: truncated ends, a double step
        first, last = float(int(start)), float(int(end))
        step = (last - first) / (steps - 1) if steps > 1 else 0.0
    else:
        first, last = np_dtype.type(start), np_dtype.type(end)
        step = (np.float64(last - first) / np.float64(np_dtype.type(steps - 1)) if steps > 1 else 0.0)
        step = np_dtype.type(step)
    half = steps // 2
    if steps == 1:
        return np.array([first]).astype(np_dtype)
    vals = np.concatenate([fma64(step, idx[:half], first), fma64(-step, steps - 1 - idx[half:], last)])
    return vals.astype(np_dtype)


def _torch_arange(start: float, step: float, n: int, np_dtype) -> np.ndarray:
    """torch's CPU arange of floats bit for bit: start + step * i in float64
    as fused multiply-adds, rounded to the dtype; the vectorised loop (two
    AVX2 vectors of 8 floats / 4 doubles per pass, the tail scalar) adds
    k * step to each vector's rounded first element instead."""
    if np_dtype == np.float16:      # float16: in float32 (torch's accumulate type), vectors of 16
        with np.errstate(over="ignore"):
            f32, st = np.float32, np.float32(step)
            out = f32(start) + st * np.arange(n, dtype=f32)
            covered = n // 32 * 32
            if covered:
                bases = (f32(start) + st * np.arange(0, covered, 16, dtype=f32)).astype(np.float16).astype(f32)
                out[:covered] = (bases[:, None] + np.arange(16, dtype=f32)[None, :] * st).reshape(-1)
            return out.astype(np.float16)
    out = fma64(step, np.arange(n, dtype=np.float64), start)
    width = 8 if np_dtype == np.float32 else 4
    covered = n // (2 * width) * 2 * width
    if covered:
        bases = fma64(step, np.arange(0, covered, width, dtype=np.float64), start).astype(np_dtype).astype(np.float64)
        out[:covered] = fma64(np.arange(width, dtype=np.float64)[None, :], step, bases[:, None]).reshape(-1)
    return out.astype(np_dtype)


@_with_out("eye")
def eye(n, m=None, *, dtype=None, layout=None, device=None, requires_grad=False,
        pin_memory=False):
    dt = dtype or D.get_default_dtype()
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    _check_grad_dtype(dt, requires_grad)
    out = _array_out(np.eye(n, m).astype(dt.np), dt)
    if requires_grad:
        out.requires_grad_(True)
    return out


class _Generator:
    """jitgrad's random generator: one object, so that every module that draws
    (and compile's watch of the draws) sees a reseed by manual_seed. `np` is
    torch's CPU generator state (functional/mt19937.py), seeded like torch's
    default generator: nondeterministically, until manual_seed."""
    __slots__ = ("np",)

    def __init__(self):
        self.np = MT.CPUStream(MT.nondeterministic_seed())


RNG = _Generator()


def _reseeding(what):
    """compile: a reseed inside a recorded function would not happen at replay."""
    _guard_taint(f"{what} inside a compiled function (the replay would not reseed)")


def _seed_value(seed):
    """torch's seed check: an int in [-2**63, 2**64) (negatives wrap)."""
    if isinstance(seed, Tensor):
        seed = seed.item()
    seed = int(seed)
    if not -0x8000_0000_0000_0000 <= seed <= 0xFFFF_FFFF_FFFF_FFFF:
        raise ValueError("Overflow when unpacking long long")
    return seed & 0xFFFF_FFFF_FFFF_FFFF


def manual_seed(seed):
    seed = _seed_value(seed)
    _reseeding("manual_seed()")
    RNG.np = MT.CPUStream(seed)
    return RNG.np


def initial_seed() -> int:
    """The seed of the last manual_seed (or the nondeterministic one of a fresh process)."""
    return real_rng(None).seed


def _state_tensor(gen) -> Tensor:
    """torch's get_rng_state: the 5056 bytes of CPUGeneratorImplState."""
    return Tensor._wrap(gen.get_bytes(), D.uint8)


def _check_state(state) -> np.ndarray:
    if not isinstance(state, Tensor) or state.dtype is not D.uint8:
        raise TypeError("RNG state must be a torch.ByteTensor")
    return np.asarray(state._data(), np.uint8)


def get_rng_state() -> Tensor:
    _reseeding("get_rng_state()")
    return _state_tensor(real_rng(None))


def set_rng_state(new_state: Tensor) -> None:
    data = _check_state(new_state)
    _reseeding("set_rng_state()")
    fresh = MT.CPUStream()
    fresh.set_bytes(data)           # checks first: a bad state leaves the generator as it was
    RNG.np = fresh


class Generator:
    """torch.Generator: an independent torch CPU generator for the
    ``generator=`` argument of the sampling functions (seed 67280421310721
    until seeded, as torch's)."""

    def __init__(self, device="cpu"):
        D.check_device(device)
        _reseeding("a new Generator")
        self.device = D.device("cpu")
        self._np = MT.CPUStream(MT.DEFAULT_SEED)

    def __repr__(self):
        return f"<torch._C.Generator object at {hex(id(self))}>"

    @property
    def np(self):
        watched = RNG.np
        if not isinstance(watched, MT.CPUStream):
            # jitgrad.compile is watching draws (a proxy stands for RNG.np): a draw from here taints too.
            return type(watched)(self._np)
        return self._np

    def manual_seed(self, seed) -> "Generator":
        seed = _seed_value(seed)
        _reseeding("Generator.manual_seed()")
        self._np = MT.CPUStream(seed)
        return self

    def seed(self) -> int:
        self.manual_seed(MT.nondeterministic_seed())
        return self._np.seed

    def initial_seed(self) -> int:
        return self._np.seed

    def get_state(self) -> Tensor:
        _reseeding("Generator.get_state()")
        return _state_tensor(self._np)

    def set_state(self, new_state: Tensor) -> "Generator":
        data = _check_state(new_state)
        _reseeding("Generator.set_state()")
        fresh = MT.CPUStream()
        fresh.set_bytes(data)
        self._np = fresh
        return self


def _rng_of(generator):
    """The generator state a sampling function draws from (compile's proxy while it watches)."""
    return RNG.np if generator is None else generator.np


def real_rng(generator):
    """The generator state a draw reads, itself (not compile's watching proxy)."""
    rng = RNG.np if generator is None else generator._np
    return getattr(rng, "_real", rng)


def draw_state(generator=None):
    """The generator state a per-element sampler (count_draws.py) reads; under
    jitgrad.compile a use of the generator, so the recording runs eagerly."""
    _rng_of(generator).u32
    return real_rng(generator)


def _draw(kind, generator, size, dtype, requires_grad, *params, fname="randn"):
    """A tensor of `sampling` draws of `kind` (a draw group while compile records)."""
    dt = dtype or D.get_default_dtype()
    out = _creation(lambda s, d: SP.sample(real_rng(generator), kind, s, d, *params), size, dt, requires_grad,
                    fname)
    if requires_grad:
        _guard_taint("a random draw with requires_grad=True (a new leaf every call)")
        return out
    return SP.track(out, kind, generator, tuple(out.shape), dt.np, *params)


def seed():
    """Reseed nondeterministically; returns the seed (torch.seed)."""
    value = MT.nondeterministic_seed()
    manual_seed(value)
    return value


def _random_dtype(dtype, kernel):
    if dtype is not None and not dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{D.TORCH_NAMES[dtype.name]}'")
    return dtype


def randn(*size, dtype=None, device=None, requires_grad=False, generator=None, **kw):
    size = _size_arg(size, kw, "randn")
    dtype = _random_dtype(dtype, "normal_kernel_cpu")
    return _draw("standard_normal", generator, size, dtype, requires_grad)


def rand(*size, dtype=None, device=None, requires_grad=False, generator=None, **kw):
    size = _size_arg(size, kw, "rand")
    dtype = _random_dtype(dtype, "check_uniform_bounds")
    return _draw("uniform01", generator, size, dtype, requires_grad, fname="rand")


def randint(low=0, high=None, size=None, *, dtype=None, device=None, requires_grad=False, generator=None):
    pos = 3
    if size is None and isinstance(high, (tuple, list)):     # randint(high, size)
        if isinstance(low, (bool, float)) or low is None:        # (torch's parser: an int high)
            raise TypeError(f"randint(): argument 'high' (position 1) must be int, not {type(low).__name__}")
        low, high, size, pos = 0, low, high, 2
    elif high is None:
        low, high = 0, low
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"randint(): argument 'size' (position 2) must be tuple of ints, not {type(size).__name__}")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    dt = dtype or D.int64
    _check_grad_dtype(dt, requires_grad)
    shape = _size((tuple(size),), "randint", pos)
    out = _array_out(SP.sample(real_rng(generator), "integers", shape, dt.np, low, high), dt)
    if requires_grad:
        _guard_taint("a random draw with requires_grad=True (a new leaf every call)")
        return out.requires_grad_(True)
    if max(abs(low), abs(high)) > SP.EXACT_INT:
        _guard_taint("randint() beyond 2**53 (the tape holds float64 values)")
    return SP.track(out, "integers", generator, shape, dt.np, low, high)


def randn_like(input, *, dtype=None, requires_grad=False, memory_format=None):
    AT.need_tensor("randn_like", input)
    if not SP.like_input(input) and _permuted(input, memory_format):
        # torch: empty_like(input).normal_(): a permuted layout takes the
        # serial sampler, in memory order (random_fill.normal_)
        out = empty_like(input, dtype=dtype).normal_()
        return out.requires_grad_(True) if requires_grad else out
    return randn(input.shape, dtype=_like(input, dtype), requires_grad=requires_grad)


def rand_like(input, *, dtype=None, requires_grad=False, memory_format=None):
    AT.need_tensor("rand_like", input)
    if not SP.like_input(input) and _permuted(input, memory_format):
        out = empty_like(input, dtype=dtype).uniform_()     # (drawn in memory order, as torch's)
        return out.requires_grad_(True) if requires_grad else out
    return rand(input.shape, dtype=_like(input, dtype), requires_grad=requires_grad)


def from_numpy(ndarray):
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    return Tensor._wrap(ndarray)


def as_tensor(data, dtype=None, device=None):
    if isinstance(data, Tensor):
        # torch: the tensor itself, or a (differentiable) cast; no copy-construct warning
        return data if dtype is None or dtype is data.dtype else data.to(dtype)
    if isinstance(data, np.ndarray) and data.flags.c_contiguous and data.dtype in D._BY_NP and (
            dtype is None or dtype is D._BY_NP[data.dtype]):
        return from_numpy(data)     # torch's: an array of the tensor's dtype is shared, not copied
    return tensor(data, dtype=dtype)


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()
