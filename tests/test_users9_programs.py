"""Sweep 9 of programs written the way users write PyTorch code: custom
autograd Functions (needs_input_grad, set_materialize_grads,
mark_non_differentiable, once_differentiable, setup_context under
torch.func), forward-mode duals through nn.functional, per-sample gradients
and model ensembles with torch.func, trained nn layers (packed LSTMs,
bidirectional GRUs, attention, transformer encoders, convolutions with
pooling and group norm, embedding bags, spectral/weight norm), optimizers
with schedulers and checkpoints, distributions, scientific code and the
errors users hit. Each program is a file in tests/users9_programs/ (cells
split at ``# %%``), run with `import torch` and with jitgrad bound as torch:
printed output, displayed values, errors and warnings must be identical
(conftest's `differential`)."""
import os

import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "users9_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
