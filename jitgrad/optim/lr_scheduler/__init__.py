"""optim.lr_scheduler: PyTorch's learning-rate schedulers (base.py: the
single schedulers; sequential.py: SequentialLR, ChainedScheduler)."""
from .base import *  # noqa: F401,F403
from .base import EPOCH_DEPRECATION_WARNING  # noqa: F401
from .sequential import ChainedScheduler, SequentialLR  # noqa: F401
from .cyclic import CyclicLR  # noqa: F401

# Reprs name the public module, as torch's (<torch.optim.lr_scheduler.StepLR object at ...>).
for _cls in list(globals().values()):
    if isinstance(_cls, type) and _cls.__module__.startswith(__name__ + "."):
        _cls.__module__ = __name__
