"""Fixes from sweep 14 that the user programs do not reach: each case runs
under torch and jitgrad and compares, or checks jitgrad's refusal where it
cannot follow torch."""
import warnings

import pytest

import jitgrad

torch = pytest.importorskip("torch")


def _outcome(lib, fn):
    try:
        return repr(fn(lib)).replace("jitgrad.", "torch.")
    except Exception as exc:  # noqa: BLE001 - the error is the result compared
        return f"{type(exc).__name__}: {exc}"


CASES = {
    "dropout3d_2d_mask": lambda t: (t.manual_seed(0), t.nn.functional.dropout3d(t.ones(4, 3), 0.5))[1],
    "dropout2d_1d": lambda t: t.nn.functional.dropout2d(t.ones(3), 0.5),
    "dropout2d_1d_p1": lambda t: t.nn.functional.dropout2d(t.ones(3), 1.0),
    "bce_logits_bool": lambda t: t.nn.functional.binary_cross_entropy_with_logits(t.zeros(2), t.tensor([True, False])),
    "bce_logits_int32": lambda t: t.nn.BCEWithLogitsLoss()(t.zeros(2, dtype=t.float64), t.tensor([1, 0], dtype=t.int32)),
    "adaptive_avg_1x1": lambda t: t.nn.functional.adaptive_avg_pool2d(t.ones(1, 2, 3, 3, requires_grad=True),
                                                                      1).grad_fn.name(),
    "adaptive_max_1x1": lambda t: t.nn.functional.adaptive_max_pool2d(t.arange(18.0).view(1, 2, 3, 3), 1),
    "sdpa_float_mask_causal": lambda t: (t.manual_seed(0), t.nn.functional.scaled_dot_product_attention(
        *t.randn(3, 1, 1, 4, 3).unbind(0), attn_mask=t.eye(4), is_causal=True))[1],
    "sdpa_mask_causal_3d": lambda t: t.nn.functional.scaled_dot_product_attention(
        *t.ones(3, 1, 4, 3).unbind(0), attn_mask=t.ones(4, 4, dtype=t.bool), is_causal=True),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_against_torch(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _outcome(jitgrad, CASES[name]) == _outcome(torch, CASES[name])


def test_embedding_scale_grad_by_freq_refuses_create_graph():
    w = jitgrad.randn(4, 3, dtype=jitgrad.float64, requires_grad=True)
    out = jitgrad.nn.functional.embedding(jitgrad.tensor([2, 2, 1]), w, scale_grad_by_freq=True)
    with pytest.raises(NotImplementedError, match="create_graph"):
        jitgrad.autograd.grad(out.pow(2).sum(), w, create_graph=True)
    g, = jitgrad.autograd.grad(out.pow(2).sum(), w)
    expected = 2 * w.detach() * jitgrad.tensor([0.0, 1.0, 1.0, 0.0], dtype=jitgrad.float64).view(4, 1)
    assert jitgrad.allclose(g, expected)


def test_conv_same_padding_asymmetric_warns_once():
    from jitgrad.core import warn as W
    msg = next((m for m in W._WARNED if m.startswith("Using padding='same'")), None)
    W._WARNED.discard(msg)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            jitgrad.nn.functional.conv1d(jitgrad.ones(1, 1, 5), jitgrad.ones(1, 1, 2), padding="same")
    assert [str(w.message)[:60] for w in caught] == ["Using padding='same' with even kernel lengths and odd dilati"]


def _tie_grad(t, fn):
    x = t.tensor([[3.0, 4.0], [0.0, 1.0], [1.0, 1.0]], requires_grad=True)     # (rows 0 and 1: |d| = 3, 3)
    return t.autograd.grad(fn(t, x), x)[0]


TIES = {
    "cdist_inf_ties": lambda t: _tie_grad(t, lambda t, x: t.cdist(x[None], x[None], float("inf")).sum()),
    "pdist_inf_ties": lambda t: _tie_grad(t, lambda t, x: t.nn.functional.pdist(x, float("inf")).sum()),
    "dist_inf_ties": lambda t: _tie_grad(t, lambda t, x: t.dist(x[0], x[1], float("inf"))),
}


@pytest.mark.parametrize("name", sorted(TIES))
def test_inf_norm_ties_against_torch(name):
    """cdist and pdist give each tied maximum the whole gradient; dist splits it."""
    assert _outcome(jitgrad, TIES[name]) == _outcome(torch, TIES[name])
