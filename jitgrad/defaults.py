"""set_default_device / get_default_device: jitgrad computes on the CPU only,
so "cpu" (the default) is the one device it accepts."""
from .core.dtypes import device


def set_default_device(dev) -> None:
    if dev is None:
        return
    name = dev if isinstance(dev, str) else str(dev)
    if name.split(":")[0] != "cpu":
        raise RuntimeError(f"jitgrad runs on the CPU only: set_default_device({name!r}) is not supported")


def get_default_device():
    return device("cpu")
