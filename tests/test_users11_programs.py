"""Sweep 11 of programs written the way users write PyTorch code: the
official tutorials and docs examples as pasted, with the variations a user
makes: torch.func (Jacobians, Hessians, hvp / vhp, model ensembling,
per-sample gradients, neural tangent kernels), forward-mode AD
(torch.autograd.forward_ad), double backward and extending torch.autograd
with custom Functions, parametrizations and nn.Module utilities (hooks,
state_dict, clipping), and the optimizers and learning-rate schedulers as
users drive them. Each program is a file in tests/users11_programs/ (cells
split at ``# %%``), run with `import torch` and with jitgrad bound as torch:
printed output, displayed values, errors and warnings must be identical
(conftest's `differential`)."""
import os

import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "users11_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
