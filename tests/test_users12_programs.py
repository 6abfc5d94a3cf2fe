"""Sweep 12 of programs written the way users write PyTorch code:
reinforcement learning (REINFORCE / actor-critic with Categorical and
Normal), normalizing flows (TransformedDistribution, hand-written planar
layers), contrastive and metric-learning losses, seq2seq with hand-written
attention, physics-informed nets (derivatives of outputs w.r.t. inputs with
create_graph), and the tensor manipulation of data pipelines (gather /
scatter, topk, unique, one_hot, einsum, ...) with gradients. Each program is
a file in tests/users12_programs/ (cells split at ``# %%``), run with
`import torch` and with jitgrad bound as torch: printed output, displayed
values, errors and warnings must be identical (conftest's `differential`)."""
import os

import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "users12_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
