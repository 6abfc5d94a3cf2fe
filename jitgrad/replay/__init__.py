"""jitgrad.compile: record a function once, replay its tape in Numba; tape files."""
