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
