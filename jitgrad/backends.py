"""The device and backend switches that pasted set-up code touches:
`torch.backends.*` flags, `torch.accelerator`, memory formats and layouts,
and the `is_sparse`/`is_mps`/... flags of a tensor.

jitgrad computes on the CPU with dense, strided NumPy arrays and
deterministic kernels, so every accelerator reports "not available", every
tensor is dense and strided, and the cuDNN/TF32 flags are stored (so reading
one back gives what was set, as in torch) without changing any result.
"""
from __future__ import annotations

from typing import Any

from .tensors.tensor import Tensor

__all__ = ["memory_format", "layout", "contiguous_format", "preserve_format", "channels_last",
           "channels_last_3d", "strided", "backends", "accelerator"]


class memory_format:
    """torch.memory_format: a name only (jitgrad's arrays are C-contiguous)."""
    __module__ = "jitgrad"
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return f"jitgrad.{self._name}"

    def __reduce__(self) -> str:
        return self._name    # pickles as the module-level constant of the same name


class layout:
    """torch.layout: only `strided` (dense) tensors exist here."""
    __module__ = "jitgrad"
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return f"jitgrad.{self._name}"

    def __reduce__(self) -> str:
        return self._name


contiguous_format = memory_format("contiguous_format")
preserve_format = memory_format("preserve_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")
strided = layout("strided")


class _Flags:
    """A backend module: availability answers and settable flags."""

    def __init__(self, name: str, available: bool = False, **flags: Any) -> None:
        self.__dict__.update(flags)
        self._name, self._available = name, available

    def is_available(self) -> bool:
        return self._available

    def is_built(self) -> bool:
        return self._available

    def __repr__(self) -> str:
        return f"<module 'jitgrad.backends.{self._name}'>"


class _Backends:
    def __init__(self) -> None:
        self.cudnn = _Flags("cudnn", enabled=True, benchmark=False, deterministic=False, allow_tf32=True,
                            benchmark_limit=10)
        self.cudnn.version = lambda: None
        self.cuda = _Flags("cuda")
        self.cuda.matmul = _Flags("cuda.matmul", allow_tf32=False, allow_fp16_reduced_precision_reduction=True,
                                  allow_bf16_reduced_precision_reduction=True)
        self.mps = _Flags("mps")
        self.mkl = _Flags("mkl")
        self.mkldnn = _Flags("mkldnn", enabled=True)
        self.openmp = _Flags("openmp")
        self.opt_einsum = _Flags("opt_einsum", enabled=False, strategy=None)
        self.cpu = _Flags("cpu", available=True)
        self.cpu.get_cpu_capability = lambda: "DEFAULT"

    def __repr__(self) -> str:
        return "<module 'jitgrad.backends'>"


backends = _Backends()


class _Accelerator:
    """torch.accelerator: no accelerator here (`... if is_available() else "cpu"` picks the CPU)."""

    def is_available(self) -> bool:
        return False

    def current_accelerator(self, check_available: bool = False) -> None:
        return None

    def device_count(self) -> int:
        return 0

    def synchronize(self, device: Any = None) -> None:
        return None

    def __repr__(self) -> str:
        return "<module 'jitgrad.accelerator'>"


accelerator = _Accelerator()


def _false(self: Tensor) -> bool:
    return False


# Dense CPU tensors: every storage/device flag torch has is False here.
for _flag in ("is_sparse", "is_sparse_csr", "is_quantized", "is_meta", "is_mps", "is_xpu", "is_mkldnn",
              "is_nested", "is_ipu", "is_xla", "is_vulkan", "is_mtia", "is_maia"):
    setattr(Tensor, _flag, property(_false))
Tensor.layout = property(lambda self: strided)
Tensor.to_dense = lambda self, dtype=None, *, masked_grad=None: self if dtype is None else self.to(dtype)
