"""torch.cond and torch.while_loop with eager semantics: the predicate is
read in Python and the chosen branch runs (and records) as ordinary code."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from ..tensors.tensor import Tensor
from . import functions as F

__all__ = ["cond", "while_loop"]


def _truth(pred: Any, what: str) -> bool:
    if isinstance(pred, Tensor):
        if pred.numel() != 1:
            raise RuntimeError(f"Expected pred to be bool or single-element tensor, but got {pred}.")
        return bool(pred)
    if not isinstance(pred, (bool, int)):
        raise RuntimeError(f"Expected pred to be bool or tensor, but got {pred}.")
    return bool(pred)


def cond(pred: Any, true_fn: Callable, false_fn: Callable, operands: Sequence = ()) -> Any:
    if not isinstance(operands, (tuple, list)):
        raise RuntimeError(f"Expect operands to be a tuple of possibly nested dict/list/tuple that only consists of "
                           f"tensor leaves, but got {operands}.")
    taken = _truth(pred, "pred")
    out = (true_fn if taken else false_fn)(*operands)
    if isinstance(pred, Tensor) and isinstance(out, Tensor):
        out = F._named(out, "CondAutogradOpBackward")
    return out


def while_loop(cond_fn: Callable, body_fn: Callable, carried_inputs: Sequence) -> tuple:
    carried = tuple(carried_inputs)
    while _truth(cond_fn(*carried), "cond_fn"):
        out = body_fn(*carried)
        carried = tuple(out) if isinstance(out, (tuple, list)) else (out,)
    return carried
