"""jitgrad.utils: torch.utils counterparts (checkpoint, data, hooks)."""
from . import checkpoint  # noqa: F401
from . import data  # noqa: F401
from . import dlpack  # noqa: F401
from . import hooks  # noqa: F401
