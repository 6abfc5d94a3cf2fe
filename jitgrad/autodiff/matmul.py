"""Matmul's host record: its backward is BLAS products through NumPy for all
K adjoint columns at once (and, under create_graph, the same products as
recorded tensor ops)."""
import math

import numpy as np

from ..core import kernels as K
from ..core.arrays import sum_to
from ..tensors.tensor import Tensor
from ..core.grad_mode import check_anomaly


class MatmulBackward:
    """Host record of matmul: its backward is BLAS products through NumPy, for
    all K adjoint columns at once. An operand that needs no gradient is kept
    here (`aval`/`bval`) instead of on the tape: a large constant matrix then
    costs no tape slots, so batched sweeps stay small."""
    __slots__ = ("a", "b", "out", "ashape", "bshape", "oshape", "arg", "brg", "aval", "bval", "name", "layout")

    def operands(self, vals):
        A = self.aval if self.a < 0 else vals[self.a:self.a + math.prod(self.ashape)].reshape(self.ashape)
        B = self.bval if self.b < 0 else vals[self.b:self.b + math.prod(self.bshape)].reshape(self.bshape)
        return A, B

    def backward(self, adj, vals, reach):
        k = adj.shape[1]
        n_out = math.prod(self.oshape)
        A, B = self.operands(vals)
        ga, gb = matmul_grads(adj[self.out:self.out + n_out].T, A, B, self.arg, self.brg)
        check_anomaly(getattr(self, "name", "MmBackward0"), ga, gb)
        if ga is not None:
            _assign_or_add(adj, reach, self.a, ga.reshape(k, -1).T)
        if gb is not None:
            _assign_or_add(adj, reach, self.b, gb.reshape(k, -1).T)

    def jvp(self, tan, vals):
        """Forward mode: tangent of the product from the operands' tangents."""
        k = tan.shape[1]
        n_out = math.prod(self.oshape)
        A, B = self.operands(vals)
        t = np.zeros((k,) + tuple(self.oshape))
        if self.a >= 0:
            tA = tan[self.a:self.a + A.size].T.reshape((k,) + self.ashape)
            t = t + np.matmul(tA, B)
        if self.b >= 0:
            tB = tan[self.b:self.b + B.size].T.reshape((k,) + self.bshape)
            t = t + (np.matmul(A, tB) if B.ndim > 1 else np.einsum("...i,ki->k...", A, tB))
        tan[self.out:self.out + n_out] += np.asarray(t).reshape(k, n_out).T

    def vjp(self, g, proxy):
        """create_graph: the same products as recorded tensor ops."""
        A = Tensor._wrap(self.aval) if self.a < 0 else proxy(self.a, math.prod(self.ashape)).reshape(self.ashape)
        B = Tensor._wrap(self.bval) if self.b < 0 else proxy(self.b, math.prod(self.bshape)).reshape(self.bshape)
        A2 = A.unsqueeze(0) if A.ndim == 1 else A
        B2 = B.unsqueeze(1) if B.ndim == 1 else B
        # The operands here are float64 (tape values): so is the adjoint.
        g = g.double()
        # The output with the dims of 1-D operands restored (as in backward).
        G = g.reshape(np.broadcast_shapes(A2.shape[:-2], B2.shape[:-2]) + (A2.shape[-2], B2.shape[-1]))
        res = []
        if self.arg:
            ga = sum_to_tensor(G @ B2.transpose(-1, -2), A2.shape)
            res.append((self.a, ga.reshape((-1,))))
        if self.brg:
            gb = sum_to_tensor(A2.transpose(-1, -2) @ G, B2.shape)
            res.append((self.b, gb.reshape((-1,))))
        return res


def products_only(ashape, bshape) -> bool:
    """Whether a @ b of these shapes has an inner size of 1 where torch's gemm
    writes the products as they are (-0.0 kept; NumPy's BLAS adds them to
    +0.0): eager mode computes it as `a * b` (functional/products.py), and so
    does a compiled replay (replay/blas_records.py). torch's gemv (a row or
    column result) and bmm add them, as NumPy. (torch folds a's batch dims
    into mm's rows.)"""
    return (len(ashape) >= 2 and len(bshape) == 2 and ashape[-1] == 1 and math.prod(ashape[:-1]) > 1
            and bshape[1] > 1)


def blas_layout(av, bv):
    """How NumPy's matmul reads each operand's matrices (core/replay_blas.py's
    LAYOUT_C 0 / LAYOUT_F 1 / LAYOUT_LOOP 2, by its own `is_blasable2d` test on
    the strides of the last two dims; a vector counts as a row or column), so
    a compiled replay makes the same BLAS call; None where it calls syrk (a
    matrix times its own transpose) or `av * bv` stood for the product."""
    if av.ndim >= 2 and bv.ndim >= 2:
        if (av if av.base is None else av.base) is (bv if bv.base is None else bv.base):
            return None     # (views of one array: maybe syrk)
        return _matrix_layout(av), _matrix_layout(bv)
    return _operand_layout(av, True), _operand_layout(bv, False)


def _matrix_layout(x):
    sz = x.itemsize
    r, c = x.shape[-2:]
    sr, sc = x.strides[-2:]
    if sc == sz and sr % sz == 0 and c <= sr // sz < 2 ** 31:      # NumPy's is_blasable2d
        return 0
    if sr == sz and sc % sz == 0 and r <= sc // sz < 2 ** 31:
        return 1
    return 2


def _operand_layout(x, first):
    if x.ndim >= 2:
        return _matrix_layout(x)
    if x.strides[0] != x.itemsize:
        return 2
    return 0 if first else 1    # (a row (1, n) / a column (n, 1): contiguous either way)


def matmul_grads(G, A, B, arg, brg):
    """Gradients of A @ B for K output adjoints G (K rows, any shape holding
    the product's elements): (dA, dB) shaped (K, *A2) and (K, *B2), where
    1-D operands count as a row (A) or a column (B); None where not wanted."""
    with np.errstate(all="ignore"):     # (inf * 0: nan, as torch, without NumPy's warning)
        return _matmul_grads(G, A, B, arg, brg)


def _matmul_grads(G, A, B, arg, brg):
    k = G.shape[0]
    A2 = A[None, :] if A.ndim == 1 else A
    B2 = B[:, None] if B.ndim == 1 else B
    # Seeds first; the output with the dims of 1-D operands restored.
    G = G.reshape((k,) + np.broadcast_shapes(A2.shape[:-2], B2.shape[:-2]) + (A2.shape[-2], B2.shape[-1]))
    # (one-hot Jacobian seeds: skip the zero rows)
    sparse = k > 1 and G.ndim == 3 and np.count_nonzero(G) * 20 < G.size
    ga = gb = None
    if arg:
        if sparse and A2.shape[-2] == 1:        # vector @ matrix
            ga = _sparse_rows_times(G[:, 0, :], B2.T)[:, None, :]
        elif B2.shape[-1] == 1 and (G.ndim == 3 or B.ndim == 1) and _exact_products(B.ndim == 1, A2.shape):
            ga = G * np.swapaxes(B2, -1, -2)    # contraction of size 1: torch's signs of zero products
        else:
            ga = G @ np.swapaxes(B2, -1, -2)
        ga = sum_to(ga, (k,) + A2.shape, lead=1)
    if brg:
        if sparse and B2.shape[-1] == 1:        # matrix @ vector
            gb = _sparse_rows_times(G[:, :, 0], A2)[:, :, None]
        elif A2.shape[-2] == 1 and (G.ndim == 3 or A.ndim == 1) and _exact_products(A.ndim + B.ndim == 2, B2.shape):
            gb = np.swapaxes(A2, -1, -2) * G    # contraction of size 1 (see above)
        else:
            gb = np.swapaxes(A2, -1, -2) @ G
        gb = sum_to(gb, (k,) + B2.shape, lead=1)
    return ga, gb


def _assign_or_add(adj, reach, slot, g):
    """adj[slot:] += g, assigned where not yet reached (as the sweep: a
    first gradient keeps its -0.0)."""
    seg = slice(slot, slot + g.shape[0])
    if reach[seg].any():
        adj[seg] = np.where(reach[seg, None] != 0, adj[seg] + g, g)
    else:
        adj[seg] = g
    reach[slot:slot + (g.shape[0] or 1)] = 1     # (an empty operand: its placeholder)


def _exact_products(multiplies, shape):
    """Whether torch's backward writes the products of a size-1 contraction
    as they are (-0.0 kept): where it multiplies (dot: grad * other; mv's
    matrix: ger) and for a gradient with both sizes above 1 (gemm); gemv
    adds them (+0.0)."""
    return multiplies or (shape[-2] > 1 and shape[-1] > 1)


def _sparse_rows_times(G, M):
    out = np.zeros((G.shape[0], M.shape[1]))
    K.sparse_rows_times(np.ascontiguousarray(G), np.ascontiguousarray(M, np.float64), out)
    return out


def sum_to_tensor(g, shape):
    """Tensor version of `sum_to`: sum g's broadcast dims away (recorded), in
    one sum as torch's sum_to (so its rounding is torch's)."""
    extra = g.ndim - len(shape)
    dims = tuple(range(extra)) + tuple(i + extra for i, s in enumerate(shape) if s == 1 and g.shape[i + extra] != 1)
    if not dims:
        return g
    out = g.sum(dims, keepdim=True)
    return out.reshape(out.shape[extra:]) if extra else out
