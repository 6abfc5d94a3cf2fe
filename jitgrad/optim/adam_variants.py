"""optim.Adamax, NAdam, RAdam and Adadelta: PyTorch's single-tensor update
formulas (torch/optim/<name>.py, the CPU path), in the same order and
dtypes, as NumPy expressions written back unrecorded."""
from __future__ import annotations

from typing import Callable, Iterable

import numpy as np

from ..functional.box_muller import add_scaled
from .adam import addcdiv, addcmul, fma, lerp
from .optimizer import Optimizer, check_tensor_lr, _no_grad_step, bump_step, state_tensor, step_tensor, value, write


def _check(lr: float, eps: float, weight_decay: float, betas: tuple | None = None) -> None:
    check_tensor_lr(lr)
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {eps}")
    if betas is not None:
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {weight_decay}")


def _flags(order: str, **flags) -> dict:
    """The flags in the order torch's constructor writes its defaults (a
    state_dict's param_groups and list(group) print them in that order)."""
    return {name: flags[name] for name in order.split()}


class Adamax(Optimizer):
    _group_defaults = {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}
    _tensor_state = ("step",)

    def __init__(self, params: Iterable, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        _check(lr, eps, weight_decay, betas)
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                                  **_flags("foreach maximize differentiable capturable", foreach=foreach,
                                           maximize=maximize, differentiable=differentiable, capturable=capturable)})

    @_no_grad_step
    def step(self, closure: Callable | None = None):
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
            for p, g in self._params_with_grad(group):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = step_tensor()
                    state["exp_avg"] = state_tensor(p)
                    state["exp_inf"] = state_tensor(p)
                step = float(bump_step(state))
                x = value(p)
                if wd != 0:
                    g = add_scaled(g, x, wd, x.dtype)
                m = lerp(value(state["exp_avg"]), g, 1 - beta1)
                u = np.maximum(value(state["exp_inf"]) * beta2, np.abs(g) + eps)
                write(state["exp_avg"], m)
                write(state["exp_inf"], u)
                clr = lr / (1 - beta1 ** step)
                write(p, addcdiv(x, m, u, -clr))
        return loss


class NAdam(Optimizer):
    _capturable_states = ("params, mu_products and state_steps", "params, mu_products, and state_steps")
    _group_defaults = {"maximize": False, "foreach": None, "capturable": False, "differentiable": False,
                       "decoupled_weight_decay": False}
    _tensor_state = ("step", "mu_product")

    def __init__(self, params: Iterable, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False) -> None:
        _check(lr, eps, weight_decay, betas)
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                                  "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
                                  **_flags("maximize foreach capturable differentiable", foreach=foreach,
                                           maximize=maximize, differentiable=differentiable, capturable=capturable)})

    @_no_grad_step
    def step(self, closure: Callable | None = None):
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
            for p, g in self._params_with_grad(group):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = step_tensor()
                    state["mu_product"] = step_tensor(1.0)
                    state["exp_avg"] = state_tensor(p)
                    state["exp_avg_sq"] = state_tensor(p)
                step = float(bump_step(state))
                x = value(p)
                bias_correction2 = 1 - beta2 ** step
                if wd != 0:
                    if group["decoupled_weight_decay"]:
                        x = x * (1 - lr * wd)
                    else:
                        g = add_scaled(g, x, wd, x.dtype)
                mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * group["momentum_decay"])))
                mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * group["momentum_decay"])))
                scalar = state["mu_product"].dtype.np.type      # (float32; float64 under a float64 default)
                mu_product = scalar(scalar(value(state["mu_product"])) * scalar(mu))
                write(state["mu_product"], mu_product)
                m = lerp(value(state["exp_avg"]), g, 1 - beta1)
                v = addcmul(value(state["exp_avg_sq"]) * x.dtype.type(beta2), g, g, 1 - beta2)
                write(state["exp_avg"], m)
                write(state["exp_avg_sq"], v)
                denom = np.sqrt(v / bias_correction2) + eps
                mu_product_next = float(mu_product) * mu_next
                x = addcdiv(x, g, denom, -lr * (1.0 - mu) / (1.0 - float(mu_product)))
                write(p, addcdiv(x, m, denom, (-lr * mu_next) / (1.0 - mu_product_next)))
        return loss


class RAdam(Optimizer):
    _group_defaults = {"foreach": None, "maximize": False, "differentiable": False, "decoupled_weight_decay": False,
                       "capturable": False}
    _tensor_state = ("step",)

    def __init__(self, params: Iterable, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        _check(lr, eps, weight_decay, betas)
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                                  **_flags("maximize foreach capturable decoupled_weight_decay differentiable",
                                           foreach=foreach, maximize=maximize, capturable=capturable,
                                           decoupled_weight_decay=decoupled_weight_decay,
                                           differentiable=differentiable)})

    @_no_grad_step
    def step(self, closure: Callable | None = None):
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
            for p, g in self._params_with_grad(group):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = step_tensor()
                    state["exp_avg"] = state_tensor(p)
                    state["exp_avg_sq"] = state_tensor(p)
                step = float(bump_step(state))
                x = value(p)
                if wd != 0:
                    if group["decoupled_weight_decay"]:
                        x = x * (1 - lr * wd)
                    else:
                        g = add_scaled(g, x, wd, x.dtype)
                m = lerp(value(state["exp_avg"]), g, 1 - beta1)
                v = addcmul(value(state["exp_avg_sq"]) * x.dtype.type(beta2), g, g, 1 - beta2)
                write(state["exp_avg"], m)
                write(state["exp_avg_sq"], v)
                if group["foreach"]:
                    write(p, _radam_foreach_update(x, m, v, step, lr, beta1, beta2, eps))
                    continue
                bias_correction1 = 1 - beta1 ** step
                bias_correction2 = 1 - beta2 ** step
                corrected = m / bias_correction1
                rho_inf = 2 / (1 - beta2) - 1
                rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
                if rho_t > 5.0:
                    rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
                    # torch's `float / tensor` is reciprocal(tensor) * float
                    adaptive = np.reciprocal(np.sqrt(v) + eps) * (bias_correction2 ** 0.5)
                    write(p, x + -1.0 * (corrected * lr * adaptive * rect))
                else:
                    write(p, x + -1.0 * (corrected * lr))
        return loss


def _radam_foreach_update(x, m, v, step, lr, beta1, beta2, eps):
    """torch's _multi_tensor_radam: the step sizes in Python floats, then
    x + m * (1 / ((sqrt(v) + eps) / bc2) + unrectified step) (one fma)."""
    dt = x.dtype
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * step * (beta2 ** step) / (1 - beta2 ** step)
    rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5 if rho_t > 5 else 0
    bias_correction1 = 1 - beta1 ** step
    unrect_step_size = (lr * (0 if rect > 0 else 1.0) / bias_correction1) * -1
    bias_correction2 = ((1 - beta2 ** step) ** 0.5) * (lr * rect / bias_correction1) * -1
    with np.errstate(divide="ignore"):
        buffer = np.reciprocal((np.sqrt(v) + dt.type(eps)) / dt.type(bias_correction2))    # (/ -0.0: -inf, 1 / -inf: -0.0)
    return fma(m, buffer + dt.type(unrect_step_size), x, dt)


class Adadelta(Optimizer):
    _capturable_xla = (False, False)
    _group_defaults = {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}
    _tensor_state = ("step",)

    def __init__(self, params: Iterable, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *, capturable: bool = False,
                 maximize: bool = False, differentiable: bool = False) -> None:
        _check(lr, eps, weight_decay)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        super().__init__(params, {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
                                  **_flags("maximize capturable foreach differentiable", foreach=foreach,
                                           maximize=maximize, differentiable=differentiable, capturable=capturable)})

    @_no_grad_step
    def step(self, closure: Callable | None = None):
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, rho, eps, wd = group["lr"], group["rho"], group["eps"], group["weight_decay"]
            for p, g in self._params_with_grad(group):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = step_tensor()
                    state["square_avg"] = state_tensor(p)
                    state["acc_delta"] = state_tensor(p)
                bump_step(state)
                x = value(p)
                dt = x.dtype
                if wd != 0:
                    g = add_scaled(g, x, wd, dt)
                sq = addcmul(value(state["square_avg"]) * dt.type(rho), g, g, 1 - rho)
                write(state["square_avg"], sq)
                acc = value(state["acc_delta"])
                delta = np.sqrt(acc + eps) / np.sqrt(sq + eps) * g
                write(state["acc_delta"], addcmul(acc * dt.type(rho), delta, delta, 1 - rho))
                write(p, add_scaled(x, delta, -lr, dt))
        return loss
