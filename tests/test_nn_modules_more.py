"""The nn breadth modules against PyTorch: torch's weights loaded through
load_state_dict (so the state_dict keys and shapes must match), outputs,
input and parameter gradients, reprs; MultiheadAttention and the
Transformer stack are in test_nn_transformer.py; dropouts' structure; RReLU; in-place F forms; lazy layers; torch-level
aliases (torch.conv2d, torch.batch_norm, torch.embedding, ...)."""
import warnings

import numpy as np
import pytest
import torch

import jitgrad
import jitgrad.nn as jnn

from _compare import assert_values
from test_nn_modules import copy_weights

RNG = np.random.default_rng(5)


def r(*shape):
    return RNG.standard_normal(shape)


def build(make, dtype="float64", train=False):
    """The same module in both libraries, torch's weights copied over."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tmod, jmod = make(torch.nn), make(jnn)
    tmod, jmod = (tmod.double(), jmod.double()) if dtype == "float64" else (tmod, jmod)
    assert list(jmod.state_dict()) == list(tmod.state_dict()), "state_dict keys"
    for (k, tv), jv in zip(tmod.state_dict().items(), jmod.state_dict().values()):
        assert tuple(jv.shape) == tuple(tv.shape), f"{k}: shape"
    copy_weights(tmod, jmod)
    if not train:
        tmod.eval()
        jmod.eval()
    return tmod, jmod


def compare_module(make, inputs, dtype="float64", call=None, train=False, tol=None, no_grad=False):
    """Forward both modules (call(module, *inputs) or module(*inputs));
    compare the first output, then the gradients of the float inputs and of
    every parameter for the same output weights."""
    tmod, jmod = build(make, dtype, train)
    call = call or (lambda m, *xs: m(*xs))
    tol = tol or ((1e-5, 1e-5) if dtype == "float32" else None)
    outs, ins = [], []
    for lib, mod in ((torch, tmod), (jitgrad, jmod)):
        xs = [lib.tensor(a, dtype=getattr(lib, dtype), requires_grad=not no_grad) if isinstance(a, np.ndarray)
              and a.dtype.kind == "f" else lib.tensor(a) if isinstance(a, np.ndarray) else a for a in inputs]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if no_grad:
                with lib.no_grad():
                    out = call(mod, *xs)
            else:
                out = call(mod, *xs)
        out = out[0] if isinstance(out, tuple) else out
        if not no_grad:
            w = lib.tensor(np.random.default_rng(1).standard_normal(tuple(out.shape)), dtype=out.dtype)
            (out * w).sum().backward()
        outs.append(out)
        ins.append(xs)
    tout, jout = outs
    assert str(jout.dtype).split(".")[-1] == str(tout.dtype).split(".")[-1]
    assert_values(jout.detach().numpy(), tout.detach().numpy(), dtype, "output", tol)
    if no_grad:
        return tmod, jmod
    for i, (t, j) in enumerate(zip(*ins)):
        if hasattr(t, "grad") and t.grad is not None:
            assert_values(j.grad.numpy(), t.grad.numpy(), dtype, f"input {i} grad", tol, signed_zeros=False)
    for (name, tp), (_, jp) in zip(tmod.named_parameters(), jmod.named_parameters()):
        if tp.grad is None:
            assert jp.grad is None or not jp.grad.numpy().any(), name
        else:
            assert_values(jp.grad.numpy(), tp.grad.numpy(), dtype, f"{name} grad", tol, signed_zeros=False)
    return tmod, jmod


# ----- reprs -----------------------------------------------------------------------------

REPRS = [
    lambda nn: nn.Conv3d(2, 4, 3, stride=2, padding=1, groups=2),
    lambda nn: nn.ConvTranspose1d(3, 4, 3),
    lambda nn: nn.ConvTranspose2d(4, 6, 3, stride=2, output_padding=1, groups=2, bias=False),
    lambda nn: nn.ConvTranspose3d(2, 2, (1, 2, 3), padding=1, dilation=2),
    lambda nn: nn.MaxPool3d(2), lambda nn: nn.AvgPool3d(3, 2, 1),
    lambda nn: nn.AdaptiveAvgPool1d(3), lambda nn: nn.AdaptiveAvgPool2d((2, None)), lambda nn: nn.AdaptiveAvgPool3d(2),
    lambda nn: nn.AdaptiveMaxPool1d(3), lambda nn: nn.AdaptiveMaxPool2d((2, 3), return_indices=True),
    lambda nn: nn.AdaptiveMaxPool3d(1),
    lambda nn: nn.MaxUnpool1d(3, 2, 1), lambda nn: nn.MaxUnpool2d(2), lambda nn: nn.MaxUnpool3d((2, 2, 1)),
    lambda nn: nn.LPPool1d(2, 3), lambda nn: nn.LPPool2d(1.5, (2, 3), stride=1, ceil_mode=True),
    lambda nn: nn.Fold((4, 5), 2), lambda nn: nn.Unfold((2, 3), padding=1, stride=2),
    lambda nn: nn.BatchNorm3d(3), lambda nn: nn.InstanceNorm1d(3), lambda nn: nn.InstanceNorm2d(4, affine=True),
    lambda nn: nn.InstanceNorm3d(2, track_running_stats=True, momentum=None),
    lambda nn: nn.GroupNorm(2, 4), lambda nn: nn.GroupNorm(3, 6, affine=False, eps=1e-3),
    lambda nn: nn.RMSNorm([3, 4]), lambda nn: nn.RMSNorm(3, eps=1e-3, elementwise_affine=False),
    lambda nn: nn.LocalResponseNorm(2),
    lambda nn: nn.Upsample(scale_factor=2), lambda nn: nn.Upsample(size=(3, 4), mode="bilinear"),
    lambda nn: nn.Upsample(scale_factor=(2, 1.5), mode="bicubic", align_corners=True),
    lambda nn: nn.UpsamplingBilinear2d(scale_factor=2), lambda nn: nn.UpsamplingNearest2d(size=3),
    lambda nn: nn.PixelShuffle(2), lambda nn: nn.PixelUnshuffle(3), lambda nn: nn.ChannelShuffle(2),
    lambda nn: nn.Dropout1d(), lambda nn: nn.Dropout2d(0.2), lambda nn: nn.Dropout3d(inplace=True),
    lambda nn: nn.AlphaDropout(0.2), lambda nn: nn.FeatureAlphaDropout(0.1),
    lambda nn: nn.RReLU(), lambda nn: nn.RReLU(0.1, 0.2, True), lambda nn: nn.Softmax2d(),
    lambda nn: nn.EmbeddingBag(5, 3), lambda nn: nn.EmbeddingBag(5, 3, mode="max", padding_idx=1, max_norm=1.0),
    lambda nn: nn.ZeroPad3d(1), lambda nn: nn.ConstantPad3d((1, 0, 2, 1, 0, 1), 2.5), lambda nn: nn.ReflectionPad3d(1),
    lambda nn: nn.ReplicationPad3d((1, 1, 0, 0, 2, 2)), lambda nn: nn.CircularPad3d(1),
    lambda nn: nn.MultiheadAttention(8, 2), lambda nn: nn.MultiheadAttention(8, 2, kdim=3, vdim=5, bias=False),
    lambda nn: nn.TransformerEncoderLayer(8, 2, 16),
    lambda nn: nn.TransformerDecoderLayer(8, 2, 16, norm_first=True, activation="gelu"),
    lambda nn: nn.Transformer(8, 2, 1, 1, 16),
    lambda nn: nn.LazyLinear(3), lambda nn: nn.LazyConv2d(4, 3),
    lambda nn: nn.LazyBatchNorm2d(), lambda nn: nn.LazyInstanceNorm1d(affine=False, momentum=0.2),
]


@pytest.mark.parametrize("make", REPRS)
def test_repr_and_state_dict_keys_match_torch(make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t, j = make(torch.nn), make(jnn)
    assert repr(j).replace("jitgrad.", "torch.") == repr(t)
    if "Lazy" not in type(t).__name__:
        assert [(k, tuple(v.shape)) for k, v in j.state_dict().items()] == \
            [(k, tuple(v.shape)) for k, v in t.state_dict().items()]
        assert [(k, p.requires_grad) for k, p in j.named_parameters()] == \
            [(k, p.requires_grad) for k, p in t.named_parameters()]


# ----- convolution and pooling modules ---------------------------------------------------------

@pytest.mark.parametrize("make, shape", [
    (lambda nn: nn.Conv3d(2, 4, 3, stride=2, padding=1, groups=2), (2, 2, 5, 4, 5)),
    (lambda nn: nn.ConvTranspose1d(3, 4, 3, stride=2), (2, 3, 5)),
    (lambda nn: nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2), (2, 4, 3, 4)),
    (lambda nn: nn.ConvTranspose2d(3, 2, (2, 3), bias=False, dilation=2), (3, 4, 4)),
    (lambda nn: nn.ConvTranspose3d(2, 3, 2, stride=(1, 2, 2)), (1, 2, 3, 2, 3)),
    (lambda nn: nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.ConvTranspose2d(8, 3, 2, stride=2)), (2, 3, 8, 8)),
])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_conv_modules_against_torch(make, shape, dtype):
    compare_module(make, [r(*shape)], dtype)


def test_conv_transpose_output_size_argument():
    def call(m, x):
        return m(x, output_size=[8, 9])
    compare_module(lambda nn: nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1), [r(1, 2, 4, 5)], call=call)
    tmod, jmod = build(lambda nn: nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1))
    msgs = []
    for lib, m in ((torch, tmod), (jitgrad, jmod)):
        with pytest.raises(ValueError) as info:
            m(lib.zeros(1, 2, 4, 5, dtype=lib.float64), output_size=[12, 9])
        msgs.append(str(info.value).replace("jitgrad.", "torch."))
    assert msgs[1] == msgs[0]


def test_conv_transpose_init_bounds():
    """torch's default init: kaiming_uniform(a=sqrt(5)) on (in, out/groups, *k)
    gives |w| <= 1/sqrt(out/groups * prod(k)), and the bias the same bound."""
    jitgrad.manual_seed(0)
    m = jnn.ConvTranspose2d(4, 6, 3, groups=2)
    bound = 1 / np.sqrt(3 * 9)
    assert tuple(m.weight.shape) == (4, 3, 3, 3)
    assert np.abs(m.weight.detach().numpy()).max() <= bound
    assert np.abs(m.bias.detach().numpy()).max() <= bound
    assert np.abs(m.weight.detach().numpy()).max() > 0.8 * bound


@pytest.mark.parametrize("make, shape", [
    (lambda nn: nn.MaxPool3d(2, stride=(1, 2, 2)), (2, 2, 4, 5, 6)),
    (lambda nn: nn.AvgPool3d(3, 2, 1, count_include_pad=False), (2, 5, 4, 6)),
    (lambda nn: nn.AdaptiveAvgPool1d(3), (2, 3, 7)),
    (lambda nn: nn.AdaptiveAvgPool2d((2, None)), (2, 3, 5, 4)),
    (lambda nn: nn.AdaptiveAvgPool3d(2), (1, 2, 5, 4, 3)),
    (lambda nn: nn.AdaptiveMaxPool1d(4), (2, 3, 7)),
    (lambda nn: nn.AdaptiveMaxPool2d((3, 2)), (2, 3, 5, 4)),
    (lambda nn: nn.AdaptiveMaxPool3d(2), (2, 5, 4, 3)),
    (lambda nn: nn.LPPool1d(2, 3, stride=2), (2, 3, 7)),
    (lambda nn: nn.LPPool2d(3, 2), (2, 3, 6, 5)),
    (lambda nn: nn.Fold((4, 5), 2), (2, 8, 12)),
    (lambda nn: nn.Unfold((2, 3), padding=1, stride=2), (2, 3, 5, 6)),
    (lambda nn: nn.Sequential(nn.Conv2d(3, 4, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2)),
     (2, 3, 8, 8)),
])
def test_pool_modules_against_torch(make, shape):
    x = r(*shape)
    if "LPPool" in repr(make(torch.nn)):
        x = np.abs(x) + 0.1
    compare_module(make, [x])


def test_max_unpool_module_roundtrip():
    x = r(2, 3, 6, 6)
    outs = []
    for lib in (torch, jitgrad):
        pool = lib.nn.MaxPool2d(2, return_indices=True)
        unpool = lib.nn.MaxUnpool2d(2)
        xt = lib.tensor(x, requires_grad=True)
        y, idx = pool(xt)
        z = unpool(y, idx, output_size=xt.size())
        (z * lib.tensor(x)).sum().backward()
        outs.append((z.detach().numpy(), xt.grad.numpy(), idx.numpy()))
    for a, b in zip(outs[1], outs[0]):
        np.testing.assert_allclose(a, b, rtol=1e-12)


# ----- normalisation modules --------------------------------------------------------------------

@pytest.mark.parametrize("make, shape", [
    (lambda nn: nn.GroupNorm(2, 4), (2, 4, 3, 3)),
    (lambda nn: nn.GroupNorm(3, 6, affine=False), (2, 6, 5)),
    (lambda nn: nn.RMSNorm([3, 4]), (2, 3, 4)),
    (lambda nn: nn.RMSNorm(4, eps=1e-3), (2, 3, 4)),
    (lambda nn: nn.LocalResponseNorm(3), (2, 5, 4, 3)),
    (lambda nn: nn.InstanceNorm1d(3, affine=True), (2, 3, 6)),
    (lambda nn: nn.InstanceNorm1d(3), (3, 6)),                        # unbatched
    (lambda nn: nn.InstanceNorm2d(4, affine=True, track_running_stats=True), (2, 4, 3, 5)),
    (lambda nn: nn.InstanceNorm3d(2), (2, 2, 3, 4, 3)),
])
@pytest.mark.parametrize("train", [False, True])
def test_norm_modules_against_torch(make, shape, train):
    compare_module(make, [r(*shape)], train=train)
    compare_module(make, [r(*shape)], "float32", train=train)


@pytest.mark.parametrize("make, shape", [
    (lambda nn: nn.BatchNorm3d(3), (2, 3, 4, 3, 2)),
    (lambda nn: nn.InstanceNorm2d(3, track_running_stats=True, momentum=0.3), (2, 3, 4, 5)),
    (lambda nn: nn.InstanceNorm1d(3, track_running_stats=True, momentum=None), (2, 3, 5)),
])
def test_running_stats_follow_torch(make, shape):
    tmod, jmod = build(make, train=True)
    for step in range(3):
        x = r(*shape)
        tmod(torch.tensor(x))
        jmod(jitgrad.tensor(x))
    for (k, tv), jv in zip(tmod.state_dict().items(), jmod.state_dict().values()):
        np.testing.assert_allclose(jv.numpy(), tv.numpy(), rtol=1e-12, atol=1e-14, err_msg=k)
    tmod.eval()
    jmod.eval()
    x = r(*shape)
    np.testing.assert_allclose(jmod(jitgrad.tensor(x)).detach().numpy(), tmod(torch.tensor(x)).detach().numpy(),
                               rtol=1e-10)


def test_norm_module_errors_match_torch():
    for make, shape in [(lambda nn: nn.BatchNorm3d(3), (2, 3, 4)), (lambda nn: nn.InstanceNorm2d(3), (2, 3)),
                        (lambda nn: nn.InstanceNorm1d(3, affine=True), (2, 4, 5)),
                        (lambda nn: nn.Softmax2d(), (2, 3))]:
        errs = []
        for lib in (torch, jitgrad):
            with pytest.raises(Exception) as info:
                make(lib.nn)(lib.zeros(*shape))
            errs.append((type(info.value).__name__, str(info.value)))
        assert errs[1] == errs[0]
    for lib in (torch, jitgrad):
        with pytest.raises(ValueError, match=r"^num_channels \(4\) must be divisible by num_groups \(3\)$"):
            lib.nn.GroupNorm(3, 4)


# ----- upsampling, shuffles, embedding bags ------------------------------------------------

@pytest.mark.parametrize("make, shape", [
    (lambda nn: nn.Upsample(scale_factor=2), (2, 3, 4, 3)),
    (lambda nn: nn.Upsample(size=(5, 7), mode="bilinear"), (2, 3, 4, 3)),
    (lambda nn: nn.Upsample(scale_factor=1.5, mode="bicubic", align_corners=True), (1, 2, 4, 4)),
    (lambda nn: nn.Upsample(scale_factor=2, mode="linear"), (2, 3, 4)),
    (lambda nn: nn.Upsample(scale_factor=(1, 2, 2), mode="trilinear"), (1, 2, 2, 3, 3)),
    (lambda nn: nn.UpsamplingBilinear2d(scale_factor=2), (2, 3, 4, 3)),
    (lambda nn: nn.UpsamplingNearest2d(size=5), (2, 3, 4, 3)),
    (lambda nn: nn.PixelShuffle(2), (2, 8, 3, 3)),
    (lambda nn: nn.PixelUnshuffle(2), (2, 2, 4, 6)),
    (lambda nn: nn.ChannelShuffle(3), (2, 6, 2, 2)),
    (lambda nn: nn.Softmax2d(), (2, 3, 2, 2)),
    (lambda nn: nn.Sequential(nn.Conv2d(3, 12, 3, padding=1), nn.PixelShuffle(2), nn.Upsample(scale_factor=0.5,
                              mode="bilinear")), (1, 3, 4, 4)),
])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_upsampling_modules_against_torch(make, shape, dtype):
    compare_module(make, [r(*shape)], dtype)


@pytest.mark.parametrize("make, inputs", [
    (lambda nn: nn.EmbeddingBag(10, 3), [np.array([[1, 2, 4], [4, 3, 9]])]),
    (lambda nn: nn.EmbeddingBag(10, 3, mode="sum"), [np.array([1, 2, 4, 5, 4, 3]), np.array([0, 2])]),
    (lambda nn: nn.EmbeddingBag(10, 3, mode="max", padding_idx=2), [np.array([1, 2, 4, 5, 2, 3]),
                                                                      np.array([0, 3])]),
    (lambda nn: nn.EmbeddingBag(10, 3, mode="sum", include_last_offset=True),
     [np.array([1, 2, 4, 5]), np.array([0, 1, 4])]),
])
def test_embedding_bag_module_against_torch(make, inputs):
    compare_module(make, inputs)


def test_embedding_bag_per_sample_weights_module():
    def call(m, idx, off, w):
        return m(idx, off, per_sample_weights=w)
    compare_module(lambda nn: nn.EmbeddingBag(6, 4, mode="sum"), [np.array([0, 2, 5, 1]), np.array([0, 1]), r(4)],
                   call=call)


# ----- dropouts, rrelu, in-place F forms -------------------------------------------------------

@pytest.mark.parametrize("fn, shape", [("dropout1d", (4, 6, 5)), ("dropout2d", (4, 6, 3, 3)),
                                       ("dropout3d", (2, 6, 2, 2, 2)), ("dropout1d", (6, 5)),
                                       ("dropout3d", (6, 2, 2, 2))])
def test_feature_dropout_zeroes_whole_channels(fn, shape):
    jitgrad.manual_seed(1)
    x = jitgrad.tensor(np.abs(r(*shape)) + 1, requires_grad=True)
    out = getattr(jitgrad.nn.functional, fn)(x, p=0.5)
    o, xv = out.detach().numpy(), x.detach().numpy()
    lead = 2 if len(shape) == {"dropout1d": 3, "dropout2d": 4, "dropout3d": 5}[fn] else 1
    per_channel = o.reshape(int(np.prod(shape[:lead])), -1)
    kept = (per_channel != 0).all(1)
    assert ((per_channel == 0).all(1) | kept).all(), "a channel is all dropped or all kept"
    assert 0 < kept.sum() < kept.size
    np.testing.assert_allclose(per_channel[kept], 2 * xv.reshape(per_channel.shape)[kept])
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy().reshape(per_channel.shape)[kept], 2.0)
    assert (x.grad.numpy().reshape(per_channel.shape)[~kept] == 0).all()
    # eval: identity (unbatched: through an unsqueeze / squeeze, as torch)
    same = getattr(jitgrad.nn.functional, fn)(x, 0.5, training=False)
    assert same is x if lead == 2 else np.array_equal(same.detach().numpy(), xv)


def test_alpha_dropout_statistics_and_structure():
    jitgrad.manual_seed(0)
    x = jitgrad.randn(200, 200)
    out = jitgrad.nn.functional.alpha_dropout(x, 0.2, training=True).numpy()
    # SELU's self-normalising property: mean ~0, std ~1 are kept
    assert abs(out.mean()) < 0.02 and abs(out.std() - 1) < 0.02
    alpha, p = 1.7580993408473766, 0.2
    a = 1 / np.sqrt((alpha * alpha * p + 1) * (1 - p))
    dropped = np.isclose(out, -alpha * a + alpha * a * p)
    assert abs(dropped.mean() - 0.2) < 0.01
    np.testing.assert_allclose(out[~dropped], (x.numpy() * a + alpha * a * p)[~dropped], rtol=1e-5, atol=1e-6)
    y = jitgrad.randn(3, 4, 5)
    assert jitgrad.nn.functional.alpha_dropout(y, 0.5) is y      # training=False by default
    fa = jitgrad.nn.functional.feature_alpha_dropout(jitgrad.ones(50, 40, 3), 0.5, training=True).numpy()
    assert (fa == fa[:, :, :1]).all()                            # one draw per (sample, channel)


def test_dropout_module_train_eval_and_errors():
    m = jnn.Dropout2d(0.5)
    x = jitgrad.randn(2, 3, 4, 4)
    assert m.eval()(x) is x
    for lib in (torch, jitgrad):
        with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
            lib.nn.Dropout1d(1.5)
    msgs = []
    for lib in (torch, jitgrad):
        with pytest.raises(RuntimeError) as info:
            lib.nn.functional.dropout1d(lib.zeros(2, 3, 4, 5))
        msgs.append(str(info.value))
    assert msgs[1] == msgs[0]
    msgs = []
    for lib in (torch, jitgrad):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.nn.functional.dropout2d(lib.ones(2, 3, 4), 0.5)
        msgs.append([str(w.message) for w in caught])
    assert msgs[1] == msgs[0]


def test_rrelu_eval_matches_torch_and_train_draws_slopes():
    x = r(4, 5)
    compare_module(lambda nn: nn.RReLU(0.1, 0.3), [x])
    jitgrad.manual_seed(3)
    xt = jitgrad.tensor(x, requires_grad=True)
    out = jnn.RReLU(0.1, 0.3).train()(xt)
    assert out.grad_fn.name() == "RreluWithNoiseBackward0"
    out.sum().backward()
    slope = out.detach().numpy() / x
    neg = x < 0
    assert ((slope[neg] >= 0.1) & (slope[neg] <= 0.3)).all() and len(np.unique(slope[neg])) > 1
    np.testing.assert_allclose(slope[~neg], 1.0)
    np.testing.assert_allclose(xt.grad.numpy(), slope)


@pytest.mark.parametrize("name, args", [("relu_", ()), ("elu_", (0.5,)), ("leaky_relu_", (0.2,)),
                                        ("hardtanh_", (-0.5, 0.5)), ("threshold_", (0.1, -1.0)), ("selu_", ()),
                                        ("celu_", (0.7,)), ("rrelu_", ())])
def test_inplace_functional_forms(name, args):
    x = r(3, 4)
    res, names = [], []
    for lib in (torch, jitgrad):
        leaf = lib.tensor(x, requires_grad=True)
        y = leaf * 2
        before = y._version
        out = getattr(lib.nn.functional, name)(y, *args)
        assert out is y and y._version > before
        names.append(type(y.grad_fn).__name__)
        (y * lib.tensor(x)).sum().backward()
        res.append((y.detach().numpy(), leaf.grad.numpy()))
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            getattr(lib.nn.functional, name)(leaf, *args)
    np.testing.assert_allclose(res[1][0], res[0][0], rtol=1e-12)
    # (torch's CELU backward rounds its 1/alpha coefficient to float: ~1e-8 off
    # in float64, out of place as well; jitgrad's is exact)
    np.testing.assert_allclose(res[1][1], res[0][1], rtol=1e-7 if name == "celu_" else 1e-12)
    assert names[1] == names[0]


@pytest.mark.parametrize("make", [
    lambda nn: nn.Sequential(nn.Linear(3, 4), nn.ReLU(inplace=True), nn.Linear(4, 2)),
    lambda nn: nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.1, inplace=True), nn.Linear(4, 4), nn.ELU(inplace=True),
                             nn.Linear(4, 4), nn.Hardtanh(-0.5, 0.5, inplace=True), nn.Linear(4, 2)),
    lambda nn: nn.Sequential(nn.Linear(3, 4), nn.SiLU(inplace=True), nn.Linear(4, 4), nn.ReLU6(inplace=True),
                             nn.Linear(4, 4), nn.SELU(inplace=True), nn.Linear(4, 2)),
    lambda nn: nn.Sequential(nn.Linear(3, 4), nn.Hardswish(inplace=True), nn.Linear(4, 4), nn.Mish(inplace=True),
                             nn.Linear(4, 2)),
])
def test_inplace_activation_modules_write_their_input(make):
    compare_module(make, [r(5, 3)])
    compare_module(make, [r(5, 3)], "float32")
    for lib in (torch, jitgrad):
        y = lib.randn(4, 3) * 1
        act = make(lib.nn)[1]
        before = y._version
        assert act(y) is y and y._version > before


def test_inplace_flag_on_a_leaf_raises_like_torch():
    errs = []
    for lib in (torch, jitgrad):
        with pytest.raises(RuntimeError) as info:
            lib.nn.functional.relu(lib.ones(3, requires_grad=True), inplace=True)
        errs.append(str(info.value))
    assert errs[1] == errs[0]


def test_compiled_replays_new_layers_and_runs_grid_sample_eagerly():
    F = jitgrad.nn.functional
    w = jitgrad.tensor(r(2, 2, 3, 3))

    def loss(x):
        y = F.interpolate(F.conv_transpose2d(x, w, stride=2), scale_factor=1.5, mode="bilinear")
        return F.group_norm(F.adaptive_max_pool2d(y, 3), 1).pow(2).sum() + F.pixel_shuffle(y[:, :, :4, :4]
                                                                                           .repeat(1, 2, 1, 1), 2).sum()
    grad = jitgrad.compile(jitgrad.func.grad(loss))
    for _ in range(3):
        x = jitgrad.tensor(r(1, 2, 3, 3))
        np.testing.assert_allclose(grad(x).numpy(), jitgrad.func.grad(loss)(x).numpy(), rtol=1e-9)

    def sample(theta):
        grid = F.affine_grid(theta, (1, 2, 3, 3), align_corners=False)
        return F.grid_sample(w[:1], grid, align_corners=False).sum()
    sgrad = jitgrad.compile(jitgrad.func.grad(sample))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for scale in (1.0, 1.3):
            theta = jitgrad.tensor(np.eye(2, 3)[None] * scale + 0.05 * r(1, 2, 3))
            np.testing.assert_allclose(sgrad(theta).numpy(), jitgrad.func.grad(sample)(theta).numpy(), rtol=1e-9)
    assert any("grid_sample" in str(c.message) for c in caught)


# ----- lazy layers, torch-level aliases --------------------------------------------------------

def test_lazy_layers_infer_their_input_size():
    lin = jnn.LazyLinear(3)
    out = lin(jitgrad.randn(2, 5))
    assert type(lin) is jnn.Linear and tuple(lin.weight.shape) == (3, 5) and tuple(out.shape) == (2, 3)
    assert repr(lin) == "Linear(in_features=5, out_features=3, bias=True)"
    conv = jnn.LazyConv2d(4, 3, padding=1)
    out = conv(jitgrad.randn(2, 6, 5, 5))
    assert type(conv) is jnn.Conv2d and tuple(conv.weight.shape) == (4, 6, 3, 3) and tuple(out.shape) == (2, 4, 5, 5)
    tconv = jnn.LazyConvTranspose1d(2, 3, stride=2)
    assert tuple(tconv(jitgrad.randn(1, 5, 4)).shape) == (1, 2, 9)
    assert tuple(tconv.weight.shape) == (5, 2, 3)
    for make, shape in [(lambda nn: nn.LazyBatchNorm2d(), (2, 3, 4, 4)), (lambda nn: nn.LazyBatchNorm1d(), (4, 5)),
                        (lambda nn: nn.LazyInstanceNorm1d(), (2, 3, 6)), (lambda nn: nn.LazyInstanceNorm3d(), (2, 2, 3, 3, 3))]:
        x = r(*shape)
        tm, jm = make(torch.nn).double(), make(jnn).double()
        tout, jout = tm(torch.tensor(x)), jm(jitgrad.tensor(x))
        assert type(jm).__name__ == type(tm).__name__ and repr(jm) == repr(tm)
        assert [(k, tuple(v.shape)) for k, v in jm.state_dict().items()] == \
            [(k, tuple(v.shape)) for k, v in tm.state_dict().items()]
        np.testing.assert_allclose(jout.detach().numpy(), tout.detach().numpy(), rtol=1e-10, atol=1e-12)
        for (k, tv), jv in zip(tm.state_dict().items(), jm.state_dict().values()):
            np.testing.assert_allclose(jv.numpy(), tv.numpy(), rtol=1e-10, atol=1e-12, err_msg=k)
    model = jnn.Sequential(jnn.LazyLinear(4), jnn.ReLU(), jnn.LazyLinear(1))
    model(jitgrad.randn(3, 7)).sum().backward()
    assert [tuple(p.grad.shape) for p in model.parameters()] == [(4, 7), (4,), (1, 4), (1,)]


@pytest.mark.parametrize("call", [
    lambda lib, x, w: lib.conv2d(x, w, padding=1),
    lambda lib, x, w: lib.conv1d(x.flatten(2), w[:, :, 0], stride=2),
    lambda lib, x, w: lib.conv_transpose2d(x, w.transpose(0, 1)),
    lambda lib, x, w: lib.max_pool2d(x, 2),
    lambda lib, x, w: lib.max_pool1d(x.flatten(2), 3),
    lambda lib, x, w: lib.max_pool1d_with_indices(x.flatten(2), 3)[0],
    lambda lib, x, w: lib.avg_pool1d(x.flatten(2), 2, 2),
    lambda lib, x, w: lib.adaptive_avg_pool1d(x.flatten(2), 3),
    lambda lib, x, w: lib.adaptive_max_pool1d(x.flatten(2), 3)[0],
    lambda lib, x, w: lib.batch_norm(x, None, None, None, None, True, 0.1, 1e-5, False),
    lambda lib, x, w: lib.instance_norm(x, None, None, None, None, True, 0.1, 1e-5, False),
    lambda lib, x, w: lib.layer_norm(x, [4, 4]),
    lambda lib, x, w: lib.group_norm(x, 1),
    lambda lib, x, w: lib.rms_norm(x, [4]),
    lambda lib, x, w: lib.embedding(x.reshape(16, 6), lib.tensor([[0, 3], [2, 2]])),
    lambda lib, x, w: lib.pixel_shuffle(x.repeat(1, 2, 1, 1)[:, :4], 2),
    lambda lib, x, w: lib.channel_shuffle(x.repeat(1, 2, 1, 1), 2),
    lambda lib, x, w: lib.bilinear(x.flatten(1)[:, :3], x.flatten(1)[:, 3:5], w.flatten(1)[:4, :6].reshape(4, 3, 2)),
    lambda lib, x, w: lib.dropout(x, 0.5, False),
    lambda lib, x, w: lib.alpha_dropout(x, 0.5, False),
    lambda lib, x, w: lib.feature_dropout(x, 0.5, False),
    lambda lib, x, w: lib.rrelu(x),
    lambda lib, x, w: lib.selu_(x * 1),
    lambda lib, x, w: lib.relu_(x * 1),
])
def test_torch_level_aliases(call):
    x, w = r(2, 3, 4, 4), r(5, 3, 3, 3)
    outs = []
    for lib in (torch, jitgrad):
        xt, wt = lib.tensor(x, requires_grad=True), lib.tensor(w, requires_grad=True)
        out = call(lib, xt, wt)
        out.sum().backward()
        outs.append((out.detach().numpy(), xt.grad.numpy()))
    np.testing.assert_allclose(outs[1][0], outs[0][0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(outs[1][1], outs[0][1], rtol=1e-10, atol=1e-12)


def test_conv_autoencoder_trains_like_torch():
    """A small encoder / decoder with the new layers, a few Adam steps in
    float64: the losses and final weights follow torch's."""
    def make(nn):
        return nn.Sequential(
            nn.Conv2d(2, 8, 3, padding=1), nn.GroupNorm(2, 8), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(8, 8, 3, padding=1), nn.InstanceNorm2d(8, affine=True), nn.LeakyReLU(0.1),
            nn.AdaptiveAvgPool2d(2),
            nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1), nn.SiLU(),
            nn.Upsample(scale_factor=2, mode="bilinear"), nn.Conv2d(4, 8, 1), nn.PixelShuffle(2),
            nn.AdaptiveMaxPool2d(8))
    tmod, jmod = build(make, train=True)
    x = r(3, 2, 8, 8)
    losses = []
    for lib, mod in ((torch, tmod), (jitgrad, jmod)):
        opt = lib.optim.Adam(mod.parameters(), lr=0.01)
        run = []
        for _ in range(4):
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(mod(lib.tensor(x)), lib.tensor(x))
            loss.backward()
            opt.step()
            run.append(loss.item())
        losses.append(run)
    np.testing.assert_allclose(losses[1], losses[0], rtol=1e-9)
    for (name, tp), jp in zip(tmod.state_dict().items(), jmod.state_dict().values()):
        np.testing.assert_allclose(jp.numpy(), tp.numpy(), rtol=1e-7, atol=1e-9, err_msg=name)
