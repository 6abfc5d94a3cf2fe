"""Module full backward hooks (register_full_backward_hook /
register_full_backward_pre_hook), as torch's BackwardHook: the module's
tensor inputs and outputs pass through identity Functions; the outputs'
backward collects grad_output (pre hooks may replace it), the inputs'
backward calls hook(module, grad_input, grad_output) (which may replace
grad_input). With no input requiring grad the hooks fire on the outputs'
backward with grad_input all None, and torch's warning."""
from __future__ import annotations

import os
import sys
import warnings
from typing import Any

from ...autograd.function import Function
from ...core.grad_mode import is_grad_enabled
from ...tensors.tensor import Tensor

_NO_INPUT_GRAD = ("Full backward hook is firing when gradients are computed with respect to module outputs since no "
                  "inputs require gradients. See https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
                  "#torch.nn.Module.register_full_backward_hook for more details.")


_PACKAGE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _user_stacklevel() -> int:
    """warnings.warn's stacklevel of the first caller outside jitgrad (the user's backward() line)."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level


class _State:
    def __init__(self, module: Any, n_inputs: int, inputs_need_grad: bool) -> None:
        self.module, self.n_inputs, self.inputs_need_grad = module, n_inputs, inputs_need_grad
        self.grad_output: tuple = ()

    def run_pre_hooks(self, grads: tuple) -> tuple:
        for hook in list(self.module._backward_pre_hooks.values()):
            res = hook(self.module, grads)
            if res is not None:
                grads = tuple(res) if isinstance(res, (tuple, list)) else (res,)
        return grads

    def run_hooks(self, grad_input: tuple) -> tuple:
        for hook in list(self.module._backward_hooks.values()):
            res = hook(self.module, grad_input, self.grad_output)
            if res is not None:
                grad_input = tuple(res) if isinstance(res, (tuple, list)) else (res,)
        return grad_input


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
            warnings.warn(_NO_INPUT_GRAD, UserWarning, stacklevel=_user_stacklevel())
            if state.module._backward_hooks:
                state.run_hooks((None,) * state.n_inputs)
        return (None,) + tuple(grads)


class _HookInputs(Function):
    @staticmethod
    def forward(ctx, state, *ins):
        ctx.state = state
        return tuple(i.view_as(i) for i in ins)

    @staticmethod
    def backward(ctx, *grads):
        return (None,) + tuple(ctx.state.run_hooks(tuple(grads)))


def call_with_backward_hooks(module: Any, args: tuple, kwargs: dict, forward: Any) -> Any:
    """forward(*args, **kwargs) with the module's backward hooks wired in."""
    if not is_grad_enabled():
        return forward(*args, **kwargs)
    positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
    needs = any(args[i].requires_grad for i in positions)
    state = _State(module, len(positions), needs)
    if needs and module._backward_hooks:
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
