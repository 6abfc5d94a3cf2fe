"""torch.utils.data breadth against torch: samplers (seeded orders bit for
bit), DataLoader's sampler / batch_sampler / shuffle / generator / drop_last
/ collate_fn over map-style and iterable datasets, its in-process workers
(torch's batch order, get_worker_info, the workers' seeded random streams,
persistent_workers keeping them across epochs, a worker's exception re-raised as
torch's main process does),
default_collate / default_convert, StackDataset, ChainDataset, random_split,
DistributedSampler (explicit replicas and rank),
and torch's errors for bad combinations. Each case runs under both
libraries; the results (values, dtypes, shapes, containers, errors and their
messages) must be equal."""
import collections
import gc
import warnings

import numpy as np
import pytest
import torch
import torch.utils.data

import jitgrad
import jitgrad.utils.data


def _plain(x):
    """A library-neutral form of a result: tensors as (dtype, shape, values)."""
    if isinstance(x, (torch.Tensor, jitgrad.Tensor)):
        return ("tensor", str(x.dtype).split(".")[-1], tuple(x.shape), x.tolist())
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return ("namedtuple", type(x).__name__, tuple(_plain(v) for v in x))
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [_plain(v) for v in x])
    if isinstance(x, np.ndarray):
        return ("ndarray", x.dtype.str, x.tolist())
    return x


def _run(lib, code):
    env = {"torch": lib, "np": np, "collections": collections, "data": lib.utils.data}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(code, env)
            result = _plain(env["out"])
        except Exception as e:  # noqa: BLE001  (the error is the result compared)
            result = ("error", type(e).__name__, str(e))
    env.clear()
    if "num_workers" in code:
        # a class defined in the snippet keeps its objects in a cycle: torch's worker iterators must
        # shut down now, not inside a later case's forked workers (a 10 s join timeout there)
        gc.collect(1)    # the young generations hold them: a full collection costs ~0.25 s here
    return result, sorted(str(w.message) for w in caught)


CASES = [
    'torch.manual_seed(0)\nds = data.TensorDataset(torch.arange(10.), torch.arange(10))\nout = list(data.DataLoader(ds, batch_size=3, shuffle=True))',
    'g = torch.Generator().manual_seed(5)\nds = data.TensorDataset(torch.arange(10.), torch.arange(10))\nout = list(data.DataLoader(ds, batch_size=3, shuffle=True, generator=g)) + list(data.DataLoader(ds, batch_size=4, shuffle=True, generator=g, drop_last=True))',
    'torch.manual_seed(1)\nout = list(data.RandomSampler(range(7), replacement=True, num_samples=70)) + list(data.RandomSampler(range(7), num_samples=17))',
    'torch.manual_seed(1)\nout = [list(data.SubsetRandomSampler([3, 9, 11, 20])), list(data.WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 8)), list(data.WeightedRandomSampler([0.9, 0.4, 0.05, 0.2, 0.3, 0.1], 5, replacement=False))]',
    'out = list(data.BatchSampler(data.SequentialSampler(range(10)), 3, False)) + list(data.BatchSampler(range(10), 3, True))',
    'out = data.BatchSampler(range(10), 0, False)',
    'out = data.BatchSampler(range(10), 3, 1)',
    'out = data.RandomSampler(range(3), replacement=1)',
    'out = data.RandomSampler(range(3), num_samples=0)',
    'out = data.WeightedRandomSampler([[1., 2.]], 3)',
    'out = data.WeightedRandomSampler([1., 2.], True)',
    'out = data.DataLoader(range(10), batch_size=2, batch_sampler=[[0, 1]])',
    'out = data.DataLoader(range(10), sampler=[0, 1], shuffle=True)',
    'out = data.DataLoader(range(10), batch_size=None, drop_last=True)',
    'class It(data.IterableDataset):\n    def __iter__(self): return iter(range(5))\nout = data.DataLoader(It(), shuffle=True)',
    'class It(data.IterableDataset):\n    def __iter__(self): return iter(range(5))\nout = list(data.DataLoader(It(), batch_size=2)) + list(data.DataLoader(It(), batch_size=2, drop_last=True)) + list(data.DataLoader(It(), batch_size=None))',
    'class It(data.IterableDataset):\n    def __iter__(self): return iter(range(5))\nout = list(data.DataLoader(It(), batch_size=2, num_workers=2))',
    'import math\nclass It(data.IterableDataset):\n    def __init__(self, s, e): self.start, self.end = s, e\n    def __iter__(self):\n        w = data.get_worker_info()\n        if w is None: return iter(range(self.start, self.end))\n        per = int(math.ceil((self.end - self.start) / float(w.num_workers)))\n        a = self.start + w.id * per\n        return iter(range(a, min(a + per, self.end)))\nout = [list(data.DataLoader(It(3, 7), num_workers=0)), list(data.DataLoader(It(3, 7), num_workers=2)), list(data.DataLoader(It(3, 10), num_workers=3, batch_size=2))]',
    'def init(i):\n    w = data.get_worker_info(); d = w.dataset\n    per = (d.end - d.start + w.num_workers - 1) // w.num_workers\n    d.start = d.start + i * per; d.end = min(d.start + per, d.end)\nclass It(data.IterableDataset):\n    def __init__(self, s, e): self.start, self.end = s, e\n    def __iter__(self): return iter(range(self.start, self.end))\nout = [list(data.DataLoader(It(3, 7), num_workers=2, worker_init_fn=init)), list(data.DataLoader(It(3, 7), num_workers=12, worker_init_fn=init))]',
    'torch.manual_seed(3)\nimport random\nclass D(data.Dataset):\n    def __len__(self): return 6\n    def __getitem__(self, i): return (i, torch.rand(2), float(np.random.rand()), random.random(), data.get_worker_info().id, data.get_worker_info().seed)\nout = list(data.DataLoader(D(), batch_size=2, num_workers=2, shuffle=True)) + [torch.rand(2)]',
    'P = collections.namedtuple("P", "x y")\nout = [data.default_collate([P(1, 2.0), P(3, 4.0)]), data.default_collate([{"a": np.array([1, 2]), "b": "s"}, {"a": np.array([3, 4]), "b": "t"}]), data.default_collate([(True, np.float32(1.5)), (False, np.float32(2))]), data.default_collate([[1, 2], [3, 4]])]',
    'out = data.default_collate([[1, 2], [3]])',
    'out = data.default_collate([object(), object()])',
    'out = data.default_collate([np.array(["a"]), np.array(["b"])])',
    'P = collections.namedtuple("P", "x y")\nout = [data.default_convert(P(np.array([1.]), 2)), data.default_convert((np.int32(3), [np.array([1, 2])])), data.default_convert(np.array(["x"]))]',
    'g = torch.Generator().manual_seed(42)\nout = [list(s) for s in data.random_split(range(10), [3, 7], generator=g)] + [list(s) for s in data.random_split(range(30), [0.3, 0.3, 0.4], generator=torch.Generator().manual_seed(42))]',
    'torch.manual_seed(7)\nout = [list(s) for s in data.random_split(range(11), [0.5, 0.5])]',
    'out = data.random_split(range(10), [3, 6])',
    'out = data.random_split(range(10), [1.2, -0.2])',
    'a = data.TensorDataset(torch.arange(4), torch.ones(4)); b = data.TensorDataset(torch.arange(4) * 2)\ns = data.StackDataset(a, b); t = data.StackDataset(x=a, y=b)\nout = [s[1], t[2], len(s), s.__getitems__([0, 3]), t.__getitems__([1]), list(data.DataLoader(t, batch_size=3))]',
    'out = data.StackDataset(torch.ones(2), x=torch.ones(2))',
    'out = data.StackDataset(torch.ones(2), torch.ones(3))',
    'out = data.StackDataset()',
    'class It(data.IterableDataset):\n    def __init__(self, n): self.n = n\n    def __iter__(self): return iter(range(self.n))\n    def __len__(self): return self.n\nc = It(2) + It(3)\nout = [type(c).__name__, list(c), len(c), len(data.DataLoader(c, batch_size=2)), list(data.DataLoader(c, batch_size=2))]',
    'out = list(data.ChainDataset([range(3)]))',
    'class It(data.IterableDataset):\n    def __iter__(self): return iter(range(3))\nout = data.ConcatDataset([It()])',
    'out = data.TensorDataset(torch.ones(2), torch.ones(3))',
    'dl = data.DataLoader(range(5))\ndl.batch_size = 3\nout = 1',
    'out = [len(data.DataLoader(range(10), batch_size=3)), len(data.DataLoader(range(10), batch_size=3, drop_last=True)), len(data.DataLoader(range(10), batch_sampler=data.BatchSampler(range(10), 4, False)))]',
    'out = list(data.DataLoader(range(6), batch_sampler=[[0, 1], [5, 2, 3]])) + list(data.DataLoader(range(6), sampler=[5, 4], batch_size=None))',
    'out = data.DataLoader(range(5), num_workers=-1)',
    'out = data.DataLoader(range(5), prefetch_factor=2)',
    'out = data.DataLoader(range(5), persistent_workers=True)',
    'ds = [{"x": np.ones(2, dtype=np.float32) * i, "y": i} for i in range(4)]\nout = list(data.DataLoader(ds, batch_size=2, collate_fn=lambda b: [d["y"] for d in b])) + list(data.DataLoader(ds, batch_size=3))',
    'torch.manual_seed(0)\ndl = data.DataLoader(range(8), batch_size=3, shuffle=True)\nout = [list(dl), list(dl), torch.rand(1)]',
    'torch.manual_seed(0)\ndl = data.DataLoader(range(8), batch_size=3, shuffle=True, num_workers=2)\nout = [list(dl), list(dl), torch.rand(1)]',
    's = [data.DistributedSampler(range(11), num_replicas=3, rank=r) for r in range(3)]\nt = data.DistributedSampler(range(11), num_replicas=3, rank=1, drop_last=True, seed=5)\nu = data.DistributedSampler(range(2), num_replicas=5, rank=4, shuffle=False)\nout = [[list(x) for x in s], len(s[0]), list(t), len(t), list(u)]\ns[0].set_epoch(3)\nout.append(list(s[0]))\nout.append(list(data.DataLoader(range(11), batch_size=2, sampler=s[2])))',
    'out = data.DistributedSampler(range(5))',
    'out = data.DistributedSampler(range(5), num_replicas=2, rank=2)',
    'torch.manual_seed(0)\nimport random\nclass D(data.Dataset):\n    def __len__(self): return 6\n    def __getitem__(self, i): return (i, torch.rand(1), random.random(), data.get_worker_info().id)\ndl = data.DataLoader(D(), batch_size=2, shuffle=True, num_workers=2, persistent_workers=True)\nout = [list(dl), list(dl), torch.rand(2)]',
    'torch.manual_seed(0)\nclass It(data.IterableDataset):\n    def __iter__(self):\n        w = data.get_worker_info()\n        return iter(range(w.id * 10, w.id * 10 + 3))\ndl = data.DataLoader(It(), batch_size=2, num_workers=2, persistent_workers=True)\nout = [list(dl), list(dl), torch.rand(2)]',
    'torch.manual_seed(0)\ndl = data.DataLoader(range(6), batch_size=2, shuffle=True, num_workers=2, persistent_workers=True)\nit = iter(dl)\nfirst = next(it)\nout = [first, list(dl), torch.rand(1)]',
    'dl = data.DataLoader(range(4), timeout=1)\nout = next(iter(dl))',
    'out = data.DataLoader(range(4), multiprocessing_context="bogus", num_workers=1)',
    'torch.manual_seed(4)\nout = [list(data.WeightedRandomSampler(torch.tensor([1., 2., 3.]), 6)), list(data.WeightedRandomSampler(np.array([0.5, 0.5, 4.0]), 4, replacement=False)), list(data.WeightedRandomSampler((1, 2), 3))]',
    'out = list(data.WeightedRandomSampler([1., 2.], 5, replacement=False))',
    'out = list(data.WeightedRandomSampler([0., 0.], 2))',
    'out = list(data.WeightedRandomSampler([-1., 2.], 2))',
    'torch.manual_seed(2)\nout = [list(data.RandomSampler(range(5), generator=torch.Generator().manual_seed(3))), list(data.RandomSampler(range(5), replacement=True, num_samples=3)), len(data.RandomSampler(range(5), num_samples=12))]',
    'out = list(data.RandomSampler([], replacement=False))',
    'out = list(data.DataLoader(data.TensorDataset(torch.arange(6.).reshape(3, 2)), batch_size=2, shuffle=True, generator=torch.Generator().manual_seed(1)))',
    'out = torch.multinomial(torch.tensor([[1., float("inf")], [-1., 1.]], dtype=torch.float64), 2, True)',
    'out = torch.multinomial(torch.tensor([-1., 2.]), 0, True)',
    'class D(data.Dataset):\n    def __len__(self): return 4\n    def __getitem__(self, i): raise ValueError("bad")\nout = list(data.DataLoader(D(), batch_size=1))'
]


@pytest.mark.parametrize("code", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_same_as_torch(code):
    want, want_warnings = _run(torch, code)
    got, got_warnings = _run(jitgrad, code)
    assert got == want
    assert got_warnings == want_warnings


def test_no_worker_info_in_the_main_process():
    seen = []

    class Probe(jitgrad.utils.data.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            seen.append(jitgrad.utils.data.get_worker_info().id)
            return i

    assert jitgrad.utils.data.get_worker_info() is None
    assert [b.tolist() for b in jitgrad.utils.data.DataLoader(Probe(), batch_size=1, num_workers=2)] == [[0], [1], [2], [3]]
    assert seen == [0, 1, 0, 1]
    assert jitgrad.utils.data.get_worker_info() is None


@pytest.mark.parametrize("error", [ValueError("bad sample 2"), KeyError(2), RuntimeError("init failed")])
def test_worker_errors_are_reraised_as_torch(error):
    """A worker's exception, as torch's main process re-raises it; the oracle is torch's own
    ExceptionWrapper applied to the same exception (torch's worker processes take 10 s to shut
    down after an error, too slow for this suite)."""
    in_init = isinstance(error, RuntimeError)

    class D(jitgrad.utils.data.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            if i == 2 and not in_init:
                raise error
            return i

    def init(worker_id):
        if in_init and worker_id == 1:
            raise error

    with pytest.raises(type(error)) as got:
        list(jitgrad.utils.data.DataLoader(D(), batch_size=1, num_workers=2, worker_init_fn=init))
    try:
        raise error
    except type(error):
        wrapper = torch._utils.ExceptionWrapper(where=f"in DataLoader worker process {1 if in_init else 0}")
    with pytest.raises(type(error)) as want:
        wrapper.reraise()
    got_lines, want_lines = str(got.value).splitlines(), str(want.value).splitlines()
    assert got_lines[:2] == want_lines[:2] and got_lines[-1] == want_lines[-1]
