"""Regression tests for session 18's fuzzing finds (tests/fuzz_ops18.py, the
third vocabulary): each runs the same code on torch and jitgrad and compares
values, dtypes, signs of zeros, gradients and exception types."""
import math

import pytest

from _fidelity import both, same


def _errors(fn):
    """The exception type each library raises (None when it does not)."""
    import torch

    import jitgrad
    out = []
    for L in (torch, jitgrad):
        try:
            fn(L)
            out.append(None)
        except Exception as e:      # compared by the caller
            out.append(type(e).__name__)
    return out


@pytest.mark.parametrize("name", ["i0", "special.i0e", "special.i1", "special.i1e", "special.erfcx"])
def test_bessel_like_functions_of_an_empty_tensor(name):
    # fuzz18 seed 10: i0 of an empty tensor that requires grad raised AttributeError
    def fn(L):
        x = L.zeros(0, 3, requires_grad=True)
        f = L
        for part in name.split("."):
            f = getattr(f, part)
        out = f(x)
        out.sum().backward()
        return out, x.grad, out.requires_grad
    a, b = both(fn)
    same(a[:2], b[:2])
    assert a[2] == b[2]


def test_heaviside_requires_grad_and_its_backward_raises():
    # fuzz18 seed 33: torch's result requires grad (grad_fn=<NotImplemented>); backward raises
    def fn(L):
        x = L.tensor([0.5, 0.0, -1.0], requires_grad=True)
        h = L.heaviside(x, L.tensor(0.5))
        return h, h.requires_grad
    a, b = both(fn)
    same(a[0].detach(), b[0].detach())
    assert a[1] == b[1] is True
    assert _errors(lambda L: L.heaviside(L.tensor([0.5], requires_grad=True), L.tensor(0.5)).sum().backward()) \
        == ["RuntimeError", "RuntimeError"]


def test_igamma_and_unflatten_errors_are_torchs_types():
    # fuzz18 seeds 20, 2: NumPy's ValueError / an IndexError where torch raises RuntimeError
    assert _errors(lambda L: L.igamma(L.ones(0), L.ones(2, 1, 3))) == ["RuntimeError", "RuntimeError"]
    assert _errors(lambda L: L.tensor(1.0).unflatten(0, (1, -1))) == ["RuntimeError", "RuntimeError"]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_nextafter_gradient_is_zero_where_input_equals_other(dtype):
    # fuzz18 seeds 2456, 2765: nextafter(x, x) passed the gradient (torch: where(x == other, 0, grad))
    def fn(L):
        dt = getattr(L, dtype)
        x = L.tensor([-1.0, 0.5, 2.0, 3.0, -0.0, 0.0], dtype=dt, requires_grad=True)
        y = L.tensor([0.5, 0.5, 1.0, 3.0, 0.0, -0.0], dtype=dt, requires_grad=True)
        out = L.nextafter(x, y)
        (out * L.arange(1.0, 7.0, dtype=dt)).sum().backward()
        z = L.tensor([0.5, 0.5], dtype=dt, requires_grad=True)
        L.nextafter(z, z).backward(L.tensor([math.inf, -1.0], dtype=dt))
        return out, x.grad, y.grad, z.grad
    for a, b in zip(*both(fn)):
        same(a, b)


@pytest.mark.parametrize("n", [1, 3, 6, 8, 9, 16, 17])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("v", [-0.25, 0.25, -0.0, math.nan, 0.5, -0.5, 0.7])
def test_softshrink_signs_of_zero_and_nan_as_torchs_two_loop_forms(n, dtype, v):
    # fuzz18 seeds 2946, 2648: inside the band torch gives x * 0 in its scalar form, +0.0 in its
    # vector form (whole pairs of AVX2 vectors); a nan's gradient is 1 in the scalar form, 0 in the vector form
    def fn(L):
        x = L.full((n,), v, dtype=getattr(L, dtype), requires_grad=True)
        y = L.nn.functional.softshrink(x * 1, 0.5)
        (y * -1.0).sum().backward()     # (a negative gradient: the band's zeros are +0.0, not -g * 0)
        t = L.full((3, 6), v, dtype=getattr(L, dtype)).t()
        return y, x.grad, L.nn.functional.softshrink(t, 0.5)
    for a, b in zip(*both(fn)):
        same(a, b)


def test_block_diag_keeps_negative_zeros():
    # fuzz18 seeds 1174, 1447: the blocks were index_added into zeros (-0.0 became +0.0)
    def fn(L):
        a = L.tensor([[1.0, -0.0], [0.5, -0.0]], dtype=L.float64, requires_grad=True)
        b = L.tensor([-0.0, 2.0], requires_grad=True)
        out = L.block_diag(a, b, L.tensor(3), L.zeros(0, 2))
        (out * -1).sum().backward()
        return out, a.grad, b.grad, L.block_diag(b, L.tensor([[-0.0]], dtype=L.float64))
    for a, b in zip(*both(fn)):
        same(a, b)


_REDUCE_CASES = [
    ("amax", [[-0.5, 2.0, 3.0], [-1.0, -0.0, -1.5]], True),
    ("amin", [-1.5, -0.0, 3.0], True),
    ("amin", [0.0, -0.0], False),
    ("prod", [[-0.5, -0.0, 0.0], [0.25, -1.0, -0.0]], False),
    ("prod", [-0.0], False),
    ("prod", [[0.0, -2.0, -0.0], [0.0, 0.25, -0.5]], False),
    ("prod", [[0.0, -2.0, -0.0], [0.0, 0.25, -0.5]], True),
]


@pytest.mark.parametrize("reduce,values,include_self", _REDUCE_CASES)
def test_scatter_and_index_reduce_keep_negative_zeros(reduce, values, include_self):
    # fuzz18 seeds 1186, 3939 (untouched positions: x * 1 + 0 gave +0.0), 1956, 3626, 3703
    # (prod's layers of contributions were index_added into zeros)
    def fn(L):
        x = L.tensor(values, dtype=L.float64, requires_grad=True)
        o = x.scatter_reduce(0, L.zeros_like(x, dtype=L.int64), x * 2, reduce, include_self=include_self)
        (o * -1).sum().backward()
        r = x.index_reduce(0, L.tensor([0]), x[:1] * 3, reduce, include_self=include_self)
        # (torch's prod backward with self's zeros has per-formula signs of zero: values only)
        g = x.grad.abs() if reduce == "prod" and include_self else x.grad
        return o, g, r
    for a, b in zip(*both(fn)):
        same(a, b)


def test_matrix_transposes_of_a_0d_tensor_are_the_tensor_itself():
    # fuzz18 seeds 1038, 2887, 2555: torch returns self (a leaf keeps its .grad) with a deprecation warning;
    # jitgrad returned a view (mT, adjoint) or raised (H)
    import warnings

    def fn(L):
        c = L.tensor(2.0, requires_grad=True)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            same_obj = [c.mT is c, c.H is c, c.mH is c, c.adjoint() is c]
        return same_obj, sorted(str(x.message) for x in w)
    a, b = both(fn)
    assert a == b and all(a[0])
    for f in ("mT", "mH", "H"):
        assert _errors(lambda L: getattr(L.ones(2), f)) == ["RuntimeError", "RuntimeError"]


def test_broadcast_tensors_returns_a_tensor_of_the_broadcast_shape_itself():
    # fuzz18 seed 1399: broadcast_tensors(x, x)[1] is x in torch (a leaf: its .grad); jitgrad gave a view
    def fn(L):
        x = L.tensor([[1.0, 2.0]], requires_grad=True)
        a, b = L.broadcast_tensors(x, L.tensor(1.0))
        c, d = L.broadcast_tensors(x, L.ones(3, 2))
        (a * 2 + c).sum().backward()
        return [a is x, c is x], x.grad
    a, b = both(fn)
    assert a[0] == b[0]
    same(a[1], b[1])


def test_floor_division_of_tensors_that_require_grad():
    # fuzz18 seed 1526 (177 seeds of 30,000): torch's result requires grad (grad_fn=<NotImplemented>) and its
    # backward raises; jitgrad's did not require grad. div(rounding_mode='floor') stays differentiable (zeros).
    def fn(L):
        x = L.tensor([3.5, -2.0], requires_grad=True)
        rs = (x // 2, L.floor_divide(x, 2), 7 // x, x.floor_divide(L.tensor(2.0)), L.tensor(7.0) // x,
              x.detach() // 2, L.div(x, 2, rounding_mode="floor"))
        with L.no_grad():
            ng = x // 2
        return [(r.detach(), r.requires_grad) for r in rs] + [ng.requires_grad]
    a, b = both(fn)
    assert [r[1] for r in a[:-1]] == [r[1] for r in b[:-1]] and a[-1] == b[-1]
    for p, q in zip(a[:-1], b[:-1]):
        same(p[0], q[0])
    ops = (lambda L, x: x // 2, lambda L, x: L.floor_divide(x, 2), lambda L, x: 7 // x)
    for op in ops:
        assert _errors(lambda L: op(L, L.tensor([3.5], requires_grad=True)).sum().backward()) == \
            ["RuntimeError", "RuntimeError"]


@pytest.mark.parametrize("name", ["median", "nanmedian"])
def test_median_of_an_empty_tensor_that_requires_grad(name):
    # fuzz18 seed 1448: torch's nan requires grad (its node; an empty gradient)
    def fn(L):
        x = L.zeros(2, 0, requires_grad=True)
        r = getattr(x, name)()
        r.backward()
        return r.detach(), r.requires_grad, x.grad
    a, b = both(fn)
    same(a[0], b[0])
    assert a[1] == b[1]
    same(a[2], b[2])


_ERROR_CASES = {
    # fuzz18: 0-D operands, dtype checks and bounds torch makes (seeds 1094, 1113, 1116, 1170, 1795, 1351, 1418, 1005)
    "nonzero of 0-D": lambda L: (L.nonzero(L.tensor(2.0)), L.nonzero(L.tensor(0.0)), L.nonzero(L.tensor(2.0), as_tuple=True),
                                 L.argwhere(L.tensor(0.0))),
    "count_nonzero of 0-D": lambda L: (L.count_nonzero(L.tensor(2.0), 0), L.tensor(0.0).count_nonzero(-1)),
    "hstack of 0-D": lambda L: L.hstack([L.tensor(2.0), L.ones(2)]),
    "vstack of 0-D": lambda L: (L.vstack([L.tensor(2.0), L.tensor(3.0)]), L.vstack([L.ones(3), L.ones(1, 3)])),
    "isclose float/double": lambda L: L.isclose(L.ones(2), L.ones(2, dtype=L.float64)),
    "isclose long/int": lambda L: L.isclose(L.ones(2, dtype=L.int64), L.ones(2, dtype=L.int32)),
    "soft_margin_loss target": lambda L: L.nn.functional.soft_margin_loss(L.ones(2), L.ones(2, requires_grad=True)),
    "tensordot dims > ndim": lambda L: L.tensordot(L.ones(()), L.ones(3), dims=1),
    "tensordot dims = 1": lambda L: L.tensordot(L.ones(2, 3), L.ones(3), dims=1),
    "take_along_dim negative": lambda L: L.take_along_dim(L.ones(3), L.tensor([0, -1])),
    "take_along_dim of empty": lambda L: L.take_along_dim(L.ones(0), L.tensor([0])),
    "take_along_dim": lambda L: L.take_along_dim(L.arange(3.0), L.tensor([2, 0])),
}


@pytest.mark.parametrize("name", sorted(_ERROR_CASES))
def test_results_and_errors_as_torchs(name):
    import torch

    import jitgrad
    out = []
    for L in (torch, jitgrad):
        try:
            out.append(("ok", _ERROR_CASES[name](L)))
        except Exception as e:      # compared below
            out.append((type(e).__name__, str(e)))
    assert out[0][0] == out[1][0], out
    if out[0][0] == "ok":
        same(out[0][1], out[1][1])
    else:
        assert out[0][1] == out[1][1]


@pytest.mark.parametrize("use", [0, 1])
@pytest.mark.parametrize("written", [0, 1])
@pytest.mark.parametrize("dim", [None, 0])
def test_aminmax_saves_both_outputs(use, written, dim):
    # fuzz18 seeds 1420, 9425, 10627: torch's one AminmaxBackward0 node saves min and max; a backward through one
    # output after an in-place write to the other raised nothing in jitgrad (two records, each checking its own)
    import torch

    import jitgrad
    msgs = []
    for L in (torch, jitgrad):
        x = L.tensor([1.0, 3.0, 2.0], requires_grad=True)
        lo, hi = x.aminmax() if dim is None else x.aminmax(dim=0, keepdim=True)
        loss = (lo if use == 0 else hi).sum()
        loss.backward(retain_graph=True)
        (lo if written == 0 else hi).mul_(2)
        with pytest.raises(RuntimeError) as e:
            loss.backward()
        msgs.append(str(e.value))
    assert msgs[0] == msgs[1]


def test_sub_with_alpha_refuses_bool_operands():
    # fuzz18 seed 5124: sub(x, bool, alpha=.5) scaled the bool first and subtracted; torch raises
    assert _errors(lambda L: L.sub(L.ones(2), L.tensor([True, False]), alpha=0.5)) == ["RuntimeError", "RuntimeError"]
    assert _errors(lambda L: L.sub(L.ones(2), True, alpha=0.5)) == ["RuntimeError", "RuntimeError"]
    same(*both(lambda L: L.sub(L.ones(2), L.tensor([1, 2]), alpha=2)))


def test_training_batch_norm_of_zero_channels():
    # fuzz18 seed 5121: the per-channel size check divided by the channel count (ZeroDivisionError)
    def fn(L):
        x = L.zeros(2, 0, requires_grad=True)
        out = L.nn.functional.batch_norm(x, None, None, training=True)
        out.sum().backward()
        return out, x.grad
    for a, b in zip(*both(fn)):
        same(a, b)
    assert _errors(lambda L: L.nn.functional.batch_norm(L.ones(1, 3), None, None, training=True)) == \
        ["ValueError", "ValueError"]


def test_scatter_reduce_extremes_of_signed_zero_ties_as_torchs_loop():
    # fuzz18 seeds 32786, 33828: an extreme of zeros summed its tie shares from +0.0 (torch: -0.0 when
    # the first zero in its order, self then the contributions, is -0.0); gradients' values compared too
    import itertools

    import numpy as np
    import torch

    import jitgrad
    vals = [-0.0, 0.0, -1.0]
    for red, inc in itertools.product(("amax", "amin"), (True, False)):
        for xs, src, idx in itertools.product(itertools.product(vals, repeat=2), itertools.product(vals, repeat=2),
                                              ([0, 0], [0, 1], [1, 1])):
            r = []
            for L in (torch, jitgrad):
                x = L.tensor(xs, dtype=L.float64, requires_grad=True)
                s = L.tensor(src, dtype=L.float64, requires_grad=True)
                o = x.scatter_reduce(0, L.tensor(idx), s, red, include_self=inc)
                (o * L.tensor([-1.0, 2.0], dtype=L.float64)).sum().backward()
                r.append((o.detach().numpy(), x.grad.numpy(), s.grad.numpy()))
            case = (red, inc, xs, src, idx)
            assert np.array_equal(np.signbit(r[0][0]), np.signbit(r[1][0])), case
            for a, b in zip(r[0], r[1]):
                assert np.array_equal(a, b), case


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_var_and_std_without_degrees_of_freedom_divide_by_zero(dtype):
    # fuzz18 seed 32214: var(correction >= n) was nan everywhere (torch: ss / 0, inf where ss > 0) and its
    # gradient nan (torch's var_backward: 2 / 0 * g * (x - mean), no gradient through the mean)
    import warnings

    def fn(L):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x = L.tensor([[1.0, 2.0], [3.0, 5.0]], dtype=getattr(L, dtype), requires_grad=True)
            outs = [x.var(0, correction=2), x.var(correction=4), x.var(1, correction=3),
                    L.ones(2, 2, dtype=getattr(L, dtype)).var(0, correction=3), x.std(0, correction=2)]
            outs[0].sum().backward()
            g, = L.autograd.grad(x.var(0, correction=2).sum(), x, create_graph=True)
            return [o.detach() for o in outs] + [x.grad, g.detach()]
    for a, b in zip(*both(fn)):
        same(a, b)


@pytest.mark.parametrize("name", ["i1", "i1e"])
def test_i1_of_negative_zero_is_positive_zero(name):
    # fuzz18 seeds 1699, 3362: torch computes I1 from |x| and negates for x < 0 (+0.0 at -0.0)
    same(*both(lambda L: getattr(L.special, name)(L.tensor([0.0, -0.0, -1.0, 1e-310, -1e-310], dtype=L.float64))))


_MORE_CASES = {
    # fuzz18 seeds 1079, 1590 (inf norms of empty tensors), 1665 (kthvalue of an empty dim), 1387 (quantile keepdim
    # of a 0-D tensor), 1233 (repeat_interleave of a 0-D tensor along a dim), 30044 / 31311 / 32218 / 31849 / 14309
    # (broadcast errors, 0-D operands in promotion), 15545 (soft_margin_loss's dtype)
    "norm inf of empty": lambda L: L.zeros(0).norm(p=float("inf")),
    "norm -inf of an empty dim": lambda L: L.zeros(2, 0).norm(p=float("-inf"), dim=-1),
    "vector_norm inf of empty": lambda L: L.linalg.vector_norm(L.zeros(2, 0), float("inf")),
    "kthvalue of empty": lambda L: L.zeros(0).kthvalue(1, 0),
    "kthvalue of an empty dim": lambda L: L.zeros(2, 0).kthvalue(1, -1, keepdim=True),
    "quantile keepdim 0-D": lambda L: L.tensor(2.0).quantile(0.5, dim=0, keepdim=True),
    "repeat_interleave 0-D dim 0": lambda L: L.tensor(2.0).repeat_interleave(2, dim=0),
    "repeat_interleave 0-D dim -1": lambda L: L.tensor(2.0).repeat_interleave(2, dim=-1),
    "zeta broadcast": lambda L: L.special.zeta(L.ones(2, 1, 3), L.ones(2)),
    "zeta 0-D float64": lambda L: L.special.zeta(L.ones(0), L.tensor(3.0, dtype=L.float64)),
    "igamma 0-D float64": lambda L: L.igamma(L.ones(2), L.tensor(3.0, dtype=L.float64)),
    "heaviside broadcast": lambda L: L.heaviside(L.ones(2, 0), L.ones(0, 2)),
    "block_diag 0-D float64": lambda L: L.block_diag(L.tensor(3.0, dtype=L.float64), L.tensor([-0.0])),
    "block_diag 2-D float64": lambda L: L.block_diag(L.tensor([[3.0]], dtype=L.float64), L.tensor([-0.0])),
    "soft_margin_loss dtype": lambda L: L.nn.functional.soft_margin_loss(L.ones(2), L.ones(2, dtype=L.float64)),
}


@pytest.mark.parametrize("name", sorted(_MORE_CASES))
def test_more_results_and_errors_as_torchs(name):
    _run_both(_MORE_CASES[name])


def _run_both(fn):
    import torch

    import jitgrad
    out = []
    for L in (torch, jitgrad):
        try:
            out.append(("ok", fn(L)))
        except Exception as e:      # compared below
            out.append((type(e).__name__, str(e)))
    assert out[0][0] == out[1][0], out
    if out[0][0] == "ok":
        same(out[0][1], out[1][1])
    else:
        assert out[0][1] == out[1][1]


@pytest.mark.parametrize("p", [0.5, 0.3, -0.5, -1.0, 1.5, 3.0])
def test_vector_norms_below_one_give_zero_gradients_at_zero_elements(p):
    # fuzz18 seeds 7094, 19396, 44434, ...: |x| ** p of p < 1 has an infinite derivative at 0, times 0 a nan;
    # torch's backward masks the zero elements (and a norm of 0 of p < 0 passes nothing)
    import numpy as np

    def fn(L):
        x = L.tensor([[-2.0, 0.0, -0.0], [2.0, 1.0, 3.0]], dtype=L.float64, requires_grad=True)
        v = L.linalg.vector_norm(x, ord=p, dim=1)
        v.sum().backward()
        return v.detach(), x.grad
    a, b = both(fn)
    same(a[0], b[0])
    np.testing.assert_allclose(b[1].numpy(), a[1].numpy(), rtol=1e-12)      # (signs of zero: torch's formula's)


@pytest.mark.parametrize("correction,shape,dim", [(2, (1, 3), 0), (3, (2, 1), 1), (2, (1,), 0), (2, (2, 3), 0)])
def test_var_backward_takes_negative_degrees_of_freedom_as_they_are(correction, shape, dim):
    # fuzz18 seeds 6185, 6840, 18184, 19904: torch's var_backward is 2 / (n - correction) * g * (x - mean) with
    # n - correction < 0 unclamped (-0.0 and 0.0 gradients, not nan)
    import warnings

    import numpy as np

    def fn(L):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x = L.tensor(np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape), requires_grad=True)
            v = x.var(dim, correction=correction)
            (v * -1).sum().backward()
            return v.detach(), x.grad
    for a, b in zip(*both(fn)):
        same(a, b)


@pytest.mark.parametrize("op", ["add", "sub"])
def test_add_and_sub_with_alpha_scale_in_the_result_dtype(op):
    # fuzz18 seed 397: sub(float64 0-D, int32 tensor, alpha=.5) scaled the int32 into float32 first
    def fn(L):
        x = L.tensor(-2.0, dtype=L.float64, requires_grad=True)
        y = L.tensor([1, 1, -2], dtype=L.int32)
        z = L.tensor([1.5, -0.25], requires_grad=True)
        out = getattr(L, op)(x, y, alpha=0.5)
        out2 = getattr(L, op)(z, L.tensor(3), alpha=0.5)
        (out.sum() + out2.sum()).backward()
        return out, out2, x.grad, z.grad
    for a, b in zip(*both(fn)):
        same(a, b)


@pytest.mark.parametrize("sa,sb,dims", [((2, 1), (2, 1), 1), ((3,), (1, 2), 1), ((1,), (3, 2), 1),
                                        ((2, 1, 3), (1, 3, 2), 2)])
def test_tensordot_broadcasts_a_contracted_dim_of_size_one(sa, sb, dims):
    # fuzz18 seeds 449, 1718: torch sums a size-1 contracted dim against the other's (jitgrad raised)
    import math

    def fn(L):
        a = L.arange(1.0, 1.0 + math.prod(sa)).reshape(sa).requires_grad_()
        b = L.arange(2.0, 2.0 + math.prod(sb)).reshape(sb).requires_grad_()
        o = L.tensordot(a, b, dims=dims)
        o.sum().backward()
        return o, a.grad, b.grad
    for a, b in zip(*both(fn)):
        same(a, b)


@pytest.mark.parametrize("shape", [(), (1,)])
@pytest.mark.parametrize("correction", [0, 1, 2, 3])
def test_var_without_degrees_of_freedom_of_0d_and_1_element(shape, correction):
    # fuzz18 seed 3569: torch's gradient of a 0-D input's var with correction > 1 is nan (its dof clamped),
    # of a 1-element vector's -0.0
    import warnings

    def fn(L):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x = L.full(shape, 3.0, dtype=L.float64, requires_grad=True)
            v = x.var(0, correction=correction)
            v.backward(L.ones_like(v))
            return v.detach(), x.grad
    for a, b in zip(*both(fn)):
        same(a, b)


@pytest.mark.parametrize("shape,groups", [((1, 1, 1), 1), ((1, 2, 1), 2), ((1, 2), 1), ((1, 2), 2), ((2, 1), 1)])
def test_group_norm_checks_values_per_group_as_torchs_functional(shape, groups):
    # fuzz18 seed 3333: F.group_norm raises torch's ValueError for one value per group (torch.group_norm does not)
    _run_both(lambda L: L.nn.functional.group_norm(L.ones(shape), groups))
    _run_both(lambda L: L.group_norm(L.ones(shape), groups))


_COMPILED = {
    # compile fuzz 650048, 650719: relu6 / hardtanh of -0.0 at a zero bound (eager: x itself, torch's clamp)
    # replayed +0.0; 650429, 651009: angle's values frozen at the recording; 650936: nextafter's step frozen;
    # 650736: put's picks frozen; 651737, 652023: norm(p=0) replayed without requires_grad; 652017: rrelu's
    # eval slope mask frozen at the recording
    "relu6": lambda L, x, y: L.nn.functional.relu6(x * 4) + y,
    "hardtanh(0, 1)": lambda L, x, y: L.nn.functional.hardtanh(x, 0.0, 1.0) * y,
    "angle": lambda L, x, y: x.angle() + y,
    "nextafter": lambda L, x, y: L.nextafter(x, y),
    "put": lambda L, x, y: x.put(L.tensor([0]), y[-1:]),
    "norm(p=0)": lambda L, x, y: x.norm(p=0, dim=0) + y.sum(),
    "rrelu(eval)": lambda L, x, y: L.nn.functional.rrelu(x, training=False) * y,
    # compile fuzz 660565: isclose's mask frozen at the recording
    "isclose": lambda L, x, y: L.isclose(x, y) * y,
}


@pytest.mark.parametrize("name", sorted(_COMPILED))
def test_compiled_replays_of_the_third_vocabulary_equal_eager(name):
    from _fidelity import compiled_matches_eager
    calls = [([1.0, -2.79, -0.0], [0.5, 0.5, 2.0]), ([0.5, -0.0, -1.0], [0.5, -1.0, 2.0]),
             ([-1.0, 2.0, 0.3], [-1.0, 2.0, 0.7]), ([1.0, -2.79, -0.0], [0.5, 0.5, 2.0])]
    for dtype in ("float32", "float64"):
        compiled_matches_eager(_COMPILED[name], calls, dtype=dtype)


@pytest.mark.parametrize("right", [False, True])
def test_searchsorted_with_nans_follows_torchs_binary_search(right):
    # fuzz18 seed 61354: NumPy sorts nan last; torch's search moves right while !(mid >= v) (a nan value
    # lands at the end, a nan mid moves right)
    nan = float("nan")
    vals = [nan, -0.0, 0.0, 1.0, 1.5, 2.0, 5.0, -1.0]
    for seq in ([-0.0, -0.0, -0.0, -0.0, nan, nan], [1.0, nan], [nan, 1.0, 2.0], [0.0, 1.0, 2.0, nan, nan, nan, nan],
                [1.0, 2.0, 3.0]):
        same(*both(lambda L: L.searchsorted(L.tensor(seq), L.tensor(vals), right=right)))
    same(*both(lambda L: L.searchsorted(L.tensor([[1.0, nan], [0.0, 2.0]]), L.tensor([[0.5, nan], [1.0, 3.0]]),
                                        right=right)))


def test_isclose_shapes_that_do_not_broadcast():
    # fuzz18 seed 68133: NumPy's ValueError where torch raises its RuntimeError
    _run_both(lambda L: L.isclose(L.ones(2, 0), L.ones(3)))
