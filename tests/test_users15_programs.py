"""Sweep 15 of programs written the way users write PyTorch code: Bayesian
inference by hand (reparameterised variational families, ELBO loops, KL
divergences), control and robotics (LQR, MPC through a dynamics rollout,
forward-kinematics Jacobians), signal and image processing with gradients,
LBFGS fits with schedulers, checkpoints through io.BytesIO, custom
autograd.Function flags, and beginner mistakes with their exact errors. Each
program is a file in tests/users15_programs/ (cells split at ``# %%``), run
with `import torch` and with jitgrad bound as torch: printed output,
displayed values, errors and warnings must be identical (conftest's
`differential`)."""
import os

import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "users15_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
