"""optim.RMSprop and optim.Adagrad (PyTorch's single-tensor updates)."""
from __future__ import annotations

from typing import Callable, Iterable

import numpy as np

from ..functional.box_muller import add_scaled
from .adam import addcdiv, addcmul, lerp
from .optimizer import Optimizer, check_tensor_lr, _no_grad_step, bump_step, state_tensor, step_tensor, value, write


class RMSprop(Optimizer):
    _capturable_xla = (True, True)
    _group_defaults = {"momentum": 0, "centered": False, "foreach": None, "maximize": False, "differentiable": False,
                       "capturable": False}
    _tensor_state = ("step",)

    def __init__(self, params: Iterable, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                    "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    @_no_grad_step
    def step(self, closure: Callable | None = None):
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, alpha, eps, wd = group["lr"], group["alpha"], group["eps"], group["weight_decay"]
            momentum, centered = group["momentum"], group["centered"]
            for p, g in self._params_with_grad(group):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = step_tensor()
                    state["square_avg"] = state_tensor(p)
                    if momentum > 0:
                        state["momentum_buffer"] = state_tensor(p)
                    if centered:
                        state["grad_avg"] = state_tensor(p)
                bump_step(state)
                x = value(p)
                dt = x.dtype
                if wd != 0:
                    g = add_scaled(g, x, wd, dt)
                sq = addcmul(value(state["square_avg"]) * dt.type(alpha), g, g, 1 - alpha)
                write(state["square_avg"], sq)
                if centered:
                    ga = lerp(value(state["grad_avg"]), g, 1 - alpha)
                    write(state["grad_avg"], ga)
                    avg = np.sqrt(addcmul(sq, ga, ga, -1))
                else:
                    avg = np.sqrt(sq)
                avg = avg + eps
                if momentum > 0:
                    buf = addcdiv(value(state["momentum_buffer"]) * dt.type(momentum), g, avg, 1)
                    write(state["momentum_buffer"], buf)
                    write(p, add_scaled(x, buf, -lr, dt))
                else:
                    write(p, addcdiv(x, g, avg, -lr))
        return loss


class Adagrad(Optimizer):
    _group_defaults = {"foreach": None, "maximize": False, "differentiable": False, "fused": None}
    _tensor_state = ("step",)

    def __init__(self, params: Iterable, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = step_tensor()
                state["sum"] = state_tensor(p, initial_accumulator_value)

    @_no_grad_step
    def step(self, closure: Callable | None = None):
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, lr_decay, eps, wd = group["lr"], group["lr_decay"], group["eps"], group["weight_decay"]
            for p, g in self._params_with_grad(group):
                state = self.state[p]
                step = bump_step(state)
                x = value(p)
                if wd != 0:
                    g = add_scaled(g, x, wd, x.dtype)
                clr = lr / (1 + (step - 1) * lr_decay)
                s = addcmul(value(state["sum"]), g, g, 1)
                write(state["sum"], s)
                write(p, addcdiv(x, g, np.sqrt(s) + eps, -clr))
        return loss
