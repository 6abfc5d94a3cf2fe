"""torch.nn.functional.pad: constant padding by concatenation (negative
padding: a narrow), reflect / replicate / circular padding by an index
gather per padded dim, with torch's errors and node names."""
import numpy as np

from ..functional import functions as F


def _pad_index(size, lo, hi, mode):
    """Positions (into a dim of `size`) of a dim padded by lo, hi in `mode`."""
    i = np.arange(-lo, size + hi)
    if mode == "replicate":
        return np.clip(i, 0, size - 1)
    if mode == "circular":
        return i % size
    period = 2 * (size - 1)      # reflect
    i = np.abs(i) % period if period else np.zeros_like(i)
    return np.where(i >= size, period - i, i)


def pad(input, pad, mode="constant", value=None):
    pad = list(pad)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input dimension "
                           f"but got padding length {len(pad)} and input of dimension {input.ndim}")
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode != "constant":
        if value is not None and value != 0:
            raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
        k = len(pad) // 2
        if k not in (1, 2, 3) or input.ndim not in (k + 1, k + 2):
            raise NotImplementedError(
                f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor.\nSupported combinations "
                "for non-constant padding:\n  - 2D or 3D input: padding size = 2 (pads last dimension)\n  - 3D or 4D "
                "input: padding size = 4 (pads last 2 dimensions)\n  - 4D or 5D input: padding size = 6 (pads last "
                "3 dimensions)")
        out = input
        for i in range(len(pad) // 2):
            d = input.ndim - 1 - i
            lo, hi = pad[2 * i], pad[2 * i + 1]
            size = input.shape[d]
            if mode == "reflect" and (lo >= size or hi >= size):
                raise RuntimeError("Argument #4: Padding size should be less than the corresponding input "
                                   f"dimension, but got: padding ({lo}, {hi}) at dimension {d} of input "
                                   f"{list(input.shape)}")
            if mode == "circular" and (lo > size or hi > size):
                raise RuntimeError("Padding value causes wrapping around more than once.")
            idx = F.tensor(_pad_index(size, lo, hi, mode))
            out = out[(slice(None),) * d + (idx,)]
        name = {"reflect": f"ReflectionPad{k}DBackward0", "replicate": f"ReplicationPad{k}DBackward0",
                "circular": "CopySlices"}[mode]
        return F._named(out, name)
    fill = 0 if value is None else value
    out = input
    for i in range(len(pad) // 2):
        d = input.ndim - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        size = out.shape[d]
        # torch crops negative padding with narrow() before it pads, so a crop
        # longer than the dim fails there, even when the other side's padding would refill it
        if size + min(lo, 0) + min(hi, 0) < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
        if lo < 0 or hi < 0:
            start = max(-lo, 0)
            out = F.narrow(out, d, start, size - start - max(-hi, 0))
        parts = []
        for n in (lo, hi):
            shape = list(out.shape)
            shape[d] = max(n, 0)
            parts.append(F.full(shape, fill, dtype=input.dtype))
        if lo > 0 or hi > 0:
            out = F.cat([parts[0], out, parts[1]], d)
    if out is input:
        out = input.clone()
    return F._named(out, "ConstantPadNdBackward0")
