"""Sweep 17 of programs written the way users write PyTorch code: character-level
bigram models and the makemore manual-backprop exercise, micrograd's sanity
checks, straight-through estimators (VQ-VAE codebooks, quantisation-aware
rounding), GANs with two optimisers, mixture-of-experts gating, gradient
reversal, capsule routing, sparse coding (ISTA / LISTA), skip-gram with
negative sampling, neural cellular automata, RBMs with contrastive divergence
and `torch.compile(backend="eager")` the way users call it. Each program is a file in
tests/users17_programs/ (cells split at ``# %%``), run with `import torch` and
with jitgrad bound as torch: printed output, displayed values, errors and
warnings must be identical (conftest's `differential`)."""
import os

import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "users17_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
