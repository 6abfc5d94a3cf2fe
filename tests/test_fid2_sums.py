"""Sums over dims in torch's order (core/torch_sum.sum_dims: TensorIterator's
dims, cascade_sum's inner / outer loops), bit for bit: x.sum(dim),
x.mean(dim) (sum / n), keepdim, the gradients torch sums (sum_to of a
broadcast operand: Linear's bias) and a float32 training loop."""
import itertools

import numpy as np
import pytest
import torch

import jitgrad
from jitgrad.autodiff import bulk as JB

RNG = np.random.default_rng(7)


def bits(t):
    a = np.ascontiguousarray(t.detach().numpy() if hasattr(t, "detach") else t)
    return a.dtype.str, a.shape, a.view(np.uint8).tobytes()


def data(shape, dtype):
    # magnitudes spread over 4 decades: the order of the additions shows in the last bits
    return (RNG.standard_normal(shape) * 10.0 ** RNG.uniform(-2, 2, shape)).astype(dtype)


SHAPES = [(5,), (3, 7), (7, 3), (16, 9), (33, 40), (100, 3), (4, 17, 9), (2, 40, 3, 5), (7, 1, 9), (3, 4097)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_sum_and_mean_over_dims_bit_for_bit(shape, dtype):
    x = data(shape, dtype)
    for r in range(1, len(shape) + 1):
        for dims in itertools.combinations(range(len(shape)), r):
            for keepdim in (False, True):
                want = torch.from_numpy(x)
                got = jitgrad.tensor(x)
                assert bits(got.sum(dims, keepdim=keepdim)) == bits(want.sum(dims, keepdim=keepdim)), dims
                assert bits(got.mean(dims, keepdim=keepdim)) == bits(want.mean(dims, keepdim=keepdim)), dims


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_sum_of_transposed_and_sliced_views(dtype):
    x = data((24, 37), dtype)
    cases = [lambda L, t: t.t().sum(0), lambda L, t: t.t().sum(1), lambda L, t: t[:, 3:30].sum(0),
             lambda L, t: t[::2].sum(1), lambda L, t: t.reshape(4, 6, 37).permute(2, 0, 1).sum((0, 2))]
    for case in cases:
        assert bits(case(jitgrad, jitgrad.tensor(x))) == bits(case(torch, torch.from_numpy(x)))


@pytest.mark.parametrize("threshold", [1, None], ids=["bulk", "ordinary"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_mean_over_a_dim_gradient_is_divided_by_n(threshold, dtype):
    """torch's mean_backward divides the gradient by n (not times 1/n)."""
    x, g = data((6, 7), dtype), data((6,), dtype)
    prev = JB.set_threshold(threshold)
    try:
        grads = []
        for L in (torch, jitgrad):
            t = L.tensor(x, requires_grad=True)
            t.mean(1).backward(L.tensor(g))
            grads.append(t.grad)
    finally:
        JB.set_threshold(prev)
    assert bits(grads[1]) == bits(grads[0])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_broadcast_operand_gradient_sums_in_torch_order(dtype):
    """A bias broadcast over a large batch: its gradient is torch's sum_to
    (one sum over the broadcast dims), as Linear's bias gradient."""
    x, b, w = data((300, 40), dtype), data((40,), dtype), data((300, 40), dtype)
    x3, b3 = data((6, 50, 30), dtype), data((50, 1), dtype)
    grads = []
    for L in (torch, jitgrad):
        tb, tb3 = L.tensor(b, requires_grad=True), L.tensor(b3, requires_grad=True)
        ((L.tensor(x) + tb) * L.tensor(w)).sum().backward()
        (L.tensor(x3) * tb3 * L.tensor(x3)).sum().backward()
        grads.append((tb.grad, tb3.grad))
    assert bits(grads[1][0]) == bits(grads[0][0])
    assert bits(grads[1][1]) == bits(grads[0][1])


def _train(L, steps, batch_norm=False):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((64, 20)).astype(np.float32)
    Y = rng.standard_normal((64, 64)).astype(np.float32)
    shapes = ((64, 20), (64,)) + (((64,), (64,)) if batch_norm else ()) + ((64, 64), (64,))
    init = [(rng.standard_normal(s) * 0.2).astype(np.float32) for s in shapes]
    layers = [L.nn.Linear(20, 64)] + ([L.nn.BatchNorm1d(64)] if batch_norm else []) + [L.nn.ReLU(), L.nn.Linear(64, 64)]
    model = L.nn.Sequential(*layers)
    with L.no_grad():
        for p, v in zip(model.parameters(), init):
            p.copy_(L.tensor(v))
    opt = L.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
    x, y = L.tensor(X), L.tensor(Y)
    seen = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean(1).sum()
        loss.backward()
        seen += [loss] + [p.grad.clone() for p in model.parameters()]
        opt.step()
        seen += [p.detach().clone() for p in model.parameters()] + [b.clone() for b in model.buffers()]
    return seen


@pytest.mark.parametrize("batch_norm", [False, True], ids=["mlp", "batchnorm"])
def test_float32_training_loop_bit_for_bit(batch_norm):
    """Linear -> (BatchNorm1d ->) ReLU -> Linear, SGD with momentum,
    float32: the bias gradients are sums over the batch, the loss a mean
    over a dim, batch norm torch's kernel (autodiff/batch_norm.py); every
    loss, gradient, parameter and running statistic equals torch's bits
    over 6 steps. (Batch
    64 and these widths: the matmuls agree between torch's MKL and NumPy's
    OpenBLAS here, not for every shape; Adam's float32 update is not yet
    torch's bits: its kernels fuse multiply-adds.)"""
    want, got = _train(torch, 6, batch_norm), _train(jitgrad, 6, batch_norm)
    same_blas = _blas_agrees(((64, 20, 64), (64, 64, 64), (64, 64, 20), (20, 64, 64)))
    for i, (a, b) in enumerate(zip(want, got)):
        if same_blas:
            assert bits(b) == bits(a), i
        else:
            # (this machine's BLAS kernels, e.g. MKL's on an AMD CPU, round
            # these products otherwise than NumPy's OpenBLAS: within float32's
            # rounding, six steps on)
            np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), rtol=1e-4, atol=1e-5,
                                       err_msg=str(i))


def _blas_agrees(mkn) -> bool:
    """Whether torch's and NumPy's float32 matmuls give the same bits for
    (m, k) @ (k, n) products of these sizes, operands plain or transposed
    (the premise of a bit-for-bit float32 training loop: jitgrad's matmuls
    are NumPy's)."""
    rng = np.random.default_rng(0)
    for m, k, n in mkn:
        for ta, tb in itertools.product((False, True), repeat=2):
            a = rng.standard_normal((k, m) if ta else (m, k)).astype(np.float32)
            b = rng.standard_normal((n, k) if tb else (k, n)).astype(np.float32)
            A, B = (a.T if ta else a), (b.T if tb else b)
            tA, tB = torch.from_numpy(a), torch.from_numpy(b)
            if bits(A @ B) != bits((tA.T if ta else tA) @ (tB.T if tb else tB)):
                return False
    return True


@pytest.mark.parametrize("shape", [(96, 64), (50, 7), (33, 20), (5, 3)], ids=str)
def test_batch_norm_1d_training_bit_for_bit(shape):
    """torch's batch norm kernel for a 2-D float32 batch: output, running
    statistics (two calls), the input's, weight's and bias's gradients."""
    x0, g = (RNG.standard_normal(shape) * 3 + 1).astype(np.float32), RNG.standard_normal(shape).astype(np.float32)
    w, b = RNG.standard_normal(shape[1]).astype(np.float32), RNG.standard_normal(shape[1]).astype(np.float32)
    res = []
    for L in (torch, jitgrad):
        bn = L.nn.BatchNorm1d(shape[1])
        with L.no_grad():
            bn.weight.copy_(L.tensor(w))
            bn.bias.copy_(L.tensor(b))
        x = L.tensor(x0, requires_grad=True)
        y = bn(x)
        y2 = bn(x * 0.5)
        (y * L.tensor(g)).sum().backward()
        res.append([y, y2, x.grad, bn.weight.grad, bn.bias.grad, bn.running_mean, bn.running_var])
        assert y.grad_fn.name() == "NativeBatchNormBackward0"
    for a, b_ in zip(*res):
        assert bits(b_) == bits(a)
