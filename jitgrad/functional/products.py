"""Matrix products: matmul and friends as host records (BLAS through NumPy in
both directions; see autodiff/matmul.py), transposes."""
import math

import numpy as np

from ..core.arrays import quiet
from ..core import dtypes as D
from ..core.warn import warn_once
from ..core import kernels as K
from ..core import tape as T
from ..tensors.tensor import (INFERENCE_SAVED_MSG, STATE, Tensor, _array_out)
from ..tensors import tensor as _TT
from ..tensors.arith import (_finish, _push_operand, _push_out)
from ..autodiff.engine import ANOMALY, check_anomaly  # noqa: F401  (check_anomaly: used by the layers above)
from ..autodiff.bulk import record_matmul
from ..autodiff.matmul import MatmulBackward, blas_layout, blas_operands, matmul_grads, products_only, sum_to_tensor as _sum_to_tensor  # noqa: F401

from .base import builtins_max
from .shapes import (_permuted, reshape, transpose)


# ----- linear algebra: host records (BLAS through NumPy, both directions) ---


# C++ type names, as some of PyTorch's matmul errors print them.


def _no_bool(kernel, dt):
    if dt is D.bool_:
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


def _check_mm(s1, d1, s2, d2):
    """mat1 (s1) @ mat2 (s2): PyTorch's mm checks, in its order."""
    if s1[1] != s2[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({s1[0]}x{s1[1]} and {s2[0]}x{s2[1]})")
    if d1 is not d2:
        raise RuntimeError("expected m1 and m2 to have the same dtype, but got: "
                           f"{D.CPP_NAMES[d1.name]} != {D.CPP_NAMES[d2.name]}")
    _no_bool("addmm_impl_cpu_", d1)


def _check_mv(s1, d1, s2, d2):
    if s1[1] != s2[0]:
        raise RuntimeError(f"size mismatch, got input ({s1[0]}), mat ({s1[0]}x{s1[1]}), vec ({s2[0]})")
    if d1 is not d2:
        raise RuntimeError("addmv input tensors must have the same dtype, but got "
                           f"{D.TORCH_NAMES[d2.name]}, {D.TORCH_NAMES[d1.name]}, and {D.TORCH_NAMES[d2.name]}")
    _no_bool("addmv_impl_cpu", d1)


def _check_dot(k1, d1, k2, d2):
    if d1 is not d2:
        raise RuntimeError("dot : expected both vectors to have same dtype, but found "
                           f"{D.TORCH_NAMES[d1.name]} and {D.TORCH_NAMES[d2.name]}")
    if k1 != k2:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{k1}] and src [{k2}] to have the same "
                           f"number of elements, but got {k1} and {k2} elements respectively")
    _no_bool("dot", d1)


def _check_bmm(s1, d1, s2, d2):
    if s2[0] != s1[0] or s2[1] != s1[2]:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{s1[0]}, {s1[2]}] but got: [{s2[0]}, {s2[1]}].")
    if d1 is not d2:
        raise RuntimeError(f"expected scalar type {D.TORCH_NAMES[d1.name]} but found {D.TORCH_NAMES[d2.name]}")
    _no_bool("bmm", d1)


def _broadcast_shapes(s1, s2):
    """PyTorch's broadcast of two shapes, with its error message."""
    n = builtins_max(len(s1), len(s2))
    s1, s2 = (1,) * (n - len(s1)) + tuple(s1), (1,) * (n - len(s2)) + tuple(s2)
    for i, (p, q) in enumerate(zip(s1, s2)):
        if p != q and p != 1 and q != 1:
            raise RuntimeError(f"The size of tensor a ({p}) must match the size of tensor b ({q}) "
                               f"at non-singleton dimension {i}")
    return tuple(q if p == 1 else p for p, q in zip(s1, s2))


def _matmul_plan(a, b):
    """Check `a @ b` the way PyTorch's matmul dispatches it (dot, mv, mm, a
    folded mm, bmm), so errors match; returns the grad_fn name it gives.
    a and b are (shape, dtype, requires_grad)."""
    (sa, da, ra), (sb, db, rb) = a, b
    na, nb = len(sa), len(sb)
    if na == 1 and nb == 1:
        _check_dot(sa[0], da, sb[0], db)
        return "DotBackward0"
    if na == 2 and nb == 1:
        _check_mv(sa, da, sb, db)
        return "MvBackward0"
    if na == 1 and nb == 2:
        _check_mm((1, sa[0]), da, sb, db)
        return "SqueezeBackward4"
    if na == 2 and nb == 2:
        _check_mm(sa, da, sb, db)
        return "MmBackward0"
    if na >= 3 and nb <= 2:
        # a's batch folds into its rows: one mm / mv.
        folded = (math.prod(sa[:-1]), sa[-1])
        (_check_mm if nb == 2 else _check_mv)(folded, da, sb, db)
        return "UnsafeViewBackward0"
    if nb >= 3 and na <= 2 and (ra or (na == 1 and (sb[-2] == 1 or math.prod(sb) == 0))):
        # b's batch folds: (b^T folded) @ a^T, transposed back.
        folded = (math.prod(sb[:-2]) * sb[-1], sb[-2])
        if na == 1:
            _check_mv(folded, db, sa, da)
            return "UnsafeViewBackward0"
        _check_mm(folded, db, (sa[1], sa[0]), da)
        # .mT().contiguous() copies unless the transpose is already contiguous.
        n, p = sa[0], sb[-1]
        empty = math.prod(sb[:-2]) * n * p == 0
        return "TransposeBackward0" if n == 1 or p == 1 or empty else "CloneBackward0"
    if na == 3 and nb == 3 and sa[0] != sb[0]:
        # A broadcast batch of 1 that requires grad is squeezed, then folded.
        if sa[0] == 1 and ra:
            return _matmul_plan((sa[1:], da, ra), b)
        if sb[0] == 1 and rb:
            return _matmul_plan(a, (sb[1:], db, rb))
    n = sa[-2] if na > 1 else 1
    m2, p = (sb[-2], sb[-1]) if nb > 1 else (sb[0], 1)
    batch = math.prod(_broadcast_shapes(sa[:-2], sb[:-2]))
    _check_bmm((batch, n, sa[-1]), da, (batch, m2, p), db)
    return "UnsafeViewBackward0"


def _matmul_operands(input, other, fname):
    for pos, (name, t) in enumerate((("input", input), ("other", other)), 1):
        if not isinstance(t, Tensor):
            raise TypeError(f"{fname}(): argument '{name}' (position {pos}) must be Tensor, "
                            f"not {type(t).__name__}")
    return input, other


def _spec(t):
    return tuple(t.shape), t.dtype, t._rg


def _fold(a, b):
    """How matmul's plan (see _matmul_plan) folds b's batch: "mm" (a 2-D `a`
    that requires grad: one mm of b's batch folded with a^T), "mv" (a 1-D
    `a`), "a" (a's batch folded into mm's rows, b squeezed first), with the
    operand shapes it folds (a batch of 1 squeezed); None otherwise."""
    (sa, _, ra), (sb, _, rb) = a, b
    na, nb = len(sa), len(sb)
    if na == 3 and nb == 3 and sa[0] != sb[0]:
        if sa[0] == 1 and ra:
            return _fold((sa[1:],) + a[1:], b)
        if sb[0] == 1 and rb:
            return "a", sa, sb[1:]
    if nb >= 3 and na <= 2 and (ra or (na == 1 and (sb[-2] == 1 or math.prod(sb) == 0))):
        return ("mv" if na == 1 else "mm"), sa, sb
    return None


def _folded_products(fold) -> bool:
    """Whether the folded mm (see _fold) has an inner size of 1 where torch's
    gemm writes the products as they are (products_only)."""
    if fold is None or fold[0] == "mv":
        return False
    kind, sa, sb = fold
    if kind == "a":
        return products_only(sa, sb)
    return products_only((math.prod(sb[:-2]) * sb[-1], sb[-2]), (sa[1], sa[0]))


def _matmul_record(a, b, name, fold=None):
    """The value of a @ b (shapes already checked) and its host record;
    `fold`: how torch's matmul folds the batch (_fold)."""
    av, bv = blas_operands(a._data(), b._data())
    dt = a.dtype
    with quiet():       # (inf * 0, overflow: nan and inf, as torch, silently)
        if (fold is not None and _folded_products(fold)) or products_only(av.shape, bv.shape):
            out = _array_out(np.asarray(av * bv, dt.np), dt)
            exact = True
        else:
            out = _array_out(np.asarray(np.matmul(av, bv), dt.np), dt)
            exact = False
    if (a._rg or b._rg) and STATE.grad_enabled and dt.is_floating_point:
        if (a._inf and b._rg) or (b._inf and a._rg):    # (an operand is saved for the other's gradient)
            raise RuntimeError(INFERENCE_SAVED_MSG)
        bulk_min = STATE.bulk_min
        if out.numel() >= bulk_min or av.size >= bulk_min or bv.size >= bulk_min:
            return record_matmul(a, b, out, name)
        tape = T.current()
        op = MatmulBackward()
        op.a = _push_operand(tape, a) if a._rg else -1
        op.b = _push_operand(tape, b) if b._rg else -1
        op.aval = None if a._rg else np.array(a._data(), np.float64)
        op.bval = None if b._rg else np.array(b._data(), np.float64)
        op.ashape, op.bshape = tuple(a.shape), tuple(b.shape)
        op.oshape = () if out._arr is None else out._arr.shape
        op.arg, op.brg = a._rg, b._rg
        # (a constant operand kept for the other's gradient: an in-place write to it is torch's error)
        const = b if not b._rg else (a if not a._rg else None)
        op.const_info = T.saved_info(const) if const is not None and _TT._guard_hook is None else None
        op.const_keep = const       # (torch's node holds it: a temporary view, W.t(), keeps counting its base's writes)
        op.out = slot = _push_out(tape, out)
        op.name = name
        op.exact = exact
        op.fold = None if fold is None else fold[0]
        # compile (recording: the guard hook is set) replays np.matmul's BLAS calls
        # from its operands' layout (core/replay_blas.py)
        op.layout = None if exact or _TT._guard_hook is None else blas_layout(av, bv)
        # (m: which operands require grad, what torch's mm saves: opkernels.modified_saved)
        tape.host[T.record(tape, K.HOST, slot, out.numel(), op.a, op.b, (4 if a._rg else 0) | (8 if b._rg else 0),
                           -1)] = op
        _finish(out, tape, slot, name)
    return out


def matmul(input, other):
    if isinstance(input, Tensor) and isinstance(other, Tensor):
        aa, ba = input._arr, other._arr
        if aa is not None and ba is not None and aa.ndim == 2 and ba.ndim <= 2:
            # (a matrix times a vector or matrix, the common case: _matmul_plan's checks and
            # name for these ranks, and no batch to fold, without its general walk)
            if ba.ndim == 1:
                _check_mv(aa.shape, input.dtype, ba.shape, other.dtype)
                return _matmul_record(input, other, "MvBackward0")
            _check_mm(aa.shape, input.dtype, ba.shape, other.dtype)
            return _matmul_record(input, other, "MmBackward0")
    a, b = _matmul_operands(input, other, "matmul")
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D")
    return _matmul_record(a, b, _matmul_plan(_spec(a), _spec(b)), _fold(_spec(a), _spec(b)))


def mm(input, mat2):
    a, b = _matmul_operands(input, mat2, "mm")
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _check_mm(a.shape, a.dtype, b.shape, b.dtype)
    return _matmul_record(a, b, "MmBackward0")


def bmm(input, mat2):
    a, b = _matmul_operands(input, mat2, "bmm")
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    _check_bmm(a.shape, a.dtype, b.shape, b.dtype)
    return _matmul_record(a, b, "BmmBackward0")


def dot(input, other):
    a, b = _matmul_operands(input, other, "dot")
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    _check_dot(a.shape[0], a.dtype, b.shape[0], b.dtype)
    return _matmul_record(a, b, "DotBackward0")


def mv(input, vec):
    a, b = _matmul_operands(input, vec, "mv")
    if a.ndim != 2 or b.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {b.ndim}")
    _check_mv(a.shape, a.dtype, b.shape, b.dtype)
    return _matmul_record(a, b, "MvBackward0")


def outer(input, vec2):
    a, b = _matmul_operands(input, vec2, "outer")
    for name, t in (("self", a), ("vec2", b)):
        if t.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
    return reshape(a, -1, 1) * b


ger = outer

_SHAPE_CPP = "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:{}.)"


def _reverse_dims(x):
    """x.T: all dims reversed (deprecated by PyTorch unless x is a matrix)."""
    if x.ndim == 0:
        warn_once("Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases. "
                   + _SHAPE_CPP.format(4321), stacklevel=3)
    elif x.ndim != 2:
        warn_once("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
                   "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
                   "matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
                   "tensor. " + _SHAPE_CPP.format(4314), stacklevel=3)
    return _permuted(x, tuple(range(x.ndim - 1, -1, -1)), "PermuteBackward0")


def _transpose_of(name: str, deprecated: str, line: int):
    """x.mT / x.mH / x.adjoint(): the last two dims swapped; a 0-D tensor is returned itself (torch's
    identity, with its deprecation warning)."""
    def matrix_transpose(x):
        if x.ndim == 0:
            warn_once(deprecated + " " + _SHAPE_CPP.format(line), stacklevel=3)
            return x
        if x.ndim == 1:
            raise RuntimeError(f"tensor.{name} is only supported on matrices or batches of matrices. Got 1-D tensor.")
        return transpose(x, -2, -1)
    return matrix_transpose


_matrix_transpose = _transpose_of("mT", "Tensor.mT is deprecated on 0-D tensors. This function is the identity in "
                                  "these cases.", 4373)
_matrix_adjoint = _transpose_of("mH", "Tensor.mH is deprecated on 0-D tensors. Consider using x.conj().", 4382)
adjoint = _transpose_of("adjoint()", "adjoint() is deprecated on 0-D tensors. Consider using x.conj().", 4390)
