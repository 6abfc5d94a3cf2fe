"""Regression tests for session 11's fuzzing finds: each runs the same code on
torch and jitgrad and compares values, dtypes, signs of zeros and gradients."""
import pytest

from _fidelity import both, same


@pytest.mark.parametrize("op", ["addcdiv", "addcmul"])
@pytest.mark.parametrize("shapes", [((2, 0), (), ()), ((0,), (1,), ()), ((3, 0), (3, 1), (1,)), ((2, 3), (), ())])
def test_addc_ops_into_an_empty_result_give_empty_sums(op, shapes):
    # eager fuzz 25717876: addcdiv(empty, log10(-1), ...): tensor2's partial is nan, torch's
    # formula runs on the (empty) result's elements so the gradient is an empty sum, 0
    def fn(L):
        v = L.tensor(-1.0, dtype=L.float64, requires_grad=True)
        x, s1, s2 = (L.zeros(s, dtype=L.float64) for s in shapes)
        t = v.log10()
        out = getattr(L, op)(x, t + s1, t.abs() + 1 + s2, value=0.5)
        out.sum().backward()
        return out, v.grad
    for a, b in zip(*both(fn)):
        same(a, b)


_ROUTED = {
    # every element from the bound (the input's route empty: a zero-weight route clears the result
    # to +0.0 first, and the bound's -0.0 was added to it, +0.0, at replay)
    "clamp_max": lambda L, x, y: L.clamp(y, max=x),
    "clamp_min": lambda L, x, y: L.clamp(-y, min=-x),
    "clamp_both": lambda L, x, y: L.clamp(y, min=x - 5.0, max=x),
    "where": lambda L, x, y: L.where(y > 5.0, y, x),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(_ROUTED))
@pytest.mark.parametrize("ny", [1, 2])
def test_compiled_routes_keep_a_placed_negative_zero(name, dtype, ny):
    # compile fuzz 528273: clamp(erfc(y), max=x) replayed +0.0 where eager gave x's -0.0
    from _fidelity import compiled_matches_eager
    fn = _ROUTED[name]
    y = [[1.0, 1.0, 1.0]] * ny
    compiled_matches_eager(fn, [[[[0.5, 0.5, 0.5]], y], [[[0.5, -0.0, 0.5]], y], [[[-0.0, -0.0, 0.25]], y]],
                           dtype=dtype)


@pytest.mark.parametrize("op", ["addcdiv", "addcmul"])
@pytest.mark.parametrize("shapes", [((2, 0), (), ()), ((2, 3), (2, 0), ()), ((0,), (3,), ())])
def test_addc_ops_keep_torch_promotion_and_errors_with_empty_operands(op, shapes):
    # (the expansion above must not make a 0-d float64 operand promote an empty float32 result,
    # nor turn torch's size-mismatch RuntimeError into NumPy's ValueError)
    from _fidelity import raises_same

    def fn(L):
        x = L.zeros(shapes[0], requires_grad=True)
        t1 = L.ones(shapes[1], dtype=L.float64, requires_grad=True)
        t2 = L.ones(shapes[2], dtype=L.float64) * 2
        out = getattr(L, op)(x, t1, t2, value=0.5)
        out.sum().backward()
        return out, x.grad, t1.grad
    import torch
    try:
        fn(torch)
    except RuntimeError:
        raises_same(fn)         # (the shape mismatch: torch's RuntimeError and message)
        return
    for a, b in zip(*both(fn)):
        same(a, b)
