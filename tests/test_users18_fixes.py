"""Fixes from sweep 18 (tests/users18_programs), each checked against torch
with conftest's `differential` (printed output, values, errors, warnings)."""
import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")


def test_exit_dual_level_misuse_messages(differential):
    """fwAD.exit_dual_level with no level open is torch's "Dual level must be
    a positive number." (jitgrad said "not the last one"), and a level=
    that is not the open one raises "not the last one" instead of closing
    the open level."""
    differential(
        "import torch.autograd.forward_ad as fwAD\n"
        "def attempt(f):\n"
        "    try:\n        print(f())\n"
        "    except RuntimeError as e:\n        print(e)\n"
        "attempt(lambda: fwAD.exit_dual_level())\n"
        "attempt(lambda: fwAD.exit_dual_level(level=-1))\n"
        "attempt(lambda: fwAD.exit_dual_level(level=0))\n"
        "print(fwAD.enter_dual_level())\n"
        "attempt(lambda: fwAD.exit_dual_level(level=3))\n"
        "d = fwAD.make_dual(torch.ones(2), torch.ones(2))\n"
        "print(fwAD.unpack_dual(d * 3).tangent)\n"
        "attempt(lambda: fwAD.exit_dual_level(level=0))\n"
        "attempt(lambda: fwAD.exit_dual_level())\n"
        "with fwAD.dual_level():\n"
        "    attempt(lambda: fwAD.exit_dual_level(level=1))\n"
        "    print(fwAD.unpack_dual(fwAD.make_dual(torch.ones(2), torch.ones(2)).exp()).tangent)\n",
    )


def test_node_of_a_tensor_written_without_a_record(differential):
    """A non-leaf overwritten under no_grad, through .data or detach() keeps
    torch's node: its grad_fn's next_functions (and a later op's edge to
    it) were jitgrad's internal copy node (MulBackward0 -> MulBackward0,
    ViewBackward0), and its hooks ran twice and its retained grad doubled
    when it stayed on its own tape."""
    differential(
        "x = torch.ones(3, requires_grad=True)\ny = x * 2\n"
        "with torch.no_grad():\n    y.add_(1)\n"
        "print(y.grad_fn, y.grad_fn.next_functions)\n"
        "with torch.no_grad():\n    y.mul_(2)\n"
        "print(y.grad_fn.next_functions, y._version)\n"
        "y2 = x.exp()\ny2.data.mul_(2)\nprint(y2.grad_fn.next_functions)\n"
        "y3 = (x * x).sum()\ny3.detach().zero_()\n"
        "print(y3.grad_fn, y3.grad_fn.next_functions, y3.grad_fn.next_functions[0][0].next_functions)\n"
        "w = y * 3\nprint(w.grad_fn.next_functions, w.grad_fn.next_functions[0][0].next_functions)\n"
        "(y * 1).sum().backward()\nprint(x.grad)\n",
        "x = torch.ones(3, requires_grad=True)\nz = x + 1\n"
        "h = z.register_hook(lambda g: print('hook', g))\nz.retain_grad()\n"
        "with torch.no_grad():\n    z.mul_(2)\n"
        "(z * z).sum().backward()\nprint(z.grad, x.grad, z.grad_fn.next_functions)\n"
        "with torch.no_grad():\n    z.mul_(2)\n"
        "(z * z).sum().backward()\nprint(z.grad, x.grad)\n",
    )


def test_view_of_a_base_written_under_no_grad_is_as_strided(differential):
    """A tracked view whose base (or the view itself) is written in place
    under no_grad: torch regenerates the view's node as AsStridedBackward0
    of the base's node; jitgrad kept the view's old node (SliceBackward0,
    ViewBackward0) pointing at itself."""
    differential(
        "x = torch.ones(3, requires_grad=True)\ny = x * 1\nz = y[:2]\n"
        "with torch.no_grad():\n    z.add_(1)\n"
        "print(z, y, z.grad_fn, z.grad_fn.next_functions, z._version)\n"
        "(z * 2).sum().backward()\nprint(x.grad)\n",
        "x = torch.ones(3, requires_grad=True)\nv = x[:2]\n"
        "with torch.no_grad():\n    x.add_(1)\n"
        "print(v.grad_fn, v.grad_fn.next_functions)\n(v * 2).sum().backward()\nprint(x.grad)\n"
        "y = x.exp()\nu = y.view(3, 1)\nw = u[:1]\n"
        "with torch.no_grad():\n    y.mul_(2)\n"
        "print(u.grad_fn, w.grad_fn, w.grad_fn.next_functions, u, w)\n"
        "(u.sum() + w.sum()).backward()\nprint(x.grad)\n",
    )
