"""jitgrad: PyTorch-style reverse-mode autodiff on a flat tape, with the
backward pass a Numba-compiled interpreter of that tape.

    import jitgrad as torch
    x = torch.tensor(4.3, requires_grad=True, dtype=torch.double)
    (x ** 2).backward()
    x.grad            # tensor(8.6000, dtype=jitgrad.float64)
"""
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
from .functional.breadth_random import *  # noqa: F401,F403
from .functional.breadth_scatter import *  # noqa: F401,F403
from .functional import breadth_methods as _breadth_methods  # noqa: F401  (attaches their Tensor methods)
from .functional import methods_more as _methods_more  # noqa: F401  (more Tensor methods)
from . import nn  # noqa: F401
from . import linalg  # noqa: F401
from . import special  # noqa: F401
from .special import i0  # noqa: F401
from .linalg.toplevel import *  # noqa: F401,F403  (torch.det, torch.inverse, ... and their methods)
from . import optim  # noqa: F401
from .replay.compiled_grad import compile  # noqa: F401  (record once, replay: jitgrad.compile)
from . import func  # noqa: F401
from .func import vmap  # noqa: F401  (torch.vmap)
from .replay.tapefile import load_tape  # noqa: F401
from . import utils  # noqa: F401
from . import testing  # noqa: F401
from .serialization import load, save  # noqa: F401
from .compat import *  # noqa: F401,F403  (thread counts, set_default_tensor_type, torch.selu, ...)
from .nn.torch_level import *  # noqa: F401,F403  (torch.conv2d, torch.max_pool2d, torch.batch_norm, ...)
from . import viz  # noqa: F401
from .defaults import get_default_device, set_default_device  # noqa: F401

float = float32
double = float64
half = float16
long = int64
int = int32
short = int16
cfloat = None

__version__ = "0.1.0"

Tensor.__module__ = "jitgrad"     # type(t) prints <class 'jitgrad.Tensor'>, as torch's <class 'torch.Tensor'>

import types as _types  # noqa: E402

# No CUDA here: `torch.cuda.is_available()` idioms pick the CPU.
cuda = _types.SimpleNamespace(is_available=lambda: False, device_count=lambda: 0,
                              manual_seed=lambda seed: None, manual_seed_all=lambda seed: None)
