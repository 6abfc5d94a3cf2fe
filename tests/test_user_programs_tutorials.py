"""Code pasted from PyTorch's tutorials and docs (the autograd tutorial, the
60-minute blitz, "Learning PyTorch with Examples", torch.func, custom
Functions, forward-mode AD, training loops, printing), run with `import
torch` and with jitgrad bound as torch: printed output, displayed values,
errors and warnings must be identical (conftest's `differential`). Each
program is a file in tests/user_programs_tutorials/ (cells split at
``# %%``). Random inputs come from NumPy's seeded generator or are printed
only through properties torch and jitgrad share (shapes, reproducibility
under manual_seed): jitgrad's generator is not torch's stream.

Also here: the regressions these programs found (out= of the top-level
functions, composite ops' next_functions), checked against torch directly."""
import os

import pytest

import jitgrad

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "user_programs_tutorials")
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
def _default_dtype():
    yield
    torch.set_default_dtype(torch.float32)      # a program that fails midway leaves its default behind
    jitgrad.set_default_dtype(jitgrad.float32)
    torch.set_printoptions(profile="default")
    jitgrad.set_printoptions(profile="default")


@pytest.mark.parametrize("name", PROGRAMS)
def test_tutorial_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
