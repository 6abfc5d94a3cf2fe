"""Module full backward hooks (register_full_backward_hook /
register_full_backward_pre_hook), as torch's BackwardHook: the module's
tensor inputs and outputs pass through identity Functions; the outputs'
backward collects grad_output (pre hooks may replace it), the inputs'
backward calls hook(module, grad_input, grad_output) (which may replace
grad_input). With no input requiring grad the hooks fire on the outputs'
backward with grad_input all None, and torch's warning."""
from __future__ import annotations

import warnings
from typing import Any

from ...autodiff.tensor_hooks import check_hook_result, check_hook_type
from ...autograd.function import Function
from ...core.grad_mode import is_grad_enabled
from ...tensors.tensor import Tensor
from ...core.warn import user_stacklevel

_NO_INPUT_GRAD = ("Full backward hook is firing when gradients are computed with respect to module outputs since no "
                  "inputs require gradients. See https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
                  "#torch.nn.Module.register_full_backward_hook for more details.")





# Backward hooks of every module (torch.nn.modules.module.register_module_full_backward_(pre_)hook):
# run before the module's own.
_global_backward_hooks: dict = {}
_global_backward_pre_hooks: dict = {}


class _State:
    def __init__(self, module: Any, n_inputs: int, inputs_need_grad: bool) -> None:
        self.module, self.n_inputs, self.inputs_need_grad = module, n_inputs, inputs_need_grad
        self.grad_output: tuple = ()

    def hooks(self) -> list:
        return list(_global_backward_hooks.values()) + list(self.module._backward_hooks.values())

    def run_pre_hooks(self, grads: tuple) -> tuple:
        given = grads
        for hook in list(_global_backward_pre_hooks.values()) + list(self.module._backward_pre_hooks.values()):
            res = hook(self.module, grads)
            if res is not None:
                if len(res) != len(grads):
                    raise RuntimeError(f"Backward pre hook returned an invalid number of grad_output, got "
                                       f"{len(res)}, but expected {len(grads)}")
                grads = res
        return _checked(grads, given)

    def run_hooks(self, grad_input: tuple) -> tuple:
        given = grad_input
        for hook in self.hooks():
            res = hook(self.module, grad_input, self.grad_output)
            if res is not None:
                if len(res) != len(grad_input):
                    raise RuntimeError(f"Backward hook returned an invalid number of grad_input, got {len(res)}, "
                                       f"but expected {len(grad_input)}")
                grad_input = res
        return _checked(grad_input, given)

    def run_hooks_without_inputs(self) -> None:
        for hook in self.hooks():
            res = hook(self.module, (None,) * self.n_inputs, self.grad_output)
            if res is not None and not (isinstance(res, tuple) and all(r is None for r in res)):
                raise RuntimeError("Backward hook for Modules where no input requires gradient should always "
                                   "return None or None for all gradients.")


# torch runs the module's hooks inside a node hook named 'hook': its checks' messages name that one
_TORCH_WRAPPER = type("hook", (), {})


def _checked(results: Any, originals: tuple) -> tuple:
    """The hooks' gradients checked against the ones they were given, as
    torch's checks of a node hook's results (the hooks run inside one named
    'hook'); a returned tensor counts as the sequence of its rows, as torch's."""
    out = []
    for original, res in zip(originals, results):
        if res is not None:
            if original is None:
                raise RuntimeError("can't replace a None gradient with a non-None value")
            check_hook_result(res)
            check_hook_type(_TORCH_WRAPPER, original.dtype, res.dtype)
            if tuple(res.shape) != tuple(original.shape):
                raise RuntimeError("hook 'hook' has changed the size of value")
        out.append(res)
    return tuple(out)


class _HookOutputs(Function):
    @staticmethod
    def forward(ctx, state, *outs):
        ctx.state = state
        return tuple(o.view_as(o) for o in outs)

    @staticmethod
    def backward(ctx, *grads):
        state = ctx.state
        grads = state.run_pre_hooks(grads)
        state.grad_output = grads
        if not state.inputs_need_grad:     # (torch warns with pre-hooks alone too)
            warnings.warn(_NO_INPUT_GRAD, UserWarning, stacklevel=user_stacklevel())
            state.run_hooks_without_inputs()
        return (None,) + tuple(grads)


class _HookInputs(Function):
    @staticmethod
    def forward(ctx, state, *ins):
        ctx.state = state
        return tuple(i.view_as(i) for i in ins)

    @staticmethod
    def backward(ctx, *grads):
        return (None,) + tuple(ctx.state.run_hooks(tuple(grads)))


# torch wraps a module's inputs and outputs with one Function, BackwardHookFunction: its node's name
for _cls in (_HookOutputs, _HookInputs):
    _cls._backward_cls.__name__ = _cls._backward_cls.__qualname__ = "BackwardHookFunctionBackward"


def call_with_backward_hooks(module: Any, args: tuple, kwargs: dict, forward: Any) -> Any:
    """forward(*args, **kwargs) with the module's backward hooks wired in."""
    if not is_grad_enabled():
        return forward(*args, **kwargs)
    positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
    needs = any(args[i].requires_grad for i in positions)
    state = _State(module, len(positions), needs)
    if needs and (module._backward_hooks or _global_backward_hooks):
        wrapped = _HookInputs.apply(state, *[args[i] for i in positions])
        wrapped = wrapped if isinstance(wrapped, tuple) else (wrapped,)
        args = list(args)
        for i, w in zip(positions, wrapped):
            args[i] = w
        args = tuple(args)
    out = forward(*args, **kwargs)
    single = isinstance(out, Tensor)
    outs = (out,) if single else tuple(out) if isinstance(out, (tuple, list)) else None
    if outs is None or not all(isinstance(o, Tensor) for o in outs) or not any(o.requires_grad for o in outs):
        return out
    res = _HookOutputs.apply(state, *outs)
    res = res if isinstance(res, tuple) else (res,)
    return res[0] if single else type(out)(res)
