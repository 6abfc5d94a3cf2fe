"""The reverse of a replayed tape's matmul records with one adjoint column
(value_and_grad, vmap's per-point replays): the NumPy products
MatmulBackward.backward makes for such a record, on the same views, with
its choices (which operands, products or BLAS) made once per record
instead of per call."""
import math

import numpy as np

from ..autodiff.matmul import MatmulBackward, _assign_or_add, _exact_products
from ..core.arrays import quiet
from ..core.grad_mode import ANOMALY


def plan(h):
    """(G's shape, dA by products, dB by products) of host record h, or None
    where MatmulBackward.backward takes other branches (batched operands,
    folds, a saved constant's version check, detect_anomaly)."""
    if type(h) is not MatmulBackward or getattr(h, "fold", None) is not None \
            or getattr(h, "const_info", None) is not None:
        return None
    ashape, bshape = tuple(h.ashape), tuple(h.bshape)
    if not (1 <= len(ashape) <= 2 and 1 <= len(bshape) <= 2):
        return None
    a2 = (1,) + ashape if len(ashape) == 1 else ashape
    b2 = bshape + (1,) if len(bshape) == 1 else bshape
    # (matmul_grads' branches for K = 1 and 2-D operands: G is (1, m, p), never sparse)
    a_mul = b2[-1] == 1 and _exact_products(len(bshape) == 1, a2)
    b_mul = a2[-2] == 1 and _exact_products(len(ashape) + len(bshape) == 2, b2)
    return (1, a2[-2], b2[-1]), a_mul, b_mul, math.prod(h.oshape)


def backward(h, p, adj, vals, reach):
    """h.backward(adj, vals, reach) for a single adjoint column by plan p;
    False where it must run instead (detect_anomaly)."""
    if ANOMALY.enabled:
        return False
    gshape, a_mul, b_mul, n_out = p
    A, B = h.operands(vals)
    A2 = A[None, :] if A.ndim == 1 else A
    B2 = B[:, None] if B.ndim == 1 else B
    G = adj[h.out:h.out + n_out].T.reshape(gshape)
    with quiet():       # (inf * 0: nan, as torch, without NumPy's warning)
        if h.arg:
            Bt = np.swapaxes(B2, -1, -2)
            ga = G * Bt if a_mul else G @ Bt
        if h.brg:
            At = np.swapaxes(A2, -1, -2)
            gb = At * G if b_mul else At @ G
    if h.arg:
        _assign_or_add(adj, reach, h.a, ga.reshape(1, -1).T)
    if h.brg:
        _assign_or_add(adj, reach, h.b, gb.reshape(1, -1).T)
    return True
