"""Sweep 7 of programs written the way users write PyTorch code: scientific
computing (ODE integrators and leapfrog with gradients through time, HMC and
Langevin steps, Gaussian-process likelihoods with Cholesky solves, least
squares, Lennard-Jones energies, LBFGS with strong Wolfe, Newton steps with
autograd.functional, implicit differentiation), printing fidelity (dtypes,
magnitudes, nan/inf, summarization, print options, module and optimizer
reprs), torch.func compositions (jacrev/jacfwd nests, vmap of grad, hessians
through functional_call, jvp/vjp/linearize, forward-mode duals, custom
Functions with jvp/vmap rules) and nn training loops (CNNs with batch norm,
GRU/LSTM, attention blocks, state_dict round trips, schedulers, float64
models). Each program is a file in tests/users7_programs/ (cells split at
``# %%``), run with `import torch` and with jitgrad bound as torch: printed
output, displayed values, errors and warnings must be identical (conftest's
`differential`)."""
import os

import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "users7_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
