"""PyTorch's TORCH_WARN_ONCE, and the warn-always switch that turns it off."""
import os
import sys
import warnings
from types import FrameType
from typing import Optional

_WARNED: set = set()
# torch.set_warn_always(True) makes every warn-once warning fire each time.
WARN_ALWAYS = {"on": False}


def warn_once(msg: str, stacklevel: int = 4) -> None:
    """Warn once per process (pointing at the user's line), or every time under warn-always."""
    if WARN_ALWAYS["on"] or msg not in _WARNED:
        _WARNED.add(msg)
        warnings.warn(msg, UserWarning, stacklevel=stacklevel)


_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def user_stacklevel() -> int:
    """warnings.warn's stacklevel, from the caller of this function, of the
    first frame outside jitgrad (the user's line, through any wrappers)."""
    frame: Optional[FrameType] = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level
