"""Sweep 6 of programs written the way users write PyTorch code: saved-tensor
hooks (saved_tensors_hooks / save_on_cpu / disable_saved_tensors_hooks) on
custom Functions, the new-style parametrizations (orthogonal, weight_norm,
spectral_norm, cached), optimizers' foreach / maximize / fused flags and
scheduler chains, swa_utils, anomaly mode's nan checks, torch.func options
(argnums tuples, has_aux, chunk_size, functional_call with tied weights),
graph introspection, hooks on intermediates, grad-mode decorators and the
everyday autograd errors. Each program is a file in tests/users6_programs/
(cells split at ``# %%``), run with `import torch` and with jitgrad bound as
torch: printed output, displayed values, errors and warnings must be
identical (conftest's `differential`)."""
import os

import numpy as np
import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "users6_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))


def test_unpack_hook_changing_values_is_a_clear_error():
    """jitgrad's built-in ops differentiate with their recorded values: an
    unpack hook returning other values (torch would differentiate with them)
    is an error naming the node, never a silently different gradient."""
    import jitgrad

    x = jitgrad.tensor([1.0, 2.0, 3.0], dtype=jitgrad.float64, requires_grad=True)
    with jitgrad.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t * 2):
        y = (x * x).sum()
    with pytest.raises(NotImplementedError, match="MulBackward0"):
        y.backward()
    with jitgrad.autograd.graph.saved_tensors_hooks(lambda t: t.detach().numpy().copy(), jitgrad.from_numpy):
        z = (x.exp() * x).sum()
    z.backward()        # (same values back: fine)
    np.testing.assert_allclose(x.grad.numpy(), (np.exp([1.0, 2.0, 3.0]) * np.array([2.0, 3.0, 4.0])))


def test_differentiable_optimizer_step_of_graph_tensors_is_a_clear_error():
    """torch records a differentiable=True step of non-leaf parameters on the
    graph; jitgrad's updates are not recorded: an error, not gradients that
    silently miss the step."""
    import jitgrad

    w = jitgrad.tensor([1.0, 2.0], dtype=jitgrad.float64, requires_grad=True)
    p = w.clone()
    opt = jitgrad.optim.SGD([p], lr=0.1, differentiable=True)
    g, = jitgrad.autograd.grad((p ** 3).sum(), p, create_graph=True)
    p.grad = g
    with pytest.raises(NotImplementedError, match="differentiable=True"):
        opt.step()
