"""Python numbers written into or combined with integer (and float16)
tensors, as torch converts them: checked where torch writes a number into a
tensor (torch.tensor, full, fill_, masked_fill, index_fill, scatter, where,
clamp: `value cannot be converted to type int8_t without overflow`),
wrapped where it is an operand (int8 + 300 adds 44, uint8 > -1 compares
with 255), and clamp by a nan bound is nan. Each case runs on torch and
jitgrad: the same values and dtype, or the same error type and message."""
import warnings

import numpy as np
import pytest

from _fidelity import LIBS


def outcome(fn, lib):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            r = fn(lib)
        except Exception as e:      # noqa: BLE001 (the error is the result compared)
            return type(e).__name__, str(e).replace("jitgrad", "torch")
    return r.tolist(), str(r.dtype).split(".")[-1]


def _same(fn):
    want, got = (outcome(fn, L) for L in LIBS)
    assert got == want or (repr(got) == repr(want)), (got, want)      # (repr: nan == nan)


INT_DTYPES = ("uint8", "int8", "int16", "int32", "int64", "bool", "float16", "float32")
NUMBERS = (300, 1e30, -1, -1.0, float("nan"), float("inf"), 70000.0, 2 ** 40, -256, -255, 2 ** 63 - 1, 2.5, -3.9)

WRITES = {
    "full": lambda L, d, v: L.full((2,), v, dtype=d),
    "fill_": lambda L, d, v: L.zeros(2, dtype=d).fill_(v),
    "tensor_list": lambda L, d, v: L.tensor([v], dtype=d),
    "tensor_scalar": lambda L, d, v: L.tensor(v, dtype=d),
    "masked_fill": lambda L, d, v: L.zeros(2, dtype=d).masked_fill(L.tensor([True, False]), v),
    "index_fill": lambda L, d, v: L.zeros(2, dtype=d).index_fill(0, L.tensor([0]), v),
    "scatter_value": lambda L, d, v: L.zeros(3, dtype=d).scatter(0, L.tensor([1]), v),
    "where_number": lambda L, d, v: L.where(L.tensor([True, False]), L.zeros(2, dtype=d), v),
    "clamp_max": lambda L, d, v: L.zeros(2, dtype=d).clamp(max=v),
    "new_full": lambda L, d, v: L.zeros(1, dtype=d).new_full((2,), v),
    "add": lambda L, d, v: L.zeros(2, dtype=d) + v,
}


@pytest.mark.parametrize("op", sorted(WRITES))
@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_number_written_or_combined(op, dtype):
    for v in NUMBERS:
        if dtype == "float16" and op == "add" and abs(v) > 65504:
            continue    # (torch multiplies float16 by the number in float32: not emulated)
        _same(lambda L: WRITES[op](L, getattr(L, dtype), v))


OPERANDS = [
    lambda L: L.tensor([44], dtype=L.int8) == 300,
    lambda L: L.tensor(44, dtype=L.int8) == 300,
    lambda L: L.tensor(44, dtype=L.int8) + 300,
    lambda L: L.tensor(5, dtype=L.uint8) * -1,
    lambda L: L.tensor([44], dtype=L.int8).add(300, alpha=2),
    lambda L: L.tensor([4], dtype=L.int16).mul(70000),
    lambda L: L.tensor(4, dtype=L.int16) // 70000,
    lambda L: 3 - L.tensor([4], dtype=L.uint8),
    lambda L: L.tensor([4], dtype=L.int8) < 200,
    lambda L: L.zeros(2, dtype=L.uint8) > -1,
    lambda L: L.tensor([1, 2], dtype=L.int32) + 2 ** 40,
    lambda L: L.tensor([3], dtype=L.int8) ** 200,
    lambda L: L.tensor([3, 4], dtype=L.int8) & 300,
    lambda L: L.tensor([3, 4], dtype=L.uint8) ^ -1,
    lambda L: L.ones(2, dtype=L.int16).remainder(70000),
    lambda L: L.zeros(2, dtype=L.int8).clamp_(0, 200),
    lambda L: L.zeros(2, dtype=L.int8).clamp_min(-200),
    lambda L: L.tensor([[1, 2], [3, 300]], dtype=L.uint8),
    lambda L: L.tensor([-1.5, 2.7], dtype=L.int8),
    lambda L: L.tensor([True, 2], dtype=L.int8),
    lambda L: L.tensor([np.int64(300)], dtype=L.int8),
    lambda L: L.tensor([np.float64(1e30)], dtype=L.int8),
    lambda L: L.tensor([2 ** 63]),
    lambda L: L.tensor(2 ** 63),
    lambda L: L.tensor([2 ** 63], dtype=L.float32),
    lambda L: L.zeros(2, dtype=L.int64).fill_(2 ** 63),
    lambda L: L.zeros(2).fill_(1e300),
    lambda L: L.zeros(2).clamp(min=-1e300),
    lambda L: L.tensor([1e300], dtype=L.float32),
]


@pytest.mark.parametrize("i", range(len(OPERANDS)))
def test_number_operands(i):
    _same(OPERANDS[i])


@pytest.mark.parametrize("bounds", [dict(min=float("nan")), dict(min=0.0, max=float("nan")), dict(max=float("nan"))])
def test_clamp_by_nan_is_nan_without_gradient(bounds):
    res = []
    for L in LIBS:
        x = L.tensor([1.0, -2.0], requires_grad=True)
        y = x.clamp(**bounds)
        y.backward(L.tensor([1.0, -1.0]))
        res.append((y.detach().tolist(), x.grad.tolist(), np.signbit(x.grad.numpy()).tolist(), type(y.grad_fn).__name__))
    assert repr(res[1]) == repr(res[0])


@pytest.mark.parametrize("how", ["tensor", "half", "to", "from_ints"])
def test_float16_casts_round_through_float32(how):
    """torch converts a double to c10::Half through float (twice rounded):
    float16 tensors made from float64 data hold torch's bits."""
    g = np.random.default_rng(0)
    v = g.normal(size=20000) * 10.0 ** g.integers(-6, 4, 20000)
    ints = g.integers(-2 ** 40, 2 ** 40, 2000)
    bits = []
    for L in LIBS:
        t = {"tensor": lambda: L.tensor(v, dtype=L.float16), "half": lambda: L.tensor(v).half(),
             "to": lambda: L.tensor(v).to(L.float16), "from_ints": lambda: L.tensor(ints).half()}[how]()
        bits.append(t.numpy().view(np.uint16))
    np.testing.assert_array_equal(bits[1], bits[0])
