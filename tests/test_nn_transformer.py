"""MultiheadAttention and the Transformer stack against PyTorch: torch's
weights loaded through load_state_dict, outputs, attention weights, input
and parameter gradients (float64 and float32, train and eval), masks
(bool / float, key padding, causal), batch_first, norm_first, the eval fast
path's zeroed padding, the nested-tensor warning, errors, and a few SGD
steps that follow torch's losses."""
import warnings

import numpy as np
import pytest
import torch

import jitgrad
import jitgrad.nn as jnn

from _compare import assert_values
from test_nn_modules_more import RNG, build, compare_module, r


# ----- attention and transformers ------------------------------------------------------------

E, H = 8, 2


def _mha_call(**kwargs):
    def call(m, q, k, v, *masks):
        extra = dict(zip(kwargs.pop("_mask_names", []), masks)) if "_mask_names" in kwargs else {}
        return m(q, k, v, **kwargs, **extra)
    return call


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("make, shapes, kwargs", [
    (lambda nn: nn.MultiheadAttention(E, H), [(5, 3, E), (4, 3, E), (4, 3, E)], {}),
    (lambda nn: nn.MultiheadAttention(E, H, batch_first=True), [(3, 5, E), (3, 4, E), (3, 4, E)],
     {"average_attn_weights": False}),
    (lambda nn: nn.MultiheadAttention(E, H, kdim=3, vdim=5), [(5, 3, E), (4, 3, 3), (4, 3, 5)], {}),
    (lambda nn: nn.MultiheadAttention(E, H, add_bias_kv=True, add_zero_attn=True), [(5, 3, E), (4, 3, E),
                                                                                  (4, 3, E)], {}),
    (lambda nn: nn.MultiheadAttention(E, 4, bias=False), [(5, E), (4, E), (4, E)], {"need_weights": False}),
])
def test_multihead_attention_against_torch(make, shapes, kwargs, dtype):
    tmod, jmod = compare_module(make, [r(*s) for s in shapes], dtype, call=lambda m, q, k, v: m(q, k, v, **kwargs))
    # the attention weights too
    xs = [r(*s) for s in shapes]
    tw = tmod(*[torch.tensor(a, dtype=getattr(torch, dtype)) for a in xs], **kwargs)[1]
    jw = jmod(*[jitgrad.tensor(a, dtype=getattr(jitgrad, dtype)) for a in xs], **kwargs)[1]
    assert (jw is None) == (tw is None)
    if tw is not None:
        assert_values(jw.detach().numpy(), tw.detach().numpy(), dtype, "attention weights",
                      (1e-5, 1e-6) if dtype == "float32" else None)


@pytest.mark.parametrize("mask_kind", ["bool", "float"])
def test_multihead_attention_masks(mask_kind):
    kpm = np.zeros((3, 4), bool)
    kpm[0, 2:] = True
    attn = RNG.uniform(size=(5, 4)) > 0.7
    attn[:, 0] = False
    if mask_kind == "float":
        kpm = np.where(kpm, -np.inf, 0.0)
        attn = r(5, 4)

    def call(m, q, k, v, kp, am):
        return m(q, k, v, key_padding_mask=kp, attn_mask=am)
    inputs = [r(5, 3, E), r(4, 3, E), r(4, 3, E), kpm, attn]
    if mask_kind == "float":
        # float masks are constants, not leaves
        inputs[3:] = [m.astype(np.float32).astype(np.float64) for m in inputs[3:]]

        def call(m, q, k, v, kp, am):       # noqa: F811 - the masks detached
            return m(q, k, v, key_padding_mask=kp.detach(), attn_mask=am.detach())
    compare_module(lambda nn: nn.MultiheadAttention(E, H), inputs, call=call)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("make, call_kind", [
    (lambda nn: nn.TransformerEncoderLayer(E, H, 16, dropout=0.0), "src"),
    (lambda nn: nn.TransformerEncoderLayer(E, H, 16, dropout=0.0, norm_first=True, activation="gelu",
                                           batch_first=True), "src"),
    (lambda nn: nn.TransformerEncoderLayer(E, H, 16, dropout=0.0, activation=torch.nn.functional.gelu
                                           if nn is torch.nn else jnn.functional.gelu), "src"),
    (lambda nn: nn.TransformerDecoderLayer(E, H, 16, dropout=0.0), "tgt_mem"),
    (lambda nn: nn.TransformerDecoderLayer(E, H, 16, dropout=0.0, norm_first=True, batch_first=True), "tgt_mem_bf"),
    (lambda nn: nn.TransformerEncoder(nn.TransformerEncoderLayer(E, H, 16, dropout=0.0), 2, nn.LayerNorm(E)),
     "src"),
    (lambda nn: nn.TransformerDecoder(nn.TransformerDecoderLayer(E, H, 16, dropout=0.0), 2), "tgt_mem"),
    (lambda nn: nn.Transformer(E, H, 2, 1, 16, dropout=0.0), "tgt_mem"),
])
@pytest.mark.parametrize("train", [False, True])
def test_transformer_stack_against_torch(make, call_kind, train, dtype):
    inputs = {"src": [r(5, 3, E)], "tgt_mem": [r(5, 3, E), r(4, 3, E)], "tgt_mem_bf": [r(3, 5, E), r(3, 4, E)]}[call_kind]
    compare_module(make, inputs, dtype, train=train, tol=(2e-5, 2e-5) if dtype == "float32" else None)


def test_transformer_masks_and_causal():
    mask = torch.nn.Transformer.generate_square_subsequent_mask(4).numpy().astype(np.float64)
    jmask = jnn.Transformer.generate_square_subsequent_mask(4)
    np.testing.assert_array_equal(jmask.numpy(), mask.astype(np.float32))
    assert repr(jmask) == repr(torch.nn.Transformer.generate_square_subsequent_mask(4))
    kpm = np.zeros((3, 5), bool)
    kpm[1, 3:] = True

    def call(m, src, tgt, tmask, skpm):
        return m(src, tgt, tgt_mask=tmask.detach(), src_key_padding_mask=skpm, memory_key_padding_mask=skpm)
    compare_module(lambda nn: nn.Transformer(E, H, 1, 2, 16, dropout=0.0, batch_first=True),
                   [r(3, 5, E), r(3, 4, E), mask, kpm], call=call, train=True)

    def call_causal(m, src, smask):
        return m(src, mask=smask.detach(), is_causal=True)
    compare_module(lambda nn: nn.TransformerEncoder(nn.TransformerEncoderLayer(E, H, 16, dropout=0.0), 1),
                   [r(4, 2, E), mask], call=call_causal)


def test_transformer_encoder_fast_path_zeroes_padding_in_eval():
    """torch's eval fast path (nested tensors) returns 0 at padded positions."""
    kpm = np.zeros((3, 5), bool)
    kpm[0, 3:] = True
    kpm[1, 4:] = True

    def call(m, src, p):
        return m(src, src_key_padding_mask=p)
    make = (lambda nn: nn.TransformerEncoder(nn.TransformerEncoderLayer(E, H, 16, dropout=0.0, batch_first=True), 2))
    compare_module(make, [r(3, 5, E), kpm], call=call, no_grad=True)
    compare_module(make, [r(3, 5, E), kpm], call=call)          # with grad: no fast path


def test_transformer_encoder_nested_tensor_warning():
    msgs = []
    for nn in (torch.nn, jnn):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            nn.TransformerEncoder(nn.TransformerEncoderLayer(E, H, 16), 2)
        msgs.append([str(w.message) for w in caught if "nested" in str(w.message)])
    assert msgs[1] == msgs[0] and msgs[0]


def test_transformer_errors_match_torch():
    for call in [
        lambda nn, lib: nn.Transformer(E, H, 1, 1, 16)(lib.zeros(5, 3, E), lib.zeros(4, 2, E)),
        lambda nn, lib: nn.Transformer(E, H, 1, 1, 16)(lib.zeros(5, 3, 4), lib.zeros(4, 3, 4)),
        lambda nn, lib: nn.MultiheadAttention(E, H)(lib.zeros(5, 3, E), lib.zeros(4, 3, E), lib.zeros(4, 3, E),
                                                    attn_mask=lib.zeros(4, 4)),
        lambda nn, lib: nn.TransformerEncoderLayer(E, H, 16)(lib.zeros(5, 3, E), is_causal=True),
    ]:
        errs = []
        for nn, lib in ((torch.nn, torch), (jnn, jitgrad)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with pytest.raises(Exception) as info:
                    call(nn, lib)
            errs.append((type(info.value).__name__, str(info.value).replace("jitgrad.", "torch.")))
        assert errs[1] == errs[0]
    for nn in (torch.nn, jnn):
        with pytest.raises(AssertionError, match="embed_dim must be divisible by num_heads"):
            nn.MultiheadAttention(6, 4)


def test_transformer_trains_like_torch():
    """A few SGD steps of a tiny encoder classifier follow torch's losses."""
    def make(nn):
        return nn.Sequential(nn.TransformerEncoder(nn.TransformerEncoderLayer(E, H, 16, dropout=0.0,
                                                                             batch_first=True), 1),
                             nn.Flatten(), nn.Linear(4 * E, 3))
    tmod, jmod = build(make, train=True)
    x, y = r(6, 4, E), RNG.integers(0, 3, 6)
    losses = []
    for lib, mod in ((torch, tmod), (jitgrad, jmod)):
        opt = lib.optim.SGD(mod.parameters(), lr=0.1)
        run = []
        for _ in range(3):
            opt.zero_grad()
            loss = lib.nn.functional.cross_entropy(mod(lib.tensor(x)), lib.tensor(y))
            loss.backward()
            opt.step()
            run.append(loss.item())
        losses.append(run)
    np.testing.assert_allclose(losses[1], losses[0], rtol=1e-10)
