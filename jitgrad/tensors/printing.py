"""Render numpy arrays exactly the way ``repr(torch.Tensor)`` does.

Only numpy is used. The layout rules follow torch's default tensor printing
(torch/_tensor_str.py): one formatter picks a shared width and notation for
every element, and 1-d rows are wrapped to ``linewidth``. The text matches
torch's output, except that dtypes print as ``jitgrad.<name>``.
"""

import contextlib
import dataclasses
import math

import numpy as np

from jitgrad.core import dtypes

__all__ = ["format_tensor", "set_printoptions", "get_printoptions", "printoptions"]


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


_OPTS = _PrintOptions()

# profile name -> (precision, threshold, edgeitems, linewidth), as in torch
_PROFILES = {
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(precision=None, threshold=None, edgeitems=None,
                     linewidth=None, sci_mode=None, *, profile=None):
    """Set print options; arguments mean the same as in torch.set_printoptions."""
    if profile in tuple(_PROFILES):        # (torch ignores a profile it does not know)
        _OPTS.precision, _OPTS.threshold, _OPTS.edgeitems, _OPTS.linewidth = _PROFILES[profile]
    if precision is not None:
        _OPTS.precision = precision
    if threshold is not None:
        _OPTS.threshold = threshold
    if edgeitems is not None:
        _OPTS.edgeitems = edgeitems
    if linewidth is not None:
        _OPTS.linewidth = linewidth
    # Like torch, sci_mode is always assigned, so leaving it out resets it to auto.
    _OPTS.sci_mode = sci_mode


def get_printoptions() -> dict:
    """Return the current options as keyword arguments for set_printoptions."""
    return dataclasses.asdict(_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs):
    """Temporarily change the print options."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


# numpy dtype -> torch dtype name (e.g. "float32" -> torch.float32)
_DTYPE_NAMES = {
    np.dtype(t): np.dtype(t).name
    for t in (np.float16, np.float32, np.float64, np.int8, np.int16,
              np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
              np.bool_)
}
# torch leaves out the dtype of non-empty tensors with these dtypes
_IMPLIED_DTYPES = {np.dtype(np.int64), np.dtype(np.bool_)}
_PREFIX = "tensor("


class _Formatter:
    """One width and notation for all elements (torch's _Formatter)."""

    def __init__(self, values: np.ndarray):
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        if not self.floating:
            for text in map(str, np.unique(values).tolist()):
                self.max_width = max(self.max_width, len(text))
            return

        flat = values.ravel().astype(np.float64)
        # Zeros, infs and nans never influence notation or width.
        finite = np.unique(flat[np.isfinite(flat) & (flat != 0)]).tolist()
        if not finite:
            return
        lo = min(abs(v) for v in finite)
        hi = max(abs(v) for v in finite)
        self.int_mode = all(v == math.ceil(v) for v in finite)
        if _OPTS.sci_mode is None:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
        else:
            self.sci_mode = _OPTS.sci_mode
        self.max_width = max(self._width(v) for v in finite)

    def _width(self, value: float) -> int:
        if self.sci_mode:
            return len(f"{value:.{_OPTS.precision}e}")
        if self.int_mode:
            return len(f"{value:.0f}") + 1  # +1 for the trailing "."
        return len(f"{value:.{_OPTS.precision}f}")

    def format(self, value) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.max_width}.{_OPTS.precision}e}"
        elif self.int_mode:
            # The "." marks a float tensor whose values are all integers.
            text = f"{value:.0f}"
            if math.isfinite(value):
                text += "."
        else:
            text = f"{value:.{_OPTS.precision}f}"
        return text.rjust(self.max_width)


def _summarized(arr: np.ndarray) -> np.ndarray:
    """The elements that survive summarization, used to size the formatter."""
    edge = _OPTS.edgeitems
    if arr.ndim == 0:
        return arr
    if arr.ndim == 1:
        # With edge == 0, arr[-0:] is the whole row, as in torch.
        if len(arr) > 2 * edge:
            return np.concatenate((arr[:edge], arr[-edge:]))
        return arr
    if not edge:
        return arr.ravel()[:0]
    rows = [i for i in _kept_rows(len(arr), summarize=True) if i is not None]
    return np.concatenate([_summarized(arr[i]).ravel() for i in rows])


def _kept_rows(n: int, summarize: bool) -> list:
    """Row indices printed along one axis; None stands for the '...' gap."""
    edge = _OPTS.edgeitems
    if summarize and n > 2 * edge:
        return list(range(edge)) + [None] + list(range(n - edge, n))
    return list(range(n))


def _render_vector(vec: np.ndarray, indent: int, summarize: bool,
                   fmt: _Formatter) -> str:
    edge = _OPTS.edgeitems
    if summarize and not edge:
        cells = ["..."]
    elif summarize and len(vec) > 2 * edge:
        cells = ([fmt.format(v) for v in vec[:edge].tolist()] + [" ..."]
                 + [fmt.format(v) for v in vec[-edge:].tolist()])
    else:
        cells = [fmt.format(v) for v in vec.tolist()]

    # Each cell takes its width plus ", "; wrap so lines fit in linewidth.
    per_line = max(1, math.floor((_OPTS.linewidth - indent) / (fmt.max_width + 2)))
    lines = [", ".join(cells[i:i + per_line]) for i in range(0, len(cells), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _render(arr: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if arr.ndim == 0:
        return fmt.format(arr.item())
    if arr.ndim == 1:
        return _render_vector(arr, indent, summarize, fmt)
    parts = ["..." if i is None else _render(arr[i], indent + 1, summarize, fmt)
             for i in _kept_rows(len(arr), summarize)]
    # Blocks of a k-d tensor are separated by k-2 blank lines.
    separator = "," + "\n" * (arr.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(parts) + "]"


def _add_suffixes(text: str, suffixes: list, indent: int) -> str:
    """Append (suffix, torch_width) pairs, starting a new line when one would
    overflow linewidth. torch_width is the length torch measured, which differs
    from len(suffix) for "dtype=jitgrad.*"; using it keeps the line breaks
    identical to torch's. The "+ 1" below reproduces torch's arithmetic."""
    out = [text]
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix, width in suffixes:
        if last_line_len + width + 2 > _OPTS.linewidth:
            out.append(",\n" + " " * indent + suffix)
            last_line_len = indent + width
        else:
            out.append(", " + suffix)
            last_line_len += width + 2
    out.append(")")
    return "".join(out)


def _dtype_suffix(dtype: np.dtype) -> tuple:
    name = _DTYPE_NAMES[dtype]
    return ("dtype=jitgrad." + name, len("dtype=torch." + name))


def _size_suffix(shape: tuple) -> tuple:
    text = "size=" + str(tuple(shape))
    return (text, len(text))


def format_tensor(arr: np.ndarray, suffixes: tuple = ()) -> str:
    """Return repr(torch.from_numpy(arr)) with "torch." spelled "jitgrad.".

    ``suffixes`` (e.g. "requires_grad=True", "grad_fn=<MulBackward0>") are
    appended after any size/dtype annotations, wrapping like torch does.
    """
    arr = np.asarray(arr)
    if arr.dtype not in _DTYPE_NAMES:
        raise TypeError(f"format_tensor: unsupported dtype {arr.dtype}")

    extra = []
    if arr.size == 0:
        body = "[]"
        # Empty tensors spell out what the elements can't show.
        if arr.ndim != 1:
            extra.append(_size_suffix(arr.shape))
        if arr.dtype != dtypes.get_default_dtype().np:
            extra.append(_dtype_suffix(arr.dtype))
    else:
        if not _OPTS.edgeitems:
            extra.append(_size_suffix(arr.shape))
        # torch omits the default float dtype (set_default_dtype), int64 and bool.
        if arr.dtype not in _IMPLIED_DTYPES and arr.dtype != dtypes.get_default_dtype().np:
            extra.append(_dtype_suffix(arr.dtype))
        summarize = arr.size > _OPTS.threshold
        fmt = _Formatter(_summarized(arr) if summarize else arr)
        body = _render(arr, len(_PREFIX), summarize, fmt)

    extra += [(s, len(s)) for s in suffixes]
    return _add_suffixes(_PREFIX + body, extra, len(_PREFIX))
