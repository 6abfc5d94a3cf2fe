"""PyTorch's TORCH_WARN_ONCE, and the warn-always switch that turns it off."""
import warnings

_WARNED: set = set()
# torch.set_warn_always(True) makes every warn-once warning fire each time.
WARN_ALWAYS = {"on": False}


def warn_once(msg: str, stacklevel: int = 4) -> None:
    """Warn once per process (pointing at the user's line), or every time under warn-always."""
    if WARN_ALWAYS["on"] or msg not in _WARNED:
        _WARNED.add(msg)
        warnings.warn(msg, UserWarning, stacklevel=stacklevel)
