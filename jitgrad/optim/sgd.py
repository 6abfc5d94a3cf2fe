"""optim.SGD (PyTorch's single-tensor update: momentum, dampening,
nesterov, weight decay, maximize)."""
from __future__ import annotations

from typing import Callable, Iterable

import numpy as np

from .optimizer import Optimizer, check_tensor_lr, _no_grad_step, value, write
from ..tensors.tensor import Tensor
from ..functional.box_muller import add_scaled



def _times(x: np.ndarray, c: float, dt) -> np.ndarray:
    """torch's buf.mul_(c): float16 multiplies in float32 by the float32 number, rounding once."""
    if dt == np.float16:
        return (x.astype(np.float32) * np.float32(c)).astype(np.float16)
    return x * dt.type(c)

class SGD(Optimizer):
    _group_defaults = {"nesterov": False, "maximize": False, "foreach": None, "differentiable": False, "fused": False}

    def __init__(self, params: Iterable, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False, fused: bool | None = None) -> None:
        check_tensor_lr(lr)
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize, "foreach": foreach,
                    "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    @_no_grad_step
    def step(self, closure: Callable | None = None):
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, momentum, wd = group["lr"], group["momentum"], group["weight_decay"]
            dampening, nesterov = group["dampening"], group["nesterov"]
            for p, g in self._params_with_grad(group):
                # torch's add(..., alpha=) are fused multiply-adds (add_scaled)
                x = value(p)
                dt = x.dtype
                if wd != 0:
                    g = add_scaled(g, x, wd, dt)
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = state["momentum_buffer"] = Tensor._wrap(g.copy(), p.dtype)
                        b = g
                    else:
                        b = add_scaled(_times(value(buf), momentum, dt), g, 1 - dampening, dt)
                        write(buf, b)
                    if nesterov:
                        g = add_scaled(g, b, momentum, dt)
                        if group["foreach"] and not group["maximize"] and wd == 0:
                            # torch's foreach path adds the nesterov term into p.grad in place
                            write(p._grad, g)
                    else:
                        g = b
                write(p, add_scaled(x, g, -lr, dt))
        return loss
