"""Sweep 19 of programs written the way users ask autograd questions on Stack
Overflow and the PyTorch forums, each reproducing the asker's code and the
answer's fix side by side: why `.grad` is None (non-leaf results, `.to()`
copies, `w = w - lr * w.grad`), leaf in-place errors, backward through the
graph a second time, version-counter errors, implicit gradients of
non-scalars, integer dtypes that cannot require grad, accumulation and
`zero_()`, detach / `.data` / clone, grad modes, breaking the graph with
`torch.tensor(list_of_tensors)`, `numpy()` on tensors that require grad,
saliency, Jacobians by loops of backward, higher derivatives, subgradients at
kinks and ties, nan gradients from `where` and division by zero, in-place ops
on views, hooks, `retain_grad`, `next_functions`, dtype and broadcasting of
gradients, and `zero_grad(set_to_none=...)`. Each program is a file in
tests/users19_programs/ (cells split at ``# %%``), run with `import torch` and
with jitgrad bound as torch: printed output, displayed values, errors and
warnings must be identical (conftest's `differential`)."""
import os

import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "users19_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
