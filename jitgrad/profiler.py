"""torch.profiler for pasted code: `profile` (with `schedule`, `step()` and
`on_trace_ready` called at torch's steps), `record_function`,
`ProfilerActivity`, `ProfilerAction`, `schedule` (torch's step-to-action
function, its checks and warning). Nothing is recorded: every table is ""
and traces hold no events (autograd/profiler.py); `tensorboard_trace_handler`
writes no files."""
from __future__ import annotations

import enum
import warnings
from typing import Any, Callable, Iterable

from .autograd.profiler import EventList, record_function

__all__ = ["ProfilerAction", "ProfilerActivity", "profile", "record_function", "schedule", "supported_activities",
           "tensorboard_trace_handler", "kineto_available"]


class ProfilerActivity(enum.Enum):
    CPU = 0
    XPU = 1
    MTIA = 2
    CUDA = 3
    HPU = 4
    PrivateUse1 = 5

    def __repr__(self) -> str:
        return f"<ProfilerActivity.{self.name}: {self.value}>"

    def __str__(self) -> str:
        return f"ProfilerActivity.{self.name}"


class ProfilerAction(enum.Enum):
    NONE = 0
    WARMUP = 1
    RECORD = 2
    RECORD_AND_SAVE = 3
    DEVICE_STOPPED = 4


def supported_activities() -> set:
    return {ProfilerActivity.CPU}


def kineto_available() -> bool:
    return False


def schedule(*, wait: int, warmup: int, active: int, repeat: int = 0, skip_first: int = 0,
             skip_first_wait: int = 0) -> Callable[[int], ProfilerAction]:
    """torch's schedule: skip_first steps, then cycles of wait / warmup / active
    steps (the last active one RECORD_AND_SAVE), `repeat` times (0: forever)."""
    def schedule_fn(step: int) -> ProfilerAction:
        if step < 0:
            raise AssertionError(f"Step must be non-negative. Got {step}.")
        if step < skip_first:
            return ProfilerAction.NONE
        step -= skip_first
        if skip_first_wait != 0:
            step += wait
        cycle = wait + warmup + active
        if repeat > 0 and step / cycle >= repeat:
            return ProfilerAction.NONE
        at = step % cycle
        if at < wait:
            return ProfilerAction.NONE
        if at < wait + warmup:
            return ProfilerAction.WARMUP
        return ProfilerAction.RECORD if at < cycle - 1 else ProfilerAction.RECORD_AND_SAVE

    if wait < 0 or warmup < 0 or active <= 0 or repeat < 0 or skip_first < 0:
        raise AssertionError(f"Invalid profiler schedule arguments. Got wait={wait} (need >= 0), warmup={warmup} "
                             f"(need >= 0), active={active} (need > 0), repeat={repeat} (need >= 0), "
                             f"skip_first={skip_first} (need >= 0).")
    if warmup == 0:
        warnings.warn("Profiler won't be using warmup, this can skew profiler results", stacklevel=2)
    return schedule_fn


def _always_record(step: int) -> ProfilerAction:
    return ProfilerAction.RECORD


_A = ProfilerAction
# torch's transitions that hand a finished trace to on_trace_ready, and those it warns about
_READY = {(_A.RECORD_AND_SAVE, _A.NONE), (_A.RECORD_AND_SAVE, _A.WARMUP), (_A.RECORD_AND_SAVE, _A.RECORD),
          (_A.RECORD_AND_SAVE, _A.RECORD_AND_SAVE), (_A.RECORD, None), (_A.RECORD_AND_SAVE, None)}
# transitions that prepare a new trace (torch warns, once per process, when one was prepared before)
_PREPARE = {(_A.NONE, _A.WARMUP), (_A.NONE, _A.RECORD), (_A.NONE, _A.RECORD_AND_SAVE),
            (_A.RECORD_AND_SAVE, _A.WARMUP), (_A.RECORD_AND_SAVE, _A.RECORD),
            (_A.RECORD_AND_SAVE, _A.RECORD_AND_SAVE)}
_WARNINGS_SHOWN: set = set()
_BAD = {(_A.WARMUP, _A.NONE): "Incorrect schedule: WARMUP followed by NONE",
        (_A.RECORD, _A.NONE): "Incorrect schedule: RECORD followed by NONE",
        (_A.RECORD, _A.WARMUP): "Incorrect schedule: RECORD followed by WARMUP"}


class profile:
    """torch.profiler.profile: runs its block, steps its schedule and calls
    on_trace_ready(self) where torch's would; records nothing."""

    def __init__(self, *, activities: Iterable | None = None, schedule: Callable[[int], ProfilerAction] | None = None,
                 on_trace_ready: Callable[..., Any] | None = None, record_shapes: bool = False,
                 profile_memory: bool = False, with_stack: bool = False, with_flops: bool = False,
                 with_modules: bool = False, **kwargs: Any) -> None:
        self.activities = set(activities) if activities else supported_activities()
        self.schedule = schedule or _always_record
        self.on_trace_ready = on_trace_ready
        self.step_num = 0
        self.current_action = self.schedule(self.step_num)
        self.acc_events = bool(kwargs.get("acc_events", False))
        self.profiler: EventList | None = None

    def _transit(self, prev: ProfilerAction, now: ProfilerAction | None) -> None:
        if (prev, now) in _BAD:
            warnings.warn(_BAD[(prev, now)], stacklevel=3)
        if (prev, now) in _READY and self.on_trace_ready is not None:
            self.on_trace_ready(self)
        if (prev, now) in _PREPARE:
            msg = ("Warning: Profiler clears events at the end of each cycle. Only events from the current cycle "
                   "will be reported. To keep events across cycles, set acc_events=True.")
            if self.profiler is not None and not self.acc_events and msg not in _WARNINGS_SHOWN:
                _WARNINGS_SHOWN.add(msg)
                warnings.warn(msg, stacklevel=3)
            self.profiler = EventList()

    def start(self) -> None:
        self._transit(ProfilerAction.NONE, self.current_action)

    def stop(self) -> None:
        self._transit(self.current_action, None)

    def __enter__(self) -> "profile":
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def step(self) -> None:
        """The next training step begins: advance the schedule."""
        prev = self.current_action
        self.step_num += 1
        self.current_action = self.schedule(self.step_num)
        self._transit(prev, self.current_action)

    def events(self) -> EventList:
        return EventList()

    def key_averages(self, group_by_input_shape: bool = False, group_by_stack_n: int = 0,
                     group_by_overload_name: bool = False) -> EventList:
        return EventList()

    def export_chrome_trace(self, path: str) -> None:
        EventList().export_chrome_trace(path)

    def export_stacks(self, path: str, metric: str = "self_cpu_time_total") -> None:
        open(path, "w").close()

    def export_memory_timeline(self, path: str, device: str | None = None) -> None:
        raise NotImplementedError("jitgrad's profiler records nothing: no memory timeline to export")


def tensorboard_trace_handler(dir_name: str, worker_name: str | None = None, use_gzip: bool = False,
                              use_python_export: bool = False) -> Callable[[Any], None]:
    """An on_trace_ready handler that writes nothing (no events are recorded)."""
    return lambda prof: None
