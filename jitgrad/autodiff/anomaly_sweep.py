"""Anomaly mode's reverse sweep: one record at a time, naming the first whose
backward produces a nan, as torch's "Function 'XBackward0' returned nan
values in its 0th output" (called by engine._sweep_records)."""
import numpy as np

from ..core import kernels as K


def anomaly_step(rec, vals, meta, adj, reach, freed, stale, hi, lo, retain, where):
    """Sweep one record at a time and name the first that produces a nan
    (where[0]: the record being swept)."""
    for r in range(hi, lo - 1, -1):
        where[0] = r
        ranges = _operand_ranges(rec[r])
        before = [np.isnan(adj[rng]).any() for rng in ranges]
        status, at = K.sweep_tiered(rec, vals, meta, adj, reach, freed, stale, r, r, retain)
        if status != K.DONE:
            return status, at
        bad = [i for i, (rng, was_nan) in enumerate(zip(ranges, before)) if not was_nan and np.isnan(adj[rng]).any()]
        if bad:
            if len(ranges) == 2 and ranges[0] == ranges[1]:     # x / x: one slot, name the operand as torch
                with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
                    bad = [_nan_operand(rec[r], vals, adj)]
            raise RuntimeError(f"Function '{anomaly_name(rec[r])}' returned nan values in its {bad[0]}th output.")
    return K.DONE, -1


def _nan_operand(record, vals, adj):
    """Which operand's own contribution g * partial has a nan (x / x sums both)."""
    op, out, n, a, b, m, ia = (int(v) for v in record)
    c = vals[ia] if ia >= 0 else 0.0
    for i in range(n):
        _, dx, dy = K.elementwise(op, vals[a + (0 if m & 1 else i)], vals[b + (0 if m & 2 else i)], c)
        dx = K.from_result(op, vals[out + i], dx)
        if np.isnan(adj[out + i] * dx).any():
            return 0
        if np.isnan(adj[out + i] * dy).any():
            return 1
    return 0


def _operand_ranges(record):
    """The adjoint slots a record's sweep adds its operands' gradients to.
    The check compares them before and after the record's own sweep, so it
    sees what the kernel computed: a masked gradient (clamp, relu, where)
    is 0 where torch's is, even under an inf upstream gradient."""
    op, out, n, a, b, m, ia = (int(v) for v in record)
    if op < K.N_ELEMENTWISE:
        ranges = [slice(a, a + (1 if m & 1 else n))]
        if b >= 0:
            ranges.append(slice(b, b + (1 if m & 2 else n)))
            if m & 12:      # (bits 4 / 8: which operand requires grad) torch computes and checks only those
                ranges = [rng if m & bit else slice(0, 0) for rng, bit in zip(ranges, (4, 8))]
        return ranges
    if op in (K.MSE_LOSS, K.HUBER_LOSS, K.SMOOTH_L1_LOSS):
        return [slice(a, a + m), slice(b, b + m)]       # (input, target)
    if op == K.BATCH_NORM:
        return [slice(a, a + n)] + ([slice(b, b + m)] if b >= 0 else [])     # (x; weight, bias)
    return [slice(a, a + max(m, 1))] if a >= 0 else []


def anomaly_name(record):
    """The node name of a record (pow: by its operands, as graph._record_name)."""
    op, n, m = int(record[0]), int(record[2]), int(record[5])
    if op == K.POW:
        if m & K.POW_NUMBER:
            return "PowBackward0"       # tensor ** number
        if m & 8 and not m & 4 and (m & 1 or n == 1 and not m & 3):
            return "PowBackward2"       # number ** tensor
        return "PowBackward1"
    return K.backward_name(op)
