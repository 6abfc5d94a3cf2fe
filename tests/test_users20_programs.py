"""Sweep 20 of programs written the way users write PyTorch code, aimed at
the surface earlier sweeps touched least: printing and introspection while
debugging (every small dtype, sci-mode switches, set_printoptions profiles,
strides, storage offsets and data_ptr of views, next_functions chains, saved
values of common nodes), creation and manipulation utilities (ranges' dtype
inference, meshgrid, cartesian_prod, combinations, block_diag, kron, roll,
rot90, diag_embed, unfold, tensor_split, movedim, take_along_dim,
bucketize, histc, bincount, unique_consecutive, type promotion), autograd API
corners (grad's allow_unused / materialize_grads, is_grads_batched, hooks,
post-accumulate hooks, saved_tensors_hooks, grad-mode decorators,
inference_mode, requires_grad_ errors, leaf in-place errors), NumPy interop,
and nn / optim corners (state_dict round trips, module trees, param groups,
schedulers, zero_grad, clip_grad_value_, seeded nn.init). Each program is a
file in tests/users20_programs/ (cells split at ``# %%``), run with `import
torch` and with jitgrad bound as torch: printed output, displayed values,
errors and warnings must be identical (conftest's `differential`)."""
import os

import pytest

from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "users20_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))
