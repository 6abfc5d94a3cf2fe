"""jitgrad.nn.functional: activations and losses, composed from primitives
(no derivative code here)."""
from .. import functions as F
from .. import ops as O
from ..tensor import _param_unary


def relu(input, inplace=False):
    return F.relu(input)


def sigmoid(input):
    return F.sigmoid(input)


def tanh(input):
    return F.tanh(input)


def _checked(name, input):
    """`input` as a tensor, after torch's dtype check for op `name`."""
    x = F._as_tensor(input)
    if not x.dtype.is_floating_point:
        F._integer_input(name, x)
    return x


def _named(out, name):
    """Give a composite the backward name torch prints."""
    if out.requires_grad:
        out._name = name
    return out


def softplus(input, beta=1.0, threshold=20.0):
    x = _checked("softplus", input)
    if beta == 1 and threshold == 20:
        return F.softplus(x)
    # Linear above the threshold, as torch's kernel (exp would overflow).
    bx = x * beta
    return _named(F.where(bx > threshold, x, F.log1p(F.exp(F.clamp_max(bx, threshold))) / beta),
                  "SoftplusBackward0")


def gelu(input, approximate="none"):
    x = _checked("gelu", input)
    if approximate == "none":
        return F.gelu(x)
    if approximate != "tanh":
        raise RuntimeError(f"approximate argument must be either none or tanh.")
    inner = F.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))
    return _named(0.5 * x * (1 + inner), "GeluBackward0")


def silu(input, inplace=False):
    return F.silu(_checked("silu", input))


def leaky_relu(input, negative_slope=0.01, inplace=False):
    return _param_unary(O.PARAM_UNARY["leaky_relu"], _checked("leaky_relu", input), float(negative_slope))


def elu(input, alpha=1.0, inplace=False):
    return _param_unary(O.PARAM_UNARY["elu"], _checked("elu", input), float(alpha))
