"""optim.Adam and optim.AdamW (PyTorch's single-tensor update: amsgrad,
weight decay coupled or decoupled, maximize)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ..functional.box_muller import add_scaled, fma64
from ..tensors.tensor import Tensor
from .optimizer import Optimizer, check_tensor_lr, _no_grad_step, bump_step, state_tensor, step_tensor, value, write


def fma(a, b, c, dt) -> np.ndarray:
    """a * b + c rounded once in dtype dt, as torch's CPU kernels' fused
    multiply-adds (float32: the float64 product of float32s is exact)."""
    if dt == np.float64:
        return fma64(a, b, c)
    return (np.asarray(a, np.float64) * np.asarray(b, np.float64) + np.asarray(c, np.float64)).astype(dt)


def lerp(start: np.ndarray, end: np.ndarray, weight: float) -> np.ndarray:
    """PyTorch's lerp: exact at both ends; one fma (the weight in the dtype)."""
    dt = np.result_type(start, end)
    w = dt.type(weight)
    if w < 0.5:
        return fma(w, end - start, start, dt)
    return fma(-(end - start), dt.type(1) - w, end, dt)


def addcmul(x: np.ndarray, t1: np.ndarray, t2: np.ndarray, v: float) -> np.ndarray:
    """torch's x.addcmul(t1, t2, value=v): fma(v * t1, t2, x)."""
    dt = x.dtype
    return fma(dt.type(v) * t1, t2, x, dt)


def addcdiv(x: np.ndarray, t1: np.ndarray, t2: np.ndarray, v: float) -> np.ndarray:
    """torch's x.addcdiv(t1, t2, value=v): x + (v * t1) / t2."""
    return x + (x.dtype.type(v) * t1) / t2


class Adam(Optimizer):
    _group_defaults = {"amsgrad": False, "maximize": False, "foreach": None, "capturable": False,
                       "differentiable": False, "decoupled_weight_decay": False, "fused": None}
    _tensor_state = ("step",)

    def __init__(self, params: Iterable, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False) -> None:
        check_tensor_lr(lr, foreach, capturable)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not (isinstance(betas[0], float) and isinstance(betas[1], float)
                or isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor)):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, beta in enumerate(betas):
            if isinstance(beta, Tensor):
                if not capturable and foreach:
                    raise ValueError(f"betas[{i}] as a Tensor is not supported for capturable=False and foreach=True")
                if beta.numel() != 1:
                    raise ValueError(f"Tensor betas[{i}] must be 1-element")
        betas = tuple(b.squeeze() if isinstance(b, Tensor) and b.dim() != 0 else b for b in betas)
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay, "amsgrad": amsgrad,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    @_no_grad_step
    def step(self, closure: Callable | None = None):
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, eps, wd = group["lr"], group["eps"], group["weight_decay"]
            # (Tensor betas: torch's 1 - beta, beta ** step and the bias corrections are
            # 0-d tensor arithmetic, in the betas' dtype: NumPy scalars of it here)
            beta1, beta2 = (b.dtype.np.type(b.item()) if isinstance(b, Tensor) else b for b in group["betas"])
            amsgrad = group["amsgrad"]
            for p, g in self._params_with_grad(group):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = step_tensor()
                    state["exp_avg"] = state_tensor(p)
                    state["exp_avg_sq"] = state_tensor(p)
                    if amsgrad:
                        state["max_exp_avg_sq"] = state_tensor(p)
                step = bump_step(state)
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
                bias_correction1 = 1 - beta1 ** step
                bias_correction2_sqrt = (1 - beta2 ** step) ** 0.5
                step_size = lr / bias_correction1
                if amsgrad:
                    v = np.maximum(value(state["max_exp_avg_sq"]), v)
                    write(state["max_exp_avg_sq"], v)
                denom = np.sqrt(v) / bias_correction2_sqrt + eps
                write(p, addcdiv(x, m, denom, -step_size))
        return loss


class AdamW(Adam):
    def __init__(self, params: Iterable, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
