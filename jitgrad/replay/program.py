"""The replay program of a compiled tape: each record classified once.

A replay runs the same records on every call, so `build` sorts them once
into the kinds the replay kernels (`kernels.forward_program`,
`kernels.replay_reverse`, `kernels.value_and_grad_program`, the batches)
run inline: 0-d and one-element elementwise records (float64, or rounded to
float32) whose forward also keeps their partials, one-element reads,
elementwise arrays, small sums and index sums; everything else runs through
the general per-record code. See "Replay" in ARCHITECTURE.md.
"""
from __future__ import annotations

from typing import Sequence, Tuple

import numpy as np

from ..core import kernels as K


def build(rec: np.ndarray, fmode: np.ndarray, nslots: int, inputs: Sequence[Tuple[int, int]]) -> np.ndarray:
    """The (records, PROG_WIDTH) int32 program of a tape's records and forward
    modes; `inputs`: (slot, n) of the tape's input tensors (arguments,
    captured leaves, tensors of older tapes)."""
    nrec = len(rec)
    if nslots >= 2 ** 31:
        raise ValueError(f"a tape of {nslots} slots is too large to replay (at most 2**31 - 1)")
    # int32: half the bytes of the records' int64 columns, which the replay
    # kernels stream through on every call (measured 10% faster per call).
    prog = np.zeros((max(nrec, 1), K.PROG_WIDTH), np.int32)
    if nrec == 0:
        return prog
    op, out, n, a, b, m, ia = (rec[:, i] for i in range(K.REC_WIDTH))
    fm = fmode[:nrec]
    one = n == 1
    # (No-gradient records too: their d/da, d/db columns below are -1, so the
    # reverse passes them by as the sweep does; not select_order, whose
    # forward is its own.)
    elementwise = (op < K.N_ELEMENTWISE) & (op != K.SELECT_ORDER) & one
    # A one-element record broadcasting a live 0-d operand (x of shape (1,)
    # times a 0-d y): the sweep adds torch's sum_to +0.0 to that operand's
    # adjoint, which the scalar loops don't: the array path, which does.
    live = live_slots(rec, nslots, inputs)
    const_a = ~live[np.clip(a, 0, None)]
    const_b = (b < 0) | ~live[np.clip(b, 0, None)]
    elementwise &= ~((((m & 1) != 0) & ~const_a) | (((m & 2) != 0) & ~const_b)) | (op >= K.NONDIFF_BASE)
    kind = np.full(nrec, K.PROG_OTHER, np.int64)
    kind[elementwise & (fm == 0)] = K.PROG_SCALAR
    kind[elementwise & (fm == K.FM_R32)] = K.PROG_SCALAR32
    kind[elementwise & (fm == (K.FM_R32 | K.FM_R32IN))] = K.PROG_SCALAR32IN
    kind[(op == K.GATHER) & one & ((fm & K.FM_HOST) == 0)] = K.PROG_GATHER1
    # Other elementwise records (arrays) and sums, not run on the host, not
    # empty: inline too (their partials computed in the reverse).
    inline = ((fm & K.FM_HOST) == 0) & (n > 0) & (kind == K.PROG_OTHER)
    kind[inline & (op < K.NONDIFF_BASE)] = K.PROG_ARRAY       # (no-gradient arrays: the general code too)
    kind[inline & (op == K.SUM) & (m < 8) & ((fm & K.FM_F64ACC) == 0)] = K.PROG_SUM
    kind[inline & (op == K.SUM_IDX)] = K.PROG_SUMIDX
    prog[:nrec, 0] = kind
    prog[:nrec, 1] = op
    prog[:nrec, 2] = out
    prog[:nrec, 3] = a
    prog[:nrec, 4] = b
    prog[:nrec, 5] = ia
    # The reverse's d/db: none for a constant exponent (as `kernels.sweep`);
    # none to a constant: a slot no record writes and no input is (its
    # adjoint is read by nobody, so skipping it changes no observable bit).
    prog[:nrec, 6] = np.where(((op == K.POW) & ((m & 8) == 0)) | const_b, -1, b)
    prog[:nrec, 6][(op == K.POW) & ((m & K.POW_NUMBER) != 0)] = K.PROG_POW_NUMBER      # x ** 3: torch's forms
    prog[:nrec, 7] = np.where(const_a, -1, a)
    nondiff = (op >= K.NONDIFF_BASE) & (op < K.N_ELEMENTWISE) & (op != K.SELECT_ORDER)
    prog[:nrec, 6][nondiff] = -1
    prog[:nrec, 7][nondiff] = -1
    return prog


def live_slots(rec: np.ndarray, nslots: int, inputs: Sequence[Tuple[int, int]]) -> np.ndarray:
    """Per slot: written by a record (its result range) or an input's."""
    mark = np.zeros(nslots + 1, np.int64)
    out, n = rec[:, 1], np.maximum(rec[:, 2], 1)      # an empty result: its placeholder slot
    np.add.at(mark, out, 1)
    np.add.at(mark, np.minimum(out + n, nslots), -1)
    for slot, k in inputs:
        mark[slot] += 1
        mark[min(slot + max(k, 1), nslots)] -= 1
    return np.cumsum(mark[:nslots]) > 0


def partials(prog: np.ndarray) -> np.ndarray:
    """A buffer for the partials a forward keeps (d/da, d/db per record)."""
    return np.empty((prog.shape[0], 2))
