"""The layout (stride(), is_contiguous(), whether view(-1) works) of an
elementwise result, a sort's and a softmax's, of a non-contiguous input is
torch's: TensorIterator keeps a permuted input's layout (two operands that
disagree: the first one's), sort writes into empty_like(input), softmax a
contiguous result. jitgrad's scalar paths (smallmath), the kernels' value
maps and NumPy's ufuncs of operands that disagree wrote C order."""
import math

import numpy as np
import pytest

import jitgrad

torch = pytest.importorskip("torch")

OPS = {
    "exp": lambda t, x: x.exp(), "log": lambda t, x: (x.abs() + 1).log(), "sin": lambda t, x: x.sin(),
    "sqrt": lambda t, x: x.abs().sqrt(), "tanh": lambda t, x: x.tanh(), "sigmoid": lambda t, x: x.sigmoid(),
    "erf": lambda t, x: x.erf(), "softplus": lambda t, x: t.nn.functional.softplus(x),
    "gelu": lambda t, x: t.nn.functional.gelu(x), "gelu_tanh": lambda t, x: t.nn.functional.gelu(x, approximate="tanh"),
    "silu": lambda t, x: t.nn.functional.silu(x), "elu": lambda t, x: t.nn.functional.elu(x),
    "leaky_relu": lambda t, x: t.nn.functional.leaky_relu(x, 0.1), "relu": lambda t, x: x.relu(),
    "clamp": lambda t, x: x.clamp(-0.5, 0.5), "abs": lambda t, x: x.abs(), "neg": lambda t, x: -x,
    "round": lambda t, x: x.round(), "sign": lambda t, x: x.sign(), "nan_to_num": lambda t, x: x.nan_to_num(),
    "square": lambda t, x: x ** 2, "pow_frac": lambda t, x: x.abs() ** 2.5, "rpow": lambda t, x: 2.0 ** x, "pow_number_base": lambda t, x: t.pow(2.0, x),
    "add_number": lambda t, x: x + 1, "rsub_number": lambda t, x: 2 - x, "div_number": lambda t, x: x / 3,
    "mul_self": lambda t, x: x * x, "sub_contiguous": lambda t, x: x - x.contiguous(),
    "contiguous_mul": lambda t, x: x.contiguous() * x, "max_contiguous": lambda t, x: t.maximum(x, x.contiguous()),
    "add_row": lambda t, x: x + t.ones(x.shape[-1], dtype=x.dtype), "add_column": lambda t, x: x + x[..., :1],
    "atan2": lambda t, x: t.atan2(x, x + 1), "atan2_contiguous": lambda t, x: t.atan2(x.contiguous(), x + 1),
    "hypot": lambda t, x: t.hypot(x, x.contiguous()), "lerp": lambda t, x: t.lerp(x, x * 2, 0.3),
    "lerp_tensor": lambda t, x: t.lerp(x, x.contiguous(), t.full_like(x, 0.7)),
    "addcmul": lambda t, x: t.addcmul(x, x, x), "where": lambda t, x: t.where(x > 0.1, x, 0.0),
    "sort0": lambda t, x: x.sort(0)[0], "sort_last": lambda t, x: x.sort(-1, descending=True)[0],
    "argsort": lambda t, x: x.argsort(-1), "sort_indices": lambda t, x: x.sort(0)[1],
    "softmax0": lambda t, x: x.softmax(0), "softmax_last": lambda t, x: x.softmax(-1),
    "clone": lambda t, x: x.clone(), "dropout0": lambda t, x: t.nn.functional.dropout(x, 0.0),
    "lt_contiguous": lambda t, x: x < x.contiguous(), "eq_contiguous": lambda t, x: x.contiguous() == x,
    "gt_number": lambda t, x: x > 0.2, "floor_divide": lambda t, x: t.floor_divide(x, x.contiguous() + 3),
    "remainder": lambda t, x: x % (x.contiguous() + 3), "fmax": lambda t, x: t.fmax(x, x.contiguous() * 0.5),
    "fmin": lambda t, x: t.fmin(x, x.contiguous() * 0.5), "heaviside": lambda t, x: t.heaviside(x, x.contiguous()),
    "logical_and": lambda t, x: t.logical_and(x, x.contiguous() > 0),
    "zeros_like": lambda t, x: t.zeros_like(x), "ones_like": lambda t, x: t.ones_like(x, dtype=t.float64),
    "full_like": lambda t, x: t.full_like(x, 2.0), "empty_like": lambda t, x: t.empty_like(x),
    "rand_like": lambda t, x: t.rand_like(x), "randn_like": lambda t, x: t.randn_like(x),
    "zeros_like_contiguous": lambda t, x: t.zeros_like(x, memory_format=t.contiguous_format),
    "randn_like_contiguous": lambda t, x: t.randn_like(x, memory_format=t.contiguous_format),
}


def _input(t, layout: str, rg: bool):
    """A non-contiguous float tensor of the named layout (values in about -1..1)."""
    def grid(*shape):
        n = math.prod(shape)
        return (t.arange(float(n)).reshape(shape) * 0.37 % 2.1 - 1.0)
    x = {"transposed": lambda: grid(3, 4).t(), "permuted": lambda: grid(2, 3, 4).permute(2, 0, 1),
         "stepped": lambda: grid(6, 8)[:, ::2], "transposed_stepped": lambda: grid(6, 8).t()[::2],
         "permuted_stepped": lambda: grid(2, 3, 8).permute(2, 0, 1)[::2],
         "float32": lambda: grid(3, 5).float().t(),
         "large": lambda: grid(30, 40).t(),      # (NumPy's paths: past smallmath.ARRAY_MAX)
         "bulk": lambda: grid(80, 80).t()}[layout]()
    return x.requires_grad_() if rg else x


def _layout(t, op: str, layout: str, rg: bool):
    y = OPS[op](t, _input(t, layout, rg))
    try:
        y.view(-1)
        viewed = "ok"
    except RuntimeError as e:
        viewed = str(e)
    return tuple(y.stride()), y.is_contiguous(), viewed


LAYOUTS = ["transposed", "permuted", "stepped", "transposed_stepped", "permuted_stepped", "float32"]


def _mismatches(ops, layout: str, rg: bool) -> dict:
    """{op: (jitgrad's, torch's)} where the layouts differ."""
    got = {op: (_layout(jitgrad, op, layout, rg), _layout(torch, op, layout, rg)) for op in ops}
    return {op: pair for op, pair in got.items() if pair[0] != pair[1]}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_result_layout_is_torch_s(layout):
    assert _mismatches(sorted(OPS), layout, True) == {}


@pytest.mark.parametrize("layout", ["transposed", "permuted", "transposed_stepped", "large", "bulk"])
@pytest.mark.parametrize("rg", [True, False])
def test_result_layout_of_larger_and_untracked_inputs_is_torch_s(layout, rg):
    ops = ["exp", "tanh", "sigmoid", "gelu", "sub_contiguous", "contiguous_mul", "atan2", "lerp", "sort0",
           "mul_self", "softplus", "rpow"]
    assert _mismatches(ops, layout, rg) == {}


@pytest.mark.parametrize("op", ["exp", "tanh", "gelu", "sub_contiguous", "atan2", "lerp", "sort0", "rpow"])
@pytest.mark.parametrize("layout", ["transposed", "permuted_stepped", "large"])
def test_values_and_gradients_do_not_depend_on_the_layout(op, layout):
    """The re-laid-out result holds the values the contiguous input gives,
    bit for bit, and so do the gradients (and a compiled replay's)."""
    def run(contiguous: bool):
        x = _input(jitgrad, layout, False)
        x = (x.contiguous() if contiguous else x).requires_grad_()
        y = OPS[op](jitgrad, x)
        (y * jitgrad.arange(float(y.numel())).reshape(y.shape)).sum().backward()
        return y.detach().numpy().tobytes(), x.grad.numpy().tobytes()
    assert run(False) == run(True)


def test_compiled_replay_of_a_transposed_input_keeps_values():
    def f(x):
        return (x.t().exp() - x.t().contiguous()).tanh() * 2
    x = jitgrad.tensor(np.linspace(-1, 1, 12).reshape(3, 4), requires_grad=True)
    cf = jitgrad.compile(f)
    for _ in range(2):
        got = cf(x)
    want = f(x)
    assert got.detach().numpy().tobytes() == want.detach().numpy().tobytes()
    (g1,) = jitgrad.autograd.grad(got.sum(), x)
    (g2,) = jitgrad.autograd.grad(want.sum(), x)
    assert g1.numpy().tobytes() == g2.numpy().tobytes()


@pytest.mark.parametrize("layout", ["transposed", "permuted_stepped", "large"])
@pytest.mark.parametrize("draw", ["rand_like", "randn_like", "uniform_", "normal_", "randn_like_f64"])
def test_random_draws_into_a_permuted_layout_are_torch_s(draw, layout):
    """torch's rand_like/randn_like of a permuted input draw into
    empty_like(input) (its layout), and the serial samplers of uniform_ and
    normal_ walk a non-contiguous tensor in memory order: values sit where
    torch puts them (jitgrad drew in C order)."""
    def run(t):
        x = _input(t, layout, False)
        t.manual_seed(7)
        y = {"rand_like": lambda: t.rand_like(x), "randn_like": lambda: t.randn_like(x),
             "uniform_": lambda: x.clone().uniform_(-1, 2), "normal_": lambda: x.clone().normal_(1, 3),
             "randn_like_f64": lambda: t.randn_like(x, dtype=t.float64, requires_grad=True)}[draw]()
        return y.tolist(), tuple(y.stride()), y.dtype == t.float64, y.requires_grad
    assert run(jitgrad) == run(torch)
