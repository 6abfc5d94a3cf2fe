"""Matmul's host record: its backward is BLAS products through NumPy for all
K adjoint columns at once (and, under create_graph, the same products as
recorded tensor ops)."""
import math

import numpy as np

from ..core import kernels as K
from ..core import tape as T
from ..core.arrays import sum_to
from ..tensors.tensor import Tensor, name_node
from ..core.arrays import quiet
from ..core.grad_mode import ANOMALY, check_anomaly


class MatmulBackward:
    """Host record of matmul: its backward is BLAS products through NumPy, for
    all K adjoint columns at once. An operand that needs no gradient is kept
    here (`aval`/`bval`) instead of on the tape: a large constant matrix then
    costs no tape slots, so batched sweeps stay small."""
    __slots__ = ("a", "b", "out", "ashape", "bshape", "oshape", "arg", "brg", "aval", "bval", "name", "layout", "exact", "fold",
                 "const_info", "const_keep")

    def operands(self, vals):
        A = self.aval if self.a < 0 else vals[self.a:self.a + math.prod(self.ashape)].reshape(self.ashape)
        B = self.bval if self.b < 0 else vals[self.b:self.b + math.prod(self.bshape)].reshape(self.bshape)
        return A, B

    def backward(self, adj, vals, reach):
        info = getattr(self, "const_info", None)
        if info is not None:        # the constant operand torch saved for the other's gradient
            t = info[0]()
            if t is not None and t._version != info[1]:
                raise RuntimeError(T.overwritten_message(info))
        k = adj.shape[1]
        if k == 1 and not ANOMALY.enabled:
            p = single_column_plan(self)
            if p is not None:
                single_column_backward(self, p, adj, vals, reach)
                return
        n_out = math.prod(self.oshape)
        A, B = self.operands(vals)
        ga, gb = matmul_grads(adj[self.out:self.out + n_out].T, A, B, self.arg, self.brg,
                              getattr(self, "fold", None))
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
        names = _GRAD_NAMES.get((min(A.ndim, 3), B.ndim), (None, None))
        if self.arg:
            ga = sum_to_tensor(G @ B2.transpose(-1, -2), A2.shape)
            res.append((self.a, _grad_named(ga.reshape((-1,)), names[0])))
        if self.brg:
            gb = sum_to_tensor(A2.transpose(-1, -2) @ G, B2.shape)
            res.append((self.b, _grad_named(gb.reshape((-1,)), names[1])))
        return res


# The nodes torch's create_graph gradients of a @ b end in, by (a.ndim (3: 3 or more), b.ndim):
# mm's, mv's, dot's backward formulas, the 1-D operand's squeeze; a batch folded into mm's rows
# (a's gradient: a view of the product); other batched products end in views, as the flat
# gradient's reshape here.
_GRAD_NAMES = {(2, 2): ("MmBackward0", "MmBackward0"), (1, 2): ("SqueezeBackward1", "MmBackward0"),
               (2, 1): ("MulBackward0", "MvBackward0"), (1, 1): ("MulBackward0", "MulBackward0"),
               (3, 2): (None, "MmBackward0"), (3, 1): (None, "MvBackward0")}


def _grad_named(g, name):
    """The flat gradient g named `name` (the reshape that flattened it is bookkeeping)."""
    if name is not None and g._rg and g._name is not None:
        g._name = name
        name_node(g._tape, g._slot, name)
    return g


def products_only(ashape, bshape) -> bool:
    """Whether a @ b of these shapes has an inner size of 1 where torch's gemm
    writes the products as they are (-0.0 kept; NumPy's BLAS adds them to
    +0.0): eager mode computes it as `a * b` (functional/products.py), and so
    does a compiled replay (replay/blas_records.py). torch's gemv (a row or
    column result) and bmm add them, as NumPy. (torch folds a's batch dims
    into mm's rows.)"""
    return (len(ashape) >= 2 and len(bshape) == 2 and ashape[-1] == 1 and math.prod(ashape[:-1]) > 1
            and bshape[1] > 1)


def blas_operands(av, bv):
    """av, bv as np.matmul should read them: an operand whose matrices NumPy
    can't hand to BLAS (neither rows nor columns contiguous), or a vector
    (of a dot or gemv) with a stride, copied C-contiguous. NumPy would sum
    those by its own loop, a strided BLAS kernel or a copy, by cases; with
    the copies eager mode's calls are ones a compiled replay makes the same
    way (core/replay_blas.py lays its operands out C or F)."""
    if av.ndim == 0 or bv.ndim == 0:
        return av, bv
    sz = av.itemsize
    m = 1 if av.ndim == 1 else av.shape[-2]
    n = av.shape[-1]
    p = 1 if bv.ndim == 1 else bv.shape[-1]
    if n > 1:
        if m == 1 and av.strides[-1] != sz:
            av = np.ascontiguousarray(av)
        if p == 1 and bv.strides[0 if bv.ndim == 1 else -2] != sz:
            bv = np.ascontiguousarray(bv)
    if av.ndim >= 2 and m > 1 and _matrix_layout(*av.strides[-2:], m, n, sz) == LAYOUT_LOOP:
        av = np.ascontiguousarray(av)
    if bv.ndim >= 2 and p > 1 and _matrix_layout(*bv.strides[-2:], n, p, sz) == LAYOUT_LOOP:
        bv = np.ascontiguousarray(bv)
    return av, bv


def blas_layout(av, bv):
    """How NumPy's matmul reads each operand's matrices (core/replay_blas.py's
    LAYOUT_C 0 / LAYOUT_F 1 / LAYOUT_LOOP 2), by its own tests on the strides
    of the last two dims (a 1-D operand is a row / column whose missing dim
    has stride 0), so a compiled replay makes the same BLAS call; None where
    it calls syrk (a matrix times its own transpose). NumPy's routine: dot
    for a 1x1 result (BLAS where both vectors' strides are positive
    multiples of the item size), gemv for a row or column result (the
    matrix C- or F-blasable, the vector's stride a positive multiple), gemm
    for matrices (both blasable), else its own loop (both LAYOUT_LOOP)."""
    if av.ndim >= 2 and bv.ndim >= 2:
        if (av if av.base is None else av.base) is (bv if bv.base is None else bv.base):
            return None     # (views of one array: maybe syrk)
    sz = av.itemsize
    m, n, sam, san = (1, av.shape[0], 0, av.strides[0]) if av.ndim == 1 else av.shape[-2:] + av.strides[-2:]
    p, sbn, sbp = (1, bv.strides[0], 0) if bv.ndim == 1 else (bv.shape[-1],) + bv.strides[-2:]
    la, lb = _matrix_layout(sam, san, m, n, sz), _matrix_layout(sbn, sbp, n, p, sz)
    if m == 1 and p == 1:
        ok = san > 0 and sbn > 0 and san % sz == 0 and sbn % sz == 0
        return (LAYOUT_C, LAYOUT_C) if ok else (LAYOUT_LOOP, LAYOUT_LOOP)
    if m == 1 and n > 1:
        ok = lb != LAYOUT_LOOP and san % sz == 0 and san >= sz
        return (LAYOUT_C, lb) if ok else (LAYOUT_LOOP, LAYOUT_LOOP)
    if p == 1 and n > 1:
        ok = la != LAYOUT_LOOP and sbn % sz == 0 and sbn >= sz
        return (la, LAYOUT_C) if ok else (LAYOUT_LOOP, LAYOUT_LOOP)
    if LAYOUT_LOOP in (la, lb):
        return LAYOUT_LOOP, LAYOUT_LOOP
    return la, lb


LAYOUT_C, LAYOUT_F, LAYOUT_LOOP = 0, 1, 2      # (core/replay_blas.py's)


def _matrix_layout(sr, sc, r, c, sz):
    """NumPy's is_blasable2d of an (r, c) matrix with strides (sr, sc): rows
    contiguous (C), else columns (F), else neither."""
    if sc == sz and sr % sz == 0 and c <= sr // sz < 2 ** 31:
        return LAYOUT_C
    if sr == sz and sc % sz == 0 and r <= sc // sz < 2 ** 31:
        return LAYOUT_F
    return LAYOUT_LOOP


def matmul_grads(G, A, B, arg, brg, fold=None):
    """Gradients of A @ B for K output adjoints G (K rows, any shape holding
    the product's elements): (dA, dB) shaped (K, *A2) and (K, *B2), where
    1-D operands count as a row (A) or a column (B); None where not wanted.
    `fold`: how torch's matmul folded B's batch ("mv", "mm": products.py's
    _fold), whose gradients are one ger / mm."""
    with quiet():     # (inf * 0: nan, as torch, without NumPy's warning)
        return _matmul_grads(G, A, B, arg, brg, fold)


def _matmul_grads(G, A, B, arg, brg, fold=None):
    k = G.shape[0]
    A2 = A[None, :] if A.ndim == 1 else A
    B2 = B[:, None] if B.ndim == 1 else B
    # Seeds first; the output with the dims of 1-D operands restored.
    G = G.reshape((k,) + np.broadcast_shapes(A2.shape[:-2], B2.shape[:-2]) + (A2.shape[-2], B2.shape[-1]))
    # (one-hot Jacobian seeds: skip the zero rows)
    sparse = k > 1 and G.ndim == 3 and np.count_nonzero(G) * 20 < G.size
    ga = gb = None
    # B's batch folded: the products of a contraction of size 1 as they are
    # (-0.0 kept) where torch's folded mv's ger, or its mm's gemm, writes them
    n, m, bp = A2.shape[-2], A2.shape[-1], math.prod(B2.shape[:-2]) * B2.shape[-1]
    if fold == "mm" and arg and bp == 1 and n > 1 and m > 1:
        ga = (G * np.swapaxes(B2, -1, -2)).reshape((k,) + A2.shape)
        arg = False
    if arg and A.ndim >= 3 and B.ndim == 2 and B2.shape[-1] == 1 and math.prod(A2.shape[:-1]) > 1 and m > 1:
        ga = G * np.swapaxes(B2, -1, -2)    # (A's batch folded into one mm: its gemm's products)
        arg = False
    if brg and (fold == "mv" or fold == "mm" and n == 1 and bp > 1 and m > 1):
        gb = np.swapaxes(A2, -1, -2) * G
        brg = False
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
        elif A2.shape[-2] == 1 and (G.ndim == 3 or A.ndim == 1 and B.ndim <= 2) and _exact_products(A.ndim + B.ndim == 2, B2.shape):
            gb = np.swapaxes(A2, -1, -2) * G    # contraction of size 1 (see above)
        else:
            gb = np.swapaxes(A2, -1, -2) @ G
        gb = sum_to(gb, (k,) + B2.shape, lead=1)
    return ga, gb


def single_column_plan(h):
    """(m, p, dA by products, dB by products) of a matmul record h whose
    backward for one adjoint column matmul_grads' branches fix by its shapes
    alone (1-D and 2-D operands, no fold, no saved constant to check), or
    None. Replays compute it once per record."""
    if type(h) is not MatmulBackward or getattr(h, "fold", None) is not None \
            or getattr(h, "const_info", None) is not None:
        return None
    ashape, bshape = h.ashape, h.bshape
    la, lb = len(ashape), len(bshape)
    if not (1 <= la <= 2 and 1 <= lb <= 2):
        return None
    m, n = (1, ashape[0]) if la == 1 else ashape
    p = 1 if lb == 1 else bshape[1]
    # (matmul_grads' branches for one column and 2-D operands: G is (1, m, p), never sparse)
    a_mul = p == 1 and _exact_products(lb == 1, (m, n))
    b_mul = m == 1 and _exact_products(la + lb == 2, (n, p))
    return m, p, a_mul, b_mul


def single_column_backward(h, plan, adj, vals, reach) -> None:
    """h.backward(adj, vals, reach) for one adjoint column by `plan`
    (single_column_plan): matmul_grads' products on 2-D views of the same
    layouts (so the same BLAS calls), with fewer NumPy calls."""
    m, p, a_mul, b_mul = plan
    A, B = h.operands(vals)
    A2 = A.reshape(1, -1) if A.ndim == 1 else A
    B2 = B.reshape(-1, 1) if B.ndim == 1 else B
    G = adj[h.out:h.out + m * p, 0].reshape(m, p)
    with quiet():       # (inf * 0: nan, as torch, without NumPy's warning)
        if h.arg:
            _assign_column(adj, reach, h.a, G * B2.T if a_mul else G @ B2.T)
        if h.brg:
            _assign_column(adj, reach, h.b, A2.T * G if b_mul else A2.T @ G)


def _assign_column(adj, reach, slot, g):
    """_assign_or_add of one column: g's elements in C order."""
    flat = g.reshape(-1)
    n = flat.size
    seen = reach[slot:slot + n]
    col = adj[slot:slot + n, 0]
    col[:] = np.where(seen != 0, col + flat, flat) if seen.any() else flat
    reach[slot:slot + (n or 1)] = 1     # (an empty operand: its placeholder)


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
