"""Sweep 14 of programs written the way users write PyTorch code: small
CNNs (conv, transposed conv, pools, batch norm, dropout2d), attention and
recurrent layers with masks and packed sequences, Monte Carlo finance,
molecular dynamics, samplers (Langevin, SVGD), hyperparameter sweeps printed
as tables, autograd.functional options, tensor and module printing, and the
misuse errors users hit. Each program is a file in tests/users14_programs/
(cells split at ``# %%``), run with `import torch` and with jitgrad bound as
torch: printed output, displayed values, errors and warnings must be
identical (conftest's `differential`)."""
import os

import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "users14_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
