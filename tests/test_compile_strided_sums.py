"""compile: a sum or mean over a non-contiguous tensor is recorded as a gather
in memory order then one 1-D sum (the replay sums slots in C order, eager in
memory order); its result has eager's (torch's) shape, keepdim or not
(fuzz_compile seed 685468: sum_to_size((1, 1)) of a permuted (2, 4) gave (1,))."""
import numpy as np
import pytest
import torch

import jitgrad

CASES = {
    "sum_keepdim_all": lambda L, v: v.sum((0, 1), keepdim=True),
    "sum_all_dims": lambda L, v: v.sum((0, 1)),
    "sum_to_size": lambda L, v: v.sum_to_size((1, 1)),
    "mean_keepdim": lambda L, v: v.mean((0, 1), keepdim=True),
    "sum_dim_1_of_a_row": lambda L, v: v[:1].sum(1),
    "sum_dim_1_keepdim_of_a_row": lambda L, v: v[:1].sum(1, keepdim=True),
    "mean_dim_1_of_a_row": lambda L, v: v[:1].mean(1),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_sum_of_a_permuted_tensor_has_eagers_shape(name):
    op = CASES[name]

    def f(L, x, y):
        return op(L, ((x - y) * 2).permute(1, 0))

    cf = jitgrad.compile(lambda x, y: f(jitgrad, x, y))
    rng = np.random.default_rng(685468)
    for _ in range(3):
        x, y = rng.standard_normal(2), rng.standard_normal((4, 1))
        want = f(torch, torch.tensor(x, requires_grad=True), torch.tensor(y))
        xe = jitgrad.tensor(x, requires_grad=True)
        eager = f(jitgrad, xe, jitgrad.tensor(y))
        xc = jitgrad.tensor(x, requires_grad=True)
        got = cf(xc, jitgrad.tensor(y))
        assert tuple(got.shape) == tuple(eager.shape) == tuple(want.shape)
        assert got.detach().numpy().tobytes() == eager.detach().numpy().tobytes()
        np.testing.assert_allclose(got.detach().numpy(), want.detach().numpy(), rtol=1e-12)
        got.sum().backward()
        eager.sum().backward()
        assert xc.grad.numpy().tobytes() == xe.grad.numpy().tobytes()
    assert cf.replays >= 1


def test_float32_sum_over_a_padded_row_replays_in_float32():
    """pad places constant zeros before the row's values: the sum's replay
    took its dtype from that first (untyped) slot, summed in float64 and was
    an ulp off eager's float32 (fuzz_compile seed 737064)."""
    def f(L, y):
        return L.nn.functional.pad(y, (1, 2)).sum_to_size((1, 1)).sin()

    cf = jitgrad.compile(lambda y: f(jitgrad, y))
    rng = np.random.default_rng(737064)
    for _ in range(200):
        y = (rng.standard_normal((1, 3)) * 3).astype(np.float32)
        ye, yc = jitgrad.tensor(y, requires_grad=True), jitgrad.tensor(y, requires_grad=True)
        eager, got = f(jitgrad, ye), cf(yc)
        assert got.dtype == eager.dtype == jitgrad.float32
        assert got.detach().numpy().tobytes() == eager.detach().numpy().tobytes()
        got.backward()
        eager.backward()
        assert yc.grad.numpy().tobytes() == ye.grad.numpy().tobytes()
    want = f(torch, torch.tensor(y))
    np.testing.assert_allclose(got.detach().numpy(), want.numpy(), rtol=1e-6)
    assert cf.replays >= 190
