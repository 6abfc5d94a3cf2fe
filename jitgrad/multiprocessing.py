"""torch.multiprocessing: Python's multiprocessing plus torch's sharing-strategy
switches (accepted and checked as torch's; jitgrad tensors are pickled by
value, so the strategy changes nothing)."""
from __future__ import annotations

import multiprocessing
from multiprocessing import *  # noqa: F401,F403

__all__ = ["set_sharing_strategy", "get_sharing_strategy", "get_all_sharing_strategies"] + list(multiprocessing.__all__)

_STRATEGIES = {"file_system", "file_descriptor"}
_STATE = {"strategy": "file_descriptor"}


def set_sharing_strategy(new_strategy: str) -> None:
    if new_strategy not in _STRATEGIES:
        raise AssertionError(f"invalid sharing strategy {new_strategy!r}, expected one of {_STRATEGIES}")
    _STATE["strategy"] = new_strategy


def get_sharing_strategy() -> str:
    return _STATE["strategy"]


def get_all_sharing_strategies() -> set:
    return set(_STRATEGIES)
