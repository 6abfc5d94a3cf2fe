"""jitgrad.autograd: PyTorch's torch.autograd (backward, grad, functional,
Function, forward_ad, graph, gradcheck)."""
from ..core.grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled  # noqa: F401
from .api import (backward, detect_anomaly, grad, is_anomaly_check_nan_enabled, is_anomaly_enabled,  # noqa: F401
                  jacobian_rows, set_detect_anomaly, sweep_columns, sweep_rows)
from . import functional  # noqa: F401
from . import function  # noqa: F401
from .function import Function, FunctionCtx, once_differentiable  # noqa: F401
from . import forward_ad  # noqa: F401
from . import graph  # noqa: F401  (Tensor.grad_fn: graph nodes)
from . import graph_saved  # noqa: F401  (their _saved_* attributes)
from . import graph_hooks  # noqa: F401  (their hooks)
from . import graph_call  # noqa: F401  (calling them: y.grad_fn(g))
from . import saved_builtin  # noqa: F401  (saved_tensors_hooks on built-in ops)
from . import needed  # noqa: F401  (autograd.grad runs the Python of the nodes leading to its inputs only)
from .gradcheck import GradcheckError, gradcheck, gradgradcheck  # noqa: F401
from .variable import Variable  # noqa: F401
from .threading_modes import is_multithreading_enabled, is_view_replay_enabled, set_multithreading_enabled  # noqa: F401

import importlib as _importlib  # noqa: E402

# torch.autograd's module spellings (torch.autograd.profiler.profile, ...), loaded on first access:
# `import jitgrad` does not pay for them.
_LAZY_MODULES = ("anomaly_mode", "grad_mode", "profiler")


def __getattr__(name: str) -> object:
    if name in _LAZY_MODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module '{__name__}' has no attribute '{name}'")


def __dir__() -> list:
    return sorted(set(globals()) | set(_LAZY_MODULES))
