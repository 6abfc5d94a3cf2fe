"""Fidelity sweep 2: scientific and ML programs written the way users write
them in notebooks (symplectic and RK4 integrators with autograd forces,
Newton / Gauss-Newton with linalg solves, implicit differentiation, shooting,
LBFGS fits, Hessian uncertainty, MCMC and variational inference with
torch.distributions, Gaussian processes, DataLoader training loops with
schedulers, clipping, freezing, buffers, state_dict strictness, early
stopping, checkpoints, gradient accumulation, anomaly detection), run with
`import torch` and with jitgrad bound as torch: printed output, displayed
values, errors and warnings must be identical (conftest's `differential`).
Each program is a file in tests/user_programs_more2/ (cells split at
``# %%``); random numbers come from torch.manual_seed (jitgrad draws torch's
stream) or NumPy's seeded generator."""
import os

import pytest

import jitgrad

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "user_programs_more2")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.fixture(scope="module", autouse=True)
def _torch_warmed_up():
    """torch's first forward-mode call lazily scripts helpers, with
    DeprecationWarnings only that first time in a process: get them over
    with so transcripts don't depend on test order."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.func.jacfwd(torch.sin)(torch.ones(2))
        torch.autograd.functional.hessian(lambda v: v.pow(3).sum(), torch.ones(2), vectorize=True,
                                          outer_jacobian_strategy="forward-mode")


@pytest.fixture(autouse=True)
def _restore_global_state():
    yield
    # a program that fails midway leaves its settings behind
    for lib in (torch, jitgrad):
        lib.set_default_dtype(lib.float32)
        lib.set_printoptions(profile="default")
        lib.autograd.set_detect_anomaly(False)


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
