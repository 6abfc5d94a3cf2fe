"""Sweep 13 of programs written the way users write PyTorch code:
graph neural networks by hand (message passing with index_add_ /
scatter_reduce, edge softmax), numerical methods (quadrature, root finding,
splines, finite elements), SciPy bridges, float16 / dtype semantics, tensor
manipulation with gradients, torch.compile'd training steps and statistics.
Each program is
a file in tests/users13_programs/ (cells split at ``# %%``), run with
`import torch` and with jitgrad bound as torch: printed output, displayed
values, errors and warnings must be identical (conftest's `differential`)."""
import os

import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

WARM_UP_COMPILE = True     # (compile_* programs: torch.compile's first call warns once)

HERE = os.path.join(os.path.dirname(__file__), "users13_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
