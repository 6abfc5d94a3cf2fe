"""Channel-wise and alpha dropouts, rrelu, embedding_bag, and the in-place
forms of the activations (F.relu_, F.elu_, ...). The dropouts' noise is
torch's: a tensor of the input's dtype filled by bernoulli_(1 - p) (the
generator's draws as torch's), then scaled in that dtype. Re-exported by
jitgrad.nn.functional."""
from __future__ import annotations

import functools
import inspect
import math
import warnings
from typing import Callable

import numpy as np

from ..core import dtypes as D
from ..functional import functions as F
from ..functional import arg_types as AT
from ..functional.arg_types import check_positional
from ..functional.creation import draw_state
from ..functional.inplace import _inplace
from ..functional import selection as SEL
from ..tensors import tensor as TT
from ..tensors.tensor import Tensor
from . import bulk_ops
from .layers_functional import _renorm_rows

__all__ = ['dropout1d', 'dropout2d', 'dropout3d', 'alpha_dropout', 'feature_alpha_dropout',
           'rrelu', 'rrelu_', 'embedding_bag']

_ALPHA = 1.7580993408473766


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _keep_mask(shape: tuple, p: float, dtype) -> np.ndarray:
    """torch's noise before scaling: a tensor of `shape` in the input's dtype,
    bernoulli_(1 - p) (1 keep, 0 drop)."""
    return F.zeros(shape, dtype=dtype).bernoulli_(1 - p)._data()


def _apply(input: Tensor, noise: np.ndarray, inplace: bool, shift: np.ndarray | None = None) -> Tensor:
    noise_t = Tensor._wrap(noise.astype(input.dtype.np))
    if inplace:
        input.mul_(noise_t)
        return input if shift is None else input.add_(Tensor._wrap(shift.astype(input.dtype.np)))
    out = input * noise_t
    return out if shift is None else out + Tensor._wrap(shift.astype(input.dtype.np))


def _dropout_impl(input: Tensor, p: float, training: bool, inplace: bool, feature: bool, alpha: bool) -> Tensor:
    """torch's _dropout_impl: feature dropout draws one mask value per
    (sample, channel); alpha dropout keeps the self-normalising mean and variance."""
    _check_p(p)
    if training is not True and training is not False:      # (torch's parser of its _VF call: no int, no None)
        name = ("feature_" if feature else "") + ("alpha_dropout" if alpha else "dropout")
        check_positional(name, (("Tensor", "input", input), ("float", "p", p), ("bool", "train", training)))
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:
        zero = F.zeros((), dtype=input.dtype)
        return input.mul_(zero) if inplace else input * zero
    if feature and input.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2) if feature else tuple(input.shape)
    keep = _keep_mask(shape, p, input.dtype)
    dt = keep.dtype.type       # (torch scales the noise in the input's dtype, its scalars rounded to it)
    if not alpha:
        return _apply(input, keep / dt(1 - p), inplace)
    a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
    shift = (keep - dt(1)) * dt(_ALPHA * a) + dt(_ALPHA * a * p)
    return _apply(input, keep * dt(a), inplace, shift)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    _check_p(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note that "
                           "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a "
                           "channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    if input.ndim == 2:
        out = _dropout_impl(F.unsqueeze(input, 0), p, training, False, True, False)
        out = F.squeeze(out, 0)
        return input.copy_(out) if inplace and out is not input else out
    return _dropout_impl(input, p, training, inplace, True, False)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    _check_p(p)
    if input.ndim not in (3, 4):
        warnings.warn(f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated and will result "
                      "in an error in a future release. To retain the behavior and silence this warning, please use "
                      "dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 "
                      "spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D "
                      "inputs).", stacklevel=2)
    if input.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
                      "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. "
                      "This behavior will change in a future release to interpret the input as one without a batch "
                      "dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please "
                      "switch to using dropout1d instead.", stacklevel=2)
    return _dropout_impl(input, p, training, inplace, True, False)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    _check_p(p)
    if input.ndim not in (4, 5):
        warnings.warn(f"dropout3d: Received a {input.ndim}-D input to dropout3d, which is deprecated and will result "
                      "in an error in a future release. To retain the behavior and silence this warning, please use "
                      "dropout instead. Note that dropout3d exists to provide channel-wise dropout on inputs with 3 "
                      "spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 4D or 5D "
                      "inputs).", stacklevel=2)
    if input.ndim != 5:     # (torch adds a batch dim to every input but a 5-D one)
        out = F.squeeze(_dropout_impl(F.unsqueeze(input, 0), p, training, False, True, False), 0)
        return input.copy_(out) if inplace and out is not input else out
    return _dropout_impl(input, p, training, inplace, True, False)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    return _dropout_impl(input, p, training, inplace, False, True)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    return _dropout_impl(input, p, training, inplace, True, True)


def feature_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    return _dropout_impl(input, p, train, False, True, False)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """Leaky ReLU with slope (lower + upper) / 2 in eval; in training each
    non-positive element draws its slope from U(lower, upper)."""
    AT.check_positional("rrelu", (("Tensor", "input", input), ("Number", "lower", lower), ("Number", "upper", upper)))
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f'"rrelu_with_noise_out_cpu" not implemented for \'{str(input.dtype).split(".")[-1]}\'')
    if training:
        # torch's _rrelu_with_noise_train: element by element (memory order), a
        # non-positive one draws uniform_real_distribution<double>(lower, upper)
        # (one random64 each; its bounds in the input's opmath dtype, the
        # transformation x * (to - from) + from without an fma).
        TT._guard_taint("rrelu(training=True)", input)     # (its draws follow the data: compile runs it eagerly)
        x = np.ascontiguousarray(input._data())
        neg = x <= 0
        op = np.float64 if x.dtype == np.float64 else np.float32
        lo, hi = float(op(lower)), float(op(upper))
        slope = np.ones(x.shape, np.float64)
        slope[neg] = draw_state(None).uniform_double(int(neg.sum())) * (hi - lo) + lo
    else:
        neg = (lower + upper) / 2       # (torch's leaky_relu: slope 1 only where x > 0, so d/dx at 0 is neg)
        # (a recorded comparison, not the values' mask: compiled replays recompute it)
        dt = input.dtype
        slope_t = F.where(input > 0, F.tensor(1.0, dtype=dt), F.tensor(float(np.dtype(dt.np).type(neg)), dtype=dt))
        if inplace:
            return _inplace(input, lambda _s, x, _o, _n: x * slope_t, None, None, "RreluWithNoiseBackward1")
        return F._named(F._c_order(input * slope_t), "RreluWithNoiseBackward0")
    if inplace:
        return _inplace(input, lambda _s, x, _o, _n: x * Tensor._wrap(slope.astype(x.dtype.np)), None, None,
                        "RreluWithNoiseBackward1")
    return F._named(F._c_order(input * Tensor._wrap(slope.astype(input.dtype.np))), "RreluWithNoiseBackward0")


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:
    return rrelu(input, lower, upper, training, True)


# torch names the node of some in-place activations differently (their
# backward reads the result, not the input)
_INPLACE_NODE = {"leaky_relu": "LeakyReluBackward1", "elu": "EluBackward1", "selu": "EluBackward1",
                 "celu": "CeluBackward1", "threshold": "ThresholdBackward1"}


def inplace_form(fn: Callable, name: str) -> Callable:
    """F.<name>_: fn applied to input, written back into it (torch's
    in-place semantics: the version counter, leaf and view checks)."""
    node = _INPLACE_NODE.get(name.rstrip("_"))

    def inplace(input: Tensor, *args, **kwargs) -> Tensor:
        return _inplace(input, lambda _s, x, _o, _n: fn(x, *args, **kwargs), None, None, node)
    inplace.__name__ = inplace.__qualname__ = name
    return inplace


def honour_inplace(fn: Callable) -> Callable:
    """fn with its `inplace=True` argument acting as torch's: the result is
    written into the input (fn itself ignores the flag)."""
    sig = inspect.signature(fn)
    names = list(sig.parameters)
    at = names.index("inplace")
    node = _INPLACE_NODE.get(fn.__name__)

    def wrapper(*args, **kwargs):
        if len(args) > len(names) or (kwargs and any(k not in sig.parameters for k in kwargs)):
            return fn(*args, **kwargs)      # (Python's TypeError of the call, as torch's Python function)
        inplace = kwargs.pop("inplace", False) if len(args) <= at else args[at]
        if not inplace:
            return fn(*args[:at], *args[at + 1:], **kwargs)
        rest = args[1:at] + args[at + 1:]
        return _inplace(args[0], lambda _s, x, _o, _n: fn(x, *rest, **kwargs), None, None, node)
    return functools.wraps(fn)(wrapper)


# ----- embedding_bag ---------------------------------------------------------------

def _bags(input: Tensor, offsets: Tensor | None, include_last_offset: bool):
    """(flat indices, bag of each index, number of bags)."""
    idx = input._data()
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             f"fixed length sequences. However, found offsets of type {type(offsets)}")
        b, n = idx.shape
        return idx.reshape(-1), np.repeat(np.arange(b), n), b
    if input.ndim != 1:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.ndim}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    if offsets.ndim != 1:
        raise ValueError("offsets has to be a 1D Tensor")
    off = offsets._data().astype(np.int64)
    n = idx.size
    if off.size and off[0] != 0:
        raise RuntimeError(f"offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
                           f"position 0. However, got {off[0]}\n[ torch.{D.TORCH_NAMES[input.dtype.name]}Tensor{{}} ]")
    if off.size and off[-1] > n:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {n} but got offsets[-1] of "
                           f"{off[-1]}")
    bags = off.size - 1 if include_last_offset else off.size
    ends = np.append(off[1:], n) if not include_last_offset else off[1:]
    starts = off[:bags]
    bag_of = np.full(n, -1, np.int64)
    for b in range(bags):
        bag_of[starts[b]:ends[b]] = b
    return idx, bag_of, bags


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None, max_norm: float | None = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    if weight.ndim != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.ndim}")
    if input.dtype.is_floating_point:
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           "Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding_bag)")
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(f"embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
                                  "GitHub.")
    if per_sample_weights is not None and tuple(per_sample_weights.shape) != tuple(input.shape):
        raise ValueError(f"embedding_bag: If per_sample_weights ({list(per_sample_weights.shape)}) is not None, "
                         f"then it must have the same shape as the input ({list(input.shape)})")
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding_bag: scale_grad_by_freq and sparse are not supported by jitgrad")
    rows, dim = weight.shape
    if padding_idx is not None:
        if not -rows <= padding_idx < rows:
            raise AssertionError("padding_idx must be within the number of embeddings")
        padding_idx %= rows
    idx, bag_of, bags = _bags(input, offsets, include_last_offset)
    if idx.size and (idx.min() < 0 or idx.max() >= rows):
        at = int(np.nonzero((idx < 0) | (idx >= rows))[0][0])
        if mode == "max":       # (torch's max kernel words it its own way)
            raise RuntimeError(f"embedding_bag: Expected idx >= 0 && idx < num_embeddings but found idx to be "
                               f"{idx[at]}")
        raise RuntimeError(f"Index {at} of input takes value {idx[at]} which is not in the valid range [0, {rows})")
    if max_norm is not None:
        _renorm_rows(weight, np.unique(idx), max_norm, norm_type)
    used = bag_of >= 0
    if padding_idx is not None:
        used &= idx != padding_idx
    positions = np.nonzero(used)[0]
    counts = np.bincount(bag_of[positions], minlength=bags)
    width = max(int(counts.max()) if counts.size else 0, 1)
    order = positions[np.argsort(bag_of[positions], kind="stable")]
    rank = np.arange(order.size) - np.repeat(np.cumsum(counts) - counts, counts)
    slot = np.full((bags, width), -1, np.int64)        # (bag, member) -> position in the flat input
    slot[bag_of[order], rank] = order
    if per_sample_weights is not None:
        rows_t = F.reshape(weight[Tensor._wrap(idx.astype(np.int64))], (idx.size, dim))
        rows_t = rows_t * F.reshape(per_sample_weights, (-1, 1))
        flat_pos = slot[:, :, None] * dim + np.arange(dim)
        source, fill_at = rows_t, idx.size * dim
    else:
        flat_pos = idx[np.maximum(slot, 0)][:, :, None] * dim + np.arange(dim)
        source, fill_at = weight, rows * dim
    taps = np.where(slot[:, :, None] >= 0, flat_pos, fill_at).transpose(0, 2, 1)     # (bags, D, width)
    if mode == "max":
        vals = np.append(source._data().ravel(), -np.inf)[taps]
        which = np.argmax(vals, -1)
        if TT._guard_hook is not None and counts.all() and source._rg and not bulk_ops._bulk(source, taps.size):
            # compile: each (bag, column)'s max is a recorded pick (selection.py), recomputed at
            # replay: its members' positions (a short bag's padded with its first member: never
            # a first max or nan of its own) and the gather eager mode records below
            ext = F.cat([F.reshape(source, (-1,)), F.full((1,), 0.0, dtype=source.dtype)])
            if SEL.recording(ext):
                grid = np.where(slot[:, None, :] >= 0, taps, taps[..., :1])
                out, _ = SEL.pick(ext, grid, 2, which[..., None], "max", 0, (bags, dim), (bags, dim), "IndexBackward0")
                return F._named(out, "EmbeddingBagBackward0")
        TT._guard_taint("embedding_bag(mode='max')", source)     # (a choice by value: compile runs it eagerly)
        picked = np.take_along_axis(taps, which[..., None], -1)[..., 0]
        picked = np.where(counts[:, None] > 0, picked, fill_at)
        out = bulk_ops.gather(source, picked, 0.0)
    else:
        out = F.sum(bulk_ops.gather(source, taps), -1)
        if mode == "mean":
            out = out / Tensor._wrap(np.maximum(counts, 1).astype(weight.dtype.np)[:, None])
    return F._named(out, "EmbeddingBagBackward0")
