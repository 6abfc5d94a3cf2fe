"""A self-healing Numba cache for the kernels in ``kernels.py``.

Numba keeps compiled kernels on disk (``cache=True``: an index ``*.nbi`` and
data files ``*.nbc`` per function). A cache file cut short or overwritten (a
full disk, an interrupted write, a copied tree) makes Numba's loader raise
(``EOFError: Ran out of input``, ``UnpicklingError``, ...) on every call, so
every backward would fail until the user deleted the files by hand. Here a
failed load discards that function's cache files and returns "not cached":
Numba compiles the kernel again and saves fresh files. A warning says so once
per process.
"""
import glob
import os
import warnings

from numba.core.dispatcher import Dispatcher

from . import kernels

_warned = False


def _discard(cache):
    """Remove the index and data files of one function's cache entry."""
    impl = cache._cache_file
    index = impl._index_path
    # Data files are named after the index: "<base>.nbi" -> "<base>.<n>.nbc".
    data = glob.glob(glob.escape(index[:-len(".nbi")]) + ".*.nbc")
    for path in [index, *data]:
        try:
            os.remove(path)
        except OSError:
            pass    # gone already, or read-only: Numba's save replaces it


def _warn_once(name, error, index):
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(f"jitgrad: the Numba cache of kernel '{name}' could not be loaded "
                      f"({type(error).__name__}: {error}); discarded its files in "
                      f"{os.path.dirname(index)} and recompiling", RuntimeWarning, stacklevel=2)


def _guarded(name, cache):
    load = cache.load_overload

    def load_overload(sig, target_context):
        try:
            return load(sig, target_context)
        except Exception as e:      # any failure to read a cache file: rebuild it
            _discard(cache)
            _warn_once(name, e, cache._cache_file._index_path)
            return None
    return load_overload


def heal(module) -> int:
    """Guard the cache loads of every cached Numba kernel in `module`;
    returns how many were guarded."""
    n = 0
    for name, obj in vars(module).items():
        cache = getattr(obj, "_cache", None) if isinstance(obj, Dispatcher) else None
        if cache is None or not hasattr(cache, "_cache_file"):
            continue    # not cached (or Numba disabled)
        cache.load_overload = _guarded(name, cache)
        n += 1
    return n


heal(kernels)
