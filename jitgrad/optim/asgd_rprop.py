"""optim.ASGD and optim.Rprop: PyTorch's single-tensor updates (the CPU
path), in the same order and dtypes, as NumPy expressions written back
unrecorded. ASGD keeps eta and mu as 0-d tensors of the default float
dtype, as torch does, so their roundings are torch's."""
from __future__ import annotations

from typing import Callable, Iterable

import numpy as np

from ..core import dtypes as D
from ..functional.box_muller import add_scaled
from ..tensors.tensor import Tensor
from .adam import addcmul
from .optimizer import Optimizer, _no_grad_step, bump_step, state_tensor, step_tensor, value, write


def _lr(lr) -> float:
    if isinstance(lr, Tensor):
        if lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        return float(lr.item())
    return lr


class ASGD(Optimizer):
    _capturable_states = ("params, mus, etas, and state_steps",) * 2
    _group_defaults = {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}
    _tensor_state = ("step", "eta", "mu")

    def __init__(self, params: Iterable, lr: float = 1e-2, lambd: float = 1e-4, alpha: float = 0.75,
                 t0: float = 1e6, weight_decay: float = 0, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        if not 0.0 <= _lr(lr):
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        super().__init__(params, {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
                                  "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                                  "capturable": capturable})

    @_no_grad_step
    def step(self, closure: Callable | None = None):
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, lambd, alpha, t0, wd = _lr(group["lr"]), group["lambd"], group["alpha"], group["t0"], \
                group["weight_decay"]
            for p, g in self._params_with_grad(group):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = step_tensor(0.0)
                    state["eta"] = step_tensor(lr)
                    state["mu"] = step_tensor(1.0)
                    state["ax"] = state_tensor(p)
                step = float(bump_step(state))
                x = value(p)
                if wd != 0:
                    g = add_scaled(g, x, wd, x.dtype)
                eta = float(state["eta"]._v)
                if group["foreach"]:
                    # torch's _multi_tensor_asgd: p -= (g + lambd p) * eta; ax += (p - ax) * mu (addcmuls)
                    inter = add_scaled(g, x, lambd, x.dtype)
                    x = addcmul(x, inter, np.asarray(state["eta"]._v).astype(x.dtype), -1)
                    write(p, x)
                    ax = value(state["ax"])
                    write(state["ax"], addcmul(ax, x - ax, np.asarray(state["mu"]._v).astype(x.dtype), 1))
                else:
                    x = x * (1 - lambd * eta)
                    x = add_scaled(x, g, -eta, x.dtype)
                    write(p, x)
                mu = state["mu"]._v
                if group["foreach"]:
                    pass
                elif float(mu) != 1:
                    ax = value(state["ax"])
                    write(state["ax"], ax + (x - ax) * np.asarray(mu).astype(x.dtype))
                else:
                    write(state["ax"], x.copy())
                # torch.as_tensor of a Python float: rounded to the default dtype whatever eta's dtype
                if group["foreach"]:
                    # torch's _multi_tensor_asgd computes eta from the step *tensor*: float32 tensor math
                    write(state["eta"], (lr / ((1 + lambd * lr * state["step"]) ** alpha))._data().astype(
                        D.get_default_dtype().np))
                else:
                    write(state["eta"], np.asarray(lr / ((1 + lambd * lr * step) ** alpha), D.get_default_dtype().np))
                write(state["mu"], np.asarray(1 / max(1, step - t0), D.get_default_dtype().np))
        return loss


class Rprop(Optimizer):
    _capturable_xla = (True, True)
    _group_defaults = {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}
    _tensor_state = ("step",)

    def __init__(self, params: Iterable, lr: float = 1e-2, etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        if not 0.0 <= _lr(lr):
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        super().__init__(params, {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach,
                                  "maximize": maximize, "differentiable": differentiable,
                                  "capturable": capturable})

    @_no_grad_step
    def step(self, closure: Callable | None = None):
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            etaminus, etaplus = group["etas"]
            step_size_min, step_size_max = group["step_sizes"]
            for p, g in self._params_with_grad(group):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = step_tensor()
                    state["prev"] = state_tensor(p)
                    state["step_size"] = state_tensor(p, _lr(group["lr"]))
                bump_step(state)
                sign = np.sign(g * value(state["prev"]))
                factor = np.where(sign > 0, etaplus, np.where(sign < 0, etaminus, 1.0)).astype(g.dtype)
                step_size = np.clip(value(state["step_size"]) * factor, step_size_min, step_size_max)
                step_size = step_size.astype(g.dtype)
                write(state["step_size"], step_size)
                g = np.where(sign < 0, np.zeros((), g.dtype), g)     # a sign change: no step this time
                write(p, value(p) + (-1) * (np.sign(g) * step_size))
                write(state["prev"], g)
        return loss
