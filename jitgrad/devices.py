"""torch.cpu, torch.xpu, torch.mps and torch.mtia for device-selection
boilerplate, answering as a CPU-only torch build does: the CPU is the one
device; the others are unavailable (count 0, seeding and cache calls
accepted, torch's errors where a CPU torch raises)."""
from __future__ import annotations

import types
from typing import Any, NoReturn

__all__ = ["cpu", "xpu", "mps", "mtia"]


def _namespace(name: str, doc: str, **functions: Any) -> types.ModuleType:
    module = types.ModuleType(f"jitgrad.{name}", doc)
    for key, fn in functions.items():
        setattr(module, key, fn)
    return module


def _none(*args: Any, **kwargs: Any) -> None:
    return None


def _no_xpu(*args: Any, **kwargs: Any) -> NoReturn:
    raise AssertionError("Torch not compiled with XPU enabled")


def _mps_error(call: str) -> Any:
    def fail(*args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError(f"Cannot execute {call}() without MPS backend.")
    return fail


cpu = _namespace("cpu", "torch.cpu: the one device here.",
                 is_available=lambda: True, is_initialized=lambda: True, device_count=lambda: 1,
                 current_device=lambda: "cpu", set_device=_none, synchronize=_none)
xpu = _namespace("xpu", "torch.xpu: no XPU here (as a CPU-only torch).",
                 is_available=lambda: False, is_initialized=lambda: False, device_count=lambda: 0,
                 manual_seed=_none, manual_seed_all=_none, seed=_none, seed_all=_none, empty_cache=_none,
                 synchronize=_no_xpu, current_device=_no_xpu, get_device_name=_no_xpu, set_device=_no_xpu)
mps = _namespace("mps", "torch.mps: no Metal device here.",
                 is_available=lambda: False, device_count=lambda: 0, manual_seed=_none, seed=_none,
                 synchronize=_mps_error("deviceSynchronize"), empty_cache=_mps_error("emptyCache"))
mtia = _namespace("mtia", "torch.mtia: no MTIA device here.",
                  is_available=lambda: False, is_initialized=lambda: False, device_count=lambda: 0)
