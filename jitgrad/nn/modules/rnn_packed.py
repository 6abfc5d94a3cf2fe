"""RNN / LSTM / GRU over a PackedSequence, as torch's: the packed batch is
padded (in its sorted order), run with each sample stopping at its length,
and packed again; an initial state comes in and the final state goes out in
the caller's (unsorted) order."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence


def _permute(hx: Any, indices: Any) -> Any:
    if hx is None or indices is None:
        return hx
    if isinstance(hx, tuple):
        return tuple(h.index_select(1, indices) for h in hx)
    return hx.index_select(1, indices)


def run_packed(module: Any, packed: PackedSequence, hx: Any) -> tuple:
    padded, lengths = pad_packed_sequence(PackedSequence(packed.data, packed.batch_sizes, None, None))
    lens = np.asarray(lengths._data(), np.int64)
    out, h = module._run(padded, _permute(hx, packed.sorted_indices), lengths=lens)
    data = pack_padded_sequence(out, lengths).data
    return (PackedSequence(data, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices),
            _permute(h, packed.unsorted_indices))
