"""jitgrad: PyTorch-style reverse-mode autodiff on a flat tape, with the
backward pass a Numba-compiled interpreter of that tape.

    import jitgrad as torch
    x = torch.tensor(4.3, requires_grad=True, dtype=torch.double)
    (x ** 2).backward()
    x.grad            # tensor(8.6000, dtype=jitgrad.float64)
"""
from types import ModuleType as _ModuleType

from . import autograd  # noqa: F401
from .core import kernel_cache  # noqa: F401  (a corrupted Numba cache heals itself)
from .autograd import is_anomaly_enabled, is_anomaly_check_nan_enabled  # noqa: F401
from .core.dtypes import (bool_ as bool, float16, float32, float64, get_default_dtype, int8, int16, int32, int64, set_default_dtype, uint8, promote_types, dtype, device)
from .functional.functions import *  # noqa: F401,F403
from .functional.functions import abs, all, any, max, min, pow, round, sum  # noqa: F401  (shadow builtins, like torch)
from .core.grad_mode import (enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled, is_inference_mode_enabled)
from .tensors.printing import set_printoptions  # noqa: F401
from .tensors.tensor import (Size, Tensor)
from .tensors.construct import (tensor)
from .functional import methods as _methods  # noqa: F401  (attaches Tensor methods)
from .functional.more_ops import *  # noqa: F401,F403
from .functional.einsum import einsum  # noqa: F401
from .functional.legacy import *  # noqa: F401,F403  (torch.FloatTensor, ...)
from .functional.breadth_math import *  # noqa: F401,F403
from .functional.breadth_shapes import *  # noqa: F401,F403
from .functional.breadth_index import *  # noqa: F401,F403
from .functional.order_stats import *  # noqa: F401,F403
from .functional.breadth_random import *  # noqa: F401,F403
from .functional.breadth_scatter import *  # noqa: F401,F403
from .functional import breadth_methods as _breadth_methods  # noqa: F401  (attaches their Tensor methods)
from .functional import methods_more as _methods_more  # noqa: F401  (more Tensor methods)
from . import linalg  # noqa: F401
from . import special  # noqa: F401
from .special import i0  # noqa: F401
from .linalg.toplevel import *  # noqa: F401,F403  (torch.det, torch.inverse, ... and their methods)
from .serialization import load, save  # noqa: F401
from .compat import *  # noqa: F401,F403  (thread counts, set_default_tensor_type, torch.selu, ...)
from .defaults import get_default_device, set_default_device  # noqa: F401
from .backends import (accelerator, backends, channels_last, channels_last_3d, contiguous_format,  # noqa: F401
                       layout, memory_format, preserve_format, strided)
# breadth: bitwise ops, torch.X_ in-place functions, *_copy ops, windows, samplers, real-tensor forms of complex functions
from .functional.bitwise import *  # noqa: F401,F403
from .functional.copies import *  # noqa: F401,F403
from .functional.windows import *  # noqa: F401,F403
from .functional.real_numbers import *  # noqa: F401,F403
from .functional.tensor_info import *  # noqa: F401,F403
from .functional.storages import *  # noqa: F401,F403
from .functional.index_reduce import *  # noqa: F401,F403
from .functional.histograms import *  # noqa: F401,F403
from .functional.control_flow import *  # noqa: F401,F403
from .functional.strided import *  # noqa: F401,F403
from .functional.dlpack import *  # noqa: F401,F403
from .functional.fake_quantize import *  # noqa: F401,F403
from .functional.random_state import default_generator, manual_seed, random  # noqa: F401  (manual_seed: returns it)
from .functional.random_methods import binomial  # noqa: F401  (and Tensor.random_, exponential_, ...)
from .functional import inplace_functions as _inplace_functions
globals().update(_inplace_functions.FUNCTIONS)
from .functional import foreach as _foreach
globals().update(_foreach.FUNCTIONS)    # (torch._foreach_*: private, but EMA and optimiser code calls them)
from .autograd import inplace_no_derivative as _inplace_no_derivative  # noqa: F401  (asinh_, ...: torch's error)
from .autograd import post_accumulate as _post_accumulate  # noqa: F401  (Tensor.register_post_accumulate_grad_hook)
from .special import gammainc as igamma, gammaincc as igammac  # noqa: F401
from .linalg.lu import lu_unpack, torch_lu as lu, torch_lu_solve as lu_solve, triangular_solve  # noqa: F401
from .linalg.householder import geqrf, householder_product as orgqr, ormqr  # noqa: F401
from .linalg.lowrank import pca_lowrank, svd_lowrank  # noqa: F401
from .linalg.removed import eig, frobenius_norm, lstsq, matrix_rank, nuclear_norm, solve, symeig  # noqa: F401
from .functional import tensor_operands as _tensor_operands  # noqa: E402
_tensor_operands.install(globals(), special)     # torch's TypeError for a number (before out=: wraps these)
from .functional import arg_types as _arg_types  # noqa: E402
_arg_types.install(globals())     # torch's TypeErrors for arguments of the wrong type (on failure only)
from .functional import out_arg as _out_arg  # noqa: E402
_out_arg.install(globals())     # out= on the functions that take it in torch (last: wraps the final names)

float = float32
double = float64
half = float16
long = int64
int = int32
short = int16
cfloat = None

__version__ = "0.1.0"

Tensor.__module__ = "jitgrad"     # type(t) prints <class 'jitgrad.Tensor'>, as torch's <class 'torch.Tensor'>

import importlib as _importlib  # noqa: E402
import types as _types  # noqa: E402

# No CUDA here: `torch.cuda.is_available()` idioms pick the CPU.
cuda = _types.SimpleNamespace(is_available=lambda: False, device_count=lambda: 0,
                              manual_seed=lambda seed: None, manual_seed_all=lambda seed: None)
from . import amp  # noqa: E402  (torch.amp: GradScaler, autocast)
autocast, is_autocast_enabled = amp.autocast, amp.is_autocast_enabled
cuda.amp = _types.SimpleNamespace(GradScaler=amp._DeprecatedCudaScaler, autocast=amp._DeprecatedCudaAutocast)


# ----- loaded on first use (PEP 562) -----------------------------------------
# `import jitgrad` loads the tensor API, autograd, linalg and special; these
# parts load on first access (`jitgrad.nn`, `import jitgrad.nn as nn`,
# `from jitgrad import compile` all work as before): ~0.15 s less import
# where modules compile from source (PYTHONDONTWRITEBYTECODE), a few ms from
# bytecode. The importer binds a loaded submodule on the package, so only the
# first access runs `__getattr__`; `__all__` (for `from jitgrad import *`)
# is computed there too, from the names defined above and the lazy ones.
_LAZY_MODULES = ("nn", "optim", "func", "utils", "testing", "viz", "replay", "transforms", "distributions",
                 "compiler", "jit", "version", "profiler", "quasirandom", "distributed", "multiprocessing",
                 "_dynamo", "fft", "return_types")
# torch's namespaces that `from torch import *` does not bind (torch.__all__ has none of them; a star
# import must not shadow the standard library's multiprocessing)
_NOT_STARRED = {"compiler", "jit", "version", "profiler", "quasirandom", "distributed", "multiprocessing",
                "cpu", "xpu", "mps", "mtia", "_dynamo", "fft", "return_types"}
# torch's public namespaces bound here; the package's own modules (core, tensors, captured_writes, ...
# bound on the package once imported) stay out of a star import
_PUBLIC_MODULES = {"autograd", "linalg", "special", "amp", "random", "serialization", "backends", "cuda"}
_LAZY_NAMES = {"compile": "replay.compiled_grad",     # record once, replay: jitgrad.compile
               "vmap": "func",                         # torch.vmap
               "load_tape": "replay.tapefile",
               "cpu": "devices", "xpu": "devices", "mps": "devices", "mtia": "devices"}   # device boilerplate
# torch-level spellings of nn ops (torch.conv2d, torch.selu_, torch.margin_ranking_loss, ...): the
# names each of these modules lists in __all__, looked up in this order on first access.
_LAZY_FROM = ("nn.torch_level", "nn.torch_losses", "nn.torch_inplace")


def _lazy_from_names() -> dict:
    """name -> value of every torch-level nn spelling (loads jitgrad.nn)."""
    found: dict = {}
    for path in reversed(_LAZY_FROM):
        module = _importlib.import_module(f"{__name__}.{path}")
        found.update((n, getattr(module, n)) for n in module.__all__)
    return found


def __getattr__(name: str) -> object:
    if name in _LAZY_MODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    if name in _LAZY_NAMES:
        value = getattr(_importlib.import_module(f"{__name__}.{_LAZY_NAMES[name]}"), name)
        globals()[name] = value
        return value
    if name == "__all__":      # for `from jitgrad import *`: the lazy names too
        return sorted(({k for k, v in globals().items() if not k.startswith("_")
                        and (not isinstance(v, _ModuleType) or k in _PUBLIC_MODULES)}
                       | set(_LAZY_MODULES) | set(_LAZY_NAMES) | set(_lazy_from_names())) - _NOT_STARRED)
    if not name.startswith("_"):
        found = _lazy_from_names()
        if name in found:
            globals()[name] = found[name]
            return found[name]
    raise AttributeError(f"module '{__name__}' has no attribute '{name}'")


def __dir__() -> list:
    return sorted(set(globals()) | set(_LAZY_MODULES) | set(_LAZY_NAMES) | set(_lazy_from_names()))


def _compile(*args: object, **kwargs: object) -> object:
    """jitgrad.compile for nn.Module.compile (core/upper.py): loads the replay layer on first use."""
    return __getattr__("compile")(*args, **kwargs)


def _vmap_jacobian(*args: object) -> object:
    """replay.compiled_grad.vmap_jacobian for vmap (core/upper.py): loads the replay layer on first use."""
    return getattr(_importlib.import_module(f"{__name__}.replay.compiled_grad"), "vmap_jacobian")(*args)


from .tensors.attributes import read_only_properties as _read_only_properties  # noqa: E402
_read_only_properties(Tensor)      # (after every module that adds Tensor properties on import)
from .core import upper as _upper  # noqa: E402
_upper.compile_hook = _compile
_upper.vmap_jacobian = _vmap_jacobian
