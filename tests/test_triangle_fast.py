"""tril / triu of a float matrix that requires grad keep their mask's
positions (functional/more_ops._triangle): the same tape bytes, values,
grad_fn and gradients as the general where() path (small.ENABLED = False),
and torch's values, gradients (signs of zeros) and second derivatives."""
import numpy as np
import pytest
import torch

import jitgrad
from jitgrad.functional import small


def fresh_tape():
    z = jitgrad.tensor(1.0, requires_grad=True)
    (z * 1.0).backward()


def run(lib, fn, arr, diagonal, transpose, seed):
    x = lib.tensor(arr, requires_grad=True)
    y = (x * x).t() if transpose else x * x     # (a non-leaf, or a transposed view of one)
    out = getattr(y, fn)(diagonal)
    g = lib.tensor(seed)
    gx, = lib.autograd.grad(out, x, g, create_graph=True)
    gg, = lib.autograd.grad((gx * gx).sum(), x)
    return out, gx, gg


def both(fn, arr, diagonal, transpose, seed):
    """(fast path's, general path's) results and tapes."""
    res = []
    for enabled in (True, False):
        small.ENABLED = enabled
        try:
            fresh_tape()
            out, gx, gg = run(jitgrad, fn, arr, diagonal, transpose, seed)
        finally:
            small.ENABLED = True
        tp = out._tape
        res.append((bytes(tp.rec), bytes(tp.vals), bytes(tp.meta), out.grad_fn.name(),
                    out.detach().numpy().tobytes(), gx.detach().numpy().tobytes(), gg.numpy().tobytes(),
                    out.stride(), str(out.dtype)))
    return res


CASES = [("triu", (4, 4), 1, False), ("tril", (4, 4), 0, False), ("triu", (3, 5), -1, False),
         ("tril", (5, 3), 2, True), ("triu", (4, 4), 0, True), ("tril", (2, 6), -1, False)]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("fn,shape,diagonal,transpose", CASES)
def test_triangle_same_tape_as_where_path_and_torch(dtype, fn, shape, diagonal, transpose):
    rng = np.random.default_rng(len(shape) + diagonal + 7 * transpose)
    arr = rng.normal(size=shape).astype(dtype)
    arr.flat[0] = -0.0
    oshape = shape[::-1] if transpose else shape
    seed = rng.normal(size=oshape).astype(dtype)
    seed.flat[1] = -0.0
    fast, general = both(fn, arr, diagonal, transpose, seed)
    assert fast == general
    out, gx, gg = run(jitgrad, fn, arr, diagonal, transpose, seed)
    t_out, t_gx, t_gg = run(torch, fn, arr, diagonal, transpose, seed)
    assert out.grad_fn.name() == t_out.grad_fn.name()
    assert out.stride() == t_out.stride()
    for a, b in ((out, t_out), (gx, t_gx), (gg, t_gg)):
        a, b = a.detach().numpy(), b.detach().numpy()
        assert a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=0)
        assert (np.signbit(a) == np.signbit(b)).all()


def test_triangle_keeps_general_path_cases_and_torch_values():
    # a diagonal past the matrix (nothing kept), a batch, an int matrix, no grad
    x = np.arange(12.0).reshape(3, 4) - 5.0
    cases = [(x, True, "triu", 9), (x.reshape(1, 3, 4), True, "tril", -1), (x.astype(np.int64), False, "triu", 1),
             (x, False, "tril", 0)]
    for arr, rg, fn, d in cases:
        leaves = [lib.tensor(arr, requires_grad=rg) for lib in (jitgrad, torch)]
        a, b = (getattr(t, fn)(d) for t in leaves)
        assert str(a.dtype) == str(b.dtype).replace("torch", "jitgrad")
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
        assert (a.grad_fn is None) == (b.grad_fn is None)
        if rg:
            assert a.grad_fn.name() == b.grad_fn.name()
            ga, = jitgrad.autograd.grad(a.sum(), leaves[0])
            gb, = torch.autograd.grad(b.sum(), leaves[1])
            np.testing.assert_array_equal(ga.numpy(), gb.numpy())
            assert (np.signbit(ga.numpy()) == np.signbit(gb.numpy())).all()


def test_triangle_mask_cache_is_not_writable_and_reused():
    from jitgrad.functional import more_ops
    x = jitgrad.tensor(np.ones((3, 3)), requires_grad=True)
    x.triu(1)
    masks = more_ops._TRIANGLES[((3, 3), 1, True)]
    x.triu(1)
    assert more_ops._TRIANGLES[((3, 3), 1, True)] is masks
    assert not any(m.flags.writeable for m in masks)
