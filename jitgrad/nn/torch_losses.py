"""The torch.<loss> spellings (torch.margin_ranking_loss, torch.kl_div,
...): ATen's signatures, with the reduction as its integer enum (0 none,
1 mean, 2 sum), over jitgrad.nn.functional's losses."""
from __future__ import annotations

import warnings

from ..tensors.tensor import Tensor
from . import losses_more as L
from .activations_more import poisson_nll_loss as _poisson_nll_loss
from .ctc import ctc_loss as _ctc_loss
from .functional import binary_cross_entropy_with_logits as _bce_with_logits
from .functional import kl_div as _kl_div

_ENUM = {0: "none", 1: "mean", 2: "sum"}

__all__ = ["binary_cross_entropy_with_logits", "cosine_embedding_loss", "ctc_loss", "hinge_embedding_loss", "kl_div",
           "margin_ranking_loss", "poisson_nll_loss", "triplet_margin_loss"]


def _enum(reduction: int) -> str:
    if reduction not in _ENUM:
        raise RuntimeError(f"{reduction} is not a valid value for reduction")
    return _ENUM[reduction]


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                        reduction: int = 1) -> Tensor:
    return L.margin_ranking_loss(input1, input2, target, margin, reduction=_enum(reduction))


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, reduction: int = 1) -> Tensor:
    return L.hinge_embedding_loss(input, target, margin, reduction=_enum(reduction))


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                          reduction: int = 1) -> Tensor:
    return L.cosine_embedding_loss(input1, input2, target, margin, reduction=_enum(reduction))


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0,
                        p: float = 2, eps: float = 1e-06, swap: bool = False, reduction: int = 1) -> Tensor:
    return L.triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, reduction=_enum(reduction))


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool, full: bool, eps: float,
                     reduction: int) -> Tensor:
    return _poisson_nll_loss(input, target, log_input, full, eps=eps, reduction=_enum(reduction))


def kl_div(input: Tensor, target: Tensor, reduction: int = 1, *, log_target: bool = False) -> Tensor:
    with warnings.catch_warnings():     # (F.kl_div's 'mean' warning is Python-level; ATen's has none)
        warnings.simplefilter("ignore")
        return _kl_div(input, target, reduction=_enum(reduction), log_target=log_target)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     pos_weight: Tensor | None = None, reduction: int = 1) -> Tensor:
    return _bce_with_logits(input, target, weight, pos_weight=pos_weight, reduction=_enum(reduction))


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths, target_lengths, blank: int = 0, reduction: int = 1,
             zero_infinity: bool = False) -> Tensor:
    return _ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, _enum(reduction), zero_infinity)
