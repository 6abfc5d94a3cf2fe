"""torch.save / torch.load: pickle, as torch's (a file of jitgrad's own
format, not torch's zip archive). ``load`` defaults to ``weights_only=True``
like torch >= 2.6: only tensors, NumPy arrays, numbers, strings and the
builtin containers are rebuilt; anything else needs ``weights_only=False``
(which runs arbitrary pickled code: trusted files only)."""
from __future__ import annotations

import os
import pickle
from typing import Any

_SAFE = {("collections", "OrderedDict"), ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "slice"),
         ("builtins", "complex"), ("builtins", "bytearray"), ("_codecs", "encode"),
         ("jitgrad.tensors.tensor", "_rebuild"), ("jitgrad.nn.parameter", "_rebuild_parameter"),
         ("numpy", "ndarray"), ("numpy", "dtype"),
         ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "_reconstruct"),
         ("numpy._core.multiarray", "scalar"), ("numpy.core.multiarray", "scalar")}


class _WeightsUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE or (module.startswith("numpy.dtypes") and name.endswith("DType")):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Weights only load failed: unsupported global {module}.{name}. This file can still be loaded with "
            "torch.load(..., weights_only=False), which runs arbitrary code: do it only if you trust the source "
            "of the file.")


def _opened(f: Any, mode: str):
    if isinstance(f, (str, os.PathLike)):
        return open(f, mode), True
    return f, False


def save(obj: Any, f: Any, pickle_module: Any = pickle, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True) -> None:
    """Pickle obj (tensors, state_dicts, modules, ...) into a path or a binary file object."""
    fh, own = _opened(f, "wb")
    try:
        pickle_module.dump(obj, fh, protocol=pickle_protocol)
    finally:
        if own:
            fh.close()


def load(f: Any, map_location: Any = None, pickle_module: Any = None, *, weights_only: bool | None = None,
         mmap: Any = None, **pickle_load_args: Any) -> Any:
    """Unpickle what `save` wrote; `map_location` is accepted (everything is on the CPU)."""
    fh, own = _opened(f, "rb")
    try:
        if weights_only is False or (weights_only is None and pickle_module is not None):
            return (pickle_module or pickle).load(fh, **pickle_load_args)
        return _WeightsUnpickler(fh, **pickle_load_args).load()
    finally:
        if own:
            fh.close()


__all__ = ["save", "load"]
