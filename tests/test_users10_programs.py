"""Sweep 10 of programs written the way users write PyTorch code: the
official tutorials as pasted ("Learning PyTorch with Examples", autograd
mechanics, the 60-minute blitz, the VAE example's loss, DataLoader training
loops, state_dict save/load), scientific code (ODE integrators through time,
Newton / Gauss-Newton / LBFGS, Gaussian processes, MCMC with distributions,
physics, small linear algebra with gradients, sensitivities with
torch.autograd.functional and torch.func, implicit differentiation) and
printing (magnitudes, dtypes, set_printoptions, modules, optimizers,
distributions, grad_fn chains). Each program is a file in
tests/users10_programs/ (cells split at ``# %%``), run with `import torch`
and with jitgrad bound as torch: printed output, displayed values, errors
and warnings must be identical (conftest's `differential`)."""
import os

import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "users10_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))


def test_chain_matmul_warning_points_into_the_library():
    """torch's chain_matmul warning (a C++ TORCH_WARN_ONCE) is attributed to
    torch/functional.py, the Python frame calling into C++, not to the
    user's line; warn-once in both libraries, so torch's cannot be re-run here."""
    import warnings

    import jitgrad
    jitgrad.core.warn._WARNED.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        jitgrad.chain_matmul(jitgrad.eye(2), jitgrad.ones(2, 2))
    assert [str(w.message)[:30] for w in caught] == ["torch.chain_matmul is deprecat"]
    assert caught[0].filename != __file__ and "jitgrad" in caught[0].filename
