"""PyTorch's TORCH_WARN_ONCE."""
import warnings

_WARNED: set = set()


def warn_once(msg: str, stacklevel: int = 4) -> None:
    """Warn once per process (pointing at the user's line)."""
    if msg not in _WARNED:
        _WARNED.add(msg)
        warnings.warn(msg, UserWarning, stacklevel=stacklevel)
