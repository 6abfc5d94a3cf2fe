"""Sweep 18 of programs written the way users write PyTorch code: scientists
and engineers evaluating one computation many times (Verlet and symplectic
integrators with autograd forces, Lagrangian mechanics through
`autograd.grad` / `functional.hessian`, heat / wave PINNs, beam deflection, FEM
assembly, shooting and iLQR, inverse kinematics), statistics and finance
(Black-Scholes greeks, pathwise Monte Carlo, Heston, maximum likelihood with
LBFGS, Laplace / Fisher information, distributions, VI, REINFORCE), pastes
from PyTorch's own docs (autograd mechanics, extending autograd, forward-mode
AD, torch.func, gradcheck, anomaly mode) and debugging prints. Each program is
a file in tests/users18_programs/ (cells split at ``# %%``), run with
`import torch` and with jitgrad bound as torch: printed output, displayed
values, errors and warnings must be identical (conftest's `differential`)."""
import os

import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "users18_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
