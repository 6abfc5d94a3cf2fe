"""dtype objects with PyTorch's names, and PyTorch's type promotion."""
import numpy as np


class dtype:
    __slots__ = ("name", "np", "is_floating_point", "is_complex", "is_signed", "itemsize", "_rank")

    def __init__(self, name, np_dtype, rank):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.is_floating_point = self.np.kind == "f"
        self.is_complex = False
        self.is_signed = self.np.kind in "fi"
        self.itemsize = self.np.itemsize
        self._rank = rank   # promotion order: bool < ints < floats

    def __repr__(self):
        return "jitgrad." + self.name

    def __reduce__(self):
        return (_by_name, (self.name,))

    def to_complex(self):
        raise TypeError("jitgrad has no complex dtypes")

    def to_real(self):
        """The real dtype of the same size: jitgrad's dtypes are all real."""
        return self


bool_ = dtype("bool", np.bool_, 0)
uint8 = dtype("uint8", np.uint8, 1)
int8 = dtype("int8", np.int8, 2)
int16 = dtype("int16", np.int16, 3)
int32 = dtype("int32", np.int32, 4)
int64 = dtype("int64", np.int64, 5)
float16 = dtype("float16", np.float16, 6)
float32 = dtype("float32", np.float32, 7)
float64 = dtype("float64", np.float64, 8)

ALL = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64)
_BY_NP = {d.np: d for d in ALL}
_BY_NAME = {d.name: d for d in ALL}


def _by_name(name):
    return _BY_NAME[name]


def from_numpy(np_dtype):
    try:
        return _BY_NP[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).type.__name__}. The only "
                        "supported types are: float64, float32, float16, complex64, complex128, int64, int32, "
                        "int16, int8, uint64, uint32, uint16, uint8, and bool.") from None


_default_float = float32


_DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia",
                 "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")


class device:
    """torch.device: jitgrad's tensors all live on the CPU, but user code
    names devices (`torch.device("cuda" if torch.cuda.is_available() else "cpu")`)."""
    __module__ = "jitgrad"
    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, str):
            if ":" in type:
                type, i = type.split(":", 1)
                index = int(i)
            if type not in _DEVICE_TYPES:
                raise RuntimeError(f"Expected one of {', '.join(_DEVICE_TYPES)} device type at start of device "
                                   f"string: {type}")
        else:
            raise TypeError(f"device() received an invalid combination of arguments - got ({type.__class__.__name__})")
        self.type, self.index = type, index

    def __repr__(self):
        return f"device(type='{self.type}')" if self.index is None else \
            f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))


CPU = device("cpu")


def check_device(d):
    """Devices other than the CPU: torch's error when it has no CUDA."""
    if d is not None and device(d).type != "cpu":
        raise AssertionError("Torch not compiled with CUDA enabled")


def get_default_dtype():
    return _default_float


def set_default_dtype(d):
    global _default_float
    if d not in (float32, float64, float16):
        raise TypeError("only floating-point types are supported as the default type")
    _default_float = d


def _category(d):
    return 2 if d.is_floating_point else (1 if d is not bool_ else 0)


def promote_types(a, b):
    """torch.promote_types for two tensor dtypes."""
    if a is b:
        return a
    if (a is uint8 and b is int8) or (a is int8 and b is uint8):
        return int16    # neither holds the other's range
    return a if a._rank >= b._rank else b


def result_type(dims_and_dtypes, scalar_kinds):
    """Result dtype of an op, following torch's three priority classes.

    `dims_and_dtypes`: (ndim, dtype) per tensor operand; `scalar_kinds`: the
    Python scalars' categories (0 bool, 1 int, 2 float). Zero-dim tensors
    only decide within a higher category, Python scalars only across one.
    """
    dim_res = zero_res = None
    for ndim, d in dims_and_dtypes:
        if ndim:
            dim_res = d if dim_res is None else promote_types(dim_res, d)
        else:
            zero_res = d if zero_res is None else promote_types(zero_res, d)
    res = dim_res
    if zero_res is not None:
        if res is None or _category(zero_res) > _category(res):
            res = zero_res
        elif _category(zero_res) == _category(res) and res is None:
            res = zero_res
    for kind in scalar_kinds:
        if res is None:
            res = (bool_, int64, _default_float)[kind]
        elif kind > _category(res):
            res = int64 if kind == 1 else _default_float
    return res


# PyTorch's names of the dtypes, as its messages print them.
TORCH_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
               "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}
# std::numeric_limits<T>::digits of the float types (the bits of one uniform draw).
DIGITS = {"float16": 11, "float32": 24, "float64": 53}
CPP_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
             "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


# ----- Python numbers converted to a dtype, as torch converts them -----------
# torch's checked conversion (c10's `overflows`) of a Python number written
# into a tensor (full, fill_, masked_fill, torch.tensor(..., dtype=...)):
# ints must fit the type's range (unsigned types also take -max..-1, which
# wrap: -1 is 255 in uint8), floats must be finite and in range for integer
# types, within +-max (inf and nan allowed) for float types. Operands of
# arithmetic are not checked but wrapped (int8 + 300 adds 44).
_FILL_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "int64_t",
               "int32": "int", "int16": "int16_t", "int8": "int8_t", "uint8": "uint8_t"}
_FLOAT_MAX = {"float16": 65504.0, "float32": 3.4028234663852886e38}


def _overflows(v, d) -> bool:
    if d.is_floating_point:
        top = _FLOAT_MAX.get(d.name)
        return top is not None and v == v and abs(v) != float("inf") and abs(v) > top
    info = np.iinfo(d.np)
    if isinstance(v, float):
        return not (info.min <= v <= info.max)     # (nan and +-inf fail too)
    if info.min == 0:
        return v > info.max or -v > info.max
    return not (info.min <= v <= info.max)


def checked_number(v, d, fill: bool = True):
    """Python number v written into a tensor of dtype d: v as d holds it
    (an int for integer types, wrapped for negative unsigned), or torch's
    RuntimeError when it overflows. `fill`: the message names the C++ type
    (full, fill_, ...) as torch's fill kernels do; else the dtype's name
    (torch.tensor), which checks only integer types."""
    if d is bool_ or isinstance(v, bool):
        return v
    if isinstance(v, np.generic):
        v = v.item()
    if (fill or not d.is_floating_point) and _overflows(v, d):
        name = _FILL_NAMES[d.name] if fill else d.name
        raise RuntimeError(f"value cannot be converted to type {name} without overflow")
    if d.is_floating_point:
        return v
    return wrap_int(int(v), d)


def wrap_int(v: int, d) -> int:
    """Python int v as the integer dtype d holds it, two's complement (torch
    casts a Python int operand to the tensor's type: int8 + 300 adds 44)."""
    bits = 8 * d.itemsize
    v &= (1 << bits) - 1
    if d.is_signed and v >> (bits - 1):
        v -= 1 << bits
    return v


def astype(arr, d):
    """arr cast to dtype d as torch casts: to float16 through float32
    (c10::Half converts from float: a double rounds twice)."""
    if arr.dtype.kind == "f" and (d.np.kind in "iu" or d.np.itemsize < arr.dtype.itemsize):
        # (nan, inf, out of range: torch's values, which the callers fix up,
        # without NumPy's RuntimeWarning, which torch does not give)
        with np.errstate(invalid="ignore", over="ignore"):
            return _astype(arr, d)
    return _astype(arr, d)


def _astype(arr, d):
    if d is float16 and arr.dtype.kind in "fiu" and arr.dtype.itemsize > 4 - (arr.dtype.kind != "f") * 2:
        arr = arr.astype(np.float32)
    return arr.astype(d.np)
