"""var, std, var_mean and std_mean: torch's values (its Welford and
two-pass kernels, core/torch_sum.py `var_value`) and var's record with
torch's backward (autodiff/bulk.py `_Var`; while compile records, the
composite and the var record, var_host.py)."""
import math
import warnings

import numpy as np

from ..autodiff import host_ops as HO
from ..autodiff.bulk import record_var
from ..core import dtypes as D
from ..core import torch_sum as TS
from ..core.loss_kernels import VAR_MEAN32, VAR_WELFORD
from ..core.grad_mode import STATE
from ..tensors.tensor import Tensor, _guard_recording, _guard_taint
from . import functions as F
from . import var_host as VH

_F32, _F64 = D.float32, D.float64


def _dims_count(x, dim):
    if dim is None:
        return x.numel()
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    return math.prod(x.shape[d] for d in dims) if x.ndim else 1


def _var_args(input, dim, args, correction, keepdim, unbiased, name, level):
    """(x, dim, dims, correction, keepdim, n) of var / std's arguments, with
    torch's checks and its warning for no degrees of freedom."""
    x = F._as_tensor(input)
    if isinstance(dim, bool):          # torch.var(x, unbiased)
        unbiased, dim = dim, None
    if args:                           # torch.var(x, dim, unbiased, keepdim=False)
        unbiased = args[0]
        if len(args) > 1:
            keepdim = args[1]
    if not x.dtype.is_floating_point:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if dim is not None:
        dim = F._dims(dim, x.ndim) or None     # range and duplicate checks; () is all dims
        if not x.ndim:
            dim = None
    corr = correction if correction is not None else (0 if unbiased is False else 1)
    n = _dims_count(x, dim)
    if n - corr <= 0:
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
                      "reduction factor (input numel divided by output numel). (Triggered internally at "
                      "/__w/pytorch/pytorch/aten/src/ATen/native/ReduceOps.cpp:1861.)", UserWarning,
                      stacklevel=level + 1)     # (+1: arg_types' wrapper of torch.var / x.var ... calls)
    return x, dim, F._reduce_dims(dim, x.ndim), corr, keepdim, n


def _no_graph(x):
    """Whether var / std of x is a plain value: no gradient to record and no
    compile recording it (then torch's value, computed directly)."""
    return x.numel() > 0 and not (x._rg and STATE.grad_enabled) and not _guard_recording(x)


def var(input, dim=None, *args, correction=None, keepdim=False, unbiased=None, _name="var", _level=2, _form=0):
    # (_form: loss_kernels.VAR_WELFORD for var_mean's var, VAR_MEAN32 for float32 std's var in double)
    x, dim, dims, corr, keepdim, n = _var_args(input, dim, args, correction, keepdim, unbiased, _name, _level + 1)
    if (x._rg and STATE.grad_enabled and x.numel() and not HO.composite_only()
            and (n - corr > 0 or not _guard_recording(x))):
        # torch's var_backward (no gradient through the mean: an infinite
        # upstream gradient gives infinities, not nan): a record of its own;
        # compile: the composite, then a var record with this backward in Numba (var_host.py)
        exact = _var_value(x, dims, corr, keepdim, form=_form)
        if _guard_recording(x):     # (the var record computes torch's value again at replay)
            with HO.COMPOSITE:      # (var's composite below, its x - mean kept)
                centred = x - F.mean(x, dim, keepdim=True)
                value = F.sum(centred * centred, dim, keepdim=keepdim) / (n - corr)
            recorded = VH.record(x, centred, value, exact, dim, corr, keepdim, dims, n - corr, _form)
        else:
            # (no degrees of freedom: torch's backward takes 2 / (n - correction) as it is, inf at 0; of a
            # 0-D input clamped at 0: nan)
            recorded = record_var(x, exact, dims, max(n - corr, 0) if x.ndim == 0 else n - corr)
        if recorded is not None:
            return F._named(recorded, "VarBackward0", x)    # (its graph edge: x, as torch's node)
    elif _no_graph(x):
        return _var_value(x, dims, corr, keepdim, form=_form)
    d = x - F.mean(x, dim, keepdim=True)
    ss = F.sum(d * d, dim, keepdim=keepdim)
    out = ss / float(max(n - corr, 0))      # torch: no degrees of freedom divide by 0 (inf, nan at 0)
    return F._named(out, "VarBackward0", x)


def _var_value(x, dims, corr, keepdim, root=False, form=0):
    """torch's var (std when root) of x over dims, a tensor without a graph
    (its kernels' arithmetic: core/torch_sum.py `var_value`)."""
    arr = np.asarray(x._data())
    if arr.dtype == np.float16:     # (torch's float16 var: in float32, rounded once)
        arr = arr.astype(np.float32)
    v = TS.var_value(arr, dims, corr, root, welford=bool(form & VAR_WELFORD),
                     mean32=bool(form & VAR_MEAN32)).astype(x.dtype.np)
    if not keepdim:
        v = v.reshape(tuple(s for i, s in enumerate(x.shape) if i not in dims))
    return Tensor._wrap(v, x.dtype)


def std(input, dim=None, *args, correction=None, keepdim=False, unbiased=None):
    x = F._as_tensor(input)
    if _no_graph(x) and x.dtype.is_floating_point:      # (torch's square root of its double var)
        x, dim, dims, corr, keepdim, n = _var_args(x, dim, args, correction, keepdim, unbiased, "std", 3)
        return _var_value(x, dims, corr, keepdim, root=True)
    if x.dtype is _F32:
        # torch's float32 std is the square root of its double var, then rounded: the var of x in
        # float64 (one result: about x's float32 mean, as torch's), its root, the cast (the root of the
        # float32 var was an ulp off in 3 of 10; eager and replay alike)
        v = var(x.to(_F64), dim, *args, correction=correction, keepdim=keepdim, unbiased=unbiased, _name="std",
                _level=3, _form=VAR_MEAN32)
        return F._named(_masked_sqrt(v).to(_F32), "StdBackward0", input)
    v = var(input, dim, *args, correction=correction, keepdim=keepdim, unbiased=unbiased, _name="std", _level=3)
    return F._named(_masked_sqrt(v), "StdBackward0", input)


def _masked_sqrt(v):
    """std from var as torch's std backward sees it: torch masks the gradient
    where the std is 0 (not g / 0 * 0 = nan), so the square root of a zero
    variance is taken of 1 and replaced by 0."""
    zero = (v == 0).detach()
    return F.where(zero, 0.0, F.sqrt(F.where(zero, 1.0, v)))


def var_mean(input, dim=None, *args, correction=None, keepdim=False, unbiased=None, _name="var_mean", _level=3,
             _root=False):
    x = F._as_tensor(input)
    if _no_graph(x) and x.dtype.is_floating_point:     # (torch's Welford kernel: both results)
        x, dim, dims, corr, keepdim, n = _var_args(x, dim, args, correction, keepdim, unbiased, _name, _level)
        v, m = TS.var_value(np.asarray(x._data()), dims, corr, _root, with_mean=True)
        if not keepdim:
            shape = tuple(s for i, s in enumerate(x.shape) if i not in dims)
            v, m = v.reshape(shape), m.reshape(shape)
        return Tensor._wrap(v, x.dtype), Tensor._wrap(m, x.dtype)
    # (torch's Welford kernel for one result too)
    v = var(input, dim, *args, correction=correction, keepdim=keepdim, unbiased=unbiased, _name=_name, _level=_level,
            _form=VAR_WELFORD)
    if isinstance(dim, bool):
        dim = None
    keepdim = args[1] if len(args) > 1 else keepdim
    m = F.mean(input, F._dims(dim, input.ndim) or None if dim is not None and input.ndim else None, keepdim=keepdim)
    m = _welford_mean(x, m, dim, args, correction, keepdim, unbiased, _name, _level)
    return F._named(v, "VarMeanBackward0", input), F._named(m, "VarMeanBackward0", input)


def _welford_mean(x, m, dim, args, correction, keepdim, unbiased, name, level):
    """var_mean's mean m (sum / n, with its gradient) given the value of
    torch's kernel, Welford's (the plain path's): the difference added as a
    constant. Welford's update gives nan, not inf, after an infinity followed
    by a finite element, and rounds otherwise. compile: the replay's mean is
    sum / n (an ulp away, or -inf for nan), so the signature runs eagerly."""
    if not x.numel() or not m.dtype.is_floating_point:
        return m
    if _guard_recording(x):
        _guard_taint(f"{name}'s mean (torch's Welford update, not sum / n)", x)
        return m
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # (the degrees-of-freedom warning was given once)
        x, dim, dims, corr, keepdim, n = _var_args(x, dim, args, correction, keepdim, unbiased, name, level + 1)
        _, want = TS.var_value(np.asarray(x._data()), dims, corr, False, with_mean=True)
    want = np.asarray(want, m.dtype.np).reshape(m.shape)
    have = np.asarray(m._data())
    if want.tobytes() == have.tobytes():
        return m
    with np.errstate(all="ignore"):
        fixed = m + Tensor._wrap((want.astype(np.float64) - have.astype(np.float64)).astype(m.dtype.np), m.dtype)
    return fixed if np.asarray(fixed._data()).tobytes() == want.tobytes() else m


def std_mean(input, dim=None, *args, correction=None, keepdim=False, unbiased=None):
    x = F._as_tensor(input)
    if _no_graph(x) and x.dtype.is_floating_point:
        return var_mean(x, dim, *args, correction=correction, keepdim=keepdim, unbiased=unbiased, _name="std_mean",
                        _level=4, _root=True)
    v, m = var_mean(input, dim, *args, correction=correction, keepdim=keepdim, unbiased=unbiased, _name="std_mean",
                    _level=4)
    # (torch's std_mean backward is std's: 0 where the std is 0, as std above. float32: the root of the
    # float32 var, whose record gives torch's float32 gradient; torch roots its double var, an ulp apart)
    return F._named(_masked_sqrt(v), "StdMeanBackward0", input), F._named(m, "StdMeanBackward0", input)
