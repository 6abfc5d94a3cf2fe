"""optim.Adafactor (PyTorch's single-tensor update: factored second
moments over the last two dims, relative step sizes, update clipping) and
optim.SparseAdam (jitgrad has no sparse gradients: it raises torch's error
for the dense ones it gets)."""
from __future__ import annotations

from typing import Callable, Iterable

import numpy as np

from ..tensors.tensor import Tensor
from .adam import lerp
from .asgd_rprop import _lr
from .optimizer import Optimizer, _no_grad_step, bump_step, step_tensor, value, write


def _norm(a: np.ndarray) -> float:
    return float(np.sqrt(np.sum(a.astype(np.float64) ** 2)))


class Adafactor(Optimizer):
    _group_defaults = {"foreach": None}
    _tensor_state = ("step",)

    def __init__(self, params: Iterable, lr: float = 1e-2, beta2_decay: float = -0.8,
                 eps: tuple[float | None, float] = (None, 1e-3), d: float = 1.0, weight_decay: float = 0.0, *,
                 foreach: bool | None = None, maximize: bool = False) -> None:
        if not 0.0 <= _lr(lr):
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        super().__init__(params, {"lr": lr, "beta2_decay": beta2_decay, "eps": eps, "d": d,
                                  "weight_decay": weight_decay, "foreach": foreach, "maximize": maximize})

    @_no_grad_step
    def step(self, closure: Callable | None = None):
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, d, wd = _lr(group["lr"]), group["d"], group["weight_decay"]
            eps1, eps2 = group["eps"]
            for p, g in self._params_with_grad(group):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = step_tensor(0.0)
                    if g.ndim > 1:
                        state["row_var"] = Tensor._wrap(np.zeros(g.shape[:-1] + (1,), g.dtype), p.dtype)
                        state["col_var"] = Tensor._wrap(np.zeros(g.shape[:-2] + (1,) + g.shape[-1:], g.dtype),
                                                        p.dtype)
                    else:
                        state["variance"] = Tensor._wrap(np.zeros(g.shape, g.dtype), p.dtype)
                e1 = float(np.finfo(g.dtype).eps) if eps1 is None else eps1
                step = float(bump_step(state))
                one_minus_beta2_t = step ** group["beta2_decay"]
                rho_t = min(lr, 1 / (step ** 0.5))
                x = value(p)
                alpha = max(eps2, _norm(x) / (x.size ** 0.5)) * rho_t
                if wd != 0:
                    x = x * (1 - lr * wd)
                if g.ndim > 1:
                    g2 = g * g
                    row_var = lerp(value(state["row_var"]), np.sum(g2, -1, keepdims=True) / g.shape[-1],
                                   one_minus_beta2_t)
                    col_var = lerp(value(state["col_var"]), np.sum(g2, -2, keepdims=True) / g.shape[-2],
                                   one_minus_beta2_t)
                    write(state["row_var"], row_var)
                    write(state["col_var"], col_var)
                    var_estimate = (row_var @ col_var) / np.maximum(np.mean(row_var, -2, keepdims=True), e1)
                else:
                    var_estimate = lerp(value(state["variance"]), g * g, one_minus_beta2_t)
                    write(state["variance"], var_estimate)
                update = (1 / np.sqrt(np.maximum(var_estimate, e1 * e1))).astype(g.dtype) * g
                denom = max(1.0, _norm(update) / ((update.size ** 0.5) * d))
                write(p, x + (-alpha / denom) * update)
        return loss


class SparseAdam(Optimizer):
    def __init__(self, params: Iterable, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, maximize: bool = False) -> None:
        if not 0.0 < _lr(lr):
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps, "maximize": maximize})

    @_no_grad_step
    def step(self, closure: Callable | None = None):
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:      # (every gradient here is dense)
                    raise RuntimeError("SparseAdam does not support dense gradients, please consider Adam instead")
        return loss
