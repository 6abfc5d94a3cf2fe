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

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "user_programs_tutorials")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))



@pytest.mark.parametrize("name", PROGRAMS)
def test_tutorial_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
