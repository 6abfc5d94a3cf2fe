"""optim.Optimizer: PyTorch's base class (param groups, per-parameter
state, state_dict / load_state_dict, zero_grad, step with a closure).

Updates are unrecorded whole-array NumPy expressions in the parameter's
dtype, written back in place (`write`), in the order of PyTorch's
single-tensor kernels so that results agree to rounding."""
from __future__ import annotations

import functools
import warnings
from collections import defaultdict
from copy import deepcopy
from itertools import chain
from typing import Any, Callable, Iterable

import numpy as np

from ..core import dtypes as D
from ..core.grad_mode import enable_grad, no_grad
from ..tensors.tensor import Tensor
from ..nn.modules.module import _typename, zero_grad_of
from .optimizer_hooks import OptimizerHooks, hooked_step
from .optimizer_hooks import register_optimizer_step_post_hook, register_optimizer_step_pre_hook  # noqa: F401


class _RequiredParameter:
    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


def value(t: Tensor) -> np.ndarray:
    """t's values as an ndarray (the tensor's own array when it has one)."""
    return t._data()


def write(t: Tensor, new: np.ndarray) -> None:
    """Overwrite t's values with `new`, unrecorded (bumps t's version, as
    PyTorch's in-place updates do)."""
    if t._view is not None or t._views:
        with no_grad():
            t.copy_(Tensor._wrap(np.asarray(new, t.dtype.np), t.dtype))
    else:
        t._set_value(new)


def state_tensor(like: Tensor, fill: float = 0.0) -> Tensor:
    """A new state tensor of like's shape and dtype (exp_avg, momentum...)."""
    return Tensor._wrap(np.full(like.shape, fill, like.dtype.np), like.dtype)


def step_tensor(x: float = 0.0) -> Tensor:
    """A 0-d state tensor torch keeps per parameter (the step counter, NAdam's
    mu_product, ASGD's eta and mu): float32, float64 under a float64 default
    dtype (torch's _get_scalar_dtype)."""
    dt = D.float64 if D.get_default_dtype() is D.float64 else D.float32
    return Tensor._wrap(np.asarray(x, dt.np), dt)


def bump_step(state: dict) -> float:
    step = state["step"]
    step._set_value(step._v + 1)
    return step._v


def _no_grad_step(step: Callable) -> Callable:
    @functools.wraps(step)
    def wrapper(self, *args, **kwargs):
        if any(group.get("differentiable") for group in self.param_groups):
            _check_differentiable(self)
        with no_grad():
            return step(self, *args, **kwargs)
    return wrapper


def _check_differentiable(opt) -> None:
    """differentiable=True: torch steps with grad mode on, so its in-place
    update of a leaf that requires grad is autograd's error, and an update of
    a non-leaf is recorded on the graph. jitgrad's updates are not recorded:
    a clear error rather than gradients that miss the step."""
    for group in opt.param_groups:
        for p in group["params"]:
            if p._grad is None:
                continue
            if p.is_leaf and p.requires_grad:
                raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
            if p.requires_grad or p._grad.requires_grad:
                raise NotImplementedError("jitgrad: an optimizer step with differentiable=True is not recorded on "
                                          "the graph (torch differentiates through it)")


class Optimizer(OptimizerHooks):
    """Base class: subclasses implement `step(closure=None)` (decorated with
    `_no_grad_step`) over `self.param_groups` and `self.state`."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__:      # step hooks run around every subclass's step, as torch's
            cls.step = hooked_step(cls.step)     # type: ignore[method-assign]

    def __init__(self, params: Iterable, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            "but got " + _typename(params))
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    # torch's per-optimizer __setstate__ (load_state_dict ends with it): the group
    # options a foreign or older state dict lacks, and the per-parameter state
    # entries that must be tensors (a number is converted; a missing one: KeyError)
    _group_defaults: dict[str, Any] = {}
    _tensor_state: tuple[str, ...] = ()

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        for group in self.param_groups:
            for key, default in self._group_defaults.items():
                group.setdefault(key, default)
            for p in group["params"]:
                p_state = self.state.get(p, {})
                if len(p_state) != 0:
                    for key in self._tensor_state:
                        if not isinstance(p_state[key], Tensor):
                            p_state[key] = step_tensor(float(p_state[key]))

    def __repr__(self) -> str:
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering "
                            "of tensors in sets will change between runs. Please use a list instead.")
        else:
            param_group["params"] = list(params)
        tensors, names = [], []
        for param in param_group["params"]:
            if isinstance(param, tuple):
                names.append(param[0])
                tensors.append(param[1])
            else:
                tensors.append(param)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
            param_group["param_names"] = names
        for param in tensors:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is " + _typename(param))
            if not self.defaults.get("differentiable", None) and not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)
        if len(tensors) != len(set(tensors)):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this will "
                          "cause an error; see github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)
        param_set: set = set()
        for group in self.param_groups:
            param_set.update(group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. cannot add param group "
                                 f"{which} to the optimizer")
        if not param_set.isdisjoint(tensors):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        for group in self.param_groups:
            for p in group["params"]:
                zero_grad_of(p, set_to_none)

    def step(self, closure: Callable | None = None):
        raise NotImplementedError

    @staticmethod
    def _closure_loss(closure: Callable | None):
        if closure is None:
            return None
        with enable_grad():
            return closure()

    def state_dict(self) -> dict[str, Any]:
        for pre_hook in self._hook_values("_optimizer_state_dict_pre_hooks"):
            pre_hook(self)
        mapping: dict[int, int] = {}
        start = 0

        def pack(group):
            nonlocal start
            packed = {k: v for k, v in group.items() if k != "params"}
            mapping.update({id(p): i for i, p in enumerate(group["params"], start) if id(p) not in mapping})
            packed["params"] = [mapping[id(p)] for p in group["params"]]
            start += len(packed["params"])
            return packed

        groups = [pack(g) for g in self.param_groups]
        state = {mapping[id(k)] if isinstance(k, Tensor) else k: v for k, v in self.state.items()}
        state_dict = {"state": state, "param_groups": groups}
        for post_hook in self._hook_values("_optimizer_state_dict_post_hooks"):
            result = post_hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        state_dict = state_dict.copy()
        for pre_hook in self._hook_values("_optimizer_load_state_dict_pre_hooks"):
            result = pre_hook(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))

        def cast(param, v, key=None):
            # torch's: tensors other than `step` take the parameter's float dtype,
            # and a tensor already right is kept, not copied (the loaded dict's
            # tensors are then the state the steps update in place, as torch's).
            if isinstance(v, Tensor):
                if key != "step" and param.is_floating_point():
                    return v.to(param.dtype)
                return v
            if isinstance(v, dict):
                return {k: cast(param, x, k) for k, x in v.items()}
            if isinstance(v, (list, tuple)):
                return type(v)(cast(param, x) for x in v)
            return v

        state: defaultdict = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                state[id_map[k]] = cast(id_map[k], v)
            else:
                state[k] = v
        new_groups = []
        for g, ng in zip(groups, saved_groups):
            ng["params"] = g["params"]
            if "param_names" in g and "param_names" not in ng:
                ng["param_names"] = g["param_names"]
            new_groups.append(ng)
        self.__setstate__({"state": state, "param_groups": new_groups})
        for post_hook in self._hook_values("_optimizer_load_state_dict_post_hooks"):
            post_hook(self)

    # What torch's capturable check names, single-tensor and foreach (its CPU error: no CUDA graphs here).
    _capturable_states = ("params and state_steps", "params and state_steps")
    _capturable_xla = (True, False)

    def _check_capturable(self, group: dict[str, Any]) -> None:
        if not group.get("capturable") or all(p._grad is None for p in group["params"]):
            return
        foreach = bool(group.get("foreach"))
        devices = ["cuda", "xpu", "hpu", "privateuseone"] + (["xla"] if self._capturable_xla[foreach] else [])
        raise AssertionError(f"If capturable=True, {self._capturable_states[foreach]} must be on supported "
                             f"devices: {devices}.")

    def _params_with_grad(self, group: dict[str, Any]):
        """(param, its gradient as an ndarray) for the group's parameters
        that have a .grad, with `maximize` applied."""
        self._check_capturable(group)
        maximize = group.get("maximize", False)
        for p in group["params"]:
            if p._grad is None:
                continue
            g = value(p._grad)
            yield p, (-g if maximize else g)


def check_tensor_lr(lr: Any, foreach: bool | None = None, capturable: bool = False) -> None:
    """torch's checks of a Tensor lr, made before its range check (Adam and
    AdamW also refuse one with foreach=True unless capturable)."""
    if isinstance(lr, Tensor):
        if foreach and not capturable:
            raise ValueError("lr as a Tensor is not supported for capturable=False and foreach=True")
        if lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
