"""torch.nn.functional's activations and the softmax family, composed from
primitives (no derivative code here)."""
import warnings

from ..core import dtypes as D
from ..functional import functions as F
from ..core import ops as O
from ..core import saved_nodes as SN
from ..tensors.tensor import Tensor
from ..tensors.arith import _param_unary
from ..functional.arg_types import check_positional
from ..functional.arg_types import need_number, need_tensor
from ..functional.half_via_float32 import via_float32


def relu(input, inplace=False):
    return F.relu(input)


def sigmoid(input):
    return F.sigmoid(input)


def tanh(input):
    return F.tanh(input)


def _checked(name, input):
    """`input` as a tensor, after torch's dtype check for op `name`."""
    need_tensor(name, input)
    x = F._as_tensor(input)
    if not x.dtype.is_floating_point:
        F._integer_input(name, x)
    return x


def softplus(input, beta=1, threshold=20):
    if beta.__class__ is not float and beta.__class__ is not int:
        need_number("softplus", beta, "beta", 2)
    if input.__class__ is Tensor and beta == 1 and threshold == 20:
        return _softplus_args(F.softplus(input), beta, threshold)     # (the hot case: it checks the dtype itself)
    x = _checked("softplus", input)
    if beta == 1 and threshold == 20:
        return _softplus_args(F.softplus(x), beta, threshold)
    # Linear above the threshold, as torch's kernel (exp would overflow).
    bx = x * beta
    return F._named(F.where(bx > threshold, x, F.log1p(F.exp(F.clamp_max(bx, threshold))) / beta),
                    "SoftplusBackward0", x, saved={"beta": beta, "self": SN.Input(0), "threshold": threshold})


def _softplus_args(out, beta, threshold):
    tape = out._tape
    if out._rg and tape is not None and out._name == "SoftplusBackward0":
        if beta.__class__ is int and threshold.__class__ is int and tape.node_args is not None:
            tape.node_args[out._slot] = _SOFTPLUS_NOTE      # (the defaults: softplus is a hot op of scalar graphs)
        else:
            SN.note_args(tape, out._slot, "SoftplusBackward0", {"beta": beta, "self": SN.Input(0), "threshold": threshold})
    return out


_SOFTPLUS_NOTE = ("SoftplusBackward0", {"beta": 1, "self": SN.Input(0), "threshold": 20})     # (read-only)


@via_float32
def gelu(input, *, approximate="none"):
    x = _checked("gelu", input)
    if approximate == "none":
        return F._saved_args(F.gelu(x), "GeluBackward0", approximate="none", self=SN.Input(0))
    if approximate != "tanh":
        raise RuntimeError("approximate argument must be either none or tanh.")
    inner = F.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))
    return F._named(0.5 * x * (1 + inner), "GeluBackward0", x, saved={"approximate": "tanh", "self": SN.Input(0)})


def silu(input, inplace=False):
    return F.silu(_checked("silu", input))


def _truthy(flag) -> bool:
    """`if inplace:` as torch's Python takes it (torch then calls the op's in-place form)."""
    return isinstance(flag, (bool, int, float)) and bool(flag)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    need_number("leaky_relu_" if _truthy(inplace) else "leaky_relu", negative_slope, "negative_slope", 2)
    out = _param_unary(O.PARAM_UNARY["leaky_relu"], _checked("leaky_relu", input), float(negative_slope))
    return F._saved_args(out, "LeakyReluBackward0", negative_slope=negative_slope, self=SN.InputLike(0))


def elu(input, alpha=1.0, inplace=False):
    need_number("elu_" if _truthy(inplace) else "elu", alpha, "alpha", 2)
    out = _param_unary(O.PARAM_UNARY["elu"], _checked("elu", input), float(alpha))
    return F._saved_args(out, "EluBackward0", alpha=alpha, input_scale=1, scale=1, self=SN.InputLike(0))


# ----- softmax --------------------------------------------------------------

def _softmax_input(input, dim, dtype, name, stacklevel=3):
    """(input cast to dtype, the dim), choosing dim as torch does when omitted
    (its warning `stacklevel` frames up: softmax's _stacklevel)."""
    if not isinstance(input, Tensor):       # (torch's Python calls input.dim() / input.softmax(dim))
        raise AttributeError(f"'{type(input).__name__}' object has no attribute "
                             f"'{'dim' if dim is None else name if name != 'softmin' else 'softmax'}'")
    x = F._as_tensor(input)
    if dim is None:
        warnings.warn(f"Implicit dimension choice for {name} has been deprecated. "
                      "Change the call to include dim=X as an argument.", stacklevel=stacklevel)
        dim = 0 if x.ndim in (0, 1, 3) else 1
    if dtype is not None:
        x = F._to_dtype(x, dtype)
    return x, dim


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    if input.__class__ is Tensor and type(dim) is int and dtype is None:
        return F.softmax(input, dim)     # (the hot case: nothing to convert)
    x, dim = _softmax_input(input, dim, dtype, "softmax", _stacklevel)
    return x.softmax(dim)     # (the method checks dim's type as torch's parser: no tuple)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    if input.__class__ is Tensor and type(dim) is int and dtype is None:
        return F.log_softmax(input, dim)     # (the hot case: nothing to convert)
    x, dim = _softmax_input(input, dim, dtype, "log_softmax", _stacklevel)
    return x.log_softmax(dim)


# ----- more activations (composites) -----------------------------------------

def _floating_only(kernel, *xs):
    """torch's error for ops whose CPU kernel exists for floating dtypes only."""
    for x in xs:
        if isinstance(x, Tensor) and not x.dtype.is_floating_point:
            raise NotImplementedError(f'"{kernel}" not implemented for \'{D.TORCH_NAMES[x.dtype.name]}\'')


def logsigmoid(input):
    need_tensor("log_sigmoid", input)
    x = F._as_tensor(input)
    _floating_only("log_sigmoid_cpu", x)
    # (0 - softplus: torch's min(x, 0) - log1p(exp(-|x|)) is +0.0 where it vanishes, not -0.0)
    return F._named(F._c_order(0.0 - F.softplus(-x)), "LogSigmoidBackward0", x)    # (torch's: contiguous)


def softsign(input):
    return input / (input.abs() + 1)     # torch's own Python definition


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    x, dim = _softmax_input(input, dim, dtype, "softmin", _stacklevel)
    check_positional("softmax", (("int", "dim", dim),))     # (torch's (-input).softmax(dim))
    return F.softmax(-x, dim)
