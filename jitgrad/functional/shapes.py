"""Shapes and views: reshape, permute, expand, joining and splitting. Views are
NumPy views of the value; for the sweep they are index maps (GATHER)."""
import math
import operator

import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from ..core import tape as T
from ..core import saved_nodes as SN
from ..tensors import tensor as _TT
from ..tensors import tracked as TR
from ..tensors.tensor import (STATE, Tensor, _array_out, _dim, name_node)
from ..tensors.arith import (_finish, _push_out)
from ..autodiff.engine import ANOMALY, check_anomaly  # noqa: F401  (check_anomaly: used by the layers above)
from ..autodiff.matmul import MatmulBackward, matmul_grads, sum_to_tensor as _sum_to_tensor  # noqa: F401
from . import torch_strides as TS
from . import view_dtype as VD
from ..tensors.views import (_identity, _record_gather, _result, register_view as _register_view, view as _view)

from .base import (_as_tensor, _dims, _grad_on, _named, _saved_args, builtins_any, builtins_max, builtins_sum)
from . import small
from . import arg_types as AT
from .arg_types import check_positional


# ----- shapes (views: NumPy views of the value, index maps for the sweep) ----

def _index_op(x, value, idx, name):
    """A new tensor (a copy, not a view) holding `value`, whose element i is
    x.flatten()[idx[i]] (idx None: the same order)."""
    out = _array_out(np.array(value, x.dtype.np), x.dtype)
    if x._rg and STATE.grad_enabled:
        _record_gather(x, out, idx, name)
    return out


def _reshaped(x, shape, name):
    """x's elements in x's order, in `shape`: a view."""
    return _view(x, lambda a: a.reshape(shape), name, same_order=True)


def _alias(x):
    return _view(x, _identity, "AliasBackward0", same_order=True)


def _infer_shape(shape, numel):
    """PyTorch's infer_size: -1 takes what is left, with its errors."""
    infer, known = None, 1
    for i, s in enumerate(shape):
        if s == -1:
            if infer is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        elif s >= 0:
            known *= s
        else:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {list(shape)}")
    if numel == known or (infer is not None and known > 0 and numel % known == 0):
        if infer is None:
            return tuple(shape)
        if known == 0:
            raise RuntimeError(f"cannot reshape tensor of 0 elements into shape {list(shape)} because the "
                               "unspecified dimension size -1 can be any value and is ambiguous")
        return tuple(shape[:infer]) + (numel // known,) + tuple(shape[infer + 1:])
    raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")


def _shape_arg(shape, fname="view"):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    try:
        return tuple(operator.index(s) for s in shape)
    except TypeError:
        got = ", ".join(type(v).__name__ for v in shape)
        raise TypeError(f"{fname}() received an invalid combination of arguments - got ({got}), but "
                        "expected one of:\n * (torch.dtype dtype)\n * (tuple of ints size)\n") from None


def _contiguous(x):
    return x._v is not None or x._arr.flags.c_contiguous


def reshape(input, *shape):
    x = input
    if x.__class__ is TR.Tracked and STATE.grad_enabled:
        return TR.shaped(reshape, x, *shape)      # (compile: a recorded mask stays one)
    shape = _infer_shape(_shape_arg(shape, "reshape"), x.numel())
    if x._v is None and not _contiguous(x) and not np.may_share_memory(x._arr.reshape(shape), x._arr):
        # Not expressible as a view of x: PyTorch copies (not a view either).
        # (torch's node: _unsafe_view of x.clone(): a CloneBackward0 between)
        return _named(_index_op(x, x._arr.reshape(shape), None, "UnsafeViewBackward0"), "UnsafeViewBackward0",
                      ("CloneBackward0", x))
    return TS.with_rule(_reshaped(x, shape, "ViewBackward0" if _contiguous(x) else "ReshapeAliasBackward0"),
                        TS.viewed(shape))


def view(input, *shape):
    if len(shape) == 1 and isinstance(shape[0], D.dtype):
        return VD.view_dtype(input, shape[0])
    if not shape:
        raise TypeError("view() received an invalid combination of arguments - got (), but expected one of:\n"
                        " * (torch.dtype dtype)\n * (tuple of ints size)\n")
    x = input
    if x.__class__ is TR.Tracked and STATE.grad_enabled:
        return TR.shaped(view, x, *shape)         # (compile: a recorded mask stays one)
    shape = _infer_shape(_shape_arg(shape), x.numel())
    if x._v is None and (not _contiguous(x) and not np.may_share_memory(x._arr.reshape(shape), x._arr)
                         if x._view is None else TS.view_strides(x.shape, TS.strides(x), shape) is None):
        # (a view's own array is not laid out as torch's: an expand is a copy; its torch strides decide)
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                           "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
    return TS.with_rule(_reshaped(x, shape, "ViewBackward0"), TS.viewed(shape))


def flatten(input, start_dim=0, end_dim=-1):
    x = input
    if x.ndim == 0:
        _dim(start_dim, 0), _dim(end_dim, 0)
        return reshape(x, 1)
    s, e = _dim(start_dim, x.ndim), _dim(end_dim, x.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return x    # PyTorch returns the input itself
    shape = x.shape
    return reshape(x, shape[:s] + (math.prod(shape[s:e + 1]),) + shape[e + 1:])


def squeeze(input, dim=None, *more):
    if more:        # (x.squeeze(0, 1): the method's int varargs, as torch's parser takes them)
        dim = (dim, *more)
    shape = input.shape
    if dim is None:
        new = tuple(s for s in shape if s != 1)
        name = "SqueezeBackward0"
    else:
        dims = _dims(dim, input.ndim)
        new = tuple(s for i, s in enumerate(shape) if not (i in dims and s == 1))
        name = "SqueezeBackward1" if isinstance(dim, int) else "SqueezeBackward2"
    gone = {i for i, s in enumerate(shape) if s == 1 and (dim is None or i in dims)}
    out = TS.with_rule(_reshaped(input, new, name), TS.dropped(gone))
    return out if dim is None else _saved_args(out, name, dim=SN.uint(dim) if isinstance(dim, int) else SN.dims(dim),
                                               self_sym_sizes=tuple(shape))


def unsqueeze(input, dim):
    d = _dim(dim, input.ndim + 1)
    shape = input.shape
    out = TS.with_rule(_reshaped(input, shape[:d] + (1,) + shape[d:], "UnsqueezeBackward0"), TS.unsqueezed(d))
    return _saved_args(out, "UnsqueezeBackward0", dim=SN.uint(dim))


def permute(input, *dims):
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    dims = _shape_arg(dims, "permute")
    if len(dims) != input.ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match "
                           f"the length of the desired ordering of dimensions i.e. input.dim() = {input.ndim} "
                           f"is not equal to len(dims) = {len(dims)}")
    given = dims
    dims = tuple(_dim(d, input.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _saved_args(_permuted(input, dims, "PermuteBackward0"), "PermuteBackward0", dims=SN.uint(tuple(given)))


def _permuted(x, dims, name):
    if x.ndim < 2:
        return _named(TS.with_rule(_reshaped(x, x.shape, name), TS.kept), name, x)
    return _named(TS.with_rule(_view(x, lambda a: np.transpose(a, dims), name), TS.permuted(dims)), name, x)


def transpose(input, dim0, dim1):
    n = input.ndim
    d0, d1 = _dim(dim0, n), _dim(dim1, n)
    perm = list(range(n))
    if n:
        perm[d0], perm[d1] = perm[d1], perm[d0]
    return _saved_args(_permuted(input, tuple(perm), "TransposeBackward0"), "TransposeBackward0",
                       dim0=SN.uint(dim0), dim1=SN.uint(dim1))


swapaxes = swapdims = transpose


def t(input):
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return _permuted(input, tuple(range(input.ndim))[::-1], "TBackward0")


def movedim(input, source, destination):
    n = input.ndim
    src = (source,) if isinstance(source, int) else tuple(source)
    dst = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} dims) should "
                           f"contain the same number of dims as destination ({list(dst)} dims)")
    src = tuple(_dim(d, n) for d in src)
    dst = tuple(_dim(d, n) for d in dst)
    for what, ds in (("source", src), ("destination", dst)):
        if len(set(ds)) != len(ds):
            raise RuntimeError(f"movedim: repeated dim in `{what}` ({list(ds)})")
    if n == 0:
        return _alias(input)
    order = [None] * n
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(i for i in range(n) if i not in src)
    order = tuple(o if o is not None else next(rest) for o in order)
    return _saved_args(_permuted(input, order, "PermuteBackward0"), "PermuteBackward0", dims=tuple(order))


moveaxis = movedim


def _tensor_type(x):
    return f"torch.{D.TORCH_NAMES[x.dtype.name]}Tensor"


def expand(input, *sizes):
    sizes = _shape_arg(sizes, "expand")
    shape = tuple(input.shape)
    if len(sizes) < len(shape):
        raise RuntimeError(f"expand({_tensor_type(input)}{{{list(shape)}}}, size={list(sizes)}): the number of "
                           f"sizes provided ({len(sizes)}) must be greater or equal to the number of dimensions "
                           f"in the tensor ({len(shape)})")
    lead = len(sizes) - len(shape)
    target = list(sizes)
    for i in range(len(sizes) - 1, -1, -1):
        size = shape[i - lead] if i >= lead else 1
        if target[i] == -1:
            if i < lead:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                                   f"non-existing dimension {i}")
            target[i] = size
        if size != target[i] and size != 1:
            raise RuntimeError(f"The expanded size of the tensor ({target[i]}) must match the existing size "
                               f"({size}) at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  "
                               f"Tensor sizes: {list(shape)}")
    target = tuple(target)
    return TS.with_rule(_view(input, lambda a: np.broadcast_to(a, target), "ExpandBackward0", copy=True),
                        TS.expanded(target))


def broadcast_to(input, size):
    return expand(input, size)


def _tensor_list(tensors, fname):
    if isinstance(tensors, Tensor):
        raise TypeError(f"{fname}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    ts = list(tensors)
    for i, t in enumerate(ts):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {AT.tp_name(t)}")
    return ts


def _check_cat(ts, dim):
    """PyTorch's cat checks; returns the dim. 1-D empty tensors are skipped."""
    ref = next((t for t in ts if not (t.ndim == 1 and t.numel() == 0)), ts[0])
    for i, t in enumerate(ts):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    d = _dim(dim, ref.ndim)
    for i, t in enumerate(ts):
        if t is ref or (t.ndim == 1 and t.numel() == 0):
            continue
        if t.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and {t.ndim}")
        for j, (p, q) in enumerate(zip(ref.shape, t.shape)):
            if j != d and p != q:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size {p} "
                                   f"but got size {q} for tensor number {i} in the list.")
    return d


def _join(ts, d, name, new_axis):
    """stack / cat of checked tensors along d: values by NumPy, the gradient
    of each input is its block of the result."""
    dt = ts[0].dtype
    for t in ts[1:]:
        dt = D.promote_types(dt, t.dtype)
    arrs = [t._data().astype(dt.np, copy=False) for t in ts]
    if new_axis:
        val = np.stack(arrs, axis=d)
    else:
        keep = [a for a in arrs if not (a.ndim == 1 and a.size == 0)]
        val = np.concatenate(keep, axis=d) if keep else arrs[0].copy()
    out = _array_out(val, dt)
    if not (_grad_on(*ts) and dt.is_floating_point):
        return out
    tape = T.current()
    slot = _push_out(tape, out)
    pos = np.arange(val.size).reshape(val.shape)
    scale = len(tape.vals)
    tape.vals.append(1.0)
    start = 0
    for i, t in enumerate(ts):
        if not t.numel():
            if t._rg:
                # torch: an empty gradient, not None (an empty link from
                # out's first slot to t's placeholder; elementwise._record_zero_grad)
                c = len(tape.vals)
                tape.vals.append(0.0)
                T.record(tape, K.SUM_IDX, slot, 0, T.slot_of(tape, t), -1, 0, T.push_meta(tape, np.array([c])))
            if not new_axis and t.ndim == 1:
                continue
        width = 1 if new_axis else t.shape[d]
        key = (slice(None),) * d + ((start,) if new_axis else (slice(start, start + width),))
        if t._rg and t.numel():
            block = pos[key].ravel()
            if d == 0:   # a contiguous block of the result
                T.record(tape, K.COPY, slot + block[0], block.size, T.slot_of(tape, t), -1, 0, -1)
            else:
                off = T.push_meta(tape, np.concatenate(([scale], block)))
                T.record(tape, K.SUM_IDX, slot, val.size, T.slot_of(tape, t), -1, t.numel(), off)
        elif t.numel() and d != 0 and _TT._guard_hook is not None and _TT._guard_hook.recording():
            # compile: a constant block is a writer too (an index sum writes its whole
            # result, so a block no record writes would replay as its -0.0 start)
            off = T.push_meta(tape, np.concatenate(([scale], pos[key].ravel())))
            T.record(tape, K.SUM_IDX, slot, val.size, T.push_array(tape, arrs[i]), -1, t.numel(), off)
        start += width
    name_node(tape, slot, name)     # (its COPY records would be ViewBackward0)
    return _finish(out, tape, slot, name)


def stack(tensors, dim=0, *, out=None):
    if (dim.__class__ is int and (dim == 0 or dim == -1) and (tensors.__class__ is list or tensors.__class__ is tuple)
            and tensors):
        res = small.stack_scalars(tensors, "StackBackward0")     # (None unless all are 0-d tensors of one float dtype)
        if res is not None:
            return _saved_args(res, "StackBackward0", dim=SN.uint(dim))
    ts = _tensor_list(tensors, "stack")
    if not ts:
        raise RuntimeError("stack expects a non-empty TensorList")
    shapes = [list(t.shape) for t in ts]
    for i, s in enumerate(shapes):
        if s != shapes[0]:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {shapes[0]} at entry 0 "
                               f"and {s} at entry {i}")
    return _saved_args(_join(ts, _dim(dim, ts[0].ndim + 1), "StackBackward0", True), "StackBackward0",
                       dim=SN.uint(dim))


def cat(tensors, dim=0, *, out=None):
    ts = _tensor_list(tensors, "cat")
    if not ts:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    return _saved_args(_join(ts, _check_cat(ts, dim), "CatBackward0", False), "CatBackward0", dim=SN.uint(dim))


concat = concatenate = cat


def hstack(tensors):
    # (torch: atleast_1d of each first)
    ts = [t if t.ndim else reshape(t, (1,)) for t in map(_as_tensor, tensors)]
    return cat(ts, 0 if ts and ts[0].ndim == 1 else 1)


def vstack(tensors):
    # (torch: atleast_2d of each first: a 0-D tensor becomes (1, 1))
    ts = [_as_tensor(t) for t in _tensor_list(tensors, "vstack")]
    return cat([t if t.ndim > 1 else unsqueeze(t, 0) if t.ndim else reshape(t, (1, 1)) for t in ts], 0)


def _multi_view(x, fns, name, key=None):
    """Several views of x (unbind, split, chunk), recorded as one GATHER whose
    output holds them back to back; each is a PyTorch multi-output view.
    `key`: names the views' positions in x (its shape, the dim and the
    pieces' sizes): their index map is kept (a cell splits its gates alike
    every step)."""
    data = x._data()
    vals = [np.asarray(f(data)) for f in fns]
    outs = [_result(v, x.dtype) for v in vals]
    if outs and x._rg and STATE.grad_enabled:
        tape = T.current()
        a = T.slot_of(tape, x)
        index = _PIECE_INDEX.get(key) if key is not None else None
        if index is None:
            base = np.arange(x.numel()).reshape(x.shape)
            idx = np.concatenate([np.asarray(f(base)).reshape(-1) for f in fns])
            index = (idx.size, np.ascontiguousarray(idx, np.int64).tobytes())
            if key is not None and len(index[1]) <= 1 << 16:
                if len(_PIECE_INDEX) > 256:
                    _PIECE_INDEX.clear()
                _PIECE_INDEX[key] = index
        slot = T.push_array(tape, np.concatenate([v.reshape(-1) for v in vals]))
        off = len(tape.meta)
        tape.meta.frombytes(index[1])       # (T.push_meta of the index map)
        T.record(tape, K.GATHER, slot, index[0], a, -1, x.numel(), off)
        name_node(tape, slot, name)     # one node for all the views (torch's multi-output node)
        for o in outs:
            _finish(o, tape, slot, name)
            slot += o.numel()
    for i, (o, f) in enumerate(zip(outs, fns)):
        _register_view(o, x, f, name, multi=i)
    return tuple(outs)


def _along(d, key):
    """f(a) = a[..., key] with key on dim d."""
    full = (slice(None),) * d + (key,)
    return lambda a: a[full]


def unbind(input, dim=0):
    if dim.__class__ is int and dim == 0 and input._arr is not None:
        outs = small.unbind_vector(input, "UnbindBackward0")     # (None unless a plain vector)
        if outs is not None:
            return outs
    if input.ndim == 0:
        _dim(dim, 1)        # (torch wraps dim against one dim first: unbind(1) is out of range)
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = _dim(dim, input.ndim)
    if d == 0:
        outs = small.unbind_vector(input, "UnbindBackward0")
        if outs is not None:
            return outs
    return _multi_view(input, [_along(d, i) for i in range(input.shape[d])], "UnbindBackward0")


def select(input, dim, index):
    if input.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = _dim(dim, input.ndim)
    index, size = int(index), input.shape[d]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} "
                         f"at dimension {d}")
    out = TS.with_rule(_view(input, _along(d, index % size), "SelectBackward0"), TS.dropped((d,)))
    return _saved_args(out, "SelectBackward0", dim=SN.uint(dim), index=SN.uint(index))


def _split_sizes(size, split_size):
    if split_size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={split_size}")
    if split_size == 0 and size != 0:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}")
    n = builtins_max(-(-size // split_size), 1) if split_size else 1
    return [split_size] * (n - 1) + [size - split_size * (n - 1)]


def _pieces(x, d, sizes, name):
    fns, start = [], 0
    for s in sizes:
        fns.append(_along(d, slice(start, start + s)))
        start += s
    return _multi_view(x, fns, name, (tuple(x.shape), d, tuple(sizes)))


_PIECE_INDEX: dict = {}     # _multi_view's key -> (size, bytes) of its index map


_VF_SPLIT = ("(Tensor input, int split_size, int dim = 0)", "(Tensor input, tuple of ints split_size, int dim = 0)")


def split(tensor, split_size_or_sections=None, dim=0, *, split_size=None):
    x, sections = tensor, split_size_or_sections if split_size is None else split_size
    if isinstance(sections, Tensor) and sections.ndim == 0:       # (torch's Tensor.split: int() of a 0-d tensor)
        sections = int(sections)
    if not isinstance(sections, (int, np.integer)):     # (torch's Tensor.split: split_with_sizes's parser)
        check_positional("split_with_sizes", (("Tensor", "input", x), ("int[]", "split_sizes", sections),
                                              ("int", "dim", dim)))
    elif isinstance(sections, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        # (an int split size: Tensor.split calls _VF.split(self, split_size, dim), whose parser takes no bool)
        text = AT.message("split", _VF_SPLIT, False, (x, sections, dim), {})
        if text is not None:
            raise TypeError(text)
    if x.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = _dim(dim, x.ndim)
    size = x.shape[d]
    if isinstance(sections, (int, np.integer)):
        return _pieces(x, d, _split_sizes(size, int(sections)), "SplitBackward0")
    sections = [int(s) for s in sections]
    if builtins_any(s < 0 for s in sections):
        raise RuntimeError("split_with_sizes expects split_sizes have only non-negative entries, but got "
                           f"split_sizes={sections}")
    if builtins_sum(sections) != size:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size "
                           f"at dimension {d}), but got split_sizes={sections}")
    return _pieces(x, d, sections, "SplitWithSizesBackward0")


def chunk(input, chunks, dim=0):
    if input.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = _dim(dim, input.ndim)
    size = input.shape[d]
    step = -(-size // chunks)
    if step == 0:   # an empty dim: `chunks` empty pieces
        return _pieces(input, d, [0] * chunks, "SplitWithSizesBackward0")
    return _pieces(input, d, _split_sizes(size, step), "SplitBackward0")


def narrow(input, dim, start, length):
    if input.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = _dim(dim, input.ndim)
    start, length, size = int(start), int(length), input.shape[d]
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    start = start + size if start < 0 else start
    if start > size - length:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return TS.with_rule(_view(input, _along(d, slice(start, start + length)), "SliceBackward0"), TS.kept)


def _moved(x, f):
    """x's values moved by f (roll, flip), with the index map of the move."""
    idx = np.asarray(f(np.arange(x.numel()).reshape(x.shape))).ravel() if x._rg else None
    return f(x._data()), idx


def roll(input, shifts, dims=None):
    x = input
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    dims = () if dims is None else ((dims,) if isinstance(dims, int) else tuple(dims))
    if not dims:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        f = lambda a: np.roll(a.reshape(-1), shifts[0]).reshape(a.shape)  # noqa: E731
    else:
        if len(shifts) != len(dims):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
        if x.ndim == 0:
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        axes = tuple(_dim(d, x.ndim) for d in dims)
        f = lambda a: np.roll(a, shifts, axis=axes)  # noqa: E731
    val, idx = _moved(x, f)
    out = _index_op(x, np.array(val, order="C"), idx, "RollBackward0")     # (torch's roll: contiguous)
    return _saved_args(out, "RollBackward0", dims=SN.dims(dims), shifts=shifts)


def flip(input, *dims):
    dims = dims[0] if len(dims) == 1 and not isinstance(dims[0], int) else dims
    axes = _dims(dims, input.ndim)    # checked even for 0-d, which has no axes to flip
    axes = axes if input.ndim else ()
    val, idx = _moved(input, lambda a: np.flip(a, axes) if axes else a)
    return _saved_args(_index_op(input, val, idx, "FlipBackward0"), "FlipBackward0", dims=SN.dims(dims))
