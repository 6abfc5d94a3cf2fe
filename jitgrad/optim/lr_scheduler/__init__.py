"""optim.lr_scheduler: PyTorch's learning-rate schedulers (base.py: the
single schedulers; sequential.py: SequentialLR, ChainedScheduler)."""
from .base import *  # noqa: F401,F403
from .base import EPOCH_DEPRECATION_WARNING  # noqa: F401
from .sequential import ChainedScheduler, SequentialLR  # noqa: F401
