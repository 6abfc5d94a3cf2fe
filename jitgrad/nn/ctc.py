"""F.ctc_loss: the connectionist temporal classification loss, as torch's
CPU kernel: the alpha recursion in log space for the value, alpha and beta
for the gradient, which is torch's formula exp(log_probs) - exp(log(sum of
alpha * beta over the positions of class c) + nll - log_probs) (the
gradient through a log_softmax, as torch documents), zero past each input
length. One autograd.Function: NumPy forward and backward, in float64,
cast back to the input's dtype."""
from __future__ import annotations

import numpy as np

from ..autograd.function import Function, once_differentiable
from ..functional import functions as F
from ..tensors.tensor import Tensor

_NEG_INF = -np.inf


def _logsumexp(*xs: np.ndarray) -> np.ndarray:
    m = np.maximum.reduce(xs)
    safe = np.where(np.isfinite(m), m, 0.0)
    total = sum(np.exp(x - safe) for x in xs)
    with np.errstate(divide="ignore"):
        return np.where(np.isneginf(m), _NEG_INF, np.log(total) + safe)


def _extended(labels: np.ndarray, blank: int) -> np.ndarray:
    ext = np.full(2 * labels.size + 1, blank, np.int64)
    ext[1::2] = labels
    return ext


def _skip_allowed(ext: np.ndarray) -> np.ndarray:
    """Whether state s may be reached from s - 2 (a label differing from the one two back)."""
    allowed = np.zeros(ext.size, bool)
    allowed[2:] = (ext[2:] != ext[:-2]) & (np.arange(2, ext.size) % 2 == 1)
    return allowed


def _shifted(a: np.ndarray, k: int) -> np.ndarray:
    """a moved k places right (k < 0: left), -inf shifted in."""
    out = np.full(a.size, _NEG_INF)
    if abs(k) < a.size:
        if k > 0:
            out[k:] = a[:-k]
        else:
            out[:k] = a[-k:]
    return out


def _alpha(lp: np.ndarray, ext: np.ndarray, n_steps: int) -> np.ndarray:
    states = ext.size
    alpha = np.full((max(n_steps, 1), states), _NEG_INF)
    if n_steps == 0:
        return alpha
    alpha[0, 0] = lp[0, ext[0]]
    if states > 1:
        alpha[0, 1] = lp[0, ext[1]]
    skip = _skip_allowed(ext)
    for t in range(1, n_steps):
        prev = alpha[t - 1]
        one, two = _shifted(prev, 1), np.where(skip, _shifted(prev, 2), _NEG_INF)
        alpha[t] = _logsumexp(prev, one, two) + lp[t, ext]
    return alpha


def _beta(lp: np.ndarray, ext: np.ndarray, n_steps: int) -> np.ndarray:
    states = ext.size
    beta = np.full((max(n_steps, 1), states), _NEG_INF)
    if n_steps == 0:
        return beta
    beta[n_steps - 1, states - 1] = lp[n_steps - 1, ext[states - 1]]
    if states > 1:
        beta[n_steps - 1, states - 2] = lp[n_steps - 1, ext[states - 2]]
    skip_next = np.zeros(states, bool)      # s + 2 reachable from s
    skip_next[:-2] = _skip_allowed(ext)[2:]
    for t in range(n_steps - 2, -1, -1):
        nxt = beta[t + 1]
        one, two = _shifted(nxt, -1), np.where(skip_next, _shifted(nxt, -2), _NEG_INF)
        beta[t] = _logsumexp(nxt, one, two) + lp[t, ext]
    return beta


def _nll(alpha: np.ndarray, n_steps: int, states: int) -> float:
    if n_steps == 0:
        return np.inf if states > 1 else 0.0
    last = alpha[n_steps - 1]
    ends = [last[states - 1]] + ([last[states - 2]] if states > 1 else [])
    return float(-_logsumexp(*[np.asarray(e) for e in ends]))


class _CTCLoss(Function):
    @staticmethod
    def forward(ctx, log_probs, labels, input_lengths, blank, zero_infinity):
        lp = np.asarray(log_probs._data(), np.float64)
        losses, saved = [], []
        for b, labs in enumerate(labels):
            ext = _extended(labs, blank)
            alpha = _alpha(lp[:, b], ext, int(input_lengths[b]))
            nll = _nll(alpha, int(input_lengths[b]), ext.size)
            losses.append(nll)
            saved.append((ext, alpha))
        ctx.lp, ctx.saved, ctx.input_lengths, ctx.zero_infinity = lp, saved, input_lengths, zero_infinity
        ctx.dtype = log_probs.dtype
        out = np.asarray(losses)
        if zero_infinity:
            out = np.where(np.isinf(out), 0.0, out)
        ctx.losses = np.asarray(losses)
        return F.tensor(out.astype(log_probs.dtype.np), dtype=log_probs.dtype)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        lp, g = ctx.lp, np.asarray(grad_out._data(), np.float64).reshape(-1)
        grad = np.zeros_like(lp)
        for b, (ext, alpha) in enumerate(ctx.saved):
            n_steps = int(ctx.input_lengths[b])
            nll = ctx.losses[b]
            if n_steps == 0 or (ctx.zero_infinity and np.isinf(nll)):
                continue
            beta = _beta(lp[:, b], ext, n_steps)
            ab = alpha[:n_steps] + beta[:n_steps]
            lcab = np.full((n_steps, lp.shape[2]), _NEG_INF)
            for s, c in enumerate(ext):
                lcab[:, c] = _logsumexp(lcab[:, c], ab[:, s])
            with np.errstate(over="ignore", invalid="ignore"):
                grad[:n_steps, b] = (np.exp(lp[:n_steps, b]) - np.exp(lcab + nll - lp[:n_steps, b])) * g[b]
        return F.tensor(grad.astype(ctx.dtype.np), dtype=ctx.dtype), None, None, None, None


def _lengths(x) -> np.ndarray:
    return np.asarray(x._data() if isinstance(x, Tensor) else x, np.int64).reshape(-1)


def _check_lengths(t_arr: np.ndarray, in_lens: np.ndarray, tgt_lens: np.ndarray, n: int, steps: int) -> None:
    """torch's ctc_loss_allocate_outputs checks, in its order: lengths that
    the targets or log_probs do not hold are errors, never a silent cut."""
    where = " (while checking arguments for ctc_loss_allocate_outputs)"

    def at_least_zero(lens: np.ndarray, what: str) -> None:
        if (lens < 0).any():
            raise RuntimeError(f"Expected {what} to have value at least 0, but got value {int(lens[lens < 0][0])}"
                               + where)
    at_least_zero(tgt_lens, "target_lengths")
    want = int(tgt_lens.sum()) if t_arr.ndim == 1 else n
    if t_arr.shape[0] != want:
        raise RuntimeError(f"Expected tensor to have size {want} at dimension 0, but got size {t_arr.shape[0]} for "
                           "argument #2 'targets'" + where)
    longest = int(tgt_lens.max()) if tgt_lens.size else 0
    if t_arr.ndim == 2 and t_arr.shape[1] < longest:
        raise RuntimeError(f"Expected tensor to have size at least {longest} at dimension 1, but got size "
                           f"{t_arr.shape[1]} for argument #2 'targets'" + where)
    at_least_zero(in_lens, "input_lengths")
    if (in_lens > steps).any():
        raise RuntimeError(f"Expected input_lengths to have value at most {steps}, but got value "
                           f"{int(in_lens[in_lens > steps][0])}" + where)


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths, target_lengths, blank: int = 0,
             reduction: str = "mean", zero_infinity: bool = False) -> Tensor:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    unbatched = log_probs.ndim == 2
    lp = F.unsqueeze(log_probs, 1) if unbatched else log_probs
    in_lens, tgt_lens = _lengths(input_lengths), _lengths(target_lengths)
    t_arr = np.asarray(targets._data(), np.int64)     # (1-D: concatenated targets, unbatched too, as torch)
    n, steps, classes = lp.shape[1], lp.shape[0], lp.shape[2]
    if not 0 <= blank < classes:
        raise RuntimeError("blank must be in label range")
    if in_lens.size != n:
        raise RuntimeError(f"input_lengths must be of size batch_size, but got {in_lens.size} and batch_size {n}")
    if tgt_lens.size != n:
        raise RuntimeError(f"target_lengths must be of size batch_size, but got {tgt_lens.size} and batch_size {n}")
    _check_lengths(t_arr, in_lens, tgt_lens, n, steps)
    labels = []
    offset = 0
    for b in range(n):
        k = int(tgt_lens[b])
        if t_arr.ndim == 1:
            labels.append(t_arr[offset:offset + k])
            offset += k
        else:
            labels.append(t_arr[b, :k])
    losses = _CTCLoss.apply(lp, labels, in_lens, blank, zero_infinity)
    losses = F._named(losses, "WhereBackward0" if zero_infinity else "CtcLossBackward0")     # (torch: a where)
    if unbatched:
        losses = F.reshape(losses, ())
    if reduction == "none":
        return losses
    if reduction == "sum":
        return F.sum(losses)
    divisor = F.tensor(np.maximum(tgt_lens, 1).reshape(losses.shape).astype(lp.dtype.np), dtype=lp.dtype)
    return F.mean(losses / divisor)



