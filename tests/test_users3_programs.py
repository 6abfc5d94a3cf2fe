"""Fidelity sweep 3: more programs written the way users write PyTorch code
(recurrent cells unrolled, embeddings with layer norm, MAML's second-order
inner loop, SGLD, Sinkhorn, ODE sensitivities, Bayesian linear regression,
REINFORCE, inverse kinematics, schedulers, clipping, custom Functions,
forward-mode duals, torch.func compositions, printing of modules and
optimizer state, common error messages), run with `import torch` and with
jitgrad bound as torch: printed output, displayed values, errors and warnings
must be identical (conftest's `differential`). Each program is a file in
tests/users3_programs/ (cells split at ``# %%``); random numbers come from
torch.manual_seed (jitgrad draws torch's stream)."""
import os

import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "users3_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
