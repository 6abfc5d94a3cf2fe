"""nn.utils.rnn: PackedSequence and the padding / packing helpers, as
torch's (same sorting, batch_sizes, error texts and grad_fn names). The
packing and padding are recorded gathers, so gradients flow through them."""
from __future__ import annotations

import math
from collections import namedtuple
from typing import Iterable

import numpy as np

from ...core import dtypes as D
from ...functional import functions as F
from ...tensors.tensor import Tensor

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence",
           "unpad_sequence", "pack_sequence", "unpack_sequence"]

PackedSequence_ = namedtuple("PackedSequence_", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])


def _long(values) -> Tensor:
    return F.tensor(np.asarray(values, np.int64), dtype=D.int64)


class PackedSequence(PackedSequence_):
    def __new__(cls, data: Tensor, batch_sizes: Tensor | None = None, sorted_indices: Tensor | None = None,
                unsorted_indices: Tensor | None = None) -> "PackedSequence":
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:      # PackedSequence(*packed) with a 4-tuple, as torch allows
            data, batch_sizes, sorted_indices, unsorted_indices = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs) -> "PackedSequence":
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        return type(self)(data, self.batch_sizes, self.sorted_indices, self.unsorted_indices)

    def cpu(self, *args, **kwargs) -> "PackedSequence":
        return self

    def double(self) -> "PackedSequence":
        return self.to(dtype=D.float64)

    def float(self) -> "PackedSequence":
        return self.to(dtype=D.float32)

    def long(self) -> "PackedSequence":
        return self.to(dtype=D.int64)

    @property
    def is_cuda(self) -> bool:
        return False

    def is_pinned(self) -> bool:
        return False


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    if permutation is None:
        return None
    perm = np.asarray(permutation._data(), np.int64)
    out = np.empty_like(perm)
    out[perm] = np.arange(perm.size)
    return _long(out)



def _gather_rows(x: Tensor, rows: np.ndarray, shape: tuple) -> Tensor:
    """x viewed as rows of its trailing dims; the rows `rows`, reshaped to `shape`."""
    size = math.prod(x.shape[1:]) if x.ndim > 1 else 1
    idx = (np.asarray(rows, np.int64)[:, None] * size + np.arange(size)[None, :]).ravel()
    return F._gather_tensor(x, idx, shape)


def pad_sequence(sequences, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    if not isinstance(sequences, Iterable):
        raise RuntimeError(f"pad_sequence: Expected iterable for input sequences, but got arg of type: "
                           f"{type(sequences)}")
    seqs = list(sequences)
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    if not seqs:
        raise RuntimeError("received an empty list of sequences")
    if seqs[0].ndim == 0:
        raise RuntimeError("ArrayRef: invalid slice, N = 1; size = 0")
    max_len = max(s.shape[0] for s in seqs)
    trailing = tuple(seqs[0].shape[1:])
    dtype = seqs[0].dtype
    for i, sq in enumerate(seqs):     # (torch copies each into its slot: cast, broadcast, or its error)
        if sq.dtype is not seqs[0].dtype:
            seqs[i] = sq = sq.to(seqs[0].dtype)
        target = (sq.shape[0],) + trailing
        if tuple(sq.shape) != target:
            for d in range(-1, -min(len(target), sq.ndim) - 1, -1):
                if sq.shape[d] != target[d] and sq.shape[d] != 1:
                    raise RuntimeError(f"The size of tensor a ({target[d]}) must match the size of tensor b "
                                       f"({sq.shape[d]}) at non-singleton dimension {len(target) + d}")
            seqs[i] = F.expand(sq, target)
    pad_row = F.full((1,) + trailing, padding_value, dtype=dtype)
    source = F.cat([F.reshape(s, (s.shape[0],) + trailing) for s in seqs] + [pad_row], 0)
    starts = np.cumsum([0] + [s.shape[0] for s in seqs])
    blank = starts[-1]
    rows = np.full((len(seqs), max_len), blank, np.int64)
    for b, s in enumerate(seqs):
        n = s.shape[0]
        if padding_side == "right":
            rows[b, :n] = starts[b] + np.arange(n)
        else:
            rows[b, max_len - n:] = starts[b] + np.arange(n)
    if not batch_first:
        rows = rows.T
    out = _gather_rows(source, rows.ravel(), rows.shape + trailing)
    return F._named(out, "CopySlices")


def _check_lengths(lengths: np.ndarray, enforce_sorted: bool) -> None:
    if enforce_sorted and (np.diff(lengths) > 0).any():
        raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You "
                           "can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep "
                           "this requirement if you do not need ONNX exportability.")


def pack_padded_sequence(input: Tensor, lengths, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    if isinstance(lengths, Tensor) and lengths.ndim != 1:
        raise RuntimeError(f"'lengths' argument should be a 1D CPU int64 tensor, but got {lengths.ndim}D cpu "
                           f"{D.TORCH_NAMES[lengths.dtype.name]} tensor")
    lens = np.asarray(lengths._data() if isinstance(lengths, Tensor) else lengths, np.int64).reshape(-1)
    _check_lengths(lens, enforce_sorted)
    sorted_indices = None
    order = np.arange(lens.size)
    if not enforce_sorted:
        order = np.argsort(-lens, kind="stable")
        lens = lens[order]
        sorted_indices = _long(order)
    if lens.size and lens[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' that "
                           "is <= 0")
    time_dim, batch_dim = (1, 0) if batch_first else (0, 1)
    if lens.size != input.shape[batch_dim]:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {lens.size} (batch_size="
                           f"{input.shape[batch_dim]})")
    if lens.size and lens[0] > input.shape[time_dim]:
        raise RuntimeError(f"Expected sequence length to be larger than or equal to the length of each sequence "
                           f"but got {lens[0]} (sequence length={input.shape[time_dim]})")
    steps = int(lens[0]) if lens.size else 0
    batch_sizes = np.array([(lens > t).sum() for t in range(steps)], np.int64)
    n_batch = input.shape[batch_dim]
    rows = []
    for t in range(steps):
        for j in range(batch_sizes[t]):
            b = order[j]
            rows.append(b * input.shape[1] + t if batch_first else t * n_batch + b)
    trailing = tuple(input.shape[2:])
    data = _gather_rows(F.reshape(input, (-1,) + trailing), np.asarray(rows, np.int64), (len(rows),) + trailing)
    return PackedSequence(F._named(data, "PackPaddedSequenceBackward0"), _long(batch_sizes), sorted_indices, None)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    batch_sizes = np.asarray(sequence.batch_sizes._data(), np.int64)
    max_seq_length = batch_sizes.size
    if total_length is not None:
        if total_length < max_seq_length:
            raise ValueError("Expected total_length to be at least the length of the longest sequence in input, but "
                             f"got total_length={total_length} and max sequence length being {max_seq_length}")
        max_seq_length = total_length
    data = sequence.data
    trailing = tuple(data.shape[1:])
    n_batch = int(batch_sizes[0]) if batch_sizes.size else 0
    source = F.cat([data, F.full((1,) + trailing, padding_value, dtype=data.dtype)], 0)
    rows = np.full((max_seq_length, n_batch), data.shape[0], np.int64)
    offset = 0
    for t, bs in enumerate(batch_sizes):
        rows[t, :bs] = offset + np.arange(bs)
        offset += bs
    lengths = (rows[:batch_sizes.size] < data.shape[0]).sum(0) if batch_sizes.size else np.zeros(0, np.int64)
    if batch_first:
        rows = rows.T
    padded = F._named(_gather_rows(source, rows.ravel(), rows.shape + trailing), "CopySlices")
    if batch_first:
        padded = F._named(padded, "TransposeBackward0")
    out_lengths = _long(lengths)
    if sequence.unsorted_indices is not None:
        unsorted = np.asarray(sequence.unsorted_indices._data(), np.int64)
        padded = padded.index_select(0 if batch_first else 1, sequence.unsorted_indices)
        out_lengths = _long(lengths[unsorted])
    return padded, out_lengths


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor, batch_first: bool = False) -> list[Tensor]:
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    return [seq[:int(n)] for seq, n in zip(padded_sequences, np.asarray(lengths._data()).reshape(-1))]


def pack_sequence(sequences: list[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    lengths = _long([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
