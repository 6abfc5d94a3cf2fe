"""torch.distributed for single-process code that checks for it: the
package answers as torch's does before init_process_group (available, not
initialized; the rank and world-size queries and collectives raise torch's
"Default process group has not been initialized" error). jitgrad has no
communication backends: is_gloo/nccl/mpi_available() are False and
init_process_group raises NotImplementedError."""
from __future__ import annotations

import enum
import os
from typing import Any, NoReturn

__all__ = ["Backend", "ReduceOp", "all_gather", "all_reduce", "barrier", "broadcast", "destroy_process_group",
           "get_backend", "get_rank", "get_world_size", "init_process_group", "is_available", "is_gloo_available",
           "is_initialized", "is_mpi_available", "is_nccl_available", "is_torchelastic_launched", "new_group",
           "reduce", "all_gather_object", "broadcast_object_list"]


class ReduceOp(enum.Enum):
    SUM = 0
    AVG = 1
    PRODUCT = 2
    MIN = 3
    MAX = 4
    BAND = 5
    BOR = 6
    BXOR = 7
    PREMUL_SUM = 8

    def __str__(self) -> str:
        return f"RedOpType.{self.name}"


class Backend(str):
    """Backend names, as torch's (a str subclass)."""
    UNDEFINED = "undefined"
    GLOO = "gloo"
    NCCL = "nccl"
    MPI = "mpi"
    XCCL = "xccl"
    UCC = "ucc"


def is_available() -> bool:
    return True


def is_initialized() -> bool:
    """False: no process group ever exists here."""
    return False


def is_torchelastic_launched() -> bool:
    return os.getenv("TORCHELASTIC_RUN_ID") is not None


def is_gloo_available() -> bool:
    return False


def is_nccl_available() -> bool:
    return False


def is_mpi_available() -> bool:
    return False


def _no_group(*args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError("Default process group has not been initialized, please make sure to call init_process_group.")


get_rank = get_world_size = get_backend = barrier = new_group = _no_group
all_reduce = all_gather = broadcast = reduce = all_gather_object = broadcast_object_list = _no_group


def init_process_group(*args: Any, **kwargs: Any) -> NoReturn:
    raise NotImplementedError("jitgrad has no distributed communication backends (gloo, nccl, mpi): "
                              "run the training in one process")


def destroy_process_group(group: Any = None) -> NoReturn:
    raise AssertionError("Process group cannot be None")
