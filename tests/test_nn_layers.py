"""Convolution, pooling, normalisation, embedding, dropout and shape layers
against PyTorch: F.conv1d / conv2d / max_pool / avg_pool over a spread of
stride, padding, dilation, groups and ceil modes (values, gradients and
second derivatives), and the modules with torch's weights copied in."""
import numpy as np
import pytest
import torch

import jitgrad
import jitgrad.nn as jnn

from _compare import assert_values
from test_nn_modules import compare_layer

RNG = np.random.default_rng(7)
TF, JF = torch.nn.functional, jitgrad.nn.functional


def run_both(fn_name, arrays, kwargs, double_backward=False):
    """Call F.<fn_name> in both libraries on float64 leaves; compare the
    output, the gradients for a random seed, and (optionally) the gradient
    of a function of those gradients (double backward)."""
    results = {}
    for lib, F in ((torch, TF), (jitgrad, JF)):
        leaves = [None if a is None else lib.tensor(a, requires_grad=True) for a in arrays]
        out = getattr(F, fn_name)(*leaves, **kwargs)
        if isinstance(out, tuple):
            out, extra = out
            results.setdefault("indices", []).append(extra.numpy())
        seed = lib.tensor(np.random.default_rng(3).standard_normal(tuple(out.shape)))
        used = [x for x in leaves if x is not None]
        grads = lib.autograd.grad((out * seed).sum(), used, create_graph=double_backward)
        res = [out.detach().numpy(), out.grad_fn.name()] + [g.detach().numpy() for g in grads]
        if double_backward:
            # (+ out ** 2: a linear op's gradient alone need not depend on the inputs)
            gg = lib.autograd.grad(sum((g * g).sum() for g in grads) + (out * out).sum(), used, allow_unused=True)
            res += [np.zeros(a.shape) if g is None else g.numpy() for g, a in zip(gg, used)]
        results.setdefault("res", []).append(res)
    (t, j) = results["res"]
    assert j[1] == t[1], "grad_fn name"
    for i, (a, b) in enumerate(zip(j[:1] + j[2:], t[:1] + t[2:])):
        assert_values(a, b, "float64", f"{fn_name} result {i}", (1e-10, 1e-12))
    if "indices" in results:
        np.testing.assert_array_equal(results["indices"][1], results["indices"][0])


CONV2D = [
    ((2, 3, 7, 6), (4, 3, 3, 3), {}),
    ((2, 3, 7, 6), (4, 3, 3, 2), {"stride": 2, "padding": 1}),
    ((1, 4, 8, 8), (6, 2, 3, 3), {"stride": (2, 1), "padding": (1, 2), "dilation": (2, 1), "groups": 2}),
    ((2, 4, 6, 6), (4, 1, 2, 2), {"groups": 4, "padding": 1}),
    ((2, 2, 5, 5), (3, 2, 3, 3), {"padding": "same", "dilation": 2}),
    ((2, 2, 6, 5), (3, 2, 2, 4), {"padding": "same"}),
    ((2, 2, 5, 5), (3, 2, 5, 5), {"padding": "valid"}),
    ((3, 6, 5), (2, 3, 3, 3), {"padding": 1}),          # unbatched
]


@pytest.mark.parametrize("xshape, wshape, kwargs", CONV2D)
@pytest.mark.parametrize("bias", [True, False])
def test_conv2d_against_torch(xshape, wshape, kwargs, bias):
    b = RNG.standard_normal(wshape[0]) if bias else None
    run_both("conv2d", [RNG.standard_normal(xshape), RNG.standard_normal(wshape), b], kwargs)


@pytest.mark.parametrize("xshape, wshape, kwargs", [
    ((2, 3, 9), (4, 3, 3), {}),
    ((2, 4, 9), (6, 2, 2), {"stride": 3, "padding": 2, "dilation": 2, "groups": 2}),
    ((3, 8), (2, 3, 4), {"padding": "same"}),
])
def test_conv1d_against_torch(xshape, wshape, kwargs):
    run_both("conv1d", [RNG.standard_normal(xshape), RNG.standard_normal(wshape),
                        RNG.standard_normal(wshape[0])], kwargs)


@pytest.mark.parametrize("fn, xshape, wshape, kwargs", [
    ("conv2d", (2, 2, 5, 5), (3, 2, 3, 3), {"stride": 2, "padding": 1}),
    ("conv2d", (1, 4, 5, 4), (4, 2, 2, 2), {"groups": 2, "dilation": 2}),
    ("conv1d", (2, 2, 7), (3, 2, 3), {"padding": 1}),
])
def test_conv_double_backward_against_torch(fn, xshape, wshape, kwargs):
    run_both(fn, [RNG.standard_normal(xshape), RNG.standard_normal(wshape), RNG.standard_normal(wshape[0])],
             kwargs, double_backward=True)


def test_conv2d_gradgradcheck():
    x = jitgrad.tensor(RNG.standard_normal((1, 2, 4, 4)), requires_grad=True)
    w = jitgrad.tensor(RNG.standard_normal((2, 1, 2, 2)), requires_grad=True)
    fn = lambda x, w: JF.conv2d(x, w, stride=1, padding=1, groups=2)  # noqa: E731
    assert jitgrad.autograd.gradcheck(fn, (x, w))
    assert jitgrad.autograd.gradgradcheck(fn, (x, w))


POOLS = [
    ("max_pool2d", (2, 3, 7, 6), {"kernel_size": 2}),
    ("max_pool2d", (2, 3, 7, 6), {"kernel_size": 3, "stride": 2, "padding": 1}),
    ("max_pool2d", (1, 2, 9, 8), {"kernel_size": (3, 2), "stride": (2, 3), "dilation": (2, 1), "ceil_mode": True}),
    ("max_pool2d", (2, 7, 7), {"kernel_size": 3, "stride": 2, "ceil_mode": True, "return_indices": True}),
    ("max_pool2d", (2, 2, 6, 6), {"kernel_size": 2, "padding": 1, "return_indices": True}),
    ("avg_pool2d", (2, 3, 7, 6), {"kernel_size": 2}),
    ("avg_pool2d", (2, 3, 7, 6), {"kernel_size": 3, "stride": 2, "padding": 1}),
    ("avg_pool2d", (2, 3, 7, 6), {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False}),
    ("avg_pool2d", (1, 2, 8, 7), {"kernel_size": (3, 2), "stride": 2, "padding": 1, "ceil_mode": True}),
    ("avg_pool2d", (1, 2, 8, 7), {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True,
                                  "count_include_pad": False}),
    ("avg_pool2d", (2, 5, 5), {"kernel_size": 2, "divisor_override": 3}),
    ("max_pool1d", (2, 3, 9), {"kernel_size": 3, "stride": 2, "padding": 1}),
    ("avg_pool1d", (2, 3, 9), {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}),
]


@pytest.mark.parametrize("fn, xshape, kwargs", POOLS)
def test_pooling_against_torch(fn, xshape, kwargs):
    run_both(fn, [RNG.standard_normal(xshape)], kwargs, double_backward=fn.startswith("avg"))


def test_max_pool_ties_route_the_gradient_like_torch():
    # ReLU zeros make ties common: torch sends the gradient to the first maximum.
    x = np.maximum(RNG.standard_normal((2, 2, 6, 6)), 0)
    x[0, 0, :2, :2] = 1.5
    run_both("max_pool2d", [x], {"kernel_size": 2, "return_indices": True})
    run_both("max_pool2d", [x], {"kernel_size": 3, "stride": 1, "padding": 1})


def test_conv_and_pool_errors(differential):
    differential(
        "import torch.nn.functional as F\nx = torch.ones(1, 2, 5, 5)\nF.conv2d(x, torch.ones(3, 3, 3, 3))",
        "F.conv2d(x, torch.ones(3, 2, 7, 7))",
        "F.conv2d(torch.ones(5, 5), torch.ones(3, 2, 3, 3))",
        "F.conv2d(x, torch.ones(3, 2, 3, 3, dtype=torch.float64))",
        "F.conv2d(x, torch.ones(4, 1, 3, 3), groups=2).shape, F.conv2d(x, torch.ones(3, 1, 3, 3), groups=2)",
        "F.conv2d(x, torch.ones(3, 2, 3, 3), padding='full')",
        "F.max_pool2d(x, 3, padding=2)",
        "F.max_pool2d(x, 7)",
        "torch.nn.Conv2d(3, 4, 3, groups=2)",
        "torch.nn.Conv2d(2, 4, 3, stride=2, padding='same')",
    )


# ----- modules ---------------------------------------------------------------

@pytest.mark.parametrize("make, shape", [
    (lambda nn: nn.Conv2d(3, 4, 3, stride=2, padding=1), (2, 3, 7, 7)),
    (lambda nn: nn.Conv2d(4, 4, (2, 3), groups=4, bias=False, dilation=(1, 2)), (2, 4, 6, 7)),
    (lambda nn: nn.Conv1d(2, 4, 3, padding="same", groups=2), (3, 2, 8)),
    (lambda nn: nn.MaxPool2d(3, stride=2, padding=1), (2, 3, 7, 7)),
    (lambda nn: nn.AvgPool2d(2, ceil_mode=True), (2, 3, 7, 7)),
    (lambda nn: nn.MaxPool1d(2), (2, 3, 7)),
    (lambda nn: nn.AvgPool1d(3, stride=1, padding=1), (2, 3, 7)),
    (lambda nn: nn.LayerNorm(5), (3, 4, 5)),
    (lambda nn: nn.LayerNorm([4, 5], elementwise_affine=False), (3, 4, 5)),
    (lambda nn: nn.LayerNorm((5,), bias=False, eps=1e-3), (4, 5)),
    (lambda nn: nn.BatchNorm1d(4), (6, 4)),
    (lambda nn: nn.BatchNorm1d(4, affine=False, momentum=None), (5, 4, 3)),
    (lambda nn: nn.BatchNorm2d(3), (2, 3, 4, 4)),
    (lambda nn: nn.Flatten(), (2, 3, 4)),
    (lambda nn: nn.Flatten(0, 1), (2, 3, 4)),
    (lambda nn: nn.Unflatten(1, (2, 6)), (3, 12)),
    (lambda nn: nn.ZeroPad2d((1, 2, 0, 1)), (2, 3, 4, 4)),
    (lambda nn: nn.ConstantPad1d(2, 3.5), (2, 3, 4)),
    (lambda nn: nn.ConstantPad2d((1, 0, 2, 0), -1.0), (2, 4, 4)),
    (lambda nn: nn.ReflectionPad1d(2), (2, 3, 5)),
    (lambda nn: nn.ReflectionPad2d((1, 1, 2, 0)), (1, 2, 4, 4)),
    (lambda nn: nn.ReplicationPad1d((1, 3)), (2, 3, 4)),
    (lambda nn: nn.ReplicationPad2d(2), (1, 2, 3, 3)),
    (lambda nn: nn.CircularPad1d(1), (2, 3, 4)),
])
def test_layer_modules_against_torch(make, shape):
    tmod, jmod = make(torch.nn).double(), make(jnn).double()
    if hasattr(tmod, "weight") and tmod.weight is not None and "Norm" in type(tmod).__name__:
        with torch.no_grad():     # non-trivial affine parameters
            tmod.weight.uniform_(0.5, 1.5)
            if tmod.bias is not None:
                tmod.bias.uniform_(-1, 1)
    compare_layer(tmod, jmod, [RNG.standard_normal(shape)])
    for k, v in tmod.state_dict().items():      # running statistics updated alike
        assert_values(jmod.state_dict()[k].numpy(), v.numpy(), "float64", k, (1e-10, 1e-12))


def test_padding_and_similarity_reprs(differential):
    differential(
        "nn = torch.nn\n"
        "nn.Sequential(nn.ZeroPad2d((1, 2, 0, 1)), nn.ZeroPad2d(2), nn.ConstantPad1d(2, 3.5),\n"
        "    nn.ConstantPad2d((1, 0, 2, 0), -1.), nn.ReflectionPad1d(2), nn.ReflectionPad2d((1, 1, 2, 0)),\n"
        "    nn.ReplicationPad1d(1), nn.ReplicationPad2d(3), nn.ZeroPad1d(1), nn.CircularPad1d(1),\n"
        "    nn.CosineSimilarity(dim=0))",
        "torch.nn.CosineSimilarity(dim=0)(torch.tensor([1., 2.]), torch.tensor([2., 1.]))",
    )


def test_batchnorm_train_eval_and_running_stats():
    for momentum in (0.1, None):
        tbn, jbn = torch.nn.BatchNorm1d(3, momentum=momentum).double(), jnn.BatchNorm1d(3, momentum=momentum).double()
        for step in range(4):
            x = RNG.standard_normal((5, 3)) * (step + 1) + step
            tout, jout = tbn(torch.tensor(x)), jbn(jitgrad.tensor(x))
            assert_values(jout.detach().numpy(), tout.detach().numpy(), "float64", "train out", (1e-10, 1e-12))
        for k, v in tbn.state_dict().items():
            got = jbn.state_dict()[k]
            assert str(got.dtype)[8:] == str(v.dtype)[6:], k
            assert_values(got.numpy(), v.numpy(), "float64", k, (1e-10, 1e-12))
        tbn.eval()
        jbn.eval()
        compare_layer(tbn, jbn, [RNG.standard_normal((4, 3))])
    with pytest.raises(ValueError, match=r"Expected more than 1 value per channel when training, got input size "
                                         r"jitgrad.Size\(\[1, 3\]\)"):
        jnn.BatchNorm1d(3)(jitgrad.ones(1, 3))
    with pytest.raises(ValueError, match=r"expected 2D or 3D input \(got 4D input\)"):
        jnn.BatchNorm1d(3)(jitgrad.ones(2, 3, 2, 2))


def test_embedding_against_torch():
    idx = np.array([[1, 0, 4], [4, 4, 2]])
    for kwargs in ({}, {"padding_idx": 0}, {"padding_idx": -1}):
        temb, jemb = torch.nn.Embedding(5, 3, **kwargs).double(), jnn.Embedding(5, 3, **kwargs).double()
        if "padding_idx" in kwargs:
            assert not jemb.weight.detach().numpy()[jemb.padding_idx].any()
        jemb.load_state_dict({"weight": jitgrad.tensor(temb.weight.detach().numpy())})
        tout, jout = temb(torch.tensor(idx)), jemb(jitgrad.tensor(idx))
        assert jout.grad_fn.name() == tout.grad_fn.name()
        assert_values(jout.detach().numpy(), tout.detach().numpy(), "float64", "embedding")
        seed = RNG.standard_normal(tout.shape)
        (tout * torch.tensor(seed)).sum().backward()
        (jout * jitgrad.tensor(seed)).sum().backward()
        assert_values(jemb.weight.grad.numpy(), temb.weight.grad.numpy(), "float64", "embedding grad")
    pre = RNG.standard_normal((4, 2))
    t, j = torch.nn.Embedding.from_pretrained(torch.tensor(pre)), jnn.Embedding.from_pretrained(jitgrad.tensor(pre))
    assert not j.weight.requires_grad and repr(j) == repr(t)
    # max_norm renormalises the looked-up rows in place, as torch does.
    t, j = torch.nn.Embedding(5, 3, max_norm=1.0).double(), jnn.Embedding(5, 3, max_norm=1.0).double()
    j.load_state_dict({"weight": jitgrad.tensor(t.weight.detach().numpy() * 3)})
    with torch.no_grad():
        t.weight.mul_(3)
    assert_values(j(jitgrad.tensor(idx)).detach().numpy(), t(torch.tensor(idx)).detach().numpy(), "float64", "max_norm")
    assert_values(j.weight.detach().numpy(), t.weight.detach().numpy(), "float64", "renormalised weight")
    with pytest.raises(IndexError, match="index out of range in self"):
        jnn.Embedding(3, 2)(jitgrad.tensor([3]))


def test_dropout_module_modes():
    jitgrad.manual_seed(0)
    drop = jnn.Dropout(0.25)
    x = jitgrad.ones(200, 50, requires_grad=True)
    y = drop(x)
    kept = y.detach().numpy() != 0
    np.testing.assert_allclose(y.detach().numpy()[kept], 1 / 0.75)
    assert abs(kept.mean() - 0.75) < 0.02
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), kept / 0.75)
    drop.eval()
    assert drop(x) is x
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        jnn.Dropout(1.5)


@pytest.fixture
def bulk_everything():
    """Record every tensor as a bulk record (nn/bulk_ops.py's forms)."""
    from jitgrad.autodiff import bulk
    prev = bulk.set_threshold(1)
    yield
    bulk.set_threshold(prev)


def test_bulk_forms_against_torch(bulk_everything):
    run_both("conv2d", [RNG.standard_normal((2, 4, 6, 5)), RNG.standard_normal((6, 2, 3, 2)),
                        RNG.standard_normal(6)], {"stride": (2, 1), "padding": 1, "groups": 2},
             double_backward=True)
    run_both("conv1d", [RNG.standard_normal((3, 7)), RNG.standard_normal((2, 3, 3)), None], {"padding": "same"},
             double_backward=True)
    run_both("max_pool2d", [RNG.standard_normal((2, 3, 7, 6))], {"kernel_size": 3, "stride": 2, "padding": 1,
                                                                  "return_indices": True}, double_backward=True)
    run_both("avg_pool2d", [RNG.standard_normal((2, 3, 7, 6))], {"kernel_size": 2, "ceil_mode": True},
             double_backward=True)
    run_both("linear", [RNG.standard_normal((5, 4)), RNG.standard_normal((3, 4)), RNG.standard_normal(3)], {},
             double_backward=True)
    x = jitgrad.tensor(RNG.standard_normal((1, 2, 4, 4)), requires_grad=True)
    w = jitgrad.tensor(RNG.standard_normal((2, 2, 2, 2)), requires_grad=True)
    assert jitgrad.autograd.gradgradcheck(lambda x, w: JF.max_pool2d(JF.conv2d(x, w, padding=1), 2), (x, w))


def test_bulk_transpose_survives_in_place_update(bulk_everything):
    # The transposed weight is a copy: an optimizer step after the forward
    # must not change what the backward reads (torch's version check aside).
    lin = jnn.Linear(3, 2).double()
    x = jitgrad.tensor(RNG.standard_normal((4, 3)))
    w0 = lin.weight.detach().numpy().copy()
    out = lin(x)
    seed = RNG.standard_normal((4, 2))
    (out * jitgrad.tensor(seed)).sum().backward()
    np.testing.assert_allclose(lin.weight.grad.numpy(), seed.T @ x.numpy())
    np.testing.assert_allclose(out.detach().numpy(), x.numpy() @ w0.T + lin.bias.detach().numpy())


def test_neural_networks_tutorial_lenet(differential):
    # The 60-minute blitz "Neural Networks" tutorial, with deterministic
    # weights and input (jitgrad's random numbers differ from torch's).
    differential(
        """
        import torch.nn as nn
        import torch.nn.functional as F

        class Net(nn.Module):
            def __init__(self):
                super(Net, self).__init__()
                self.conv1 = nn.Conv2d(1, 6, 5)
                self.conv2 = nn.Conv2d(6, 16, 5)
                self.fc1 = nn.Linear(16 * 5 * 5, 120)
                self.fc2 = nn.Linear(120, 84)
                self.fc3 = nn.Linear(84, 10)

            def forward(self, input):
                c1 = F.relu(self.conv1(input))
                s2 = F.max_pool2d(c1, (2, 2))
                c3 = F.relu(self.conv2(s2))
                s4 = F.max_pool2d(c3, 2)
                s4 = torch.flatten(s4, 1)
                f5 = F.relu(self.fc1(s4))
                f6 = F.relu(self.fc2(f5))
                return self.fc3(f6)

        net = Net()
        for i, p in enumerate(net.parameters()):
            p.data = torch.sin(torch.arange(p.numel(), dtype=torch.float32) * (i + 1.3)).reshape(p.shape) * 0.2
        print(net)
        params = list(net.parameters())
        print(len(params))
        print(params[0].size())
        """,
        """
        input = torch.cos(torch.arange(1024.) * 0.37).reshape(1, 1, 32, 32)
        out = net(input)
        numeric(out)
        net.zero_grad()
        out.backward(torch.linspace(-1, 1, 10).reshape(1, 10))
        numeric(net.conv1.bias.grad)
        numeric(net.fc1.weight.grad.sum())
        """,
        """
        target = torch.linspace(0, 1, 10).view(1, -1)
        criterion = nn.MSELoss()
        optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
        for _ in range(3):
            optimizer.zero_grad()
            loss = criterion(net(input), target)
            loss.backward()
            optimizer.step()
        numeric(loss)
        numeric(net.conv2.weight[0, 0])
        """,
    )


def test_compiled_cnn_replays_like_eager():
    # Under jitgrad.compile max pooling's choice of element must become a
    # guard, not a recorded constant: replays on new inputs match eager.
    jitgrad.manual_seed(0)
    m = jnn.Sequential(jnn.Conv2d(1, 2, 3, padding=1), jnn.ReLU(), jnn.MaxPool2d(2), jnn.AvgPool2d(2, ceil_mode=True),
                       jnn.Flatten(), jnn.Linear(2, 3), jnn.LayerNorm(3), jnn.Tanh())

    def f(x):
        return m(x).pow(2).sum()
    cf = jitgrad.compile(f)
    for _ in range(4):
        x = jitgrad.randn(2, 1, 4, 4)
        m.zero_grad()
        got = cf(x)
        got.backward()
        grads = [p.grad.numpy().copy() for p in m.parameters()]
        m.zero_grad()
        want = f(x)
        want.backward()
        # (float32 rounding may differ: eager bulk records vs the replayed sweep)
        assert got.item() == pytest.approx(want.item(), rel=1e-6)
        for g, p in zip(grads, m.parameters()):
            np.testing.assert_allclose(g, p.grad.numpy(), rtol=1e-4, atol=1e-6)
