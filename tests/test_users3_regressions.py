"""Regressions the users3 programs (tests/users3_programs/) found, checked
against torch on more inputs: tril / triu keep their input's dtype (a causal
mask `torch.tril(torch.ones(T, T, dtype=torch.bool))` stays bool)."""
import numpy as np
import pytest

import jitgrad

torch = pytest.importorskip("torch")

DTYPES = ["bool", "uint8", "int32", "int64", "float32", "float64"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["tril", "triu"])
def test_tril_triu_keep_the_dtype(name, dtype):
    a = np.random.default_rng(0).integers(0, 3, size=(2, 3, 4))
    for diagonal in (-1, 0, 2):
        want = getattr(torch, name)(torch.tensor(a).to(getattr(torch, dtype)), diagonal)
        got = getattr(jitgrad, name)(jitgrad.tensor(a).to(getattr(jitgrad, dtype)), diagonal)
        assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1]
        np.testing.assert_array_equal(got.numpy(), want.numpy())
        for lib, t in ((torch, want), (jitgrad, got)):      # the in-place forms too
            x = lib.tensor(a).to(getattr(lib, dtype))
            getattr(x, name + "_")(diagonal)
            assert x.dtype == t.dtype
            np.testing.assert_array_equal(x.numpy(), want.numpy())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("bounds", [dict(), dict(std=0.5, a=-0.2, b=0.2), dict(mean=1.0, std=2.0, a=0.0, b=0.5),
                                    dict(a=-0.5, b=3.0), dict(mean=0.1, std=0.02, a=-0.04, b=0.04)])
@pytest.mark.filterwarnings("ignore:mean is more than 2 std")
def test_trunc_normal_draws_torchs_numbers(bounds, dtype):
    """torch 2.13's trunc_normal_: rejection of normal draws (more than 0.3 of
    the mass inside [a, b]) or uniform proposals against the density; the same
    numbers after the same seed, and the generator left in the same state."""
    out = []
    for lib in (torch, jitgrad):
        lib.manual_seed(0)
        t = lib.nn.init.trunc_normal_(lib.empty(3, 7, dtype=getattr(lib, dtype)), **bounds)
        g = lib.Generator().manual_seed(4)
        u = lib.nn.init.trunc_normal_(lib.empty(6, dtype=getattr(lib, dtype)), generator=g, **bounds)
        out.append((t.numpy(), u.numpy(), lib.rand(2).numpy()))
    for got, want in zip(out[1], out[0]):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


def _lstm_run(lib, kw, hx_shapes, packed):
    lib.manual_seed(0)
    lstm = lib.nn.LSTM(3, 4, **kw)
    x = lib.tensor(np.random.default_rng(2).normal(size=(5, 2, 3)), dtype=lib.float32)
    if kw.get("batch_first"):
        x = x.transpose(0, 1)
    hx = None if hx_shapes is None else tuple(lib.ones(*s) * 0.3 for s in hx_shapes)
    if packed:
        x = lib.nn.utils.rnn.pack_padded_sequence(x, lib.tensor([5, 3]), batch_first=kw.get("batch_first", False))
    try:
        out, (h, c) = lstm(x, hx)
    except RuntimeError as e:
        return str(e)
    out = out.data if packed else out
    (out.sum() + h.pow(2).sum() + c.sum()).backward()
    return ([(n, tuple(p.shape)) for n, p in lstm.named_parameters()], repr(lstm).replace("jitgrad", "torch"),
            [out, h, c] + [p.grad for p in lstm.parameters()])


@pytest.mark.filterwarnings("ignore:LSTM with projections")
@pytest.mark.parametrize("kw,hx_shapes,packed", [
    (dict(proj_size=2), None, False),
    (dict(proj_size=2, num_layers=2, bidirectional=True), None, False),
    (dict(proj_size=3, bias=False, batch_first=True), [(1, 2, 3), (1, 2, 4)], False),
    (dict(proj_size=1, num_layers=2), None, True),
    (dict(proj_size=2), [(1, 2, 4), (1, 2, 4)], False),        # torch's hidden[0] message
    (dict(proj_size=2), [(1, 2, 2), (1, 2, 2)], False),        # and its hidden[1] one
    (dict(), [(1, 2, 4), (1, 2, 5)], False),
])
def test_lstm_proj_size_against_torch(kw, hx_shapes, packed):
    """LSTM(proj_size=...): torch's parameters (weight_hr_l*), reprs, values,
    gradients, and torch's messages for a wrong h0 or c0."""
    want, got = _lstm_run(torch, kw, hx_shapes, packed), _lstm_run(jitgrad, kw, hx_shapes, packed)
    if isinstance(want, str):
        assert got == want
        return
    assert got[:2] == want[:2]
    for g, w in zip(got[2], want[2]):
        assert tuple(g.shape) == tuple(w.shape)
        np.testing.assert_allclose(g.detach().numpy(), w.detach().numpy(), rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("bad", [-1, 4, 6])
def test_lstm_proj_size_errors(bad):
    with pytest.raises(ValueError) as want:
        torch.nn.LSTM(3, 4, proj_size=bad)
    with pytest.raises(ValueError, match=str(want.value)):
        jitgrad.nn.LSTM(3, 4, proj_size=bad)


@pytest.mark.parametrize("name", ["max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d"])
def test_pool_rank_errors_are_torchs(name):
    """Each pool's own words for an input of the wrong rank (torch's four differ)."""
    for shape in [(3,), (3, 4), (2, 3, 4), (2, 3, 4, 5), (2, 3, 4, 5, 6)]:
        got, want = [], []
        for lib, out in ((torch, want), (jitgrad, got)):
            try:
                out.append(tuple(getattr(lib.nn.functional, name)(lib.ones(*shape), 2).shape))
            except Exception as e:  # noqa: BLE001 - comparing torch's exception
                out.append((type(e).__name__, str(e)))
        assert got == want, shape


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@pytest.mark.parametrize("nd,kw", [(1, dict(padding=2)), (1, dict(padding="same", dilation=2)), (2, dict(padding=(1, 2))),
                                   (2, dict(padding="same")), (2, dict(padding=1, stride=2, groups=2))])
def test_conv_padding_modes_against_torch(mode, nd, kw):
    """Conv1d/Conv2d(padding_mode=...): torch's F.pad of the input, then an
    unpadded convolution (values, gradients, repr)."""
    shape = (2, 4) + (7, 6)[:nd]
    x = np.random.default_rng(3).normal(size=shape)
    res = []
    for lib in (torch, jitgrad):
        lib.manual_seed(1)
        m = getattr(lib.nn, f"Conv{nd}d")(4, 2, 3, padding_mode=mode, dtype=lib.float64, **kw)
        xt = lib.tensor(x, requires_grad=True)
        y = m(xt)
        y.pow(2).sum().backward()
        res.append((repr(m), [t.detach().numpy() for t in (y, xt.grad, m.weight.grad, m.bias.grad)]))
    assert res[1][0] == res[0][0]
    for g, w in zip(res[1][1], res[0][1]):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)
