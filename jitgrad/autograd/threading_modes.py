"""torch.autograd's multithreading and view-replay switches. jitgrad's
backward runs on the calling thread and never replays views, so the
switches are recorded and reported, with torch's context-manager form."""
from __future__ import annotations

from typing import Any

_STATE = {"multithreading": True}


class set_multithreading_enabled:
    """Context manager (and function) setting whether backward may use worker threads."""

    def __init__(self, mode: bool) -> None:
        self.prev = _STATE["multithreading"]
        _STATE["multithreading"] = bool(mode)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        _STATE["multithreading"] = self.prev

    def clone(self) -> "set_multithreading_enabled":
        return self.__class__(_STATE["multithreading"])


def is_multithreading_enabled() -> bool:
    return _STATE["multithreading"]


def is_view_replay_enabled() -> bool:
    return False
