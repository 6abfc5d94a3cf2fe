"""torch.testing: `assert_close` with torch's default tolerances, checks and
failure messages (torch/testing/_comparison.py), for tensors, NumPy arrays,
Python numbers and (nested) sequences and mappings of them; `make_tensor`
with torch's ranges, checks and draws (randint / uniform_ of jitgrad's
torch-identical generator: the same seed gives torch's values)."""
from __future__ import annotations

import cmath
import collections.abc
import math
import warnings
from typing import Any, Callable

import numpy as np

from jitgrad.core import dtypes
from jitgrad.functional.creation import empty, randint
from jitgrad.functional.dtype_info import finfo, iinfo
from jitgrad.tensors.construct import tensor as _tensor
from jitgrad.tensors.tensor import Tensor

__all__ = ["assert_close", "assert_allclose", "make_tensor"]

# torch's {dtype: (rtol, atol)}; other dtypes compare exactly.
_PRECISIONS = {dtypes.float16: (0.001, 1e-5), dtypes.float32: (1.3e-6, 1e-5), dtypes.float64: (1e-7, 1e-7)}
_ALLCLOSE_PRECISIONS = {dtypes.float16: (1e-3, 1e-3), dtypes.float32: (1e-4, 1e-5), dtypes.float64: (1e-5, 1e-8)}
# The dtype a Python number stands for.
_NUMBER_DTYPES = {bool: dtypes.bool_, int: dtypes.int64, float: dtypes.float64}


class _Failure(Exception):
    def __init__(self, kind: type, msg: str):
        super().__init__(msg)
        self.kind, self.msg = kind, msg


def _tolerances(dts: list, rtol: float | None, atol: float | None, path: tuple) -> tuple:
    if (rtol is None) ^ (atol is None):
        where = f" at input {''.join(str([p]) for p in path)}" if path else ""
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, "
                         f"but got no {'rtol' if rtol is None else 'atol'}{where}.")
    if rtol is not None:
        return rtol, atol
    pairs = [_PRECISIONS.get(d, (0.0, 0.0)) for d in dts]
    return max(p[0] for p in pairs), max(p[1] for p in pairs)


def _mismatch(identifier: str, extra: str, abs_diff: Any, rel_diff: Any, atol: float, rtol: float,
              idx: tuple | None = None) -> str:
    equality = rtol == 0 and atol == 0

    def line(kind: str, diff: Any, at: tuple | None, tol: float) -> str:
        text = f"{kind.title()} difference: {diff}" if at is None else f"Greatest {kind} difference: {diff} at index {at[0] if kind == 'absolute' else at[1]}"
        return text + ("" if equality else f" (up to {tol} allowed)") + "\n"

    msg = f"{identifier} are not {'equal' if equality else 'close'}!\n\n{extra.strip()}\n"
    msg += line("absolute", abs_diff, idx, atol) + line("relative", rel_diff, idx, rtol)
    return msg.strip()


def _scalar_message(actual: Any, expected: Any, rtol: float, atol: float) -> str:
    abs_diff = abs(actual - expected)
    rel_diff = float("inf") if expected == 0 else abs_diff / abs(expected)
    return _mismatch("Scalars", f"Expected {expected} but got {actual}.", abs_diff, rel_diff, atol, rtol)


def _compare_numbers(actual: Any, expected: Any, rtol: float | None, atol: float | None,
                     equal_nan: bool, check_dtype: bool, path: tuple) -> None:
    if check_dtype and type(actual) is not type(expected):
        raise _Failure(AssertionError, f"The (d)types do not match: {type(actual)} != {type(expected)}.")
    rtol, atol = _tolerances([_NUMBER_DTYPES.get(type(v), dtypes.float64) for v in (actual, expected)],
                             rtol, atol, path)
    if actual == expected or (equal_nan and cmath.isnan(actual) and cmath.isnan(expected)):
        return
    abs_diff = abs(actual - expected)
    if cmath.isfinite(abs_diff) and abs_diff <= atol + rtol * abs(expected):
        return
    raise _Failure(AssertionError, _scalar_message(actual, expected, rtol, atol))


def _as_tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else _tensor(x)


def _compare_tensors(actual: Any, expected: Any, rtol: float | None, atol: float | None,
                     equal_nan: bool, check_dtype: bool, path: tuple) -> None:
    a, e = _as_tensor(actual), _as_tensor(expected)
    if a.shape != e.shape:
        raise _Failure(AssertionError, f"The values for attribute 'shape' do not match: {a.shape} != {e.shape}.")
    if check_dtype and a.dtype is not e.dtype:
        raise _Failure(AssertionError, f"The values for attribute 'dtype' do not match: {a.dtype} != {e.dtype}.")
    rtol, atol = _tolerances([a.dtype, e.dtype], rtol, atol, path)
    common = dtypes.promote_types(a.dtype, e.dtype)
    av = a.detach().numpy().astype(common.np)
    ev = e.detach().numpy().astype(common.np)
    if common is dtypes.bool_:
        av, ev = av.astype(np.int64), ev.astype(np.int64)
    with np.errstate(all="ignore"):
        if av.dtype.kind == "f":
            # torch.isclose: equal values (infinities included) match; nan only with equal_nan.
            close = np.abs(av - ev) <= np.asarray(atol + rtol * np.abs(ev), av.dtype)
            matches = (av == ev) | (np.isfinite(av) & np.isfinite(ev) & close)
            if equal_nan:
                matches |= np.isnan(av) & np.isnan(ev)
        else:
            matches = np.abs(av.astype(np.float64) - ev) <= atol + rtol * np.abs(ev.astype(np.float64))
    if matches.all():
        return
    if av.ndim == 0:
        raise _Failure(AssertionError, _scalar_message(av.item(), ev.item(), rtol, atol))
    if av.dtype.kind != "f":
        av, ev = av.astype(np.int64), ev.astype(np.int64)
    n = matches.size
    wrong = n - int(matches.sum())
    flat_match = matches.reshape(-1)
    with np.errstate(all="ignore"):
        abs_diff = np.abs(av.reshape(-1) - ev.reshape(-1))
        abs_diff[flat_match] = 0
        # torch divides integer differences in the default float dtype.
        num = abs_diff if av.dtype.kind == "f" else abs_diff.astype(dtypes.get_default_dtype().np)
        rel_diff = num / np.abs(ev.reshape(-1)).astype(num.dtype)
        rel_diff[flat_match] = 0
    # torch.max's index: the first maximum, nan counting as the largest.
    ia = int(np.argmax(abs_diff)) if not np.isnan(abs_diff).any() else int(np.argmax(np.isnan(abs_diff)))
    ir = int(np.argmax(rel_diff)) if not np.isnan(rel_diff).any() else int(np.argmax(np.isnan(rel_diff)))
    idx = (tuple(int(i) for i in np.unravel_index(ia, av.shape)),
           tuple(int(i) for i in np.unravel_index(ir, av.shape)))
    extra = f"Mismatched elements: {wrong} / {n} ({wrong / n:.1%})"
    raise _Failure(AssertionError, _mismatch("Tensor-likes", extra, abs_diff[ia].item(), rel_diff[ir].item(),
                                             atol, rtol, idx))


def _is_number(x: Any) -> bool:
    return isinstance(x, (bool, int, float, complex)) and not isinstance(x, Tensor)


def _is_sequence(x: Any) -> bool:
    return isinstance(x, collections.abc.Sequence) and not isinstance(x, str)


def _compare(actual: Any, expected: Any, path: tuple, **opts: Any) -> None:
    if _is_sequence(actual) and _is_sequence(expected):
        if len(actual) != len(expected):
            raise _Failure(AssertionError, f"The length of the sequences mismatch: {len(actual)} != {len(expected)}")
        for i, (a, e) in enumerate(zip(actual, expected)):
            _compare(a, e, path + (i,), **opts)
        return
    if isinstance(actual, collections.abc.Mapping) and isinstance(expected, collections.abc.Mapping):
        if set(actual) != set(expected):
            missing, extra = set(expected) - set(actual), set(actual) - set(expected)
            raise _Failure(AssertionError, "The keys of the mappings do not match:\n"
                           f"Missing keys in the actual mapping: {sorted(missing)}\n"
                           f"Additional keys in the actual mapping: {sorted(extra)}")
        keys: Any = list(actual)
        try:                        # torch compares in sorted key order when the keys sort
            keys = sorted(keys)
        except Exception:  # noqa: BLE001
            pass
        for k in keys:
            _compare(actual[k], expected[k], path + (k,), **opts)
        return
    if actual is None or expected is None:
        if not (actual is None and expected is None):
            raise _Failure(AssertionError, f"None mismatch: {actual} is not {expected}" + _where(path))
        return
    tensorlike = (Tensor, np.ndarray)
    related = isinstance(actual, type(expected)) or isinstance(expected, type(actual))
    if isinstance(actual, tensorlike) and isinstance(expected, tensorlike) and related:
        try:
            _compare_tensors(actual, expected, path=path, **opts)
        except _Failure as f:
            raise _Failure(f.kind, f.msg + _where(path)) from None
        return
    if _is_number(actual) and _is_number(expected):
        try:
            _compare_numbers(actual, expected, path=path, **opts)
        except _Failure as f:
            raise _Failure(f.kind, f.msg + _where(path)) from None
        return
    raise _Failure(TypeError, f"No comparison pair was able to handle inputs of type {type(actual)} "
                   f"and {type(expected)}.")


def _where(path: tuple) -> str:
    return f"\n\nThe failure occurred for item {''.join(str([p]) for p in path)}" if path else ""


def assert_close(actual: Any, expected: Any, *, allow_subclasses: bool = True, rtol: float | None = None,
                 atol: float | None = None, equal_nan: bool = False, check_device: bool = True,
                 check_dtype: bool = True, check_layout: bool = True, check_stride: bool = False,
                 msg: str | Callable[[str], str] | None = None) -> None:
    """torch.testing.assert_close: raises AssertionError (torch's message) when
    `actual` and `expected` differ beyond the dtypes' default (or given) tolerances."""
    try:
        _compare(actual, expected, (), rtol=rtol, atol=atol, equal_nan=equal_nan, check_dtype=check_dtype)
    except _Failure as f:
        text = f.msg if msg is None else (msg(f.msg) if callable(msg) else msg)
        raise f.kind(text) from None


def assert_allclose(actual: Any, expected: Any, rtol: float | None = None, atol: float | None = None,
                    equal_nan: bool = True, msg: str = "") -> None:
    """The deprecated torch.testing.assert_allclose: no dtype check, nan equal by default."""
    warnings.warn("`torch.testing.assert_allclose()` is deprecated since 1.12 and will be removed in a future release. "
                  "Please use `torch.testing.assert_close()` instead. You can find detailed upgrade instructions in "
                  "https://github.com/pytorch/pytorch/issues/61844.", FutureWarning, stacklevel=2)
    if not isinstance(actual, Tensor):
        actual = _tensor(actual)
    if not isinstance(expected, Tensor):
        expected = _tensor(expected, dtype=actual.dtype)
    if rtol is None and atol is None:       # this function's own, looser defaults
        pairs = [_ALLCLOSE_PRECISIONS.get(t.dtype, (0.0, 0.0)) for t in (actual, expected)]
        rtol, atol = max(p[0] for p in pairs), max(p[1] for p in pairs)
    assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan, check_dtype=False, msg=msg or None)


_INTEGRAL = (dtypes.uint8, dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64)
_FLOATING = (dtypes.float16, dtypes.float32, dtypes.float64)


def _low_high(dtype: Any, low: Any, high: Any, lowest: float, highest: float, default_low: float,
              default_high: float) -> tuple:
    """torch's checks and clamping of make_tensor's [low, high) (integral dtypes: both rounded up)."""
    low = default_low if low is None else low
    high = default_high if high is None else high
    if any(isinstance(v, float) and math.isnan(v) for v in (low, high)):
        raise ValueError(f"`low` and `high` cannot be NaN, but got {low=} and {high=}")
    if low == high and dtype in _FLOATING:
        warnings.warn("Passing `low==high` to `torch.testing.make_tensor` for floating or complex types is "
                      "deprecated since 2.1 and will be removed in 2.3. Use `torch.full(...)` instead.",
                      FutureWarning, stacklevel=3)
    elif low >= high:
        raise ValueError(f"`low` must be less than `high`, but got {low} >= {high}")
    elif high < lowest or low >= highest:
        raise ValueError(f"The value interval specified by `low` and `high` is [{low}, {high}), but {dtype} only "
                         f"supports [{lowest}, {highest})")
    low, high = min(max(low, lowest), highest), min(max(high, lowest), highest)
    if dtype not in _FLOATING:
        return math.ceil(low), math.ceil(high)
    return low, high


def make_tensor(*shape: Any, dtype: Any, device: Any, low: float | None = None, high: float | None = None,
                requires_grad: bool = False, noncontiguous: bool = False, exclude_zero: bool = False,
                memory_format: Any = None) -> Tensor:
    """torch.testing.make_tensor: values drawn uniformly from [low, high)
    (defaults: bool [0, 2), uint8 [0, 10), signed [-9, 10), floating [-9, 9)),
    as torch draws them; `noncontiguous` gives every other element of a
    wider tensor; `exclude_zero` replaces zeros by 1 (bool, integers) or
    finfo.tiny (floating)."""
    if len(shape) == 1 and isinstance(shape[0], collections.abc.Sequence):
        shape = tuple(shape[0])
    shape = tuple(shape)
    if noncontiguous and memory_format is not None:
        raise ValueError(f"The parameters `noncontiguous` and `memory_format` are mutually exclusive, but got "
                         f"{noncontiguous=} and {memory_format=}")
    if requires_grad and dtype not in _FLOATING:
        raise ValueError(f"`requires_grad=True` is not supported for boolean and integral dtypes, but got {dtype=}")
    noncontiguous = noncontiguous and math.prod(shape) > 1
    if noncontiguous:
        shape = (*shape[:-1], 2 * shape[-1])
    if dtype is dtypes.bool_:
        lo, hi = _low_high(dtype, low, high, 0, 2, 0, 2)
        result = randint(lo, hi, shape, device=device, dtype=dtype)
    elif dtype in _INTEGRAL:
        info = iinfo(dtype)
        lo, hi = _low_high(dtype, low, high, info.min, info.max + (1 if dtype is not dtypes.int64 else 0), -9, 10)
        result = randint(lo, hi, shape, device=device, dtype=dtype)
    elif dtype in _FLOATING:
        info = finfo(dtype)
        lo, hi = _low_high(dtype, low, high, info.min, info.max, -9, 9)
        result = empty(shape, device=device, dtype=dtype)
        if hi - lo >= info.max:     # torch halves the range so its width stays finite
            result.uniform_(lo / 2, hi / 2).mul_(2)
        else:
            result.uniform_(lo, hi)
    else:
        raise TypeError(f"The requested dtype '{dtype}' is not supported by torch.testing.make_tensor(). To request "
                        "support, file an issue at: https://github.com/pytorch/pytorch/issues")
    if noncontiguous:
        result = result[..., 1::2]
    elif memory_format is not None:
        result = result.clone(memory_format=memory_format)
    if exclude_zero:
        result[result == 0] = 1 if dtype not in _FLOATING else finfo(dtype).tiny
    if dtype in _FLOATING:
        result.requires_grad = requires_grad
    return result
