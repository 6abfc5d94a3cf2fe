"""Everyday functions built as composites (jitgrad/more_ops.py): values,
gradients, grad_fn names and return types against torch."""
import numpy as np
import pytest

import jitgrad

from _compare import check

RNG = np.random.default_rng(11)
M = RNG.normal(size=(3, 4))
V = np.array([0.5, -1.5, 2.0, 0.25, -0.75])

DIFFERENTIABLE = {
    "var": (lambda lib, x: x.var(), [M]),
    "var_dim": (lambda lib, x: lib.var(x, 1, keepdim=True), [M]),
    "var_unbiased_false": (lambda lib, x: x.var(0, unbiased=False), [M]),
    "std": (lambda lib, x: x.std(), [M]),
    "std_dim_correction0": (lambda lib, x: lib.std(x, dim=0, correction=0), [M]),
    "sort_values": (lambda lib, x: lib.sort(x, dim=1).values * 2, [M]),
    "sort_descending": (lambda lib, x: x.sort(descending=True)[0], [V]),
    "topk": (lambda lib, x: lib.topk(x, 2).values, [V]),
    "topk_smallest_dim0": (lambda lib, x: x.topk(2, dim=0, largest=False).values, [M]),
    "repeat": (lambda lib, x: x.repeat(2, 3) * 1.5, [M]),
    "repeat_new_dims": (lambda lib, x: x.repeat(2, 1, 1), [M]),
    "masked_fill": (lambda lib, x: x.masked_fill(x > 0, 0.5), [M]),
    "tril": (lambda lib, x: lib.tril(x) * x, [M]),
    "triu_offset": (lambda lib, x: x.triu(1), [M]),
    "diag_of_matrix": (lambda lib, x: lib.diag(x), [M]),
    "diag_offset": (lambda lib, x: lib.diag(x, -1), [M]),
    "diag_embed": (lambda lib, x: lib.diag(x) * 3, [V]),
    "trace": (lambda lib, x: lib.trace(x[:, :3]), [M]),
    "lerp": (lambda lib, x, y: lib.lerp(x, y, 0.3), [V, V[::-1].copy()]),
    "sum_axis": (lambda lib, x: x.sum(axis=0), [M]),
    "nan_to_num_finite": (lambda lib, x: lib.nan_to_num(x), [V]),
}


@pytest.mark.parametrize("name", sorted(DIFFERENTIABLE))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_composite_matches_torch(name, dtype):
    torch = pytest.importorskip("torch")
    fn, arrays = DIFFERENTIABLE[name]
    check(torch, fn, arrays, dtype, signed_zeros=False)


def _same(a, b):
    a = a.detach().numpy() if hasattr(a, "detach") else np.asarray(a)
    b = b.detach().numpy() if hasattr(b, "detach") else np.asarray(b)
    np.testing.assert_array_equal(a, b)


def test_indices_and_non_differentiable_helpers_match_torch():
    torch = pytest.importorskip("torch")
    for lib_call in (lambda L, x: L.sort(x, dim=1).indices, lambda L, x: L.argsort(x, dim=0),
                     lambda L, x: L.topk(x.flatten(), 3).indices, lambda L, x: L.count_nonzero(x > 0),
                     lambda L, x: L.nonzero(x > 0), lambda L, x: L.isclose(x, x + 1e-9),
                     lambda L, x: L.unique(L.tensor([3, 1, 3, 2]))):
        _same(lib_call(jitgrad, jitgrad.tensor(M)), lib_call(torch, torch.tensor(M)))
    assert jitgrad.allclose(jitgrad.tensor(M), jitgrad.tensor(M) + 1e-9)
    assert not jitgrad.allclose(jitgrad.tensor(M), jitgrad.tensor(M) + 1e-3)
    assert jitgrad.equal(jitgrad.tensor(V), jitgrad.tensor(V.copy()))
    assert not jitgrad.equal(jitgrad.tensor(V), jitgrad.tensor(V[:3]))


def test_return_types_and_new_constructors_print_like_torch():
    torch = pytest.importorskip("torch")
    for code in ("torch.sort(torch.tensor([0.5, -1.5]))", "torch.topk(torch.tensor([0.5, -1.5, 2.0]), 2)",
                 "torch.tensor([[1., 2.]]).new_zeros(2, 3)", "torch.tensor([1], dtype=torch.float64).new_ones((2,))",
                 "torch.tensor([1.]).new_tensor([1, 2])", "torch.tensor([1.]).new_full((2,), 7.)",
                 "torch.tensor([[1., 2.], [3., 4.]], requires_grad=True).var()",
                 "torch.nan_to_num(torch.tensor([float('nan'), 1.0, float('inf')]))"):
        got = repr(eval(code, {"torch": jitgrad})).replace("jitgrad", "torch")
        assert got == repr(eval(code, {"torch": torch})), code


@pytest.mark.parametrize("eq,shapes", [
    ("ij,jk->ik", [(3, 4), (4, 5)]), ("i,i->", [(4,), (4,)]), ("ij,j->i", [(3, 4), (4,)]),
    ("ij->ji", [(3, 4)]), ("ij->", [(3, 4)]), ("ij,jk", [(3, 4), (4, 5)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]), ("i,j->ij", [(3,), (4,)]), ("ijk,ik->j", [(2, 3, 4), (2, 4)]),
])
def test_einsum_values_and_gradients_match_torch(eq, shapes):
    torch = pytest.importorskip("torch")
    arrays = [RNG.normal(size=s) for s in shapes]
    jt = [jitgrad.tensor(a, requires_grad=True) for a in arrays]
    tt = [torch.tensor(a, requires_grad=True) for a in arrays]
    rj, rt = jitgrad.einsum(eq, *jt), torch.einsum(eq, *tt)
    w = RNG.normal(size=tuple(rt.shape))
    (rj * jitgrad.tensor(w)).sum().backward()
    (rt * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(rj.detach().numpy(), rt.detach().numpy(), rtol=1e-12, atol=1e-12)
    for a, b in zip(jt, tt):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_gather_and_rsub_match_torch(differential):
    differential(
        """
        x = torch.arange(12., dtype=torch.float64).reshape(3, 4).requires_grad_()
        y = torch.gather(x, 1, torch.tensor([[0, 0], [1, 2], [3, 3]]))
        (y * torch.tensor([[1., 2], [3, 4], [5, 6]], dtype=torch.float64)).sum().backward()
        print(y, x.grad)
        """,
        "x.gather(0, torch.tensor([[2, 0, 1, 0]]))",
        "torch.gather(x, 1, torch.tensor([[0, 5]]))",
        "torch.gather(x, 1, torch.tensor([[0, -1]]))",
        "torch.gather(x, 1, torch.tensor([[0., 1]]))",
        "torch.gather(x, 1, torch.tensor([0, 1]))",
        "torch.gather(x, 0, torch.tensor([[0, 1, 2, 0, 1]]))",
        "torch.gather(x, 2, torch.tensor([[0]]))",
        "r = torch.rsub(x, 3.0); r.sum().backward(); print(r, x.grad)",
        "torch.rsub(x, torch.ones(4, dtype=torch.float64), alpha=2)",
    )
