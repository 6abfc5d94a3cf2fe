"""torch.save / torch.load: pickle, as torch's (a file of jitgrad's own
format, not torch's zip archive). ``load`` defaults to ``weights_only=True``
like torch >= 2.6: only tensors, NumPy arrays, numbers, strings and the
builtin containers are rebuilt; anything else needs ``weights_only=False``
(which runs arbitrary pickled code: trusted files only)."""
from __future__ import annotations

import _compat_pickle
import io
import os
import pickle
import pickletools
import warnings
import zipfile
from typing import Any

_SAFE = {("collections", "OrderedDict"), ("collections", "Counter"), ("builtins", "set"), ("builtins", "frozenset"),
         ("builtins", "slice"), ("builtins", "complex"), ("builtins", "bytearray"), ("_codecs", "encode"),
         ("jitgrad.tensors.tensor", "_rebuild"), ("jitgrad.tensors.tensor", "_rebuild_view"),
         ("jitgrad.nn.parameter", "_rebuild_parameter"),
         ("jitgrad", "Size"), ("jitgrad", "device"), ("jitgrad.core.dtypes", "_by_name"),    # (torch allows these too)
         ("numpy", "ndarray"), ("numpy", "dtype"),
         ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "_reconstruct"),
         ("numpy._core.multiarray", "scalar"), ("numpy.core.multiarray", "scalar")}
_USER_SAFE: dict = {}      # (module, name) -> object: torch.serialization.add_safe_globals


def _key(obj: Any) -> tuple:
    if isinstance(obj, tuple):          # (obj, "module.name"), as torch's
        module, _, name = obj[1].rpartition(".")
        return module, name
    return obj.__module__, obj.__qualname__


def add_safe_globals(safe_globals: list) -> None:
    """Allow these classes / functions in torch.load(weights_only=True)."""
    for g in safe_globals:
        _USER_SAFE[_key(g)] = g[0] if isinstance(g, tuple) else g


def get_safe_globals() -> list:
    return list(_USER_SAFE.values())


def clear_safe_globals() -> None:
    _USER_SAFE.clear()


class safe_globals:
    """Context manager: add_safe_globals for the duration of the block."""

    def __init__(self, safe_globals: list) -> None:
        self.globals = safe_globals

    def __enter__(self) -> None:
        self.saved = dict(_USER_SAFE)
        add_safe_globals(self.globals)

    def __exit__(self, *exc: Any) -> None:
        _USER_SAFE.clear()
        _USER_SAFE.update(self.saved)


def _weights_only_message(detail: str) -> str:
    """torch 2.13's message, word for word."""
    return ("Weights only load failed. This file can still be loaded, to do so you have two options, \x1b[1mdo those "
            "steps only if you trust the source of the checkpoint\x1b[0m. \n\t(1) In PyTorch 2.6, we changed the "
            "default value of the `weights_only` argument in `torch.load` from `False` to `True`. Re-running "
            "`torch.load` with `weights_only` set to `False` will likely succeed, but it can result in arbitrary code "
            "execution. Do it only if you got the file from a trusted source.\n\t(2) Alternatively, to load with "
            "`weights_only=True` please check the recommended steps in the following error message.\n\t"
            "WeightsUnpickler error: " + detail + "\n\nCheck the documentation of torch.load to learn more about "
            "types accepted by default with weights_only https://pytorch.org/docs/stable/generated/torch.load.html.")


_PACKAGE = os.path.dirname(os.path.abspath(__file__))
_CODE2OP = {op.code: op for op in pickletools.opcodes}
_NOT_ZIP = ("PytorchStreamReader failed reading zip archive: not a ZIP archive. This is an internal miniz error. If "
            "you are seeing this error, there is a high likelihood that your checkpoint file is corrupted. This can "
            "happen if the checkpoint was not saved properly, was transferred incorrectly, or the file was modified "
            "after saving.")
_UNSAFE = ("In PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` from "
           "`False` to `True`. Re-running `torch.load` with `weights_only` set to `False` will likely succeed, but it "
           "can result in arbitrary code execution. Do it only if you got the file from a trusted source.")
# the opcodes torch's weights-only unpickler runs (protocol 2's, without DUP, POP, FRAME, SHORT_BINUNICODE...)
_TORCH_OPCODES = frozenset(b"c\x81R(b)ae(s\x85\x86\x87N\x89\x88)]}\x8fJKMGXUQhjqr\x8a\x80.")


def _torch_walk_error(data: bytes) -> BaseException | None:
    """What torch's weights-only unpickler raises first on `data` (a file
    jitgrad's load rejected), as far as opcodes tell: an opcode it does not
    run ("Unsupported operand 149"), a memo read of nothing put (KeyError),
    the end of the data (EOFError); None when it would get past them."""
    buf = io.BytesIO(data)
    memo = set()
    while True:
        key = buf.read(1)
        if not key:
            return EOFError()
        op = key[0]
        if op not in _TORCH_OPCODES:
            return pickle.UnpicklingError(
                f"Weights only load failed. {_UNSAFE}\nPlease file an issue with the following so that we can make "
                "`weights_only=True` compatible with your use case: WeightsUnpickler error: \n\nUnsupported operand "
                f"{op}\n\nCheck the documentation of torch.load to learn more about types accepted by default with "
                "weights_only https://pytorch.org/docs/stable/generated/torch.load.html.")
        if op == ord("."):
            return None
        if op == 0x80 and buf.getbuffer()[buf.tell():buf.tell() + 1].tobytes() > b"\x02":
            warnings.warn(f"Detected pickle protocol {buf.getbuffer()[buf.tell()]} in the checkpoint, which was not "
                          "the default pickle protocol used by `torch.load` (2). The weights_only Unpickler might "
                          "not support all instructions implemented by this protocol, please file an issue for adding "
                          "support if you encounter this.", UserWarning, stacklevel=4)
        code = _CODE2OP[key.decode("latin-1")]
        try:
            arg = code.arg.reader(buf) if code.arg is not None else None
        except ValueError:      # (truncated: torch's reads come up short and it fails later, its own way)
            return None
        if op == ord("c") and not _allowed(*str(arg).split(" ", 1)):
            return None     # (torch refuses the global there: the unsafe-global error, jitgrad's own)
        if op in b"hj":
            if arg not in memo:
                return KeyError(arg)
        elif op in b"qr":
            memo.add(arg)


def _raised_by_rebuild(e: BaseException) -> bool:
    """Whether jitgrad's own rebuilding of a value refused it (a view outside
    its storage...): its message stands, the data being jitgrad's format."""
    tb = e.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    name = tb.tb_frame.f_code.co_filename if tb is not None else ""
    return name.startswith(_PACKAGE) and name != __file__


def _allowed(module: str, name: str) -> bool:
    module, name = _compat_pickle.NAME_MAPPING.get((module, name), (module, name))
    module = _compat_pickle.IMPORT_MAPPING.get(module, module)
    return ((module, name) in _USER_SAFE or (module, name) in _SAFE
            or (module.startswith("numpy.dtypes") and name.endswith("DType")))


class _WeightsUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        # Python 2 names of protocol 2 (__builtin__.long is int), mapped as pickle's find_class maps them.
        module, name = _compat_pickle.NAME_MAPPING.get((module, name), (module, name))
        module = _compat_pickle.IMPORT_MAPPING.get(module, module)
        if (module, name) in _USER_SAFE:
            return _USER_SAFE[(module, name)]
        if _allowed(module, name):
            return super().find_class(module, name)
        qual = name if module == "builtins" else f"{module}.{name}"
        raise pickle.UnpicklingError(_weights_only_message(
            f"Unsupported global: GLOBAL {qual} was not an allowed global by default. Please use "
            f"`torch.serialization.add_safe_globals([{qual}])` or the `torch.serialization.safe_globals([{qual}])` "
            "context manager to allowlist this global if you trust this class/function."))


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
        start = fh.tell() if fh.seekable() else None
        if start is not None:
            if fh.read(4) == b"PK\x03\x04":     # (a zip archive: torch's format, which this reader can't be)
                fh.seek(start)
                if not zipfile.is_zipfile(fh):
                    raise RuntimeError(_NOT_ZIP)
            fh.seek(start)
        if weights_only is False or (weights_only is None and pickle_module is not None):
            return (pickle_module or pickle).load(fh, **pickle_load_args)
        try:
            return _WeightsUnpickler(fh, **pickle_load_args).load()
        except (pickle.UnpicklingError, EOFError, ValueError, KeyError, IndexError) as e:
            if start is None or _raised_by_rebuild(e):
                raise
            fh.seek(start)
            torch_error = _torch_walk_error(fh.read())
            if torch_error is None:
                raise
        raise torch_error
    finally:
        if own:
            fh.close()


__all__ = ["save", "load", "add_safe_globals", "safe_globals", "get_safe_globals", "clear_safe_globals"]
