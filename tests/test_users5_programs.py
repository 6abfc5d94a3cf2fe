"""Sweep 5 of programs written the way users write PyTorch code: custom
autograd.Functions (ctx flags, mark_dirty, set_materialize_grads,
once_differentiable, setup_context with vmap / jvp), forward-mode AD through
modules with trainable parameters, composable torch.func transforms, nn
layers, parametrizations and hooks, optimizers and scheduler chains,
autograd.functional options, anomaly detection and gradcheck. Each program is
a file in tests/users5_programs/ (cells split at ``# %%``), run with
`import torch` and with jitgrad bound as torch: printed output, displayed
values, errors and warnings must be identical (conftest's `differential`)."""
import os

import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "users5_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
