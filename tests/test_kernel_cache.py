"""A corrupted Numba cache heals itself: the kernel whose cache files cannot
be loaded is recompiled (its files replaced) and a warning says so once."""
import os
import shutil
import subprocess
import sys

import pytest
from numba.core.caching import UserProvidedCacheLocator

from jitgrad.core import kernels as K

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# A backward through the sweep kernel (mul, sin, sum) with a known gradient.
PROGRAM = """
import math, warnings
warnings.simplefilter("always")
import jitgrad as torch
x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
(x * x.sin()).sum().backward()
expected = [math.sin(v) + v * math.cos(v) for v in (0.5, -1.0, 2.0)]
print("OK" if x.grad.tolist() == expected else f"WRONG {x.grad.tolist()} {expected}")
y = (x * x).sum()
y.backward()
try:     # a second backward: the create_graph walk asks kernels.saves_values
    torch.autograd.grad(y, x, create_graph=True)
except RuntimeError as e:
    print("OK" if "backward through the graph a second time" in str(e) else e)
"""


def _run(code, env):
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


def _cache_files(cache_dir, kernel):
    """(index path, data paths) of the current source's cache entry of a
    kernel (files of older line numbers may lie beside it)."""
    index = os.path.basename(getattr(K, kernel)._cache._cache_file._index_path)
    base = index[:-len(".nbi")]
    data = [n for n in sorted(os.listdir(cache_dir)) if n.startswith(base + ".") and n.endswith(".nbc")]
    assert os.path.exists(os.path.join(cache_dir, index)) and data, os.listdir(cache_dir)
    return os.path.join(cache_dir, index), [os.path.join(cache_dir, n) for n in data]


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory):
    """A private NUMBA_CACHE_DIR holding a working copy of the kernel cache."""
    root = tmp_path_factory.mktemp("numba_cache")
    env = dict(os.environ, NUMBA_CACHE_DIR=str(root), PYTHONPATH=ROOT)
    # Where a child with this NUMBA_CACHE_DIR keeps the kernels (Numba's own
    # rule; asking a child process for it cost an interpreter start).
    cache_dir = os.path.join(str(root), UserProvidedCacheLocator.get_suitable_cache_subpath(
        K.sweep._cache._impl.locator._py_file))
    os.makedirs(cache_dir, exist_ok=True)
    src = K.sweep._cache.cache_path
    if os.path.isdir(src):
        # Every kernel file's cache entries, and the stamp that vouches for
        # them (without it the child would drop them all as stale).
        for name in os.listdir(src):
            if name.endswith((".nbi", ".nbc")) or name == "kernels.jitgrad-stamp":
                shutil.copy2(os.path.join(src, name), cache_dir)
    first = _run(PROGRAM, env)       # fills whatever the copy lacked
    assert first.stdout.split() == ["OK", "OK"], first.stdout + first.stderr
    assert "could not be loaded" not in first.stderr
    return env, cache_dir


def test_corrupted_cache_is_discarded_and_rebuilt(warm_cache):
    env, cache_dir = warm_cache
    # The (basic) sweep's index emptied (the reported "EOFError: Ran out of input")...
    index, _ = _cache_files(cache_dir, "sweep_basic")
    with open(index, "r+b") as f:
        f.truncate(0)
    # ... and another kernel's data overwritten (its index intact).
    _, data = _cache_files(cache_dir, "saves_values")
    for path in data:
        with open(path, "wb") as f:
            f.write(b"\x80\x04not a pickle" * 10)
    healed = _run(PROGRAM, env)
    assert healed.stdout.split() == ["OK", "OK"], healed.stdout + healed.stderr
    assert healed.stderr.count("jitgrad: the Numba cache of kernel") == 1, healed.stderr
    assert "RuntimeWarning" in healed.stderr and "could not be loaded" in healed.stderr
    # Both were rebuilt: the next process loads them without a warning.
    again = _run(PROGRAM, env)
    assert again.stdout.split() == ["OK", "OK"], again.stdout + again.stderr
    assert "could not be loaded" not in again.stderr, again.stderr
    assert os.path.getsize(_cache_files(cache_dir, "sweep_basic")[0]) > 0
