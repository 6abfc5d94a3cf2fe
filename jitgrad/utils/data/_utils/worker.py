"""torch.utils.data._utils.worker: WorkerInfo and get_worker_info (None in
the main process). jitgrad's DataLoader runs its workers in-process, one
after another (dataloader.py); while a worker's code runs, get_worker_info()
describes it and the global random streams are that worker's, seeded as
torch seeds a worker process (random and torch with base_seed + id, NumPy's
legacy global state with torch's _generate_state(base_seed, id))."""
from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from ....functional import creation as C
from ....functional import mt19937 as MT

__all__ = ["WorkerInfo", "get_worker_info"]

_worker_info: "WorkerInfo | None" = None


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """The current DataLoader worker: id, num_workers, seed and its copy of the dataset."""
    id: int
    num_workers: int
    seed: int
    dataset: Any
    rng: Any = None
    worker_method: str | None = "multiprocessing"


def get_worker_info() -> WorkerInfo | None:
    """The WorkerInfo of the DataLoader worker running this code; None in the main process."""
    return _worker_info


_MASK32 = 0xFFFFFFFF


def _generate_state(base_seed: int, worker_id: int) -> list[int]:
    """The four 32-bit words torch seeds a worker's NumPy global state with
    (a SeedSequence-style hash of worker_id and base_seed)."""
    mult_a, mult_b = 0x931E8875, 0x58F38DED
    const = [0x43B0D7E5]

    def hash32(value: int) -> int:
        value = (value ^ const[0]) & _MASK32
        const[0] = (const[0] * mult_a) & _MASK32
        value = (value * const[0]) & _MASK32
        return (value ^ (value >> 16)) & _MASK32

    def mix(x: int, y: int) -> int:
        r = ((0xCA01F9DD * x) - (0x4973F715 * y)) & _MASK32
        return (r ^ (r >> 16)) & _MASK32

    pool = [hash32(v) for v in (worker_id, base_seed & _MASK32, base_seed >> 32, 0)]
    for src in range(4):
        for dst in range(4):
            if src != dst:
                pool[dst] = mix(pool[dst], hash32(pool[src]))
    out, const_b = [], 0x8B51F9DD
    for v in pool:
        v = (v ^ const_b) & _MASK32
        const_b = (const_b * mult_b) & _MASK32
        v = (v * const_b) & _MASK32
        out.append((v ^ (v >> 16)) & _MASK32)
    return out


class Worker:
    """One in-process worker: its WorkerInfo and its own random streams."""

    def __init__(self, worker_id: int, num_workers: int, base_seed: int, dataset: Any) -> None:
        seed = base_seed + worker_id
        self.info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)
        self.torch_stream = MT.CPUStream(seed & 0xFFFF_FFFF_FFFF_FFFF)
        py = random.Random(seed)
        self.py_state = py.getstate()
        npr = np.random.RandomState()
        npr.seed(_generate_state(base_seed, worker_id))
        self.np_state = npr.get_state()

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        """Run the block as this worker: its WorkerInfo and random streams
        installed, the main process's put back (and the worker's kept) after."""
        global _worker_info
        saved = (_worker_info, C.RNG.np, random.getstate(), np.random.get_state())
        _worker_info = self.info
        C.RNG.np = self.torch_stream
        random.setstate(self.py_state)
        np.random.set_state(self.np_state)
        try:
            yield
        finally:
            self.torch_stream, self.py_state, self.np_state = C.RNG.np, random.getstate(), np.random.get_state()
            _worker_info, C.RNG.np = saved[0], saved[1]
            random.setstate(saved[2])
            np.random.set_state(saved[3])
