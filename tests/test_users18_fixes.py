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
