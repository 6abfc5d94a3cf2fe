"""torch.autograd.grad_mode: the grad-mode context managers (defined in
core/grad_mode.py, which the tape reads; printed from here, as torch's)."""
from ..core.grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled  # noqa: F401
from .threading_modes import set_multithreading_enabled  # noqa: F401
