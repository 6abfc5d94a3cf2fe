"""known18: differences from torch 2.13 fixed this session, each checked
against torch itself (tests/_fidelity.py)."""
import numpy as np
import pytest
import torch

from _fidelity import bits, both, same


def _dense(g):
    """torch's leaf gradient that is a ZeroTensor itself (printed as zeros,
    but numpy() refuses it) as plain zeros, to compare."""
    if isinstance(g, torch.Tensor) and torch._is_zerotensor(g):
        return torch.zeros(g.shape, dtype=g.dtype)
    return g


def same_dense(a, b):
    same([_dense(v) for v in a] if isinstance(a, tuple) else _dense(a), b)


# ----- sgn's backward is torch's ZeroTensor: nodes before it that keep one
# skip their multiply (no 0 * inf = nan), the others compute from zeros.
BEFORE_SGN = {
    "sqrt": lambda L, x: x.clamp(0).sqrt(), "log": lambda L, x: x.clamp(0).log(), "rsqrt": lambda L, x: x.clamp(0).rsqrt(),
    "reciprocal": lambda L, x: 1 / x.clamp(0), "pow_half": lambda L, x: x.clamp(0) ** 0.5,
    "pow_neg": lambda L, x: x.clamp(0) ** -1.0, "mul_inf": lambda L, x: x * float("inf"),
    "log_raw": lambda L, x: x.log(), "div_zeros": lambda L, x: x / L.zeros(x.shape),
    "acos": lambda L, x: (x * 2).acos(), "neg_sqrt": lambda L, x: -(x.clamp(0).sqrt()),
    "sqrt_neg": lambda L, x: (-x).clamp(0).sqrt(), "sum": lambda L, x: x.clamp(0).sqrt().sum(),
    "mean": lambda L, x: x.clamp(0).sqrt().mean(), "slice": lambda L, x: x.clamp(0).sqrt()[1:],
    "view": lambda L, x: x.clamp(0).sqrt().view(1, -1), "cat": lambda L, x: L.cat([x.clamp(0).sqrt(), x]),
    "sub_y": lambda L, x: 1.0 - x.clamp(0).sqrt(), "sub_x": lambda L, x: x.clamp(0).sqrt() - 1.0,
    "div_den": lambda L, x: 2.0 / x.clamp(0).sqrt(), "pow_base_tensor": lambda L, x: x.clamp(0) ** L.full(x.shape, 0.5),
    "pow_exp": lambda L, x: L.zeros(x.shape) ** x, "tanh_sqrt": lambda L, x: x.clamp(0).sqrt().tanh(),
    "exp_sqrt": lambda L, x: x.clamp(0).sqrt().exp(), "mul_self": lambda L, x: x.clamp(0).sqrt() * x.clamp(0).sqrt(),
    "atan2": lambda L, x: L.atan2(x.clamp(0).sqrt(), x + 1), "lgamma": lambda L, x: x.lgamma(),
    "relu_sqrt": lambda L, x: x.clamp(0).sqrt().relu(), "norm": lambda L, x: x.norm(),
    "select": lambda L, x: x.clamp(0).sqrt()[0], "select_2": lambda L, x: x.clamp(0).sqrt()[2],
    "clone": lambda L, x: x.clamp(0).sqrt().clone(), "reshape": lambda L, x: x.clamp(0).sqrt().reshape(2, -1),
}


@pytest.mark.parametrize("name", sorted(BEFORE_SGN))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n", [4, 4100])    # (4100: large values' bulk records)
def test_sgn_zero_tensor_gradient(name, dtype, n):
    def run(L):
        x = L.tensor([0., 1., -0., 2.5] * (n // 4), dtype=getattr(L, dtype), requires_grad=True)
        BEFORE_SGN[name](L, x).sgn().sum().backward()
        return x.grad
    same_dense(*both(run))


def test_sgn_zero_tensor_0d_and_sign_unchanged():
    def run(L):
        x = L.tensor(0., requires_grad=True)
        x.sqrt().sgn().backward()
        y = L.tensor([0., 1.], requires_grad=True)
        y.clamp(0).sqrt().sign().sum().backward()     # sign's backward is real zeros: nan stays
        z = L.tensor([0., 1.], requires_grad=True)
        z.clamp(0).sqrt().sgn().sgn().sum().backward()
        return x.grad, y.grad, z.grad
    same_dense(*both(run))


@pytest.mark.parametrize("order", ["sgn_first", "sgn_last"])
def test_sgn_zero_tensor_meets_real_gradients(order):
    # torch: ZeroTensor + g is g (a -0.0 stays), g + ZeroTensor adds +0.0;
    # a real gradient arriving later still flows through the nodes below.
    def run(L):
        x = L.tensor([-0., 2.], requires_grad=True)
        z = x.sgn() + x * -0.0 if order == "sgn_first" else x * -0.0 + x.sgn()
        z.sum().backward()
        w = L.tensor([0., 2.], requires_grad=True)
        h = w.sqrt()
        (h.sgn() + h * 3 if order == "sgn_first" else h * 3 + h.sgn()).sum().backward()
        return x.grad, w.grad
    same(*both(run))


def test_sgn_inplace_and_jacobian():
    def run(L):
        x = L.tensor([0., 4.], requires_grad=True)
        y = x.sqrt() * 1
        y.sgn_()
        y.sum().backward()
        J = L.autograd.functional.jacobian(lambda v: v.clamp(0).sqrt().sgn() + v, L.tensor([0., 4.]))
        return x.grad, J
    same_dense(*both(run))


# ----- F.interpolate linear / bilinear / bicubic / trilinear: torch's bits
# (its loops' fused multiply-adds and float floor, nn/upsample_taps.py)
def _interp_cases():
    rng = np.random.default_rng(18)
    cases = []
    for mode, nd in (("linear", 1), ("bilinear", 2), ("bicubic", 2), ("trilinear", 3)):
        for dtype in ("float32", "float64"):
            for k in range(6):
                shape = [int(v) for v in rng.integers(1, 6, nd)]
                ac = bool(k % 2)
                if k >= 4 and not ac:
                    kw = {"scale_factor": [float(rng.choice([0.5, 1.5, 2.5, 1.7, 3.0])) for _ in range(nd)]}
                    if min(int(n * f) for n, f in zip(shape, kw["scale_factor"])) < 1:
                        kw = {"scale_factor": [2.0] * nd}
                else:
                    kw = {"size": [int(v) for v in rng.integers(1, 9, nd)]}
                cases.append((mode, dtype, shape, ac, kw, int(rng.integers(0, 1 << 30))))
    return cases


@pytest.mark.parametrize("mode,dtype,shape,ac,kw,seed", _interp_cases())
def test_interpolate_bits(mode, dtype, shape, ac, kw, seed):
    xn = np.random.default_rng(seed).standard_normal([2, 2] + shape).astype(dtype)

    def run(L):
        x = L.tensor(xn, requires_grad=True)
        y = L.nn.functional.interpolate(x, mode=mode, align_corners=ac, **kw)
        w = L.tensor(np.arange(y.numel(), dtype=dtype).reshape(tuple(y.shape)) / y.numel())
        (y * w).sum().backward()
        with L.no_grad():
            z = L.nn.functional.interpolate(x, mode=mode, align_corners=ac, **kw)
        return y, z, x.grad
    t, j = both(run)
    assert bits(t[0])[1:] == bits(j[0])[1:] and bits(t[1])[1:] == bits(j[1])[1:]
    # the gradient within rounding (torch's backward kernel sums in its own
    # order; bicubic's negative weights cancel)
    g, h = t[2].numpy(), j[2].numpy()
    scale = np.abs(g).max()
    np.testing.assert_allclose(h, g, rtol=0, atol=(1e-5 if dtype == "float32" else 1e-13) * scale)


def test_interpolate_reported_value():
    def run(L):
        x = L.tensor([[[0.3, -1.2, 2.0]]], dtype=L.float64)
        return L.nn.functional.interpolate(x, size=5, mode="linear")
    t, j = both(run)
    assert bits(t)[1:] == bits(j)[1:]


# ----- batch_norm of an empty batch: torch's input.clone() * weight[0] + bias[0],
# running statistics left as they are
@pytest.mark.parametrize("shape", [(0, 3), (0, 3, 4), (2, 3, 0)])
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("affine", [True, False])
def test_batch_norm_empty_input(shape, training, affine):
    def run(L):
        x = L.zeros(*shape, requires_grad=True)
        rm, rv = L.full((3,), 0.5), L.full((3,), 2.0)
        w = L.ones(3, requires_grad=True) if affine else None
        b = L.zeros(3, requires_grad=True) if affine else None
        out = L.nn.functional.batch_norm(x, rm, rv, w, b, training=training, momentum=0.1)
        out.sum().backward()
        return out, rm, rv, x.grad, None if w is None else w.grad, None if b is None else b.grad, type(out.grad_fn).__name__
    t, j = both(run)
    assert t[-1] == j[-1]
    same(t[:-1], j[:-1])
    for L in (torch, __import__("jitgrad")):
        m = L.nn.BatchNorm1d(3)
        m(L.zeros(0, 3))
        assert m.running_mean.tolist() == [0.0] * 3 and m.running_var.tolist() == [1.0] * 3


# ----- linear's weight.t() is a view of the weight in torch: a write through
# weight.data reaches the matmul's saved transpose, an in-place write (no_grad,
# an optimizer step) makes it stale
def _nograd_mul(L, lin):
    with L.no_grad():
        lin.weight.mul_(2)


LINEAR_WRITES = {
    "data_mul_": lambda L, lin: lin.weight.data.mul_(2),
    "data_setitem": lambda L, lin: lin.weight.data.__setitem__(0, 5.0),
    "data_twice": lambda L, lin: (lin.weight.data.mul_(2), lin.weight.data.add_(1)),
    "data_assign": lambda L, lin: setattr(lin.weight, "data", lin.weight.data * 2),
    "nograd_mul_": _nograd_mul,
    "sgd_step": lambda L, lin: (setattr(lin.weight, "grad", L.ones_like(lin.weight)),
                                L.optim.SGD([lin.weight], lr=0.1).step()),
}


@pytest.mark.parametrize("name", sorted(LINEAR_WRITES))
@pytest.mark.parametrize("size", [(4, 3, 2), (64, 300, 200)])
@pytest.mark.parametrize("x_grad", [True, False])
def test_linear_weight_written_before_backward(name, size, x_grad):
    n, din, dout = size

    def run(L):
        L.manual_seed(0)
        lin = L.nn.Linear(din, dout)
        x = L.randn(n, din, requires_grad=x_grad)
        out = lin(x).pow(2).sum()
        LINEAR_WRITES[name](L, lin)
        lin.weight.grad = None
        try:
            out.backward()
        except RuntimeError as e:
            return str(e).replace("jitgrad", "torch")
        return x.grad, lin.weight.grad, lin.bias.grad
    t, j = both(run)
    if isinstance(t, str) or isinstance(j, str):
        assert t == j
        return
    for a, b in zip(t, j):      # (matmul sums: within float32 rounding of the largest element)
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=0, atol=1e-5 * float(a.abs().max()))


# ----- Tensor.untyped_storage(): one storage per root tensor and its views
def test_untyped_storage_basics():
    def run(L):
        x = L.arange(6.)
        s, v = x.untyped_storage(), x[2:]
        y = x.view(2, 3).t()
        return (s.nbytes(), s.size(), len(s), s.element_size(), v.untyped_storage().nbytes(),
                v.untyped_storage().data_ptr() == x.data_ptr(), v.untyped_storage() is s, y.untyped_storage() is s,
                v.untyped_storage() == s, x.clone().untyped_storage() is s, isinstance(s, L.UntypedStorage),
                s.tolist(), str(s.device), s.is_shared(), repr(L.arange(2.).untyped_storage()),
                L.tensor(3.).untyped_storage().nbytes(), L.zeros(0).untyped_storage().nbytes(),
                L.zeros(3, dtype=L.int64).untyped_storage().nbytes())
    t, j = both(run)
    assert t == j


# ----- x.view(dtype): torch's shapes, strides, bits and errors; no gradient;
# the memory and version counter shared
VIEW_DTYPE_CASES = {
    "rows": lambda L: L.arange(6, dtype=L.float32).reshape(2, 3),
    "transposed": lambda L: L.arange(6, dtype=L.float32).reshape(3, 2).t(),
    "odd": lambda L: L.arange(3, dtype=L.float32),
    "zero_d": lambda L: L.tensor(1.0),
    "offset_1": lambda L: L.arange(16.).view(2, 8)[:, 1::2],
    "step_2": lambda L: L.arange(16.).view(2, 8)[:, ::2],
    "offset_ok": lambda L: L.arange(18.).view(3, 6)[:, 0:4],
    "row_stride_7": lambda L: L.arange(21.).view(3, 7)[:, 0:4],
    "double": lambda L: L.tensor([1.5, -2.0, 0.25, 3.0], dtype=L.float64),
    "long": lambda L: L.tensor([4607182418800017408, -1, 7, 0]),
}


@pytest.mark.parametrize("case", sorted(VIEW_DTYPE_CASES))
@pytest.mark.parametrize("dtype", ["int32", "float16", "float64", "int64", "int8", "uint8", "bool", "int16",
                                   "float32"])
def test_view_dtype(case, dtype):
    def run(L):
        x = VIEW_DTYPE_CASES[case](L)
        try:
            v = x.view(getattr(L, dtype))
        except RuntimeError as e:
            return str(e)
        return str(v.dtype).split(".")[-1], tuple(v.shape), v.stride() if v.ndim else (), v.numpy().tobytes()
    t, j = both(run)
    assert t == j


def test_view_dtype_no_grad_and_shared_memory():
    def run(L):
        w = L.ones(2, requires_grad=True)
        a, b = w.view(L.int32), (w * 1).view(L.float16)
        y = L.zeros(4)
        v = y.view(L.int32)
        v[0] = 1065353216
        y.add_(1)
        return a.requires_grad, b.requires_grad, b.grad_fn is None, y.tolist(), v.tolist(), y._version, v._version
    t, j = both(run)
    assert t == j


def test_sgn_zero_tensor_compiled_calls_match_torch():
    import warnings
    import jitgrad
    t = torch.tensor([0., 1.], requires_grad=True)
    t.clamp(0).sqrt().sgn().sum().backward()
    cf = jitgrad.compile(lambda v: v.clamp(0).sqrt().sgn().sum())
    for _ in range(3):      # (the recording call, then calls a replay would serve)
        x = jitgrad.tensor([0., 1.], requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cf(x).backward()
        same(_dense(t.grad), x.grad)
