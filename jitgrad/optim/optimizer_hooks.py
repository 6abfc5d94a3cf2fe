"""Optimizer hooks, as torch's: step pre-/post-hooks (per optimizer and
global), state_dict and load_state_dict pre-/post-hooks. `hooked_step`
wraps each Optimizer subclass's step (Optimizer.__init_subclass__)."""
from __future__ import annotations

import functools
from collections import OrderedDict
from itertools import chain
from typing import Any, Callable

from ..nn.modules.module_hooks import RemovableHandle

_global_optimizer_pre_hooks: OrderedDict = OrderedDict()
_global_optimizer_post_hooks: OrderedDict = OrderedDict()


def register_optimizer_step_pre_hook(hook: Callable) -> RemovableHandle:
    handle = RemovableHandle(_global_optimizer_pre_hooks)
    _global_optimizer_pre_hooks[handle.id] = hook
    return handle


def register_optimizer_step_post_hook(hook: Callable) -> RemovableHandle:
    handle = RemovableHandle(_global_optimizer_post_hooks)
    _global_optimizer_post_hooks[handle.id] = hook
    return handle


def _hooks(optimizer: Any, kind: str) -> OrderedDict:
    hooks = optimizer.__dict__.get(kind)
    if hooks is None:
        hooks = OrderedDict()
        optimizer.__dict__[kind] = hooks
    return hooks


def hooked_step(step: Callable) -> Callable:
    if getattr(step, "_hooked", False):
        return step

    @functools.wraps(step)
    def wrapper(*args, **kwargs):
        self = args[0]
        pre = self.__dict__.get("_optimizer_step_pre_hooks")
        post = self.__dict__.get("_optimizer_step_post_hooks")
        if not (pre or post or _global_optimizer_pre_hooks or _global_optimizer_post_hooks):
            return step(*args, **kwargs)
        for hook in list(chain(_global_optimizer_pre_hooks.values(), (pre or {}).values())):
            result = hook(self, args, kwargs)
            if result is not None:
                if isinstance(result, tuple) and len(result) == 2:
                    args, kwargs = result
                else:
                    raise RuntimeError(f"{step} must return None or a tuple of (new_args, new_kwargs), but got "
                                       f"{result}.")
        out = step(*args, **kwargs)
        for hook in list(chain((post or {}).values(), _global_optimizer_post_hooks.values())):
            hook(self, args, kwargs)
        return out

    wrapper._hooked = True     # type: ignore[attr-defined]
    return wrapper


def _add(optimizer: Any, kind: str, hook: Callable, prepend: bool = False) -> RemovableHandle:
    hooks = _hooks(optimizer, kind)
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


class OptimizerHooks:
    def register_step_pre_hook(self, hook: Callable) -> RemovableHandle:
        """hook(optimizer, args, kwargs) -> None or (new_args, new_kwargs), before each step."""
        return _add(self, "_optimizer_step_pre_hooks", hook)

    def register_step_post_hook(self, hook: Callable) -> RemovableHandle:
        """hook(optimizer, args, kwargs), after each step."""
        return _add(self, "_optimizer_step_post_hooks", hook)

    def register_state_dict_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        return _add(self, "_optimizer_state_dict_pre_hooks", hook, prepend)

    def register_state_dict_post_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        return _add(self, "_optimizer_state_dict_post_hooks", hook, prepend)

    def register_load_state_dict_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        return _add(self, "_optimizer_load_state_dict_pre_hooks", hook, prepend)

    def register_load_state_dict_post_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        return _add(self, "_optimizer_load_state_dict_post_hooks", hook, prepend)

    def _hook_values(self, kind: str) -> list:
        return list(self.__dict__.get(kind, {}).values())
