"""Python operators on tensors against torch: `%` is torch's remainder
(differentiable for floats, RemainderBackward0/1), `//` has no derivative."""
import numpy as np
import pytest

from _compare import check, check_error

torch = pytest.importorskip("torch")

X = np.array([[5.5, -3.2, 0.75], [-7.0, 2.5, -0.25]])
Y = np.array([2.0, -1.5, 0.5])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", [
    lambda lib, x, y: x % 2,
    lambda lib, x, y: x % -1.5,
    lambda lib, x, y: x % y,
    lambda lib, x, y: (x * x) % (x + 9.0),
    lambda lib, x, y: x.remainder(y) + x.fmod(y),
])
def test_mod_matches_torch(case, dtype):
    check(torch, case, [X, Y], dtype)


def test_integer_mod_and_floordiv():
    check(torch, lambda lib, a, b: (a % 3, a // 3, a % b, 7 % b), [np.array([5, -3, 8]), np.array([2, -4, 3])],
          "int64")


@pytest.mark.parametrize("case", [lambda lib, a: a % 0, lambda lib, a: a % lib.tensor([1, 0, 2])])
def test_integer_division_by_zero_raises(case):
    check_error(torch, case, [np.array([5, -3, 8])], "int64")
