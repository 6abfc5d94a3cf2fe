"""Module behaviours, nn.utils (clipping, rnn packing and packed RNNs,
fusion, stateless calls, parametrizations) and nn.init, as users write
them: each program in tests/nn_module_programs/ runs under torch and under
jitgrad bound as torch, and the transcripts (printed values, reprs, errors,
warnings) must be identical (conftest's `differential`). Inputs come from
NumPy's seeded generator."""
import os

import pytest

HERE = os.path.join(os.path.dirname(__file__), "nn_module_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
