"""Sweep 16 of programs written the way users write PyTorch code: less common
optimisers and schedulers (NAdam / RAdam decoupled decay, ASGD, Rprop, OneCycle,
CyclicLR, warm restarts, chained and sequential schedulers, LBFGS state round
trips), Gaussian processes and Laplace approximations, implicit layers, neural
ODEs and Hamiltonian nets, torch.func (functional_call with buffers,
stack_module_state, jvp / vjp / linearize, argnums and has_aux), printing
options and dtypes, torch.utils.data, grad modes, hooks and graph
introspection, adversarial examples, distillation, MAML, optimal transport,
special functions and compiled training steps. Each program is a file in
tests/users16_programs/ (cells split at ``# %%``), run with `import torch` and
with jitgrad bound as torch: printed output, displayed values, errors and
warnings must be identical (conftest's `differential`)."""
import os

import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "users16_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
