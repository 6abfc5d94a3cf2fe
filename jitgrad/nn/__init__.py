"""jitgrad.nn: the functional API (modules are out of scope)."""
from . import functional  # noqa: F401
