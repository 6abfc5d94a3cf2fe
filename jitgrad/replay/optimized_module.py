"""``jitgrad.compile(module)``: torch.compile's OptimizedModule. The module is
held as the submodule ``_orig_mod`` (so parameters, ``state_dict`` keys
``_orig_mod.*``, ``train``/``eval`` and the printed form are torch's), other
attributes are read from it, and a call runs the module's ``__call__``
(hooks included) through ``jitgrad.compile``: recorded once per signature,
replayed after, re-recorded when the module's state (parameters rebound,
``training``, buffers, flags) changes."""
import warnings
from typing import Any

from ..nn.modules import module_hooks as _hooks
from ..nn.modules.module import Module


class OptimizedModule(Module):
    def __init__(self, mod: Module, compiled: Any) -> None:
        super().__init__()
        self._orig_mod = mod
        self.__dict__["_compiled_call"] = compiled

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.__dict__["_compiled_call"](*args, **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if (_hooks._global_forward_pre_hooks or _hooks._global_forward_hooks or _hooks._global_hooks_with_kwargs
                or _hooks._global_hooks_always_called):
            # torch's warning: global hooks fire for the wrapper and the module
            warnings.warn("Using `torch.compile(module)` when there are global hooks on modules (e.g., from "
                          "`register_module_forward_hook`); this will cause the hooks to fire an extra time for "
                          "the `OptimizedModule` created by `torch.compile(module)`. If this causes undesired "
                          "behavior, please try using `module.compile()`, or use the per-module hooks instead",
                          UserWarning, stacklevel=2)
        return super().__call__(*args, **kwargs)

    def __len__(self) -> int:
        return len(self._orig_mod)

    def __getattr__(self, name: str) -> Any:
        try:
            return super().__getattr__(name)
        except AttributeError:
            modules = self.__dict__.get("_modules")
            if modules is None or "_orig_mod" not in modules:
                raise
            return getattr(modules["_orig_mod"], name)
