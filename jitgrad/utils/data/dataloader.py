"""torch.utils.data.dataloader: DataLoader over map-style and iterable
datasets with torch's option checks and messages, default samplers and
random draws (each iterator draws the workers' base seed from the loader's
generator before the sampler runs, as torch's, so a seeded shuffle gives
torch's order).

num_workers > 0 runs the workers in this process, one task at a time, in
torch's order (tasks dealt round-robin to the workers still running; a
worker of an iterable dataset iterates its own shallow copy of the dataset,
so without sharding each worker yields the whole stream, as torch's do).
Worker code sees get_worker_info() and the worker's own seeded random
streams (worker.py). pin_memory, timeout, prefetch_factor,
persistent_workers and multiprocessing_context are checked as torch's and
otherwise have no effect."""
from __future__ import annotations

import copy
import math
import os
import sys
import traceback
import warnings
from typing import Any, Callable, Generic, Iterable, Iterator, TypeVar

from ...core import dtypes as D
from ...functional.creation import empty
from ._utils import collate as _collate
from ._utils import worker as _worker
from .dataset import Dataset, IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info", "default_collate", "default_convert"]

default_collate = _collate.default_collate
default_convert = _collate.default_convert
get_worker_info = _worker.get_worker_info

_T_co = TypeVar("_T_co", covariant=True)
_START_METHODS = ("fork", "spawn", "forkserver")     # accepted, without effect: the workers run in-process


class _DatasetKind:
    Map = 0
    Iterable = 1


class _InfiniteConstantSampler(Sampler):
    """The sampler of an iterable dataset: None forever (the dataset decides the end)."""

    def __iter__(self) -> Iterator[None]:
        while True:
            yield None


class _MapFetcher:
    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable, drop_last: bool) -> None:
        self.dataset, self.auto_collation, self.collate_fn = dataset, auto_collation, collate_fn

    def fetch(self, index: Any) -> Any:
        if self.auto_collation:
            getitems = getattr(self.dataset, "__getitems__", None)
            data = getitems(index) if getitems else [self.dataset[i] for i in index]
        else:
            data = self.dataset[index]
        return self.collate_fn(data)


class _IterableFetcher:
    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable, drop_last: bool) -> None:
        self.auto_collation, self.collate_fn, self.drop_last = auto_collation, collate_fn, drop_last
        self.dataset_iter = iter(dataset)
        self.ended = False

    def fetch(self, index: Any) -> Any:
        if self.ended:
            raise StopIteration
        if self.auto_collation:
            data = []
            for _ in index:
                try:
                    data.append(next(self.dataset_iter))
                except StopIteration:
                    self.ended = True
                    break
            if len(data) == 0 or (self.drop_last and len(data) < len(index)):
                raise StopIteration
        else:
            data = next(self.dataset_iter)
        return self.collate_fn(data)


class _KeyErrorMessage(str):
    """torch's KeyError text: repr is the text itself (a KeyError would quote it)."""
    __slots__ = ()

    def __repr__(self) -> str:
        return self


def _worker_error(exc_info: Any, worker_id: int) -> BaseException:
    """The exception torch's main process raises for one a worker raised
    (ExceptionWrapper.reraise): the same type, its message the worker's
    traceback after "Caught <type> in DataLoader worker process <id>."."""
    kind = exc_info[0]
    msg = (f"Caught {kind.__name__} in DataLoader worker process {worker_id}.\nOriginal "
           + "".join(traceback.format_exception(*exc_info)))
    try:
        if kind is KeyError:
            return kind(_KeyErrorMessage(msg))
        if getattr(kind, "message", None):
            return kind(message=msg)
        return kind(msg)
    except Exception:  # noqa: BLE001  (an exception type that takes no message)
        return RuntimeError(msg)


class _FailedWorker:
    """A worker whose worker_init_fn or dataset iterator raised: each task re-raises it, as torch's."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def fetch(self, index: Any) -> Any:
        raise self.error


class DataLoader(Generic[_T_co]):
    """Batches of a dataset: torch.utils.data.DataLoader (workers in-process, see the module docstring)."""

    _initialized = False

    def __init__(self, dataset: Dataset[_T_co], batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Sampler | Iterable | None = None, batch_sampler: Sampler | Iterable | None = None,
                 num_workers: int = 0, collate_fn: Callable | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0, worker_init_fn: Callable | None = None,
                 multiprocessing_context: Any = None, generator: Any = None, *, prefetch_factor: int | None = None,
                 persistent_workers: bool = False, pin_memory_device: str = "", in_order: bool = True) -> None:
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 "
                             "to enable multiprocessing, otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        if multiprocessing_context is not None and num_workers == 0:
            raise ValueError("multiprocessing_context can only be used with multi-process loading (num_workers > 0), "
                             f"but got num_workers={num_workers}")
        if isinstance(multiprocessing_context, str) and multiprocessing_context not in _START_METHODS:
            raise ValueError("multiprocessing_context option should specify a valid start method in "
                             f"{list(_START_METHODS)!r}, but got multiprocessing_context={multiprocessing_context!r}")
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order
        if isinstance(dataset, IterableDataset):
            self._dataset_kind = _DatasetKind.Iterable
            if shuffle not in {False, None}:
                raise ValueError("DataLoader with IterableDataset: expected unspecified shuffle option, but got "
                                 f"shuffle={shuffle}")
            if sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified sampler option, but got "
                                 f"sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified batch_sampler option, but "
                                 f"got batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)
            self._dataset_kind = _DatasetKind.Map
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
                                 "drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with drop_last")
        if sampler is None:
            if self._dataset_kind == _DatasetKind.Iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)  # type: ignore[arg-type]
            else:
                sampler = SequentialSampler(dataset)  # type: ignore[arg-type]
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._IterableDataset_len_called: int | None = None
        self._iterator: _BaseDataLoaderIter | None = None
        self._initialized = True
        self.check_worker_number_rationality()

    def __setattr__(self, attr: str, val: Any) -> None:
        if self._initialized and attr in ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                                          "persistent_workers"):
            raise ValueError(f"{attr} attribute should not be set after {self.__class__.__name__} is initialized")
        super().__setattr__(attr, val)

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self) -> Any:
        return self.batch_sampler if self._auto_collation else self.sampler

    def __iter__(self) -> "_BaseDataLoaderIter":
        if self.persistent_workers and self.num_workers > 0:
            # torch keeps the workers (their datasets and random streams) and draws no new base seed
            if self._iterator is None:
                self.check_worker_number_rationality()
                self._iterator = _MultiProcessingDataLoaderIter(self)
            else:
                self._iterator._reset(self)
            return self._iterator
        if self.num_workers > 0:
            self.check_worker_number_rationality()
            return _MultiProcessingDataLoaderIter(self)
        return _SingleProcessDataLoaderIter(self)

    def check_worker_number_rationality(self) -> None:
        """torch's warning when num_workers exceeds the CPUs this process may use."""
        if not self.num_workers:
            return
        cpuset_checked = hasattr(os, "sched_getaffinity")
        suggest = len(os.sched_getaffinity(0)) if cpuset_checked else os.cpu_count()
        if suggest is not None and self.num_workers <= suggest:
            return
        advice = ("DataLoader is not able to compute a suggested max number of worker in current system."
                  if suggest is None else
                  f"Our suggested max number of worker in current system is {suggest}"
                  f"{'' if cpuset_checked else ' (`cpuset` is not taken into account)'}, which is smaller than what "
                  "this DataLoader is going to create.")
        warnings.warn(f"This DataLoader will create {self.num_workers} worker processes in total. {advice} Please "
                      "be aware that excessive worker creation might get DataLoader running slow or even freeze, "
                      "lower the worker number to avoid potential slowness/freeze if necessary.", stacklevel=2)

    def __len__(self) -> int:
        if self._dataset_kind == _DatasetKind.Iterable:
            length = self._IterableDataset_len_called = len(self.dataset)  # type: ignore[arg-type]
            if self.batch_size is not None:
                length = length // self.batch_size if self.drop_last else math.ceil(length / self.batch_size)
            return length
        return len(self._index_sampler)


class _BaseDataLoaderIter:
    """One pass over a DataLoader: torch's _SingleProcessDataLoaderIter, and
    its multi-process iterator's order with the workers run in-process (the
    subclasses below carry torch's names: type(iter(loader)).__name__)."""

    def __init__(self, loader: DataLoader) -> None:
        self._dataset = loader.dataset
        self._kind = loader._dataset_kind
        self._len_called = loader._IterableDataset_len_called
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        if loader.pin_memory:
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, then device pinned "
                          "memory won't be used.", stacklevel=3)
        self._sampler_iter = iter(self._index_sampler)
        # torch draws the workers' base seed here, before the sampler's first draw, even without workers
        self._base_seed = int(empty((), dtype=D.int64).random_(generator=loader.generator).item())
        self._num_yielded = 0
        fetcher = _MapFetcher if self._kind == _DatasetKind.Map else _IterableFetcher
        args = (loader._auto_collation, loader.collate_fn, loader.drop_last)
        self._workers: list[tuple[_worker.Worker, Any]] = []
        if self._num_workers == 0:
            if loader.timeout != 0:
                raise AssertionError("_SingleProcessDataLoaderIter requires timeout == 0")
            self._fetchers = [fetcher(self._dataset, *args)]
            return
        self._next_worker = 0
        self._alive = [True] * self._num_workers
        for i in range(self._num_workers):
            # an iterable dataset is iterated (and may be reconfigured by worker_init_fn) per worker
            dataset = copy.copy(self._dataset) if self._kind == _DatasetKind.Iterable else self._dataset
            w = _worker.Worker(i, self._num_workers, self._base_seed, dataset)
            with w.active():
                try:
                    if loader.worker_init_fn is not None:
                        loader.worker_init_fn(i)
                    self._workers.append((w, fetcher(dataset, *args)))
                except Exception:  # noqa: BLE001  (torch reports it at this worker's first task)
                    self._workers.append((w, _FailedWorker(_worker_error(sys.exc_info(), i))))

    def _reset(self, loader: DataLoader) -> None:
        """A new pass with persistent workers: a new sampler pass, the same
        workers (their random streams continue), their fetchers made anew."""
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._len_called = loader._IterableDataset_len_called
        self._next_worker = 0
        self._alive = [True] * self._num_workers
        fetcher = _MapFetcher if self._kind == _DatasetKind.Map else _IterableFetcher
        args = (loader._auto_collation, loader.collate_fn, loader.drop_last)
        for i, (w, _) in enumerate(self._workers):
            with w.active():
                self._workers[i] = (w, fetcher(w.info.dataset, *args))

    def __iter__(self) -> "_BaseDataLoaderIter":
        return self

    def __len__(self) -> int:
        return len(self._index_sampler)

    def _next_data(self) -> Any:
        if not self._workers:
            return self._fetchers[0].fetch(next(self._sampler_iter))
        while any(self._alive):
            index = next(self._sampler_iter)
            while not self._alive[self._next_worker]:
                self._next_worker = (self._next_worker + 1) % self._num_workers
            i = self._next_worker
            self._next_worker = (i + 1) % self._num_workers
            w, fetcher = self._workers[i]
            try:
                with w.active():
                    return fetcher.fetch(index)
            except StopIteration:
                if self._kind == _DatasetKind.Map:
                    raise
                self._alive[i] = False      # this worker's stream ended: its task yields nothing
            except Exception:  # noqa: BLE001  (re-raised as torch's main process does)
                if isinstance(fetcher, _FailedWorker):
                    raise
                raise _worker_error(sys.exc_info(), i) from None
        raise StopIteration

    def __next__(self) -> Any:
        data = self._next_data()
        self._num_yielded += 1
        if self._kind == _DatasetKind.Iterable and self._len_called is not None \
                and self._num_yielded > self._len_called:
            msg = (f"Length of IterableDataset {self._dataset} was reported to be {self._len_called}(when accessing "
                   f"len(dataloader)), but {self._num_yielded} samples have been fetched. ")
            if self._num_workers > 0:
                msg += ("For multiprocessing data-loading, this could be caused by not properly configuring the "
                        "IterableDataset replica at each worker. Please see "
                        "https://pytorch.org/docs/stable/data.html#torch.utils.data.IterableDataset for examples.")
            warnings.warn(msg, stacklevel=2)
        return data


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    pass


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    pass     # (the workers run in-process, in torch's order)
