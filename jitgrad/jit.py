"""torch.jit spellings for pasted code. Nothing here compiles: `script`,
`trace`, `freeze`, ... return what they are given (the function or module,
callable the same way, running as ordinary Python under jitgrad's tape), the
decorators (`ignore`, `unused`, `export`, `interface`) return the function.
`jitgrad.compile` is what records and replays. Known differences: a traced
function in torch replays the path its example inputs took (TracerWarning);
here every call runs its Python, the eager result. `save` / `load` pickle
the object (jitgrad.save / jitgrad.load), not a TorchScript archive: only
load files you trust."""
from __future__ import annotations

import builtins
import collections.abc
import types
import typing
import warnings
import zipfile
from typing import Any, Callable, TypeVar

from . import serialization
from .nn.modules.module import Module

__all__ = ["Attribute", "Error", "Final", "Future", "ScriptFunction", "ScriptModule", "annotate",
           "enable_onednn_fusion", "export", "fork", "freeze", "interface", "ignore", "isinstance", "is_scripting",
           "is_tracing", "load", "onednn_fusion_enabled", "optimize_for_inference", "save", "script",
           "script_if_tracing", "script_method", "set_fusion_strategy", "strict_fusion", "trace", "trace_module",
           "unused", "wait"]

_T = TypeVar("_T")
Final = typing.Final
_BARE = {typing.List: "List", typing.Dict: "Dict", typing.Tuple: "Tuple", typing.Optional: "Optional",
         list: "list", dict: "dict", tuple: "tuple"}


def _deprecated(name: str, instead: str = "switch to `torch.compile` or `torch.export`") -> None:
    """torch 2.13's deprecation warning of a torch.jit function (same text, category and count)."""
    warnings.warn(f"`torch.jit.{name}` is deprecated. Please {instead}.", DeprecationWarning, stacklevel=3)


class Error(Exception):
    """torch.jit.Error (raised by TorchScript code; never by jitgrad)."""


class ScriptModule(Module):
    """Base class of torch's legacy `class M(torch.jit.ScriptModule)` modules: an nn.Module here."""


class ScriptFunction:
    """Type of torch's scripted functions; script() returns plain functions here, so nothing is one."""


class Attribute(typing.NamedTuple):
    """torch.jit.Attribute(value, type): outside TorchScript a (value, type) pair, as torch's."""
    value: Any
    type: Any


def script(obj: Any, optimize: Any = None, _frames_up: int = 0, _rcb: Any = None,
           example_inputs: Any = None) -> Any:
    """`obj` itself (function, module or class): not compiled, called as before."""
    _deprecated("script")
    return obj


def script_method(fn: _T) -> _T:
    _deprecated("script_method")
    return fn


def trace(func: Any, example_inputs: Any = None, optimize: Any = None, check_trace: bool = True,
          check_inputs: Any = None, check_tolerance: float = 1e-05, strict: bool = True, **kwargs: Any) -> Any:
    """`func` itself: not traced, every call runs its Python (torch's trace replays the example's path)."""
    _deprecated("trace")
    for name in ("trace_method", "trace_method") if builtins.isinstance(func, Module) else ("trace",):
        _deprecated(name)       # torch warns again from inside: its count, for warning-sensitive tests
    return func


def trace_module(mod: Any, inputs: Any, *args: Any, **kwargs: Any) -> Any:
    """`mod` itself (see trace)."""
    _deprecated("trace_method")
    _deprecated("trace_method")
    return mod


def script_if_tracing(fn: _T) -> _T:
    return fn


def ignore(drop: Any = False, **kwargs: Any) -> Any:
    """`@ignore` and `@ignore(drop=True)`: the function unchanged."""
    if callable(drop):
        return drop
    if drop:
        warnings.warn("ignore(True) has been deprecated. TorchScript will now drop the function call on "
                      "compilation. Use torch.jit.unused now. {}", FutureWarning, stacklevel=2)
    return lambda fn: fn


def unused(fn: _T) -> _T:
    return fn


def export(fn: _T) -> _T:
    return fn


def interface(obj: _T) -> _T:
    _deprecated("interface", "use `torch.compile` instead")
    return obj


def is_scripting() -> bool:
    """False: code here never runs as TorchScript (torch's answer in eager mode)."""
    return False


def is_tracing() -> bool:
    return False


def annotate(the_type: Any, the_value: _T) -> _T:
    return the_value


def _empty_warning(obj: Any) -> None:
    if obj == [] or obj == {} or obj == ():
        warnings.warn("The inner type of a container is lost when calling torch.jit.isinstance in eager mode. For "
                      "example, List[int] would become list and therefore falsely return True for List[float] or "
                      "List[str].", stacklevel=4)


def _contains(obj: Any, target: Any) -> bool:
    """torch's eager container_checker: the elements of List / Dict / Tuple / Optional / Union types."""
    origin, args = typing.get_origin(target), typing.get_args(target)
    if origin in (list, dict, tuple):
        _empty_warning(obj)
        if not builtins.isinstance(obj, origin):
            return False
        if origin is list:
            return all(_matches(v, args[0]) for v in obj)
        if origin is dict:
            return all(builtins.isinstance(k, args[0]) and _matches(v, args[1]) for k, v in obj.items())
        return len(obj) == len(args) and all(_matches(v, a) for v, a in zip(obj, args))
    if origin is typing.Union or origin is types.UnionType:
        return obj is None or any(_matches(obj, a) for a in args)
    return False


def _matches(obj: Any, target: Any) -> bool:
    return _contains(obj, target) if typing.get_origin(target) else builtins.isinstance(obj, target)


def isinstance(obj: Any, target_type: Any) -> bool:
    """torch.jit.isinstance in eager mode: isinstance that also checks the
    elements of List[...], Dict[..., ...], Tuple[...] and Optional / Union
    types (an empty container warns: its element type cannot be checked)."""
    if builtins.isinstance(target_type, collections.abc.Container):
        if not builtins.isinstance(target_type, tuple):
            raise RuntimeError("The second argument to `torch.jit.isinstance` must be a type or a tuple of types")
        return any(isinstance(obj, t) for t in target_type)
    name = _BARE.get(target_type)
    if name is not None and name.endswith("ict"):
        raise RuntimeError(f"Attempted to use {name} without contained types. Please add contained type, e.g. "
                           f"{name}[int, int]")
    if name is not None:
        raise RuntimeError(f"Attempted to use {name} without a contained type. Please add a contained type, e.g. "
                           f"{name}[int]")
    return _matches(obj, target_type)


def freeze(mod: Any, preserved_attrs: list[str] | None = None, optimize_numerics: bool = True) -> Any:
    """`mod` itself, after torch's check that it is in eval mode."""
    _deprecated("freeze", "use `torch.compile` instead")
    if getattr(mod, "training", False):
        raise RuntimeError("Freezing is currently only implemented for modules in eval mode. Please call .eval() on "
                           "your module before freezing.")
    return mod


def optimize_for_inference(mod: Any, other_methods: list[str] | None = None) -> Any:
    """`mod` put in eval mode, then freeze(mod) as torch's."""
    _deprecated("optimize_for_inference", "use `torch.compile` instead")
    if getattr(mod, "training", False):
        mod.eval()
    return freeze(mod)


class Future:
    """The result of fork(): computed at once (no threads), read by wait() / value()."""

    def __init__(self, result: Any = None) -> None:
        self._result = result

    def wait(self) -> Any:
        return self._result

    def value(self) -> Any:
        return self._result

    def done(self) -> bool:
        return True


def fork(func: Callable, *args: Any, **kwargs: Any) -> Future:
    """Calls func now (torch's eager fork also runs it synchronously)."""
    _deprecated("fork", "use `torch.compile` instead")
    return Future(func(*args, **kwargs))


def wait(future: Future) -> Any:
    _deprecated("wait", "use `torch.compile` instead")
    return future.wait()


def save(m: Any, f: Any, _extra_files: Any = None) -> None:
    """Pickle `m` with jitgrad.save (not a TorchScript archive: torch cannot read it)."""
    _deprecated("save", "switch to `torch.export`")
    serialization.save(m, f)


def load(f: Any, map_location: Any = None, _extra_files: Any = None, _restore_shapes: bool = False) -> Any:
    """What jitgrad.jit.save wrote (an unpickled object: only load files you trust)."""
    _deprecated("load", "switch to `torch.export`")
    if builtins.isinstance(f, str) and zipfile.is_zipfile(f):
        raise RuntimeError(f"{f} is a TorchScript archive (torch.jit.save); jitgrad has no TorchScript and loads only "
                           "files written by jitgrad.jit.save")
    return serialization.load(f, weights_only=False)


_FUSION: dict = {"onednn": False, "strategy": [("STATIC", 2), ("DYNAMIC", 10)]}


def enable_onednn_fusion(enabled: bool) -> None:
    _FUSION["onednn"] = bool(enabled)


def onednn_fusion_enabled() -> bool:
    return _FUSION["onednn"]


def set_fusion_strategy(strategy: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Stores the strategy and returns the previous one, as torch's (no fuser here)."""
    _deprecated("set_fusion_strategy", "use `torch.compile` instead")
    old, _FUSION["strategy"] = _FUSION["strategy"], list(strategy)
    return old


class strict_fusion:
    """A context manager without effect (no fuser here); warns as torch's outside script mode."""

    def __init__(self) -> None:
        warnings.warn("Only works in script mode", stacklevel=2)

    def __enter__(self) -> "strict_fusion":
        return self

    def __exit__(self, *exc: Any) -> None:
        return None
