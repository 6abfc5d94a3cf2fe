"""Bottom layer: dtypes, the op table, the tape, grad mode and the Numba kernels."""
