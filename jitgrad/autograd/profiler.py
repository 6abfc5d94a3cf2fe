"""torch.autograd.profiler for pasted code: `profile`, `record_function`,
`emit_nvtx` / `emit_itt` run the code they wrap and record nothing. A
profile's events are an empty EventList, so `key_averages().table()` is ""
(torch's table of a profile that saw no ops) and export_chrome_trace writes
a trace without events; time jitgrad with its own tools (benchmarks/)."""
from __future__ import annotations

import contextlib
import json
from typing import Any

__all__ = ["EventList", "profile", "record_function", "emit_nvtx", "emit_itt", "kineto_available"]


class EventList(list):
    """torch's list of profiler events; always empty here."""

    def table(self, sort_by: str | None = None, row_limit: int = 100, max_src_column_width: int = 75,
              max_name_column_width: int = 55, max_shapes_column_width: int = 80, header: str | None = None,
              top_level_events_only: bool = False, time_unit: str | None = None) -> str:
        return ""

    def key_averages(self, group_by_input_shapes: bool = False, group_by_stack_n: int = 0,
                     group_by_overload_name: bool = False) -> "EventList":
        return EventList()

    def total_average(self) -> Any:
        return None

    @property
    def self_cpu_time_total(self) -> float:
        return 0

    def export_chrome_trace(self, path: str) -> None:
        with open(path, "w") as fh:
            json.dump({"traceEvents": []}, fh)

    def __str__(self) -> str:
        return self.table()


class profile:
    """A context manager that runs its block and records nothing (see the module docstring)."""

    def __init__(self, enabled: bool = True, *, use_cuda: bool = False, use_device: Any = None,
                 record_shapes: bool = False, with_flops: bool = False, profile_memory: bool = False,
                 with_stack: bool = False, with_modules: bool = False, use_kineto: bool = False,
                 use_cpu: bool = True, **kwargs: Any) -> None:
        self.enabled = enabled
        self.function_events: EventList | None = None
        self.entered = False

    def __enter__(self) -> "profile":
        if self.entered:
            raise RuntimeError("Profiler context manager is not reentrant")
        self.entered = True
        return self

    def __exit__(self, *exc: Any) -> None:
        self.function_events = EventList()
        self.entered = False

    def _events(self) -> EventList:
        return EventList() if self.function_events is None else self.function_events

    def table(self, *args: Any, **kwargs: Any) -> str:
        return self._events().table(*args, **kwargs)

    def key_averages(self, group_by_input_shape: bool = False, group_by_stack_n: int = 0,
                     group_by_overload_name: bool = False) -> EventList:
        return self._events().key_averages()

    def total_average(self) -> Any:
        return self._events().total_average()

    def events(self) -> EventList:
        return self._events()

    @property
    def self_cpu_time_total(self) -> float:
        return 0

    def export_chrome_trace(self, path: str) -> None:
        self._events().export_chrome_trace(path)

    def export_stacks(self, path: str, metric: str = "self_cpu_time_total") -> None:
        open(path, "w").close()

    def __str__(self) -> str:
        return self.table()


class record_function(contextlib.ContextDecorator):
    """Labels a block (context manager or decorator) for a profiler; records nothing here."""

    def __init__(self, name: str, args: str | None = None) -> None:
        self.name, self.args = name, args

    def __enter__(self) -> "record_function":
        return self

    def __exit__(self, *exc: Any) -> None:
        return None


class emit_nvtx(contextlib.ContextDecorator):
    """No NVTX ranges here (CPU only): runs the block."""

    def __init__(self, enabled: bool = True, record_shapes: bool = False) -> None:
        self.enabled = enabled

    def __enter__(self) -> "emit_nvtx":
        return self

    def __exit__(self, *exc: Any) -> None:
        return None


class emit_itt(emit_nvtx):
    """No ITT ranges here: runs the block."""


def kineto_available() -> bool:
    return False
