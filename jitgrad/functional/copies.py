"""torch's non-view variants of the view ops (`view_copy`, `transpose_copy`,
..., `narrow_copy`), the split aliases (`split_with_sizes`, `unsafe_split`,
`unsafe_chunk`) and `row_stack`. Each is the view op followed by a copy, so
its gradient is the view's; the result prints torch's grad_fn name."""
from __future__ import annotations

from typing import Any, Optional, Sequence

from ..tensors.tensor import Tensor
from . import functions as F

__all__ = ["view_copy", "transpose_copy", "permute_copy", "squeeze_copy", "unsqueeze_copy", "expand_copy",
           "select_copy", "slice_copy", "diagonal_copy", "t_copy", "unbind_copy", "split_copy",
           "split_with_sizes_copy", "unfold_copy", "detach_copy", "alias_copy", "narrow_copy", "row_stack",
           "split_with_sizes", "unsafe_chunk", "unsafe_split", "unsafe_split_with_sizes"]


def _copied(t: Tensor, name: str) -> Tensor:
    return F._named(t.clone(), name)


def _copy_all(ts: Sequence[Tensor], name: str) -> tuple:
    return tuple(F._named(t.clone(), name) for t in ts)


def view_copy(input: Tensor, *shape: Any) -> Tensor:
    return _copied(input.view(*shape), "ViewBackward0_copy")


def transpose_copy(input: Tensor, dim0: int, dim1: int) -> Tensor:
    return _copied(F.transpose(input, dim0, dim1), "TransposeBackward0_copy")


def permute_copy(input: Tensor, dims: Sequence[int]) -> Tensor:
    return _copied(F.permute(input, dims), "PermuteBackward0_copy")


def squeeze_copy(input: Tensor, dim: Any = None) -> Tensor:
    sq = F.squeeze(input) if dim is None else F.squeeze(input, dim)
    return _copied(sq, "SqueezeBackward0_copy" if dim is None else
                   ("SqueezeBackward2_copy" if isinstance(dim, (tuple, list)) else "SqueezeBackward1_copy"))


def unsqueeze_copy(input: Tensor, dim: int) -> Tensor:
    return _copied(F.unsqueeze(input, dim), "UnsqueezeBackward0_copy")


def expand_copy(input: Tensor, size: Sequence[int], *, implicit: bool = False) -> Tensor:
    return _copied(F.expand(input, tuple(size)), "ExpandBackward0_copy")


def select_copy(input: Tensor, dim: int, index: int) -> Tensor:
    return _copied(F.select(input, dim, index), "SelectBackward0_copy")


def slice_copy(input: Tensor, dim: int = 0, start: Optional[int] = None, end: Optional[int] = None,
               step: int = 1) -> Tensor:
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    d = F._dim(dim, input.ndim)
    key = (slice(None),) * d + (slice(start, end, step),)
    return _copied(input[key], "SliceBackward0_copy")


def diagonal_copy(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    return _copied(input.diagonal(offset, dim1, dim2), "DiagonalBackward0_copy")


def t_copy(input: Tensor) -> Tensor:
    return _copied(F.t(input), "TBackward0_copy")


def unbind_copy(input: Tensor, dim: int = 0) -> tuple:
    return _copy_all(F.unbind(input, dim), "UnbindBackward0_copy")


def split_copy(tensor: Tensor, split_size: int, dim: int = 0) -> tuple:
    return _copy_all(F.split(tensor, split_size, dim), "SplitBackward0_copy")


def split_with_sizes_copy(input: Tensor, split_sizes: Sequence[int], dim: int = 0) -> tuple:
    return _copy_all(F.split(input, list(split_sizes), dim), "SplitWithSizesBackward0_copy")


def unfold_copy(input: Tensor, dimension: int, size: int, step: int) -> Tensor:
    return _copied(input.unfold(dimension, size, step), "UnfoldBackward0_copy")


def detach_copy(input: Tensor) -> Tensor:
    """A detached copy (torch's result claims requires_grad with no usable grad_fn; jitgrad's does not)."""
    return input.detach().clone()


def alias_copy(input: Tensor) -> Tensor:
    return _copied(input, "AliasBackward0_copy")


def narrow_copy(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    return _copied(F.narrow(input, dim, start, length), "NarrowCopyBackward0")


def row_stack(tensors: Sequence[Tensor]) -> Tensor:
    """torch's alias of vstack."""
    return F.vstack(tensors)


def split_with_sizes(input: Tensor, split_sizes: Sequence[int], dim: int = 0) -> tuple:
    if not isinstance(split_sizes, (list, tuple)):
        raise TypeError("split_with_sizes(): argument 'split_sizes' (position 1) must be tuple of ints, not "
                        f"{type(split_sizes).__name__}")
    return tuple(F.split(input, list(split_sizes), dim))


def unsafe_split(tensor: Tensor, split_size: int, dim: int = 0) -> tuple:
    return _copy_all(F.split(tensor, split_size, dim), "UnsafeSplitBackward0")


def unsafe_chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple:
    return _copy_all(F.chunk(input, chunks, dim), "UnsafeSplitBackward0")


def unsafe_split_with_sizes(input: Tensor, split_sizes: Sequence[int], dim: int = 0) -> tuple:
    return _copy_all(F.split(input, list(split_sizes), dim), "UnsafeSplitWithSizesBackward0")


_METHODS: dict = {"narrow_copy": narrow_copy, "split_with_sizes": split_with_sizes, "unsafe_chunk": unsafe_chunk,
                  "unsafe_split": unsafe_split, "unsafe_split_with_sizes": unsafe_split_with_sizes}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
