"""arrays.sum_short_rows (cdist's squared norms of points) is sum_dims over
the last dim bit for bit (torch's order), special values included, and
cdist of points still matches torch."""
import numpy as np
import pytest
import torch

import jitgrad
from jitgrad.core.arrays import sum_short_rows
from jitgrad.core.torch_sum import sum_dims

SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, -1e-45, 3.4e38, -3.4e38, 1e308, -1e308, 5e-324,
                    1.0, -1.0, 1e-8, 1e8])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(2, 2), (7, 3), (3, 5, 2), (2, 4, 3), (33, 3)])
def test_sum_short_rows_is_sum_dims_bit_for_bit(dtype, shape):
    rng = np.random.default_rng(sum(shape))
    for _ in range(40):
        a = rng.normal(size=shape) * 10.0 ** rng.integers(-40, 40, size=shape)
        mask = rng.random(shape) < 0.3
        a[mask] = rng.choice(SPECIAL, size=mask.sum())
        with np.errstate(all="ignore"):
            a = a.astype(dtype)
        for keep in (True, False):
            want = sum_dims(a, (a.ndim - 1,), keep)
            got = sum_short_rows(a, keep)
            assert got.dtype == want.dtype and got.shape == want.shape
            assert got.tobytes() == want.tobytes()


def test_sum_short_rows_declines_other_layouts():
    a = np.ones((4, 3))
    assert sum_short_rows(a.T) is None                # (not C-contiguous)
    assert sum_short_rows(np.ones((5, 4))) is None    # (rows of 4: torch's vectorized sums)
    assert sum_short_rows(np.ones((1, 3))) is None    # (one row: a full sum)
    assert sum_short_rows(np.ones((3, 3), np.int64)) is None


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cdist_of_points_matches_torch(dtype):
    x = np.random.default_rng(1).uniform(-2.0, 2.0, (30, 3)).astype(dtype)
    y = np.random.default_rng(2).uniform(-2.0, 2.0, (27, 3)).astype(dtype)
    res = []
    for lib in (jitgrad, torch):
        a, b = lib.tensor(x, requires_grad=True), lib.tensor(y, requires_grad=True)
        d = lib.cdist(a, b)
        ga, gb = lib.autograd.grad((d * d.detach().cos()).sum(), [a, b])
        res.append((d.detach().numpy(), ga.numpy(), gb.numpy()))
    for p, q in zip(*res):
        np.testing.assert_allclose(p, q, rtol=2e-5 if dtype == "float32" else 1e-12, atol=1e-6)
