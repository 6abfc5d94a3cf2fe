"""jitgrad.compile: record a function once, replay its tape in Numba; tape files."""
from . import tapefile  # noqa: F401  (attaches CompiledTape.save; `jitgrad.compile` loads this package on first use)
