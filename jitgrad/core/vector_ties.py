"""Which operand torch's CPU maximum / minimum / clamp(Tensor) keep on a tie
(-0.0 against +0.0). cpu_kernel_vec takes its vector form (at::vec::maximum:
a tie gives the second operand) over the first L - L % lanes elements of
each inner row of TensorIterator (lanes: two AVX2 vectors, 64 bytes) and its
scalar form (std::max: a tie gives the first operand) for the rest. A row is
the coalesced inner loop: the trailing dims over which every operand is
either broadcast or not (the whole tensor when each operand is full-size or
a single element)."""
from __future__ import annotations

import numpy as np


def vector_positions(out_shape: tuple, operand_shapes: list, itemsize: int) -> np.ndarray | bool:
    """Bool array of out_shape: True where torch's kernel takes its vector form
    (False when nowhere, for a result shorter than a vector pair's lanes)."""
    lanes = 64 // itemsize
    nd = len(out_shape)
    padded = [(1,) * (nd - len(s)) + tuple(s) for s in operand_shapes]
    dims = [d for d in range(nd) if out_shape[d] != 1]
    row = 1
    pattern = None
    for d in reversed(dims):
        p = tuple(s[d] == 1 for s in padded)
        if pattern is not None and p != pattern:
            break
        pattern = p
        row *= out_shape[d]
    if row < lanes:
        return False
    n = int(np.prod(out_shape))
    return (np.arange(n) % row < row - row % lanes).reshape(out_shape)


def _signed_tie(x, y):
    # Equal values whose picks differ: zeros of opposite signs.
    return (x == y) & (np.signbit(x) != np.signbit(y))


def torch_maximum(x, y):
    """np.maximum with torch's choice on a tie (see the module doc)."""
    return _with_ties(np.maximum(x, y), x, y)


def torch_minimum(x, y):
    """np.minimum with torch's choice on a tie."""
    return _with_ties(np.minimum(x, y), x, y)


def _with_ties(out, x, y):
    xa, ya = np.asarray(x), np.asarray(y)
    if out.dtype.kind != "f":
        return out
    tie = _signed_tie(xa, ya)
    if not tie.any():
        return out
    vec = vector_positions(out.shape, [xa.shape, ya.shape], out.dtype.itemsize)
    return np.asarray(np.where(tie, np.where(vec, ya, xa), out), out.dtype)


def clamp_tie_pick(val, bound, vec):
    """torch's clamp by a tensor bound where val ties it: the bound (the
    vector form's second operand) at vector positions, val elsewhere."""
    tie = _signed_tie(val, bound)
    return np.where(tie & vec, bound, val) if tie.any() else val
