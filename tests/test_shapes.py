"""Shape functions against PyTorch: reshape/view, flatten, squeeze,
unsqueeze, expand, stack, cat, unbind, split, chunk, roll, flip, narrow,
select, movedim: values, dtypes, grad_fn names, gradients (the seeds are
random, so a wrong index map shows), 0-d and empty tensors, PyTorch's errors;
views sharing data with their base; finite differences in float64."""
import numpy as np
import pytest

from _compare import check, check_error, fd_check

RNG = np.random.default_rng(3)
X = RNG.normal(size=(2, 3, 4))


def arr(*shape):
    return RNG.normal(size=shape)


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


# (name, case, input shape): every case is run in float32 and float64.
CASES = [
    ("reshape", lambda lib, x: x.reshape(4, 6), (2, 3, 4)),
    ("reshape-1", lambda lib, x: x.reshape(-1, 2), (2, 3, 4)),
    ("reshape_tuple", lambda lib, x: lib.reshape(x, (3, -1)), (2, 3, 4)),
    ("reshape_0d", lambda lib, x: x.reshape(1, 1), ()),
    ("reshape_to_0d", lambda lib, x: x.reshape(()), (1,)),
    ("reshape_empty", lambda lib, x: x.reshape(0, 5), (2, 0)),
    ("reshape_of_transpose", lambda lib, x: x.t().reshape(6), (2, 3)),
    ("reshape_alias", lambda lib, x: x.t().reshape(3, 2), (2, 3)),
    ("view", lambda lib, x: x.view(3, 8), (2, 3, 4)),
    ("view-1", lambda lib, x: x.view(-1), (2, 3, 4)),
    ("view_0d", lambda lib, x: x.view(-1), ()),
    ("view_as", lambda lib, x: x.view_as(lib.ones(4, 6)), (2, 3, 4)),
    ("reshape_as", lambda lib, x: x.reshape_as(lib.ones(6, 4)), (2, 3, 4)),
    ("flatten", lambda lib, x: x.flatten(), (2, 3, 4)),
    ("flatten1", lambda lib, x: x.flatten(1), (2, 3, 4)),
    ("flatten0-2", lambda lib, x: lib.flatten(x, 0, -2), (2, 3, 4)),
    ("flatten_same", lambda lib, x: x.flatten(1, 1) * 2, (2, 3, 4)),
    ("flatten_0d", lambda lib, x: x.flatten(), ()),
    ("flatten_1d", lambda lib, x: x.flatten() * 2, (3,)),
    ("flatten_transposed", lambda lib, x: x.mT.flatten(), (2, 3, 4)),
    ("squeeze", lambda lib, x: x.squeeze(), (1, 3, 1, 2)),
    ("squeeze_dim", lambda lib, x: x.squeeze(2), (1, 3, 1, 2)),
    ("squeeze_non1", lambda lib, x: x.squeeze(1), (1, 3, 1, 2)),
    ("squeeze_neg", lambda lib, x: x.squeeze(-2), (1, 3, 1, 2)),
    ("squeeze_tuple", lambda lib, x: x.squeeze((0, 2)), (1, 3, 1, 2)),
    ("squeeze_list", lambda lib, x: lib.squeeze(x, [0, 1]), (1, 3, 1, 2)),
    ("squeeze_0d", lambda lib, x: x.squeeze(0), ()),
    ("squeeze_0d_none", lambda lib, x: x.squeeze(), ()),
    ("unsqueeze", lambda lib, x: x.unsqueeze(1), (2, 3)),
    ("unsqueeze_last", lambda lib, x: x.unsqueeze(-1), (2, 3)),
    ("unsqueeze_first", lambda lib, x: lib.unsqueeze(x, -3), (2, 3)),
    ("unsqueeze_0d", lambda lib, x: x.unsqueeze(0), ()),
    ("expand", lambda lib, x: x.expand(2, 3), (2, 1)),
    ("expand-1", lambda lib, x: x.expand(4, -1, 3), (2, 1)),
    ("expand_same", lambda lib, x: x.expand(2, 3), (2, 3)),
    ("expand_0d", lambda lib, x: x.expand(3, 2), ()),
    ("expand_empty", lambda lib, x: x.expand(0, 3), (1, 3)),
    ("expand_as", lambda lib, x: x.expand_as(lib.ones(2, 4, 3)), (4, 1)),
    ("broadcast_to", lambda lib, x: lib.broadcast_to(x, (2, 3)), (3,)),
    ("stack", lambda lib, x: lib.stack([x, x * 2, x.exp()]), (2, 3)),
    ("stack1", lambda lib, x: lib.stack((x, x * 2), 1), (2, 3)),
    ("stack-1", lambda lib, x: lib.stack([x, lib.ones(2, 3, dtype=x.dtype)], -1), (2, 3)),
    ("stack_0d", lambda lib, x: lib.stack([x, x * 3]), ()),
    ("stack_one", lambda lib, x: lib.stack([x]), (2,)),
    ("stack_empty", lambda lib, x: lib.stack([x, x], 1), (0, 2)),
    ("cat", lambda lib, x: lib.cat([x, x[:1] * 2]), (2, 3)),
    ("cat1", lambda lib, x: lib.cat([x, x[:, :2].exp(), x], 1), (2, 3)),
    ("cat-1", lambda lib, x: lib.cat((x, lib.ones(2, 1, dtype=x.dtype)), dim=-1), (2, 3)),
    ("cat_legacy_empty", lambda lib, x: lib.cat([lib.ones(0, dtype=x.dtype), x, lib.zeros(0)]), (2, 3)),
    ("cat_promotes", lambda lib, x: lib.cat([x, lib.ones(1, 3, dtype=lib.float64)]), (2, 3)),
    ("cat_int", lambda lib, x: lib.cat([x, lib.ones(1, 3, dtype=lib.int64)]), (2, 3)),
    ("concat", lambda lib, x: lib.concat([x, x], 0), (2,)),
    ("hstack", lambda lib, x: lib.hstack([x, x * 2]), (2, 3)),
    ("vstack", lambda lib, x: lib.vstack([x, x * 2]), (3,)),
    ("unbind", lambda lib, x: x.unbind(), (2, 3)),
    ("unbind1", lambda lib, x: lib.unbind(x, 1), (2, 3)),
    ("unbind-1", lambda lib, x: x.unbind(-1)[1:], (2, 3, 4)),
    ("unbind_one_used", lambda lib, x: x.unbind(1)[2] * 3, (2, 3)),
    ("unbind_empty", lambda lib, x: x.unbind(0), (0, 3)),
    ("split", lambda lib, x: x.split(2), (5, 2)),
    ("split_dim", lambda lib, x: lib.split(x, 3, dim=1), (2, 7)),
    ("split_big", lambda lib, x: x.split(10), (5, 2)),
    ("split_sizes", lambda lib, x: x.split([1, 0, 3], 1), (2, 4)),
    ("split_sizes_tuple", lambda lib, x: lib.split(x, (4, 1)), (5, 2)),
    ("split_empty", lambda lib, x: x.split(2), (0, 2)),
    ("split_kw", lambda lib, x: x.split(split_size=2), (3,)),
    ("split_last_only", lambda lib, x: x.split(2)[-1] * 2, (5,)),
    ("chunk", lambda lib, x: x.chunk(3), (10,)),
    ("chunk_more_than_size", lambda lib, x: x.chunk(5, 1), (2, 3)),
    ("chunk_uneven", lambda lib, x: lib.chunk(x, 4), (6, 2)),
    ("chunk_empty", lambda lib, x: x.chunk(2), (0, 3)),
    ("roll", lambda lib, x: x.roll(1), (2, 3)),
    ("roll_dim", lambda lib, x: x.roll(-4, 1), (2, 3)),
    ("roll_dims", lambda lib, x: lib.roll(x, (1, -1), (0, 1)), (2, 3)),
    ("roll_list", lambda lib, x: x.roll([2], [-1]), (2, 3)),
    ("roll_0d", lambda lib, x: x.roll(3), ()),
    ("roll_empty", lambda lib, x: x.roll(1), (0,)),
    ("flip", lambda lib, x: x.flip(0), (2, 3)),
    ("flip_tuple", lambda lib, x: lib.flip(x, (0, -1)), (2, 3, 4)),
    ("flip_list", lambda lib, x: x.flip([1]), (2, 3)),
    ("flip_varargs", lambda lib, x: x.flip(0, 1), (2, 3)),
    ("flip_0d", lambda lib, x: x.flip(0), ()),
    ("narrow", lambda lib, x: x.narrow(1, 1, 2), (2, 3)),
    ("narrow_neg_start", lambda lib, x: lib.narrow(x, 0, -1, 1), (2, 3)),
    ("narrow_empty", lambda lib, x: x.narrow(1, 3, 0), (2, 3)),
    ("narrow_tensor_start", lambda lib, x: x.narrow(0, lib.tensor(1), 1), (2, 3)),
    ("select", lambda lib, x: x.select(1, -1), (2, 3)),
    ("select0", lambda lib, x: lib.select(x, 0, 1), (2, 3)),
    ("select_tensor_index", lambda lib, x: x.select(0, lib.tensor(1)), (2, 3)),
    ("movedim", lambda lib, x: x.movedim(0, -1), (2, 3, 4)),
    ("movedim_tuple", lambda lib, x: lib.movedim(x, (0, 1), (2, 0)), (2, 3, 4)),
    ("movedim_same", lambda lib, x: x.movedim(1, 1), (2, 3, 4)),
    ("moveaxis", lambda lib, x: x.moveaxis(2, 0), (2, 3, 4)),
    ("movedim_0d", lambda lib, x: x.movedim(0, -1), ()),
    ("chain", lambda lib, x: x.t().reshape(-1).unsqueeze(0).expand(2, 6).flip(1).roll(2, 1)[:, 1:4], (2, 3)),
]


@pytest.mark.parametrize("name,case,shape", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_shape_ops(torch, name, case, shape, dtype):
    check(torch, case, [arr(*shape)], dtype, what=name)


@pytest.mark.parametrize("name,case,shape", CASES[:40], ids=[c[0] for c in CASES[:40]])
def test_shape_ops_on_integers(torch, name, case, shape):
    check(torch, case, [RNG.integers(-9, 9, shape)], "int64", what=name)


ERRORS = [
    "x.view(5, -1)", "x.view(-1, -1)", "x.view(-2, 12)", "x.reshape(5)", "e.reshape(-1, 0)",
    "x.reshape(-1, 0)", "x.view(2.0, 12)", "x.view()", "x.t()", "m.t().view(6)",
    "x.flatten(2, 1)", "x.flatten(0, 3)", "z.flatten(1)", "x.squeeze(3)", "x.squeeze((0, 0))", "z.squeeze(1)",
    "x.unsqueeze(4)", "x.unsqueeze(-5)", "z.unsqueeze(1)",
    "x.expand(3, 3, 4)", "x.expand(3, 4)", "x.expand(-1, 2, 3, 4)", "x.expand(2, -2, 4)", "x.expand_as(m)",
    "lib.stack([x, m])", "lib.stack([])", "lib.stack([x, x], 4)", "lib.stack(x)", "lib.stack([x, [1.0]])",
    "lib.cat([x, m])", "lib.cat([m, lib.ones(2, 2)])", "lib.cat([m, m, lib.ones(2, 4)])", "lib.cat([z, z])",
    "lib.cat([])", "lib.cat([m, m], 2)", "lib.cat([m, 1])", "lib.cat(m)", "lib.cat([m, lib.ones(3)], 1)",
    "z.unbind()", "x.unbind(3)", "z.split(1)", "x.split(-1)", "x.split(0)", "x.split([1, 0])",
    "x.split([-1, 3])", "x.split(1, 3)", "z.chunk(1)", "x.chunk(0)", "x.chunk(-2)",
    "x.roll(1, 3)", "x.roll((1, 2), 1)", "x.roll((1, 2))", "z.roll(1, 0)",
    "x.flip(3)", "x.flip((0, 0))", "x.narrow(3, 0, 1)", "x.narrow(1, 2, 2)", "x.narrow(1, 4, 0)",
    "x.narrow(1, -4, 1)", "x.narrow(1, 0, -1)", "z.narrow(0, 0, 1)", "x.select(1, 3)", "x.select(1, -4)",
    "x.select(3, 0)", "z.select(0, 0)", "x.movedim(3, 0)", "x.movedim(0, -4)", "x.movedim((0, 1), (0,))",
    "x.movedim((0, 0), (0, 1))", "x.movedim((0, 1), (1, 1))", "z.movedim(1, 0)",
]


@pytest.mark.parametrize("call", ERRORS)
def test_shape_errors(torch, call):
    def case(lib, x):
        z, m, e = lib.tensor(1.0), lib.ones(2, 3), lib.ones(0, 3)  # noqa: F841  (read by eval)
        return eval(call)
    check_error(torch, case, [X])


# ----- views share data with their base ------------------------------------------

def test_views_share_data_with_their_base(differential):
    differential(
        """
        x = torch.arange(6.)
        v = x.view(2, 3)
        t = v.t()
        r = x[1:5:2]
        v[0, 1] = 10.
        t[2, 1] = -1.
        x.mul_(2)
        print(x, v, t, r, sep="\\n")
        """,
        """
        y = x.reshape(3, 2)
        y.zero_()
        print(x, v.is_contiguous(), t.is_contiguous(), t.contiguous().is_contiguous())
        """,
        """
        e = torch.ones(3).expand(2, 3)
        e.add_(1)
        """,
    )


def test_inplace_through_a_view_reaches_the_base_gradient(differential):
    differential(
        """
        a = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
        b = a * 1
        v = b.view(3, 2)
        v.mul_(torch.tensor([[1.], [2.], [3.]]))
        print(b, v.grad_fn, b.grad_fn)
        (b * b).sum().backward()
        a.grad
        """,
        """
        c = a.detach().clone().requires_grad_()
        d = c * 2
        d.t().add_(1)
        s = d.unsqueeze(0).squeeze(0)[0]
        s.mul_(3)
        print(d)
        d.sum().backward()
        c.grad
        """,
    )


def test_inplace_on_multi_output_views_is_refused(differential):
    differential(
        """
        x = torch.ones(3, 2, requires_grad=True)
        y = x * 1
        y.unbind(0)[1].add_(1)
        """,
        "y.split([1, 2])[1].mul_(2)",
        "y.chunk(3)[2][0].zero_()",
        """
        for row in y:
            row += 1
        """,
        """
        h = torch.zeros(2, 3)
        for row in h:
            row += 1
        h
        """,
        "h.unbind(0)[1].add_(torch.ones(3, requires_grad=True))",
        # the failed ops left y and its graph as they were
        "y.sum().backward()\nprint(y, x.grad)",
    )


def test_iteration_yields_unbind_rows(differential):
    differential(
        """
        x = torch.arange(6.).reshape(3, 2).requires_grad_()
        rows = list(x)
        print(rows)
        sum(r.sum() * (i + 1) for i, r in enumerate(x)).backward()
        x.grad
        """,
        "list(torch.tensor(1.))",
        "len(x), len(torch.ones(0, 2)), list(torch.ones(0, 2))",
    )


# ----- finite differences (no torch needed) -------------------------------------

FD_CASES = [
    lambda lib, x: x.reshape(4, 6).t() @ x.reshape(4, 6),
    lambda lib, x: lib.stack([x, x * x], 1).sum(1) * x,
    lambda lib, x: lib.cat([x.flip(0), x.roll(1, 2) ** 2], 2),
    lambda lib, x: lib.cat([c * (i + 1) for i, c in enumerate(x.chunk(3, 2))], 0),
    lambda lib, x: lib.stack(x.unbind(1)).movedim(0, 1) * x,
    lambda lib, x: x.expand(3, 2, 3, 4).sum(0) * x.narrow(2, 1, 2).sum(),
    lambda lib, x: x.select(1, 2).unsqueeze(1) * x.squeeze().flatten(1).reshape(2, 3, 4),
]


@pytest.mark.parametrize("k", range(len(FD_CASES)))
def test_finite_differences(k):
    fd_check(FD_CASES[k], [X])
