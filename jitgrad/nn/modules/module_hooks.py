"""Module's hook registration and hooked call (forward pre-hooks and hooks
with kwargs / always_call, full backward hooks, state_dict and
load_state_dict hooks) and the smaller Module methods (get_buffer,
set_submodule, extra state), as torch's. A mixin of Module, kept here so
that module.py stays the registration/traversal core."""
from __future__ import annotations

import warnings
from collections import OrderedDict
from typing import Any, Callable

from ...tensors.attributes import RemovableHandle as _TensorHookHandle
from ...tensors.tensor import Tensor
from .backward_hooks import _global_backward_hooks, _global_backward_pre_hooks, call_with_backward_hooks


# Bumped by every hook registration and removal: jitgrad.compile re-records a
# module's calls when it changes (one int compared per replay).
HOOK_CHANGES = [0]


class RemovableHandle(_TensorHookHandle):
    """Returned by register_*_hook: `remove()` unregisters the hook (from every dict it was added to)."""
    __module__ = "jitgrad.utils.hooks"
    _next_id = 0

    def __init__(self, hooks: dict, *extra: dict) -> None:
        self._hooks = (hooks,) + extra
        self.id = RemovableHandle._next_id
        RemovableHandle._next_id += 1
        HOOK_CHANGES[0] += 1

    def remove(self) -> None:
        HOOK_CHANGES[0] += 1
        for hooks in self._hooks:
            hooks.pop(self.id, None)

    def __enter__(self) -> "RemovableHandle":
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


def hook_dict(module: Any, kind: str) -> OrderedDict:
    """module's hook dict `kind`, made on first use (modules that skip Module.__init__'s fields still work)."""
    hooks = module.__dict__.get(kind)
    if hooks is None:
        hooks = OrderedDict()
        object.__setattr__(module, kind, hooks)
    return hooks


def _add(module: Any, kind: str, hook: Callable, prepend: bool = False, flags: tuple = ()) -> RemovableHandle:
    hooks = hook_dict(module, kind)
    extra = [hook_dict(module, f) for f, on in flags if on]
    handle = RemovableHandle(hooks, *extra)
    hooks[handle.id] = hook
    for d in extra:
        d[handle.id] = True
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


# Hooks of every module (torch.nn.modules.module.register_module_forward_(pre_)hook): run before the module's own.
_global_forward_pre_hooks: OrderedDict = OrderedDict()
_global_forward_hooks: OrderedDict = OrderedDict()
_global_hooks_with_kwargs: dict = {}
_global_hooks_always_called: dict = {}


def register_module_forward_pre_hook(hook: Callable) -> RemovableHandle:
    handle = RemovableHandle(_global_forward_pre_hooks)
    _global_forward_pre_hooks[handle.id] = hook
    return handle


def register_module_forward_hook(hook: Callable, *, with_kwargs: bool = False,
                                 always_call: bool = False) -> RemovableHandle:
    # (as torch's handle: removal leaves the with_kwargs mark behind, which
    # torch.compile(module)'s global-hooks warning still sees)
    handle = RemovableHandle(_global_forward_hooks, _global_hooks_always_called)
    _global_forward_hooks[handle.id] = hook
    if with_kwargs:
        _global_hooks_with_kwargs[handle.id] = True
    if always_call:
        _global_hooks_always_called[handle.id] = True
    return handle


def register_module_full_backward_hook(hook: Callable) -> RemovableHandle:
    handle = RemovableHandle(_global_backward_hooks)
    _global_backward_hooks[handle.id] = hook
    return handle


def register_module_full_backward_pre_hook(hook: Callable) -> RemovableHandle:
    handle = RemovableHandle(_global_backward_pre_hooks)
    _global_backward_pre_hooks[handle.id] = hook
    return handle


def has_global_hooks() -> bool:
    return bool(_global_forward_pre_hooks or _global_forward_hooks or _global_backward_hooks
                or _global_backward_pre_hooks)


def call_with_hooks(module: Any, args: tuple, kwargs: dict) -> Any:
    """torch's Module._call_impl: pre-hooks, forward (with backward hooks wired in), hooks."""
    d = module.__dict__
    pre_kwargs = d.get("_forward_pre_hooks_with_kwargs", {})
    hooks_kwargs = {**_global_hooks_with_kwargs, **d.get("_forward_hooks_with_kwargs", {})}
    always = {**_global_hooks_always_called, **d.get("_forward_hooks_always_called", {})}
    forward_hooks = list(_global_forward_hooks.items()) + list(module._forward_hooks.items())
    called: set = set()
    out = None
    try:
        # (inside the try, as torch: a pre-hook that raises still runs the always_call hooks)
        for hook_id, hook in list(_global_forward_pre_hooks.items()) + list(module._forward_pre_hooks.items()):
            if hook_id in pre_kwargs:
                res = hook(module, args, kwargs)
                if res is not None:
                    if isinstance(res, tuple) and len(res) == 2:
                        args, kwargs = res
                    else:
                        raise RuntimeError("forward pre-hook must return None or a tuple of (new_args, new_kwargs), "
                                           f"but got {res}.")
            else:
                res = hook(module, args)
                if res is not None:
                    args = res if isinstance(res, tuple) else (res,)
        non_full = d.get("_is_full_backward_hook") is False and bool(d.get("_backward_hooks"))
        if not non_full and (d.get("_backward_hooks") or d.get("_backward_pre_hooks") or _global_backward_hooks
                             or _global_backward_pre_hooks):
            out = call_with_backward_hooks(module, args, kwargs, module.forward)
        else:
            out = module.forward(*args, **kwargs)
        for hook_id, hook in forward_hooks:
            if hook_id in always:
                called.add(hook_id)
            res = hook(module, args, kwargs, out) if hook_id in hooks_kwargs else hook(module, args, out)
            if res is not None:
                out = res
        if non_full:
            _hook_last_node(module, args, out)
    except Exception:
        # hooks registered with always_call run even when forward (or a hook) raised, on the
        # result so far (None if forward did not return); what they raise is a warning
        for hook_id, hook in forward_hooks:
            if hook_id in always and hook_id not in called:
                try:
                    res = hook(module, args, kwargs, out) if hook_id in hooks_kwargs else hook(module, args, out)
                    if res is not None:
                        out = res
                except Exception as e:      # noqa: BLE001
                    scope = "global module" if hook_id in _global_forward_hooks else "module"
                    warnings.warn(f"{scope} forward hook with ``always_call=True`` raised an exception that was "
                                  f"silenced as another error was raised in forward: {e}", stacklevel=2)
        raise
    return out


_BOTH_KINDS = "Cannot use both regular backward hooks and full backward hooks on a single Module. Please use only one of them."


def _hook_kind(module: Any, full: bool) -> None:
    if module.__dict__.get("_is_full_backward_hook") is (not full):
        raise RuntimeError(_BOTH_KINDS)
    module.__dict__["_is_full_backward_hook"] = full


def _hook_last_node(module: Any, args: tuple, out: Any) -> None:
    """register_backward_hook's hooks on this call: node hooks of the
    output's grad_fn (the module's last node, torch's behaviour, with torch's
    deprecation warnings). A node jitgrad records as several operations
    (addmm, convolution, batch norm...) can't show its input gradients: its
    hooks see grad_output, and reading grad_input raises."""
    var = out
    while not isinstance(var, Tensor):
        if isinstance(var, dict):
            var = next(v for v in var.values() if isinstance(v, Tensor))
        else:
            var = var[0]
    grad_fn = var.grad_fn
    if grad_fn is None:
        return
    hooks = list(module._backward_hooks.values())
    try:
        for hook in hooks:
            grad_fn.register_hook(_NodeHook(module, hook))
    except NotImplementedError:
        var.register_hook(_OutputHook(module, hooks, grad_fn.name()))
    _warn_non_full(args, out, grad_fn)


class _WithoutModule:
    def __init__(self, hook: Callable) -> None:
        self.hook = hook

    def __call__(self, module: Any, *args: Any) -> Any:
        return self.hook(*args)


class _NodeHook:
    def __init__(self, module: Any, hook: Callable) -> None:
        self.module, self.hook = module, hook

    def __call__(self, grad_input, grad_output):
        return self.hook(self.module, grad_input, grad_output)


class _OutputHook:
    def __init__(self, module: Any, hooks: list, node: str) -> None:
        self.module, self.hooks, self.node = module, hooks, node

    def __call__(self, grad):
        grad_input = _Unavailable(type(self.module).__name__, self.node)
        for hook in self.hooks:
            if hook(self.module, grad_input, (grad,)) is not None:
                raise NotImplementedError(grad_input.message + "; nor replace it")
        return None


class _Unavailable(tuple):
    """register_backward_hook's grad_input where jitgrad can't give it."""

    def __new__(cls, module: str, node: str):
        self = super().__new__(cls)
        self.message = (f"jitgrad: a backward hook registered with register_backward_hook on {module} can't read "
                        f"grad_input (the input gradients of its last node, {node}, which jitgrad records as several "
                        "operations; register_full_backward_hook gives the module's input gradients)")
        return self

    def _refuse(self, *args: Any) -> Any:
        raise NotImplementedError(self.message)

    __getitem__ = __iter__ = __len__ = __repr__ = __bool__ = __eq__ = _refuse     # type: ignore[assignment]


_DEPRECATED = "Using a non-full backward hook when {} is deprecated and will be removed in future versions. "


def _warn_non_full(args: tuple, out: Any, grad_fn: Any) -> None:
    """torch's warnings when the hook's node is not the whole module."""
    outs = (out,) if isinstance(out, Tensor) else out
    if not (isinstance(outs, tuple) and all(isinstance(o, Tensor) for o in outs)):
        warnings.warn("Using non-full backward hooks on a Module that does not return a single Tensor or a tuple of "
                      "Tensors is deprecated and will be removed in future versions. This hook will be missing some "
                      "of the grad_output. Please use register_full_backward_hook to get the documented behavior.",
                      FutureWarning, stacklevel=4)
        return
    if not all(isinstance(a, Tensor) for a in args):
        warnings.warn("Using non-full backward hooks on a Module that does not take as input a single Tensor or a "
                      "tuple of Tensors is deprecated and will be removed in future versions. This hook will be "
                      "missing some of the grad_input. Please use register_full_backward_hook to get the documented "
                      "behavior.", FutureWarning, stacklevel=4)
        return
    nodes = {o.grad_fn for o in outs if o.grad_fn is not None}
    if not nodes or (len(nodes) == 1 and grad_fn not in nodes):
        what, missing = "outputs are nested in python data structure", "grad_output"
    elif len(nodes) > 1:
        what, missing = "outputs are generated by different autograd Nodes", "grad_output"
    elif {a.grad_fn for a in args if a.grad_fn is not None} != {n for n, _ in grad_fn.next_functions}:
        what, missing = "the forward contains multiple autograd Nodes", "grad_input"
    else:
        return
    advice = "" if what.startswith("outputs are nested") else \
        " Please use register_full_backward_hook to get the documented behavior."
    warnings.warn(_DEPRECATED.format(what) + f"This hook will be missing some {missing}.{advice}", FutureWarning,
                  stacklevel=4)


class ModuleHooks:
    """Hook registration and the smaller methods of nn.Module."""
    _version: int

    def register_forward_hook(self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        return _add(self, "_forward_hooks", hook, prepend,
                    (("_forward_hooks_with_kwargs", with_kwargs), ("_forward_hooks_always_called", always_call)))

    def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        return _add(self, "_forward_pre_hooks", hook, prepend, (("_forward_pre_hooks_with_kwargs", with_kwargs),))

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """hook(module, grad_input, grad_output) -> new grad_input or None."""
        _hook_kind(self, True)
        return _add(self, "_backward_hooks", hook, prepend)

    def register_backward_hook(self, hook: Callable) -> RemovableHandle:
        """The deprecated form (torch's): hook(module, grad_input, grad_output)
        on the node that made the module's output, grad_input being that
        node's input gradients (_hook_last_node)."""
        _hook_kind(self, False)
        return _add(self, "_backward_hooks", hook)

    def register_full_backward_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """hook(module, grad_output) -> new grad_output or None."""
        return _add(self, "_backward_pre_hooks", hook, prepend)

    # ----- state_dict hooks
    def register_state_dict_pre_hook(self, hook: Callable) -> RemovableHandle:
        """hook(module, prefix, keep_vars), before the module's state_dict."""
        return _add(self, "_state_dict_pre_hooks", hook)

    def register_state_dict_post_hook(self, hook: Callable) -> RemovableHandle:
        """hook(module, state_dict, prefix, local_metadata), after; it may change state_dict in place."""
        hook._from_public_api = True     # type: ignore[attr-defined]
        return _add(self, "_state_dict_hooks", hook)

    def _register_state_dict_hook(self, hook: Callable) -> RemovableHandle:
        """The older form: the root module's hook may return a new state_dict."""
        return _add(self, "_state_dict_hooks", hook)

    def register_load_state_dict_pre_hook(self, hook: Callable) -> RemovableHandle:
        """hook(module, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs)."""
        return _add(self, "_load_state_dict_pre_hooks", hook)

    def _register_load_state_dict_pre_hook(self, hook: Callable, with_module: bool = False) -> RemovableHandle:
        """The older form: without with_module, hook(state_dict, prefix, ...) without the module."""
        return _add(self, "_load_state_dict_pre_hooks", hook if with_module else _WithoutModule(hook))

    def register_load_state_dict_post_hook(self, hook: Callable) -> RemovableHandle:
        """hook(module, incompatible_keys): may edit its missing/unexpected lists in place."""
        return _add(self, "_load_state_dict_post_hooks", hook)

    def _run_state_dict_hooks(self, destination: Any, prefix: str, root: bool) -> Any:
        for hook in list(self.__dict__.get("_state_dict_hooks", {}).values()):
            result = hook(self, destination, prefix, {"version": self._version})
            if getattr(hook, "_from_public_api", False):
                if result is not None:
                    raise RuntimeError("state_dict post-hook must return None")
            elif root and result is not None:
                destination = result
        return destination

    # ----- extra state
    def get_extra_state(self) -> Any:
        raise RuntimeError("Reached a code path in Module.get_extra_state() that should never be called. Please "
                           "file an issue at https://github.com/pytorch/pytorch/issues/new?template=bug-report.yml "
                           "to report this bug.")

    def set_extra_state(self, state: Any) -> None:
        raise RuntimeError("Reached a code path in Module.set_extra_state() that should never be called. Please "
                           "file an issue at https://github.com/pytorch/pytorch/issues/new?template=bug-report.yml "
                           "to report this bug.")

    def _has_extra_state(self, which: str) -> bool:
        return getattr(type(self), which) is not getattr(ModuleHooks, which)

    def to_empty(self, *, device=None, recurse: bool = True) -> Any:
        """Parameters and buffers replaced by uninitialised ones (jitgrad: CPU only, so new empty storage)."""
        return self._apply(lambda t: t.new_empty(t.shape))     # type: ignore[attr-defined]

    # ----- lookups
    def get_buffer(self, target: str) -> Tensor:
        module_path, _, name = target.rpartition(".")
        mod = self.get_submodule(module_path)     # type: ignore[attr-defined]
        if not hasattr(mod, name):
            raise AttributeError(mod._get_name() + " has no attribute `" + name + "`")
        buffer = getattr(mod, name)
        if name not in mod._buffers:
            raise AttributeError("`" + name + "` is not a buffer")
        return buffer
