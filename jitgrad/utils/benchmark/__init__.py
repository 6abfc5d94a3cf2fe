"""jitgrad.utils.benchmark: torch.utils.benchmark's Python-statement timing
(Timer, Measurement, TaskSpec and the unit helpers), as the torch.func
tutorials use it. Compare, the fuzzers and Callgrind are not provided."""
from .utils.common import Measurement, TaskSpec, ordered_unique, select_unit, set_torch_threads, trim_sigfig, \
    unit_to_english  # noqa: F401
from .utils.timer import Language, Timer, timer  # noqa: F401

__all__ = ["Language", "Measurement", "TaskSpec", "Timer", "ordered_unique", "select_unit", "set_torch_threads",
           "timer", "trim_sigfig", "unit_to_english"]
