"""Fixes from sweep 19 (tests/users19_programs, the autograd questions users
ask), each checked against torch with conftest's `differential` (printed
output, values, errors, warnings)."""
import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")


def test_requires_grad_setter_on_nonleaf(differential):
    """`y.requires_grad = True` on a non-leaf: torch's setter refuses any
    change there (the message without the detach() hint), where
    requires_grad_(True) is a no-op; jitgrad accepted it silently."""
    differential(
        "w = torch.tensor([1.0, 2.0], requires_grad=True)\ny = w * 2\ny.requires_grad = True\n",
        "y.requires_grad = False\n",
        "print(y.requires_grad_(True) is y, y.requires_grad, y.is_leaf)\n",
        "y.requires_grad_(False)\n",
        "d = y.detach()\nd.requires_grad = True\nprint(d.is_leaf, d.requires_grad)\n",
        "torch.arange(3).requires_grad = True\n",
        "with torch.no_grad():\n    z = w * 2\nz.requires_grad = True\n(z * 3).sum().backward()\nprint(z.grad, z.is_leaf)\n",
        "t = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True).exp()\n"
        "try:\n    t.requires_grad = True\nexcept RuntimeError as e:\n    print(e)\n",
    )


def test_backward_inputs_nonleaf_retains_and_frees(differential):
    """backward(inputs=[h]) of a non-leaf h: torch's engine retains h's grad
    (h.retains_grad; later backwards accumulate into h.grad; one explicit
    retain_grad() is not counted twice) and runs h's own node, freeing what
    it saved (a later backward through it raises; an add reruns); an input
    that does not require grad raises retain_grad's error."""
    differential(
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\nh = x * 2\n"
        "(h * h).sum().backward(inputs=[h])\nprint(h.grad, h.retains_grad, x.grad)\n",
        "(h * 3).sum().backward(inputs=[x])\n",
        "h = x.exp()\n(h * 3).sum().backward(inputs=[h])\nprint(h.grad)\n(h * 3).sum().backward()\n",
        "x.grad = None\nh = x + 1\n(h * 3).sum().backward(inputs=[h])\n(h * 3).sum().backward()\nprint(x.grad, h.grad)\n",
        "h = x * 2\nh.retain_grad()\n(h * h).sum().backward(inputs=[h], retain_graph=True)\nprint(h.grad)\n"
        "(h * h).sum().backward(inputs=[x])\nprint(h.grad, x.grad)\n",
        "c = torch.tensor([1.0, 2.0])\n(x * c).sum().backward(inputs=[c])\n",
        "(x * c).sum().backward(inputs=[x, c])\n",
        "print(x.grad)\nh = x * 2\n(h * h).sum().backward(inputs=[h], create_graph=True)\nprint(h.grad, h.retains_grad)\n",
        "w = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)\nk = w.sin()\nu = w * 3\n"
        "(u * u).sum().backward(inputs=[k])\nprint(k.grad, w.grad)\n(k * 2).sum().backward()\nprint(k.grad, w.grad)\n",
    )


def test_linear_weight_modified_before_backward(differential):
    """The forums' GAN / two-loss error: optimizer.step() (an in-place write
    to the weights) between the forward and a backward that needs them.
    linear's weight transpose is a copy on the tape (torch saves the view
    W.t()): the write went unnoticed and the gradient silently used the old
    weights. Now torch's error, naming the view (regenerated as AsStrided);
    a constant weight's temporary view W.t() in a matmul is kept (its
    writes count) as torch's node holds it."""
    differential(
        "torch.manual_seed(0)\nmodel = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))\n"
        "opt = torch.optim.SGD(model.parameters(), lr=0.1)\nout = model(torch.ones(4, 2))\n"
        "opt.zero_grad()\nout.pow(2).mean().backward(retain_graph=True)\nopt.step()\n"
        "out.abs().mean().backward()\n",
        "W = torch.randn(3, 2, requires_grad=True)\nx = torch.ones(4, 2, requires_grad=True)\n"
        "ys = [torch.nn.functional.linear(x, W), torch.nn.functional.linear(x, W, torch.zeros(3)),\n"
        "      torch.nn.functional.linear(x[0], W), torch.nn.functional.linear(x.view(2, 2, 2), W)]\n"
        "with torch.no_grad():\n    W.mul_(2.0)\nfor y in ys:\n    try:\n        y.sum().backward(retain_graph=True)\n"
        "    except RuntimeError as e:\n        print(e)\n",
        "W2 = torch.randn(3, 2)\ny = torch.nn.functional.linear(x, W2)\nW2.mul_(2)\ny.sum().backward()\n",
        "W3 = torch.randn(2, 3)\ny = x @ W3.t().t()\nW3.add_(1)\ny.sum().backward()\n",
        "big = torch.randn(64, 64, requires_grad=True)\ny = torch.nn.functional.linear(torch.ones(8, 64, requires_grad=True), big)\n"
        "with torch.no_grad():\n    big.mul_(1.0)\ny.sum().backward()\n",
        # no error where torch saves nothing that changed: the input needs no gradient
        "lin = torch.nn.Linear(2, 2).double()\nout = lin(torch.ones(1, 2, dtype=torch.float64))\n"
        "with torch.no_grad():\n    lin.weight.add_(1.0)\nout.sum().backward()\nprint(lin.weight.grad, lin.bias.grad)\n",
        # the usual fix: step after both backwards (or recompute the forward)
        "torch.manual_seed(0)\nnet = torch.nn.Linear(2, 1)\nopt = torch.optim.SGD(net.parameters(), lr=0.1)\n"
        "h = torch.ones(3, 2, requires_grad=True)\nout = net(h)\nopt.zero_grad()\nout.pow(2).mean().backward(retain_graph=True)\n"
        "out.abs().mean().backward()\nopt.step()\nprint(h.grad, net.weight)\n",
    )
