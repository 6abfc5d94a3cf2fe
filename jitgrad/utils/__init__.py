"""jitgrad.utils: torch.utils counterparts (checkpoint, data)."""
from . import checkpoint  # noqa: F401
from . import data  # noqa: F401
from . import dlpack  # noqa: F401
