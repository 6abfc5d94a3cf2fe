"""Regression tests for the eager fidelity gaps of issue 12 (third round):
each runs the same code on torch and jitgrad and compares values, gradients
(signs of zeros, None versus zeros), dtypes and errors."""

import numpy as np
import pytest
import torch

import jitgrad

from _fidelity import LIBS, both, raises_same, same  # noqa: E402,F401





# ----- 2. gathers: torch's index backward sums into zeros, a view's copies ------

GATHERS = {
    "list": lambda L, x: x[[0]],
    "list2": lambda L, x: x[[0, 2]],
    "tensor": lambda L, x: x[L.tensor([0, 2, 0])],
    "mask": lambda L, x: x[x <= 0],
    "bool_tensor": lambda L, x: x[L.tensor([True, False, True, False])],
    "2d_pair": lambda L, x: x.view(2, 2)[[0, 1], [0, 0]],
    "2d_mixed": lambda L, x: x.view(2, 2)[:, [0]],
    "index_select": lambda L, x: x.index_select(0, L.tensor([0, 2])),
    "gather": lambda L, x: x.gather(0, L.tensor([0, 2])),
    "take": lambda L, x: x.take(L.tensor([0, 2])),
    "take_along_dim": lambda L, x: x.take_along_dim(L.tensor([0, 2])),
    "take_along_dim_dim": lambda L, x: x.view(2, 2).take_along_dim(L.tensor([[0], [1]]), 1),
    "cummax": lambda L, x: x.cummax(0)[0],
    "unfold": lambda L, x: x.unfold(0, 2, 1),
    "unfold_disjoint": lambda L, x: x.unfold(0, 1, 1),
    "unfold_gaps": lambda L, x: x.unfold(0, 1, 2),
    "masked_select": lambda L, x: x.masked_select(x <= 0),
    "select": lambda L, x: x[0],
    "slice": lambda L, x: x[0:3],
    "flip": lambda L, x: x.flip(0),
    "sort": lambda L, x: x.sort()[0],
    "max_dim": lambda L, x: x.view(2, 2).max(1)[0],
    "diagonal": lambda L, x: x.view(2, 2).diagonal(),
    "repeat": lambda L, x: x.repeat(2),
    "expand": lambda L, x: x[:1].expand(3),
}


@pytest.mark.parametrize("name", sorted(GATHERS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gather_gradient_signs_of_zero(name, dtype):
    def run(L):
        x = L.tensor([-0.0, 1.0, -0.0, 2.0], dtype=getattr(L, dtype), requires_grad=True)
        y = GATHERS[name](L, x)
        y.backward(L.full(y.shape, -0.0, dtype=getattr(L, dtype)))
        return y, x.grad
    (ty, tg), (jy, jg) = both(run)
    same(ty, jy)
    same(tg, jg)


@pytest.mark.parametrize("name", ["list2", "slice", "gather", "masked_select", "expand"])
def test_gather_gradient_signs_create_graph(name):
    def run(L):
        x = L.tensor([-0.0, 1.0, -0.0, 2.0], dtype=L.float64, requires_grad=True)
        y = GATHERS[name](L, x)
        g, = L.autograd.grad(y, x, L.full(y.shape, -0.0, dtype=L.float64, requires_grad=True), create_graph=True)
        return g
    same(*both(run))


def test_index_gradient_sums_with_other_uses():
    def run(L):
        x = L.tensor([-0.0, 3.0, 0.5], requires_grad=True)
        (x[[0, 0, 2]] * x[[1, 1, 1]]).sum().backward()
        return x.grad
    same(*both(run))


# ----- 1. xlogy / xlog1py: torch's d/dx is xlogy(g, y), masked ----------------

def _xlog_fns(L):
    return {"xlogy": L.xlogy, "special.xlogy": L.special.xlogy, "xlog1py": L.special.xlog1py,
            "method": lambda a, b: a.xlogy(b)}


@pytest.mark.parametrize("fn", ["xlogy", "special.xlogy", "xlog1py", "method"])
@pytest.mark.parametrize("upstream", ["zeros", "neg_zeros", "mixed", "inf"])
@pytest.mark.parametrize("size", [1, 5, 3000])
def test_xlogy_gradient_masking(fn, upstream, size):
    xs = [0.0, 1.0, 2.0, 0.0, -1.0, -0.0, 3.0]
    ys = [0.0, -1.0, 0.0, 2.0, -0.0, -3.0, float("nan")]

    def run(L):
        n = len(xs) if size == 5 else size
        x = L.tensor((xs * size)[:n] if n > 1 else [1.0], dtype=L.float64, requires_grad=True)
        y = L.tensor((ys * size)[:n] if n > 1 else [0.0], dtype=L.float64, requires_grad=True)
        g = {"zeros": L.zeros(n, dtype=L.float64), "neg_zeros": L.full((n,), -0.0, dtype=L.float64),
             "mixed": L.tensor(([0.0, -1.0, 0.5] * n)[:n], dtype=L.float64),
             "inf": L.full((n,), float("inf"), dtype=L.float64)}[upstream]
        out = _xlog_fns(L)[fn](x, y)
        out.backward(g)
        return out, x.grad, y.grad
    for a, b in zip(*both(run)):
        same(a, b)


@pytest.mark.parametrize("fn", ["xlogy", "xlog1py"])
def test_xlogy_zero_upstream_scalar_operands(fn):
    def run(L):
        x = L.tensor([0.0, 1.0, -2.0], dtype=L.float64, requires_grad=True)
        y = L.tensor(0.0, dtype=L.float64, requires_grad=True)
        out = _xlog_fns(L)[fn](x, -1.0)
        (out * 0).sum().backward()
        out2 = _xlog_fns(L)[fn](2.0, y)
        (out2 * 0).backward()
        return out, x.grad, out2, y.grad
    for a, b in zip(*both(run)):
        same(a, b)


@pytest.mark.parametrize("fn", ["xlogy", "xlog1py"])
def test_xlogy_double_backward(fn):
    def run(L):
        x = L.tensor([0.0, 1.0, -2.0, 0.5], dtype=L.float64, requires_grad=True)
        y = L.tensor([0.0, 1.5, -1.0, 2.0], dtype=L.float64, requires_grad=True)
        out = _xlog_fns(L)[fn](x, y)
        g = L.tensor([0.0, 1.0, 0.0, -2.0], dtype=L.float64, requires_grad=True)
        gx, gy = L.autograd.grad(out, (x, y), g, create_graph=True)
        ggx, ggy, gg = L.autograd.grad((gx * gx).sum() + gy[1], (x, y, g), allow_unused=True)
        return gx, gy, ggx, ggy, gg
    for a, b in zip(*both(run)):
        same(a, b)


def test_xlog1py_broadcast_dtype_and_fd():
    def run(L):
        x = L.tensor([[0.0], [1.5]], dtype=L.float64, requires_grad=True)
        y = L.tensor([-0.5, 0.25, 3.0], dtype=L.float32, requires_grad=True)
        out = L.special.xlog1py(x, y)
        out.backward(L.ones_like(out))
        return out, x.grad, y.grad, L.special.xlog1py(2, L.tensor([1, 2]))
    for a, b in zip(*both(run)):
        same(a, b)
    x = jitgrad.tensor([0.3, 1.5], dtype=jitgrad.float64, requires_grad=True)
    y = jitgrad.tensor([-0.5, 2.0], dtype=jitgrad.float64, requires_grad=True)
    assert jitgrad.autograd.gradcheck(jitgrad.special.xlog1py, (x, y))


# ----- 3. forward mode: a zero tangent keeps its sign (torch's self_t * partial) --

def _unary_ops(L):
    F = L.nn.functional
    return {
        "sin": L.sin, "cos": L.cos, "exp": L.exp, "log": L.log, "sqrt": L.sqrt, "tanh": L.tanh,
        "sigmoid": L.sigmoid, "neg": L.neg, "abs": L.abs, "relu": F.relu, "log1p": L.log1p,
        "atan": L.atan, "asinh": L.asinh, "square": L.square, "reciprocal": L.reciprocal, "floor": L.floor,
        "sign": L.sign, "clone": L.clone, "softplus": F.softplus, "gelu": F.gelu, "silu": F.silu,
        "elu": F.elu, "leaky_relu": F.leaky_relu, "hardtanh": F.hardtanh, "relu6": F.relu6,
        "softshrink": F.softshrink, "hardshrink": F.hardshrink, "cumsum": lambda x: x.cumsum(0),
        "sum": L.sum, "mean": L.mean, "prod": L.prod, "norm": L.norm, "softmax": lambda x: x.softmax(0),
        "sort": lambda x: x.sort()[0], "flip": lambda x: x.flip(0), "index": lambda x: x[[0, 3]],
        "select": lambda x: x[2], "stack": lambda x: L.stack([x, x]), "cat_const": lambda x: L.cat([x, L.ones(2, dtype=x.dtype)]),
        "square_mul": lambda x: x * x, "pow2": lambda x: x ** 2, "powm1": lambda x: x ** -1,
        "clamp": lambda x: x.clamp(-0.5, 0.5), "mul2": lambda x: x * 2, "add1": lambda x: x + 1,
        "rsub": lambda x: 1 - x, "pow0": lambda x: x ** 0, "where_const": lambda x: L.where(x > 0, x, 1.0),
    }


PRIMALS = [0.0, -0.0, 0.3, -0.7, 1.0, 2.0, -1.0]
TANGENTS = {"alternating": [-0.0, 0.0, -0.0, 0.0, -0.0, 0.0, -0.0], "neg_zeros": [-0.0] * 7,
            "mixed": [1.0, -1.0, 0.0, -0.0, 2.0, -0.0, 0.0]}


def _tangent(L, f, primals, tangents):
    fa = L.autograd.forward_ad
    with fa.dual_level():
        duals = [fa.make_dual(L.tensor(p, dtype=L.float64), L.tensor(t, dtype=L.float64))
                 for p, t in zip(primals, tangents)]
        return fa.unpack_dual(f(*duals)).tangent


@pytest.mark.parametrize("name", sorted(_unary_ops(torch)))
@pytest.mark.parametrize("tangent", sorted(TANGENTS))
def test_forward_ad_unary_zero_tangent_signs(name, tangent):
    same(*both(lambda L: _tangent(L, _unary_ops(L)[name], [PRIMALS], [TANGENTS[tangent]])))


BINARY = {"add": lambda L, x, y: x + y, "sub": lambda L, x, y: x - y, "mul": lambda L, x, y: x * y,
          "atan2": lambda L, x, y: L.atan2(x, y), "hypot": lambda L, x, y: L.hypot(x, y),
          "xlogy": lambda L, x, y: L.xlogy(x, y), "logaddexp": lambda L, x, y: L.logaddexp(x, y),
          "where": lambda L, x, y: L.where(x > y, x, y), "lerp": lambda L, x, y: L.lerp(x, y, 0.3),
          "addcmul": lambda L, x, y: L.addcmul(x, x, y), "dot": lambda L, x, y: L.dot(x, y)}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("pair", [(0, 1), (1, 0), (1, 1)])
def test_forward_ad_binary_zero_tangent_signs(name, pair):
    t1, t2 = TANGENTS["alternating"], TANGENTS["neg_zeros"]
    tangents = [t1 if pair[0] else t2[::-1], t2 if pair[1] else t1[::-1]]
    same(*both(lambda L: _tangent(L, lambda x, y: BINARY[name](L, x, y), [PRIMALS, PRIMALS[::-1]], tangents)))


def test_forward_ad_constant_operand_contributes_nothing():
    # torch: an operand without a tangent adds nothing, even where its partial is nan
    def f(L, x):
        c = L.tensor([-1.0, 0.0, 4.0], dtype=L.float64)
        return L.sqrt(c) * x + L.log(c) * x
    same(*both(lambda L: _tangent(L, lambda x: f(L, x), [[0.5, -0.0, 2.0]], [[-0.0, 0.0, -0.0]])))


def test_jvp_and_jacfwd_signs():
    def run(L):
        x = L.tensor([0.3, -0.0, 2.0], dtype=L.float64)
        v = L.tensor([-0.0, -0.0, 0.0], dtype=L.float64)
        out, jv = L.func.jvp(lambda a: (a * 3).sin(), (x,), (v,))
        return out, jv
    for a, b in zip(*both(run)):
        same(a, b)


# ----- 4. prod(dim): each factor's gradient is g times the product of the others --

PROD_ROWS = [[2.0, 3.0, 4.0], [0.0, 3.0, 4.0], [0.0, 0.0, 4.0], [-0.0, 3.0, 4.0], [-0.0, 0.0, -2.0],
             [-0.0, -0.0, -0.0], [0.0, -3.0, 4.0], [-0.0, -3.0, -4.0], [0.0, 0.0, 0.0], [5.0, -0.0, 0.0]]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("mode", ["dim1", "dim0", "keepdim", "all_one_zero", "all_two_zeros", "create_graph"])
@pytest.mark.parametrize("upstream", [1.0, -1.0, -0.0])
def test_prod_gradient_signs_with_zeros(dtype, mode, upstream):
    def run(L):
        x = L.tensor(PROD_ROWS, dtype=getattr(L, dtype), requires_grad=True)
        y = {"dim1": lambda: x.prod(1), "dim0": lambda: x.prod(0), "keepdim": lambda: x.prod(-1, keepdim=True),
             "all_one_zero": lambda: x[1].prod(), "all_two_zeros": lambda: x[2:4].prod(),
             "create_graph": lambda: x.prod(1)}[mode]()
        g = L.full(y.shape, upstream, dtype=getattr(L, dtype))
        gx, = L.autograd.grad(y, x, g, create_graph=mode == "create_graph")
        return y, gx
    for a, b in zip(*both(run)):
        same(a, b)


def test_prod_dim_double_backward_and_fd():
    def run(L):
        x = L.tensor([[1.5, -2.0, 0.5], [0.0, 3.0, -1.0]], dtype=L.float64, requires_grad=True)
        gx, = L.autograd.grad(x.prod(1).sum(), x, create_graph=True)
        return gx, L.autograd.grad(gx.pow(2).sum(), x)[0]
    for a, b in zip(*both(run)):
        same(a, b)
    x = jitgrad.tensor([[1.5, -2.0, 0.5], [0.7, 3.0, -1.0]], dtype=jitgrad.float64, requires_grad=True)
    assert jitgrad.autograd.gradcheck(lambda t: t.prod(1), (x,))
    assert jitgrad.autograd.gradgradcheck(lambda t: t.prod(0), (x,))


def test_create_graph_select_gradients_keep_signs():
    def run(L):
        x = L.tensor([[2.0, -3.0], [-0.0, 1.0]], requires_grad=True)
        outs = L.unbind(x, 1)
        g, = L.autograd.grad(outs[0] * outs[1], x, L.full((2,), -0.0), create_graph=True)
        return g
    same(*both(run))


# ----- 5. pow_ / **= with a tensor exponent: torch's errors, values, gradients --

def _ipow(x, e):
    x **= e
    return x


POW_ERRORS = {
    "leaf_pow_": lambda L: L.ones(3, requires_grad=True).pow_(L.tensor([1.0, 2.0, 3.0])),
    "leaf_ipow": lambda L: _ipow(L.ones(3, requires_grad=True), L.tensor([1.0, 2.0, 3.0])),
    "leaf_broadcast": lambda L: L.ones(3, requires_grad=True).pow_(L.ones(2, 3)),
    "view_of_leaf": lambda L: L.ones(3, requires_grad=True)[:2].pow_(L.tensor([1.0, 2.0])),
    "broadcast": lambda L: L.ones(3).pow_(L.ones(2, 3)),
    "broadcast_ipow": lambda L: _ipow(L.ones(3), L.ones(2, 3)),
    "broadcast_0d": lambda L: L.tensor(2.0).pow_(L.tensor([1.0, 2.0])),
    "int_by_float": lambda L: L.ones(3, dtype=L.int64).pow_(L.tensor([0.5, 1.0, 2.0])),
    "int_by_float_ipow": lambda L: _ipow(L.ones(3, dtype=L.int64), L.tensor([0.5, 1.0, 2.0])),
    "int_by_float_0d": lambda L: L.ones(3, dtype=L.int32).pow_(L.tensor(2.0)),
    "int_by_float_scalar": lambda L: L.ones(3, dtype=L.int64).pow_(0.5),
    "bool_by_long": lambda L: L.ones(3, dtype=L.bool).pow_(L.tensor([1, 2, 3])),
    "int_negative_scalar": lambda L: L.tensor([2, 3]).pow_(-1),
    "complex_scalar": lambda L: L.ones(2).pow_(2j),
    "complex_mul_": lambda L: L.ones(2, dtype=L.float64).mul_(1j),
    "pow_list": lambda L: L.ones(2).pow_([1, 2]),
    "pow_none": lambda L: L.ones(2).pow_(None),
    "ipow_none": lambda L: _ipow(L.ones(2), None),
    "pow_none_operator": lambda L: L.ones(2) ** None,
    "rpow_none_operator": lambda L: None ** L.ones(2),
    "add_none_operator": lambda L: L.ones(2) + None,
    "sub_list_operator": lambda L: L.ones(2) - [1.0],
    "mod_none_operator": lambda L: L.ones(2) % None,
    "floordiv_none_operator": lambda L: None // L.ones(2),
    "mul_none": lambda L: L.ones(2).mul_(None),
    "add_none": lambda L: L.ones(2).add_(None),
    "div_str": lambda L: L.ones(2).div_("a"),
}


@pytest.mark.parametrize("name", sorted(POW_ERRORS))
def test_inplace_pow_errors(name):
    raises_same(POW_ERRORS[name])


@pytest.mark.parametrize("how", ["pow_", "ipow"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_inplace_pow_tensor_exponent_gradients(how, dtype):
    def run(L):
        x = L.tensor([1.5, 2.0, 0.0, -1.0], dtype=getattr(L, dtype), requires_grad=True)
        t = L.tensor([2.0, 0.5, 0.0, 3.0], dtype=getattr(L, dtype), requires_grad=True)
        y = x * 1
        if how == "pow_":
            y.pow_(t)
        else:
            y **= t
        y.sum().backward()
        return y, x.grad, t.grad
    for a, b in zip(*both(run)):
        same(a, b)


def test_inplace_pow_value_dtypes():
    def run(L):
        a = L.ones(3).pow_(L.tensor([1, 2, 3]))
        b = L.tensor([2, 3]).pow_(L.tensor([0, 2]))
        c = L.ones(3).pow_(L.ones(3, dtype=L.float64))
        return a, b, c
    for a, b in zip(*both(run)):
        same(a, b)


# ----- 6. nn.Parameter: what derives from it, printing, copies ----------------

def test_parameter_derived_types_and_printing():
    import copy
    import pickle

    def run(L):
        nn = L.nn
        p = nn.Parameter(L.tensor([1.0, 2.0]))
        lin = nn.Linear(2, 1)
        derived = [copy.deepcopy(p), p.detach(), p * 2, p.data, p.clone(), p.to(L.float64), p[0], p.view(2),
                   pickle.loads(pickle.dumps(p)), copy.copy(p), -p, p.sum()]
        return ([isinstance(t, nn.Parameter) for t in derived], [isinstance(t, L.Tensor) for t in derived],
                [isinstance(v, nn.Parameter) for v in lin.state_dict().values()],
                [isinstance(v, nn.Parameter) for v in copy.deepcopy(lin).parameters()],
                copy.deepcopy(p).requires_grad, p.to(L.float32) is p, repr(p).replace("jitgrad", "torch"),
                repr(nn.Parameter(L.tensor([1.0]), requires_grad=False)), str(p).replace("jitgrad", "torch"),
                repr(nn.Parameter()), issubclass(nn.Parameter, L.Tensor))
    a, b = both(run)
    assert a == b


@pytest.mark.parametrize("data", [[1.0], 3.0, "np"])
def test_parameter_of_a_non_tensor_error(data):
    raises_same(lambda L: L.nn.Parameter(np.ones(2) if data == "np" else data))


# ----- 7. lazy modules: placeholders filled in place, then the eager class -----

LAZY = {
    "LazyLinear": ((3,), (2, 5)), "LazyConv1d": ((4, 3), (2, 3, 7)), "LazyConv2d": ((4, 3), (2, 3, 5, 5)),
    "LazyConv3d": ((2, 2), (1, 2, 3, 3, 3)), "LazyConvTranspose1d": ((4, 3), (2, 6, 5)),
    "LazyConvTranspose2d": ((3, 2), (1, 2, 3, 3)), "LazyConvTranspose3d": ((2, 2), (1, 2, 2, 2, 2)),
    "LazyBatchNorm1d": ((), (4, 3)), "LazyBatchNorm2d": ((), (2, 3, 4, 4)), "LazyBatchNorm3d": ((), (2, 3, 2, 2, 2)),
    "LazyInstanceNorm1d": ((), (2, 3, 5)), "LazyInstanceNorm2d": ((), (2, 3, 4, 4)),
    "LazyInstanceNorm3d": ((), (2, 3, 2, 2, 2)),
}


@pytest.mark.parametrize("name", sorted(LAZY))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_lazy_module_trains_with_an_optimizer_built_before_the_first_call(name, dtype):
    args, shape = LAZY[name]

    def run(L):
        m = getattr(L.nn, name)(*args)
        if dtype == "float64":
            m = m.double()
        before = (type(m).__name__, repr(m).replace("jitgrad", "torch"),
                  [repr(t) for t in list(m.parameters()) + list(m.buffers())])
        params = list(m.parameters())
        opt = L.optim.SGD(params, lr=0.1)
        y = m(L.randn(*shape, dtype=getattr(L, dtype)))
        after = (type(m).__name__, repr(m).replace("jitgrad", "torch"), isinstance(m, getattr(L.nn, name[4:])),
                 [a is b for a, b in zip(params, m.parameters())], len(params) == len(list(m.parameters())),
                 [tuple(p.shape) for p in m.parameters()], [(tuple(b.shape), str(b.dtype).split(".")[-1]) for b in m.buffers()],
                 str(y.dtype).split(".")[-1], tuple(y.shape))
        old = [p.detach().clone() for p in params]
        (y ** 2 + y).sum().backward()     # (+ y: a bias gradient that cannot vanish)
        opt.step()
        moved = [bool((o != p.detach()).any()) for o, p in zip(old, params)]
        return before, after, moved
    a, b = both(run)
    assert a == b
    assert all(b[2])        # every parameter trained


def test_lazy_norm_without_parameters_and_loaded_state():
    def run(L):
        m = L.nn.LazyInstanceNorm2d(affine=False, track_running_stats=False)
        m(L.randn(2, 3, 4, 4))
        n = L.nn.LazyBatchNorm1d()
        n.load_state_dict(L.nn.BatchNorm1d(3).state_dict())
        n(L.randn(4, 3))
        return repr(m).replace("jitgrad", "torch"), repr(n).replace("jitgrad", "torch"), tuple(n.weight.shape)
    with pytest.warns(UserWarning):
        a = run(torch)
    with pytest.warns(UserWarning):
        b = run(jitgrad)
    assert a == b
