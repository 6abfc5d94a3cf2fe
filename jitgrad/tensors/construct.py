"""The public constructor, jitgrad.tensor(data, dtype=..., requires_grad=...):
dtype inference from nested lists, NumPy arrays and tensors, as torch's."""
import warnings

import numpy as np

from ..core import dtypes as D
from ..core.arrays import quiet
from . import tensor as _T
from .scalar_ops import tensor_of_numbers
from .tensor import Size, Tensor, _guard_taint, _init, type_name


def _infer_array(data, dtype):
    if isinstance(data, Tensor):
        arr = data._data().copy()
        return arr, dtype or data.dtype
    if isinstance(data, np.ndarray):
        return np.array(data), dtype or D.from_numpy(data.dtype)
    if isinstance(data, np.generic):
        return np.array(data), dtype or D.from_numpy(np.asarray(data).dtype)
    if isinstance(data, (list, tuple, range)):
        if dtype is None:
            dtype = _nested_dtype(data) or D.get_default_dtype()
        try:
            with quiet():       # (floats beyond a float dtype's range: inf, without NumPy's warning)
                arr = np.array(_to_nested(data), dtype=dtype.np)
        except OverflowError:
            raise ValueError("Overflow when unpacking long long") from None
        except (ValueError, TypeError):
            _check_nested(data)
            raise
        return arr, dtype
    if isinstance(data, bool):
        return np.array(data), dtype or D.bool_
    if isinstance(data, int):
        if not -2 ** 63 <= data < 2 ** 63 and (dtype is None or not dtype.is_floating_point):
            raise ValueError("Overflow when unpacking long long")
        return np.array(data), dtype or D.int64
    if isinstance(data, float):
        return np.array(data), dtype or D.get_default_dtype()
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")


def _nested_dtype(data):
    """torch's scalar type of a nested sequence: every element's own type
    (Python float: the default dtype, int: int64, tensors and NumPy values:
    theirs), promoted together; None for an empty sequence."""
    res = None
    for v in data:
        if v.__class__ is float:
            d = _default_float()
        elif v.__class__ is int:
            d = D.int64
        elif isinstance(v, (np.ndarray, np.generic)):    # before float: np.float64 is a float
            d = D.from_numpy(v.dtype)
        elif isinstance(v, bool):
            d = D.bool_
        elif isinstance(v, int):
            d = D.int64
        elif isinstance(v, float):
            d = _default_float()
        elif isinstance(v, Tensor):
            d = v.dtype
        elif isinstance(v, (list, tuple, range)):
            d = _nested_dtype(v)
            if d is None:
                continue
        elif isinstance(v, str):
            raise TypeError("new(): invalid data type 'str'")    # (a string first in line: _first_str)
        else:
            raise RuntimeError(f"Could not infer dtype of {type(v).__name__}")
        res = d if res is None or res is d else D.promote_types(res, d)
    return res


def _first_str(data) -> None:
    """torch takes the sizes from the first elements: a string there is a sequence without end."""
    while isinstance(data, (list, tuple)) and data:
        data = data[0]
        if isinstance(data, str):
            raise ValueError("too many dimensions 'str'")


_NUMBERS = (bool, int, float, np.generic, np.ndarray, Tensor)


def _check_elements(data, dtype) -> None:
    """torch's TypeError for an element of a nested list that is not a number, given a dtype
    (NumPy would make None a nan, a string a number, anything True as bool)."""
    for v in data:
        if isinstance(v, (list, tuple, range)):
            _check_elements(v, dtype)
        elif not isinstance(v, _NUMBERS):
            if dtype.is_floating_point:
                raise TypeError(f"must be real number, not {type(v).__name__}")
            raise TypeError(f"'{type(v).__name__}' object cannot be interpreted as an integer")


def _default_float():
    return D.get_default_dtype()


def _check_nested(data):
    """torch's errors for a ragged nested sequence (sizes come from the first
    elements, as torch's compute_sizes takes them)."""
    sizes, seq = [], data
    while isinstance(seq, (list, tuple, range, np.ndarray)):
        sizes.append(len(seq))
        if not len(seq):
            break
        seq = seq[0]

    def walk(seq, dim):
        if dim == len(sizes):
            return
        if not isinstance(seq, (list, tuple, range, np.ndarray)):
            raise TypeError("not a sequence")
        if len(seq) != sizes[dim]:
            raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(seq)})")
        for v in seq:
            walk(v, dim + 1)
    walk(data, 0)


def _to_nested(data):
    if isinstance(data, (list, tuple)):
        return [_to_nested(d) for d in data]
    if isinstance(data, Tensor):
        if data.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return data.item()
    return data


def _checked_ints(data, dtype):
    """Nested Python numbers as the integer dtype holds them, each checked
    as torch checks it (RuntimeError past the type's range, nan, inf)."""
    if isinstance(data, (list, tuple)):
        return [_checked_ints(v, dtype) for v in data]
    if isinstance(data, (bool, np.bool_)) or not isinstance(data, (int, float, np.generic)):
        return data
    if isinstance(data, int) and not -2 ** 63 <= data < 2 ** 63:
        raise ValueError("Overflow when unpacking long long")
    return D.checked_number(data, dtype, fill=False)


def _tensors_in(data):
    if data.__class__ is Tensor:
        return [data]
    if isinstance(data, (list, tuple)):
        return [t for d in data for t in _tensors_in(d)]
    return []


def check_creation_args(fname: str, dtype, requires_grad) -> None:
    """torch's argument parser: dtype must be a torch.dtype and requires_grad
    a bool (a string such as 'float32' or 'yes' is a TypeError)."""
    if dtype is not None and not isinstance(dtype, D.dtype):
        raise TypeError(f"{fname}(): argument 'dtype' must be torch.dtype, not {type_name(dtype)}")
    # (a factory's requires_grad is a TensorOptions keyword its parser takes None for: False;
    # torch.tensor's is an ordinary bool)
    if requires_grad.__class__ is not bool and (requires_grad is not None or fname == "tensor"):
        raise TypeError(f"{fname}(): argument 'requires_grad' must be bool, not {type_name(requires_grad)}")


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """jitgrad.tensor: a new leaf tensor holding a copy of `data`."""
    check_creation_args("tensor", dtype, requires_grad)
    _first_str(data)
    if data.__class__ is list:
        t = tensor_of_numbers(data, dtype, requires_grad)     # (a few floats or 0-d tensors)
        if t is not None:
            return t
    if _T._guard_hook is not None:      # (read from its module: compile sets it there)
        ts = _tensors_in(data)
        if ts:
            _guard_taint("jitgrad.tensor() of tensor values", *ts)
    if isinstance(data, (list, tuple)) and _T.STATE.grad_enabled:
        for t in _tensors_in(data):
            if t._rg and t.requires_grad:   # (torch converts, and warns, element by element)
                _T.warn_scalar_conversion(stacklevel=4)
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
            "or sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor).",
            UserWarning, stacklevel=2)
    if dtype is not None and isinstance(data, (list, tuple)):
        _check_elements(data, dtype)
    if dtype is not None and not dtype.is_floating_point and dtype is not D.bool_ and not isinstance(
            data, (np.ndarray, Tensor)):
        data = _checked_ints(data, dtype)
    arr, dt = _infer_array(data, dtype)
    if arr.dtype != dt.np:
        arr = D.astype(arr, dt)
    t = Tensor._wrap(arr, dt)
    if requires_grad:
        if not dt.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t._rg = True
    return t


def _legacy_new(cls, *data, **kwargs):
    """`Tensor(tensor)` is torch's alias of it (its dtype and storage,
    AliasBackward0 when it requires grad), not a float32 copy."""
    if cls is Tensor and len(data) == 1 and not kwargs and isinstance(data[0], Tensor):
        return data[0][...]
    return object.__new__(cls)


def _legacy_init(self, *data):
    """`Tensor(data)` / `Tensor(2, 3)`: torch's legacy float32 constructor."""
    if len(data) == 1 and isinstance(data[0], Tensor):
        return      # (_legacy_new returned the alias)
    if len(data) == 1 and isinstance(data[0], Size):      # (a shape, as torch.Tensor(2, 3); () a 0-d one)
        t = tensor(np.zeros(tuple(data[0]), np.float32))
    elif len(data) == 1 and not isinstance(data[0], int):
        t = tensor(data[0], dtype=D.float32)
    else:
        t = tensor(np.zeros(data, np.float32) if data else np.zeros(0, np.float32))
    _init(self, t._v, t._arr, D.float32)


Tensor.__new__ = _legacy_new     # type: ignore[method-assign, assignment]
Tensor.__init__ = _legacy_init
