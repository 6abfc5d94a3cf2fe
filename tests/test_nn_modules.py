"""torch.nn modules against PyTorch: the Module protocol (registration,
traversal, state_dict, modes, conversion, hooks, reprs and errors) as
notebook transcripts, and each layer's output and gradients with weights
copied from the torch layer."""
import math

import numpy as np
import pytest
import torch

import jitgrad
import jitgrad.nn as jnn

from _compare import assert_values


# ----- Module protocol: transcripts identical to torch's --------------------

def test_parameter_repr_and_flags(differential):
    differential(
        "p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))\np",
        "p.requires_grad, p.is_leaf, isinstance(p, torch.nn.Parameter), isinstance(p, torch.Tensor)",
        "q = torch.nn.Parameter(torch.tensor([[1.5]], dtype=torch.float64), requires_grad=False)\nq",
        "isinstance(torch.tensor(1.0), torch.nn.Parameter)",
        "torch.nn.Parameter(torch.tensor([1, 2]))",
        "(p * 2).sum().backward()\np.grad",
        "p * 2",
        "import copy\nc = copy.deepcopy(p)\nc, isinstance(c, torch.nn.Parameter)",
    )


def test_module_registration_and_traversal(differential):
    differential(
        """
        class Net(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = torch.nn.Linear(3, 4)
                self.act = torch.nn.Tanh()
                self.blocks = torch.nn.ModuleList([torch.nn.Linear(4, 4), torch.nn.ReLU()])
                self.heads = torch.nn.ModuleDict({'a': torch.nn.Linear(4, 2), 'b': torch.nn.Identity()})
                self.scale = torch.nn.Parameter(torch.ones(()))
                self.register_buffer('count', torch.zeros(2))
                self.register_buffer('tmp', torch.zeros(1), persistent=False)
                self.plain = 3

            def forward(self, x):
                x = self.act(self.fc1(x))
                for b in self.blocks:
                    x = b(x)
                return self.heads['a'](x) * self.scale
        net = Net()
        net
        """,
        "[(n, tuple(p.shape)) for n, p in net.named_parameters()]",
        "[n for n, _ in net.named_buffers()], list(net.state_dict().keys())",
        "[n for n, _ in net.named_modules()]",
        "[n for n, _ in net.named_children()], len(list(net.modules())), len(list(net.children()))",
        "[n for n, _ in net.named_parameters(recurse=False)], net.plain, net.training",
        "net.eval()\n[m.training for m in net.modules()]",
        "net.train()\nnet.blocks[0].training",
        "net.nonexistent",
        "net.fc1 = 3",
        "net.scale = torch.ones(1)",
        "del net.act\n[n for n, _ in net.named_children()]",
        "net.register_buffer('a.b', None)",
        "net.register_parameter('fc1', None)",
        "net.add_module('x', 3)",
        "net.train('yes')",
        "torch.nn.Module().forward(1)",
        "net.get_submodule('blocks.0'), net.get_parameter('heads.a.bias').shape",
    )


def test_state_dict_round_trip_and_errors(differential):
    differential(
        "a = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))\n"
        "b = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))\n"
        "sd = a.state_dict()\n[(k, tuple(v.shape), v.requires_grad) for k, v in sd.items()]",
        "b.load_state_dict(sd)",
        "all(bool((p == q).all()) for p, q in zip(a.parameters(), b.parameters()))",
        "sd2 = dict(sd)\ndel sd2['0.bias']\nsd2['extra'] = torch.ones(1)\nb.load_state_dict(sd2)",
        "b.load_state_dict(sd2, strict=False)",
        "sd3 = dict(sd)\nsd3['2.weight'] = torch.ones(2, 3)\nb.load_state_dict(sd3)",
        "type(sd).__name__, list(a.state_dict(keep_vars=True).values())[0].requires_grad",
    )


def test_sequential_container_protocol(differential):
    differential(
        "s = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))\ns[0], s[-1], len(s)",
        "s[1:]",
        "s.append(torch.nn.Sigmoid())\nlen(s), [type(m).__name__ for m in s]",
        "s[5]",
        "del s[1]\ns",
        "from collections import OrderedDict\n"
        "torch.nn.Sequential(OrderedDict([('lin', torch.nn.Linear(1, 1)), ('act', torch.nn.GELU())]))",
        "l = torch.nn.ModuleList([torch.nn.Linear(2, 2) for _ in range(3)] + [torch.nn.Tanh()])\nl",
        "l[1:3], len(l), torch.nn.ModuleList()",
        "d = torch.nn.ModuleDict({'x': torch.nn.Tanh()})\nd['y'] = torch.nn.ReLU()\nd, list(d.keys()), 'x' in d",
    )


def test_reprs_of_layers_activations_and_losses(differential):
    differential(
        """
        torch.nn.Sequential(
            torch.nn.Linear(3, 4, bias=False), torch.nn.Bilinear(2, 3, 4), torch.nn.Identity(),
            torch.nn.ReLU(), torch.nn.ReLU(inplace=True), torch.nn.Tanh(), torch.nn.Sigmoid(),
            torch.nn.GELU(), torch.nn.GELU(approximate='tanh'), torch.nn.SiLU(), torch.nn.ELU(alpha=0.5),
            torch.nn.LeakyReLU(0.2, inplace=True), torch.nn.Softplus(beta=2, threshold=10),
            torch.nn.Softmax(dim=1), torch.nn.LogSoftmax(dim=-1), torch.nn.Softmin(0),
            torch.nn.Hardtanh(-2, 2), torch.nn.ReLU6(), torch.nn.LogSigmoid(), torch.nn.Softsign(),
            torch.nn.MSELoss(), torch.nn.L1Loss(reduction='sum'), torch.nn.CrossEntropyLoss(label_smoothing=0.1),
            torch.nn.NLLLoss(), torch.nn.BCELoss(), torch.nn.BCEWithLogitsLoss(pos_weight=torch.ones(2)),
            torch.nn.HuberLoss(delta=0.5), torch.nn.SmoothL1Loss(beta=2.0), torch.nn.KLDivLoss(log_target=True),
        )
        """,
        "torch.nn.CrossEntropyLoss(weight=torch.ones(3)).state_dict()",
        "torch.nn.MSELoss(size_average=False).reduction",
    )


def test_conversion_zero_grad_requires_grad_and_hooks(differential):
    differential(
        "torch.manual_seed(0)\nm = torch.nn.Linear(2, 1)\nm.double()\nm.weight.dtype, m.bias.dtype",
        "m.float().weight.dtype, m.to(torch.float64).bias.dtype, m.to('cpu') is m",
        "m(torch.ones(3, 2))",
        "m.to(torch.device('cpu')) is m, m.to(device='cpu', dtype=torch.float32).weight.dtype",
        "m.to('cuda')",
        "m.cuda()",
        "m.to(torch.int64)",
        "m.float()\nm.weight.dtype",
        "x = torch.ones(3, 2)\nm(x).sum().backward()\nm.weight.grad",
        "m.zero_grad(set_to_none=False)\nm.weight.grad, m.bias.grad",
        "m.zero_grad()\nm.weight.grad",
        "m.requires_grad_(False)\n[p.requires_grad for p in m.parameters()]",
        """
        seen = []
        h = m.register_forward_hook(lambda mod, inp, out: out * 0)
        hp = m.register_forward_pre_hook(lambda mod, inp: seen.append(len(inp)))
        print(m(x), seen)
        h.remove(); hp.remove()
        m(x).shape
        """,
        "names = []\nm2 = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.Tanh())\n"
        "m2.apply(lambda mod: names.append(type(mod).__name__))\nnames",
    )


# ----- initialisation -------------------------------------------------------

def test_default_init_bounds_of_linear_and_bilinear():
    jitgrad.manual_seed(0)
    lin = jnn.Linear(50, 40)
    w, b = lin.weight.detach().numpy(), lin.bias.detach().numpy()
    bound = 1 / math.sqrt(50)     # kaiming_uniform_(a=sqrt(5)) gives 1/sqrt(fan_in) too
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert np.abs(b).max() <= bound and w.std() == pytest.approx(bound / math.sqrt(3), rel=0.05)
    bil = jnn.Bilinear(4, 5, 6)
    assert bil.weight.shape == (6, 4, 5) and np.abs(bil.weight.detach().numpy()).max() <= 0.5
    assert lin.weight.dtype is jitgrad.float32
    assert jnn.Linear(2, 2, dtype=jitgrad.float64).weight.dtype is jitgrad.float64


@pytest.mark.parametrize("name, kwargs, shape, std", [
    ("xavier_uniform_", {"gain": 2.0}, (300, 200), 2.0 * math.sqrt(2 / 500)),
    ("xavier_normal_", {}, (300, 200), math.sqrt(2 / 500)),
    ("kaiming_uniform_", {"nonlinearity": "relu"}, (300, 20, 3), math.sqrt(2) / math.sqrt(60)),
    ("kaiming_normal_", {"mode": "fan_out", "a": 0.1}, (200, 300), math.sqrt(2 / 1.01) / math.sqrt(200)),
    ("normal_", {"mean": 1.0, "std": 3.0}, (400, 300), 3.0),
    ("uniform_", {"a": -2.0, "b": 4.0}, (400, 300), 6 / math.sqrt(12)),
])
def test_init_statistics(name, kwargs, shape, std):
    t = jnn.Parameter(jitgrad.zeros(*shape))
    out = getattr(jnn.init, name)(t, **kwargs)
    assert out is t and t.requires_grad and t.is_leaf and t.grad_fn is None
    v = t.detach().numpy()
    assert v.std() == pytest.approx(std, rel=0.03)
    if name == "uniform_":
        assert v.min() >= -2.0 and v.max() < 4.0
    if name.endswith("uniform_") and name != "uniform_":
        assert np.abs(v).max() <= math.sqrt(3) * std


def test_init_deterministic_and_helpers_against_torch():
    for shape in [(3, 4), (5, 2, 3, 3), (2, 7, 4)]:
        assert jnn.init._calculate_fan_in_and_fan_out(jitgrad.zeros(*shape)) == \
            torch.nn.init._calculate_fan_in_and_fan_out(torch.zeros(*shape))
    for args in [("linear",), ("conv2d",), ("sigmoid",), ("tanh",), ("relu",), ("leaky_relu",),
                 ("leaky_relu", 0.2), ("selu",)]:
        assert jnn.init.calculate_gain(*args) == torch.nn.init.calculate_gain(*args)
    for bad in [("leaky_relu", True), ("cube",)]:
        with pytest.raises(ValueError) as want:
            torch.nn.init.calculate_gain(*bad)
        with pytest.raises(ValueError, match=str(want.value)):
            jnn.init.calculate_gain(*bad)
    with pytest.raises(ValueError, match="Fan in and fan out can not be computed"):
        jnn.init.xavier_uniform_(jitgrad.zeros(3))
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        jnn.init.kaiming_normal_(jitgrad.zeros(3, 3), mode="fan_avg")
    t = jitgrad.empty(3, 4)
    for fn, want in [(jnn.init.zeros_, np.zeros((3, 4))), (jnn.init.ones_, np.ones((3, 4))),
                     (lambda x: jnn.init.constant_(x, 0.25), np.full((3, 4), 0.25)),
                     (jnn.init.eye_, np.eye(3, 4))]:
        np.testing.assert_array_equal(fn(t).numpy(), want)
    w = jitgrad.empty(4, 2, 3, 3)
    np.testing.assert_array_equal(jnn.init.dirac_(w).numpy(), torch.nn.init.dirac_(torch.empty(4, 2, 3, 3)).numpy())
    jitgrad.manual_seed(3)
    a = jnn.init.normal_(jitgrad.empty(5)).numpy()
    jitgrad.manual_seed(3)
    np.testing.assert_array_equal(a, jnn.init.normal_(jitgrad.empty(5)).numpy())


# ----- layers: outputs and gradients with torch's weights --------------------

def copy_weights(tmod, jmod):
    """Give the jitgrad module the torch module's parameters and buffers."""
    jmod.load_state_dict({k: jitgrad.tensor(v.detach().numpy()) for k, v in tmod.state_dict().items()})


def compare_layer(tmod, jmod, inputs, dtype="float64", tol=None, grads=True, signed_zeros=True):
    """Forward the same inputs through both, backpropagate the same random
    weights, compare outputs, input gradients and parameter gradients."""
    copy_weights(tmod, jmod)
    tin = [torch.tensor(a, requires_grad=a.dtype.kind == "f") for a in inputs]
    jin = [jitgrad.tensor(a, requires_grad=a.dtype.kind == "f") for a in inputs]
    tout, jout = tmod(*tin), jmod(*jin)
    assert_values(jout.detach().numpy(), tout.detach().numpy(), dtype, "output", tol)
    assert str(jout.dtype).split(".")[-1] == str(tout.dtype).split(".")[-1]
    if not grads:
        return
    seed = np.random.default_rng(1).standard_normal(tuple(tout.shape))
    (tout * torch.tensor(seed, dtype=tout.dtype)).sum().backward()
    (jout * jitgrad.tensor(seed, dtype=jout.dtype)).sum().backward()
    for i, (t, j) in enumerate(zip(tin, jin)):
        if t.requires_grad:
            assert_values(j.grad.numpy(), t.grad.numpy(), dtype, f"input {i} grad", tol, signed_zeros)
    for (name, tp), (_, jp) in zip(tmod.named_parameters(), jmod.named_parameters()):
        assert_values(jp.grad.numpy(), tp.grad.numpy(), dtype, f"{name} grad", tol)


RNG = np.random.default_rng(0)


@pytest.mark.parametrize("make, shapes", [
    (lambda nn: nn.Linear(4, 3), [(5, 4)]),
    (lambda nn: nn.Linear(4, 3, bias=False), [(2, 5, 4)]),
    (lambda nn: nn.Linear(4, 1), [(4,)]),
    (lambda nn: nn.Bilinear(3, 4, 2), [(5, 3), (5, 4)]),
    (lambda nn: nn.Sequential(nn.Linear(3, 5), nn.GELU(), nn.Linear(5, 2), nn.LogSoftmax(dim=1)), [(4, 3)]),
])
def test_linear_layers_against_torch(make, shapes):
    tmod, jmod = make(torch.nn).double(), make(jnn).double()
    compare_layer(tmod, jmod, [RNG.standard_normal(s) for s in shapes])


ACTIVATIONS = [
    lambda nn: nn.ReLU(), lambda nn: nn.Tanh(), lambda nn: nn.Sigmoid(), lambda nn: nn.GELU(),
    lambda nn: nn.GELU(approximate="tanh"), lambda nn: nn.SiLU(), lambda nn: nn.ELU(alpha=0.7),
    lambda nn: nn.LeakyReLU(0.2), lambda nn: nn.Softplus(beta=2.0, threshold=3.0), lambda nn: nn.Softmax(dim=1),
    lambda nn: nn.LogSoftmax(dim=0), lambda nn: nn.Softmin(dim=1), lambda nn: nn.Hardtanh(-0.5, 0.5),
    lambda nn: nn.ReLU6(), lambda nn: nn.LogSigmoid(), lambda nn: nn.Softsign(), lambda nn: nn.Identity(),
]


@pytest.mark.parametrize("make", ACTIVATIONS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_activation_modules_against_torch(make, dtype):
    x = (RNG.standard_normal((4, 5)) * 3).astype(dtype)
    compare_layer(make(torch.nn), make(jnn), [x], dtype)


LOSSES = [
    (lambda nn: nn.MSELoss(), "reg"), (lambda nn: nn.L1Loss(reduction="sum"), "reg"),
    (lambda nn: nn.HuberLoss(delta=0.5), "reg"), (lambda nn: nn.SmoothL1Loss(beta=0.5, reduction="none"), "reg"),
    (lambda nn: nn.CrossEntropyLoss(), "cls"), (lambda nn: nn.CrossEntropyLoss(label_smoothing=0.2), "cls"),
    (lambda nn: nn.NLLLoss(reduction="sum"), "logp"), (lambda nn: nn.BCELoss(), "prob"),
    (lambda nn: nn.BCEWithLogitsLoss(), "bin"), (lambda nn: nn.KLDivLoss(reduction="batchmean"), "kl"),
]


@pytest.mark.parametrize("make, kind", LOSSES)
def test_loss_modules_against_torch(make, kind):
    x = RNG.standard_normal((6, 4))
    targets = {"reg": RNG.standard_normal((6, 4)), "cls": RNG.integers(0, 4, 6), "bin": RNG.random((6, 4)),
               "prob": RNG.random((6, 4)), "kl": np.log(RNG.dirichlet(np.ones(4), 6)),
               "logp": RNG.integers(0, 4, 6)}
    if kind == "prob":
        x = 1 / (1 + np.exp(-x))
    if kind in ("logp", "kl"):
        x = x - np.log(np.exp(x).sum(1, keepdims=True))
    tloss, jloss = make(torch.nn), make(jnn)
    tin = torch.tensor(x, requires_grad=True)
    jin = jitgrad.tensor(x, requires_grad=True)
    tt, jt = torch.tensor(targets[kind]), jitgrad.tensor(targets[kind])
    if kind == "kl":
        tt, jt = torch.exp(tt), jitgrad.exp(jt)
    tout, jout = tloss(tin, tt), jloss(jin, jt)
    assert_values(jout.detach().numpy(), tout.detach().numpy(), "float64", "loss")
    tout.sum().backward()
    jout.sum().backward()
    assert_values(jin.grad.numpy(), tin.grad.numpy(), "float64", "input grad")


def test_nn_utils_clip_grad_and_vectors(differential):
    differential(
        """
        m = torch.nn.Linear(3, 2).double()
        with torch.no_grad():
            m.weight.copy_(torch.arange(6.).reshape(2, 3))
            m.bias.copy_(torch.tensor([1., -1.]))
        (m(torch.ones(4, 3, dtype=torch.float64)) ** 2).sum().backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0), m.weight.grad
        """,
        "torch.nn.utils.clip_grad_norm_(m.parameters(), 0.5, norm_type=float('inf')), m.bias.grad",
        "torch.nn.utils.clip_grad_value_(m.parameters(), 0.1)\nm.weight.grad",
        "v = torch.nn.utils.parameters_to_vector(m.parameters())\nv",
        "torch.nn.utils.vector_to_parameters(v * 2, m.parameters())\nm.bias",
    )


def test_learning_pytorch_with_examples_nn_module(differential):
    # The "PyTorch: nn" example of "Learning PyTorch with Examples", with the
    # initial weights set (jitgrad's random numbers differ from torch's).
    differential(
        """
        import math, copy
        x = torch.linspace(-math.pi, math.pi, 2000)
        y = torch.sin(x)
        p = torch.tensor([1, 2, 3])
        xx = x.unsqueeze(-1).pow(p)
        model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
        model.load_state_dict({'0.weight': torch.tensor([[0.1, -0.2, 0.05]]), '0.bias': torch.tensor([0.3])})
        snapshot = copy.deepcopy(model)
        loss_fn = torch.nn.MSELoss(reduction='sum')
        learning_rate = 1e-6
        for t in range(60):
            y_pred = model(xx)
            loss = loss_fn(y_pred, y)
            model.zero_grad()
            loss.backward()
            with torch.no_grad():
                for param in model.parameters():
                    param -= learning_rate * param.grad
        linear_layer = model[0]
        numeric([loss.item(), linear_layer.bias.item()] + linear_layer.weight[0].tolist())
        model
        """,
        "snapshot[0].weight, snapshot[0].weight is model[0].weight",
    )


def test_tensor_normal_and_uniform_in_place(differential):
    differential(
        "torch.zeros(2).uniform_(2, 1)",
        "torch.zeros(2).normal_(0, -1)",
        "torch.zeros(2, dtype=torch.long).uniform_()",
        "torch.zeros(2, dtype=torch.long).normal_()",
        "torch.zeros(2, requires_grad=True).normal_()",
        "x = torch.zeros(2, requires_grad=True) * 1\nx.normal_().grad_fn.name(), x.uniform_(-1, 1).grad_fn.name()",
        "x.sum().backward()\nx.grad_fn.name()",
        "w = torch.nn.Parameter(torch.zeros(300, 200))\nw.data.normal_(1.0, 0.02)\n"
        "abs(w.mean().item() - 1.0) < 0.001, abs(w.std().item() - 0.02) < 0.001, w.requires_grad, w.grad_fn",
        "u = torch.empty(400, 300).uniform_(-3, 5)\n"
        "bool(u.min() >= -3), bool(u.max() < 5), u.dtype, abs(u.mean().item() - 1.0) < 0.02",
    )


def test_parameter_list_and_dict(differential):
    differential(
        "pl = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(3)),\n"
        "    torch.nn.Parameter(torch.ones(2, 2, dtype=torch.float64), requires_grad=False), torch.ones(1)])\npl",
        "len(pl), [n for n, _ in pl.named_parameters()], pl[2], pl[-1] is pl[2], type(pl[1:]).__name__, len(pl[1:])",
        "pl.append(torch.zeros(2))\nlen(list(pl.parameters())), pl[5]",
        "pd = torch.nn.ParameterDict({'a': torch.nn.Parameter(torch.ones(3)), 'b': torch.ones(2)})\npd",
        "pd['c'] = torch.zeros(1, 2)\nlist(pd.keys()), 'a' in pd, len(pd), pd['b']",
        """
        class M(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.ws = torch.nn.ParameterList([torch.nn.Parameter(torch.full((2,), float(i))) for i in range(3)])
            def forward(self, x):
                for w in self.ws:
                    x = x * w
                return x.sum()
        m = M()
        m(torch.ones(2)).backward()
        [p.grad for p in m.parameters()], list(m.state_dict().keys())
        """,
    )
