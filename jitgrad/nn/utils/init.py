"""nn.utils.skip_init: build a module without running its initialisation
(torch builds it on the 'meta' device and calls to_empty; jitgrad has one
device, so the module is built and its tensors replaced by empty ones)."""
from __future__ import annotations

import inspect
from typing import Any

from ..modules.module import Module


def skip_init(module_cls: Any, *args: Any, **kwargs: Any) -> Any:
    if not issubclass(module_cls, Module):
        raise RuntimeError(f"Expected a Module; got {module_cls}")
    if "device" not in inspect.signature(module_cls).parameters:
        raise RuntimeError("Module must support a 'device' arg to skip initialization")
    kwargs.pop("device", None)
    return module_cls(*args, **kwargs).to_empty(device="cpu")
