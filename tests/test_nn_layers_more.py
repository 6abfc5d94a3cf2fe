"""The nn.functional breadth ops against PyTorch: conv3d, conv_transpose1d/2d/3d,
unfold/fold, 3-d / adaptive / unpooling / power pools, group / instance /
rms / local response norms, interpolate in every mode, pixel and channel
shuffles, affine_grid / grid_sample, scaled_dot_product_attention,
embedding_bag: values, grad_fn names, input gradients (float64 and float32),
float64 gradcheck / gradgradcheck on a few, and torch's error messages."""
import warnings

import numpy as np
import pytest
import torch

import jitgrad

from _compare import assert_tensor_like, assert_values

TF, JF = torch.nn.functional, jitgrad.nn.functional
RNG = np.random.default_rng(11)

# float32: torch.testing's rtol with an atol for sums of a few products
# computed in another order (BLAS blocking, separable interpolation).
TOL32 = (1e-5, 1e-5)


def _leaf(lib, a, dtype, grad=True):
    if not isinstance(a, np.ndarray):
        return a
    if a.dtype.kind == "f":
        return lib.tensor(a, dtype=getattr(lib, dtype), requires_grad=grad)
    return lib.tensor(a)


def compare_fn(fn_name, arrays, kwargs=None, dtype="float64", grad_fn=True, tol=None, lib_fn=None):
    """F.<fn_name>(*arrays, **kwargs) in both libraries: outputs (dtype,
    shape, grad_fn, values) and the gradients of every float input for the
    same random output weights."""
    kwargs = kwargs or {}
    tol = tol or (TOL32 if dtype == "float32" else None)
    results = []
    for lib, F in ((torch, TF), (jitgrad, JF)):
        xs = [_leaf(lib, a, dtype) for a in arrays]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = lib_fn(lib, *xs) if lib_fn else getattr(F, fn_name)(*xs, **kwargs)
        outs = list(out) if isinstance(out, tuple) else [out]
        first = outs[0]
        w = np.random.default_rng(3).uniform(0.5, 1.5, tuple(first.shape))
        used = [x for x in xs if hasattr(x, "requires_grad") and x.requires_grad]
        grads = lib.autograd.grad((first * lib.tensor(w, dtype=first.dtype)).sum(), used, allow_unused=True) \
            if used else []
        results.append((outs, grads))
    (touts, tgrads), (jouts, jgrads) = results
    assert len(jouts) == len(touts)
    for i, (j, t) in enumerate(zip(jouts, touts)):
        if not grad_fn and j.grad_fn is not None:
            assert_values(j.detach().numpy(), t.detach().numpy(), dtype, f"{fn_name} output {i}", tol)
        else:
            assert_tensor_like(j, t, f"{fn_name} output {i}", tol, signed_zeros=False)
    for i, (j, t) in enumerate(zip(jgrads, tgrads)):
        if t is None:
            assert j is None or not j.detach().numpy().any(), f"{fn_name} grad {i}"
            continue
        assert_values(j.detach().numpy(), t.numpy(), dtype, f"{fn_name} grad of input {i}", tol, signed_zeros=False)
    return jouts


def error_pair(call):
    """(type, message) that call(lib, F) raises in torch and in jitgrad."""
    got = []
    for lib, F in ((torch, TF), (jitgrad, JF)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                call(lib, F)
        except Exception as e:  # noqa: BLE001 - comparing errors is the point
            got.append((type(e).__name__, str(e).replace("jitgrad.", "torch.")))
        else:
            got.append(None)
    return got


def r(*shape):
    return RNG.standard_normal(shape)


# ----- convolutions ------------------------------------------------------------------

CONV_TRANSPOSE = [
    ("conv_transpose1d", (2, 3, 5), (3, 2, 3), {}),
    ("conv_transpose1d", (2, 4, 5), (4, 3, 2), {"stride": 3, "padding": 2, "output_padding": 1, "groups": 2}),
    ("conv_transpose1d", (3, 6), (3, 2, 4), {"dilation": 2, "padding": 5}),        # unbatched, cropping
    ("conv_transpose2d", (2, 3, 4, 5), (3, 2, 3, 3), {}),
    ("conv_transpose2d", (2, 4, 5, 4), (4, 3, 3, 2), {"stride": 2, "padding": 1, "output_padding": 1, "groups": 2,
                                                       "dilation": (1, 2)}),
    ("conv_transpose2d", (1, 2, 3, 3), (2, 1, 4, 4), {"stride": (2, 3), "padding": (1, 0)}),
    ("conv_transpose3d", (1, 2, 3, 2, 3), (2, 2, 2, 2, 2), {"stride": 2}),
    ("conv_transpose3d", (2, 3, 2, 3), (2, 3, 3, 1, 2), {"padding": (1, 0, 1), "output_padding": 0}),
]


@pytest.mark.parametrize("fn, xshape, wshape, kwargs", CONV_TRANSPOSE)
@pytest.mark.parametrize("bias", [True, False])
def test_conv_transpose_against_torch(fn, xshape, wshape, kwargs, bias):
    groups = kwargs.get("groups", 1)
    b = r(wshape[1] * groups) if bias else None
    compare_fn(fn, [r(*xshape), r(*wshape), b], kwargs)


@pytest.mark.parametrize("fn, xshape, wshape, kwargs", [CONV_TRANSPOSE[1], CONV_TRANSPOSE[4]])
def test_conv_transpose_float32(fn, xshape, wshape, kwargs):
    compare_fn(fn, [r(*xshape), r(*wshape), r(wshape[1] * kwargs.get("groups", 1))], kwargs, "float32")


@pytest.mark.parametrize("xshape, wshape, kwargs", [
    ((2, 2, 4, 3, 5), (4, 1, 2, 2, 3), {"groups": 2, "padding": 1}),
    ((1, 3, 5, 5, 4), (2, 3, 3, 2, 2), {"stride": (2, 1, 2), "dilation": (1, 2, 1)}),
    ((2, 4, 3, 4), (3, 2, 1, 2, 3), {"padding": "same"}),         # unbatched
])
def test_conv3d_against_torch(xshape, wshape, kwargs):
    compare_fn("conv3d", [r(*xshape), r(*wshape), r(wshape[0])], kwargs)


def test_conv_transpose_gradgradcheck():
    x = jitgrad.tensor(r(1, 2, 3, 3), requires_grad=True)
    w = jitgrad.tensor(r(2, 2, 2, 2), requires_grad=True)

    def fn(x, w):
        return JF.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1)
    assert jitgrad.autograd.gradcheck(fn, (x, w))
    assert jitgrad.autograd.gradgradcheck(fn, (x, w))


def test_conv_transpose_errors():
    for call in [
        lambda lib, F: F.conv_transpose2d(lib.randn(1, 3, 4, 4), lib.randn(2, 2, 3, 3)),
        lambda lib, F: F.conv_transpose2d(lib.randn(1, 2, 4, 4), lib.randn(2, 2, 3, 3), output_padding=2),
        lambda lib, F: F.conv_transpose1d(lib.randn(4), lib.randn(2, 2, 3)),
        lambda lib, F: F.conv_transpose1d(lib.randn(1, 2, 4), lib.randn(2, 2, 3), output_padding=2),
        lambda lib, F: F.conv_transpose3d(lib.randn(1, 2, 4, 4, 4), lib.randn(2, 2, 3, 3, 3), output_padding=(2, 0, 0)),
        lambda lib, F: F.conv_transpose2d(lib.randn(1, 4, 4, 4), lib.randn(4, 2, 3, 3), groups=3),
    ]:
        t, j = error_pair(call)
        assert t is not None and j == t, (t, j)


@pytest.mark.parametrize("xshape, kwargs", [
    ((2, 3, 5, 6), {"kernel_size": (2, 3), "padding": 1, "stride": 2, "dilation": (2, 1)}),
    ((3, 4, 4), {"kernel_size": 2}),
    ((1, 2, 6, 5), {"kernel_size": 3, "stride": (1, 2), "padding": (0, 1)}),
])
def test_unfold_against_torch(xshape, kwargs):
    compare_fn("unfold", [r(*xshape)], kwargs)


@pytest.mark.parametrize("xshape, kwargs", [
    ((2, 12, 9), {"output_size": (4, 5), "kernel_size": (2, 3), "padding": 1, "stride": 2}),
    ((1, 8, 16), {"output_size": 5, "kernel_size": 2, "dilation": 1}),
    ((2, 4, 4), {"output_size": (3, 4), "kernel_size": 2, "stride": (1, 1), "dilation": (1, 2)}),
])
def test_fold_against_torch(xshape, kwargs):
    compare_fn("fold", [r(*xshape)], kwargs)


def test_fold_of_unfold_counts_overlaps_and_errors():
    x = r(1, 2, 5, 5)
    compare_fn(None, [x], lib_fn=lambda lib, x: lib.nn.functional.fold(
        lib.nn.functional.unfold(x, 3, padding=1), (5, 5), 3, padding=1))
    t, j = error_pair(lambda lib, F: F.fold(lib.randn(2, 12, 6), (4, 5), (2, 3), padding=1, stride=2))
    assert j == t
    t, j = error_pair(lambda lib, F: F.fold(lib.randn(2, 7, 6), (4, 5), 2))
    assert j == t


# ----- pooling ------------------------------------------------------------------------------

@pytest.mark.parametrize("fn, xshape, out", [
    ("adaptive_avg_pool1d", (2, 3, 7), 3), ("adaptive_avg_pool1d", (3, 5), 7),
    ("adaptive_max_pool1d", (2, 3, 7), 3), ("adaptive_max_pool1d", (3, 5), 4),
    ("adaptive_avg_pool2d", (2, 3, 7, 5), (3, None)), ("adaptive_avg_pool2d", (3, 5, 6), 4),
    ("adaptive_avg_pool2d", (2, 3, 5, 6), 1),
    ("adaptive_max_pool2d", (2, 3, 7, 5), (3, 2)), ("adaptive_max_pool2d", (3, 5, 6), (6, 1)),
    ("adaptive_avg_pool3d", (2, 2, 7, 5, 4), (3, 2, 3)), ("adaptive_max_pool3d", (2, 6, 5, 4), (2, None, 3)),
])
def test_adaptive_pools_against_torch(fn, xshape, out):
    grad_fn = tuple(np.atleast_1d(out)) != (1,)       # torch takes the mean for a 1x1 output
    compare_fn(fn, [r(*xshape)], {"output_size": out}, grad_fn=grad_fn)
    compare_fn(fn, [r(*xshape)], {"output_size": out}, "float32", grad_fn=grad_fn)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_adaptive_max_pool_indices(nd):
    x = r(*(2, 3) + (5, 7, 4)[:nd])
    compare_fn(f"adaptive_max_pool{nd}d", [x], {"output_size": 3, "return_indices": True})
    compare_fn(f"adaptive_max_pool{nd}d_with_indices", [x], {"output_size": 2})


@pytest.mark.parametrize("kwargs", [
    {"kernel_size": 2}, {"kernel_size": 3, "stride": (1, 2, 2), "padding": 1},
    {"kernel_size": (2, 3, 2), "stride": 2, "ceil_mode": True, "dilation": (1, 1, 2)},
])
def test_max_pool3d_against_torch(kwargs):
    compare_fn("max_pool3d", [r(2, 2, 6, 7, 5)], {**kwargs, "return_indices": True})
    compare_fn("max_pool3d_with_indices", [r(2, 6, 7, 5)], kwargs)


@pytest.mark.parametrize("kwargs", [
    {"kernel_size": 2}, {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False},
    {"kernel_size": (2, 3, 2), "stride": (1, 2, 1), "divisor_override": 5},
])
def test_avg_pool3d_against_torch(kwargs):
    compare_fn("avg_pool3d", [r(2, 2, 6, 7, 5)], kwargs)
    compare_fn("avg_pool3d", [r(2, 6, 7, 5)], kwargs, "float32")


def test_pool_with_indices_2d_and_1d():
    compare_fn("max_pool2d_with_indices", [r(2, 3, 6, 5)], {"kernel_size": 3, "stride": 2, "padding": 1})
    compare_fn("max_pool1d_with_indices", [r(2, 3, 7)], {"kernel_size": 2})


@pytest.mark.parametrize("nd, xshape, kwargs", [
    (1, (2, 3, 8), {"kernel_size": 2}),
    (1, (2, 3, 7), {"kernel_size": 3, "stride": 2, "padding": 1}),     # overlapping windows: repeated indices
    (2, (2, 3, 6, 5), {"kernel_size": 2, "output_size": (6, 5)}),
    (2, (3, 7, 6), {"kernel_size": 3, "stride": 2, "padding": 1, "output_size": (7, 6)}),
    (3, (1, 2, 6, 5, 4), {"kernel_size": 2, "output_size": (6, 5, 4)}),
])
def test_max_unpool_against_torch(nd, xshape, kwargs):
    pool_kwargs = {k: v for k, v in kwargs.items() if k != "output_size"}
    out, idx = getattr(TF, f"max_pool{nd}d")(torch.tensor(r(*xshape)), return_indices=True, **pool_kwargs)
    compare_fn(f"max_unpool{nd}d", [out.numpy(), idx.numpy()], kwargs)


def test_max_unpool_errors():
    def bad_index(lib, F):
        return F.max_unpool2d(lib.ones(1, 1, 2, 2), lib.tensor([[[[0, 1], [2, 99]]]]), 2)
    t, j = error_pair(bad_index)
    assert t[0] == j[0] == "RuntimeError" and j[1].startswith("Found an invalid max index: 99")


@pytest.mark.parametrize("nd, xshape, kwargs", [
    (1, (2, 3, 7), {"norm_type": 2, "kernel_size": 3, "stride": 2}),
    (1, (2, 3, 7), {"norm_type": 3, "kernel_size": 2, "ceil_mode": True}),
    (2, (2, 3, 6, 5), {"norm_type": 1.5, "kernel_size": 2}),
    (2, (2, 3, 6, 5), {"norm_type": 2, "kernel_size": (3, 2), "stride": (1, 2)}),
    (3, (1, 2, 4, 4, 4), {"norm_type": 2, "kernel_size": 2}),
])
def test_lp_pool_against_torch(nd, xshape, kwargs):
    compare_fn(f"lp_pool{nd}d", [np.abs(r(*xshape)) + 0.1], kwargs)


def test_pool_errors_match_torch():
    for call in [
        lambda lib, F: F.adaptive_avg_pool2d(lib.randn(3), 2),
        lambda lib, F: F.adaptive_max_pool2d(lib.randn(3), 2),
        lambda lib, F: F.adaptive_avg_pool1d(lib.randn(3), 2),
        lambda lib, F: F.adaptive_max_pool3d(lib.randn(3, 4), 2),
        lambda lib, F: F.max_pool3d(lib.randn(3, 4), 2),
        lambda lib, F: F.avg_pool3d(lib.randn(3, 4), 2),
    ]:
        t, j = error_pair(call)
        assert t is not None and j == t


# ----- normalisation -----------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_group_norm_against_torch(dtype):
    compare_fn("group_norm", [r(2, 6, 3, 4), 3, r(6), r(6)], {}, dtype)
    compare_fn("group_norm", [r(2, 6), 2], {"eps": 1e-3}, dtype)
    compare_fn("group_norm", [r(3, 4, 5), 4, r(4), None], {}, dtype)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_instance_norm_against_torch(dtype):
    compare_fn("instance_norm", [r(2, 3, 5), None, None, r(3), r(3)], {}, dtype)
    compare_fn("instance_norm", [r(2, 3, 4, 5)], {"eps": 1e-3}, dtype)
    mean, var = np.abs(r(3)), np.abs(r(3)) + 0.5
    compare_fn(None, [r(2, 3, 4, 5)], dtype=dtype, lib_fn=lambda lib, x: lib.nn.functional.instance_norm(
        x, lib.tensor(mean, dtype=x.dtype), lib.tensor(var, dtype=x.dtype), use_input_stats=False))


def test_instance_norm_updates_running_stats_like_torch():
    a = r(2, 3, 5, 4)
    stats = {}
    for lib, F in ((torch, TF), (jitgrad, JF)):
        rm, rv = lib.zeros(3, dtype=lib.float64), lib.ones(3, dtype=lib.float64)
        F.instance_norm(lib.tensor(a), rm, rv, momentum=0.3)
        stats[lib.__name__] = (rm.numpy(), rv.numpy())
    np.testing.assert_allclose(stats["jitgrad"][0], stats["torch"][0], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(stats["jitgrad"][1], stats["torch"][1], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_rms_norm_against_torch(dtype):
    compare_fn("rms_norm", [r(2, 3, 5), (3, 5), r(3, 5)], {}, dtype)
    compare_fn("rms_norm", [r(2, 3, 5), [5]], {"eps": 1e-3}, dtype)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_local_response_norm_against_torch(dtype):
    compare_fn("local_response_norm", [r(2, 6, 5), 3], {}, dtype)
    compare_fn("local_response_norm", [r(2, 6, 5, 4), 2], {"alpha": 0.1, "beta": 0.5, "k": 2.0}, dtype)
    compare_fn("local_response_norm", [r(1, 4, 3, 2, 2), 4], {}, dtype)


def test_norm_errors_match_torch():
    for call in [
        lambda lib, F: F.group_norm(lib.randn(2, 3, 4), 2),
        lambda lib, F: F.group_norm(lib.randn(2, 4, 4), 2, lib.ones(3)),
        lambda lib, F: F.rms_norm(lib.randn(2, 3), [4]),
        lambda lib, F: F.rms_norm(lib.randn(2, 3), [3, 4]),
        lambda lib, F: F.layer_norm(lib.randn(2, 3), [3, 4]),
        lambda lib, F: F.local_response_norm(lib.randn(2, 3), 2),
        lambda lib, F: F.instance_norm(lib.randn(2, 3, 1)),
    ]:
        t, j = error_pair(call)
        assert t is not None and j == t, (t, j)


def test_norms_gradgradcheck():
    x = jitgrad.tensor(r(2, 4, 3), requires_grad=True)
    w = jitgrad.tensor(r(4), requires_grad=True)
    assert jitgrad.autograd.gradgradcheck(lambda x, w: JF.group_norm(x, 2, w), (x, w))
    assert jitgrad.autograd.gradcheck(lambda x: JF.rms_norm(x, [3]), (x,))
    assert jitgrad.autograd.gradcheck(lambda x: JF.local_response_norm(x, 2), (x,))


# ----- interpolate --------------------------------------------------------------------------

INTERP_2D = [{"scale_factor": 2}, {"scale_factor": 1.7}, {"size": (7, 3)}, {"scale_factor": (0.5, 2.3)},
             {"size": 5}]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("mode", ["nearest", "nearest-exact", "bilinear", "bicubic", "area"])
@pytest.mark.parametrize("geometry", INTERP_2D)
def test_interpolate_2d_against_torch(mode, geometry, dtype):
    x = r(2, 3, 5, 4)
    if mode in ("bilinear", "bicubic"):
        for align in (False, True):
            compare_fn("interpolate", [x], {"mode": mode, "align_corners": align, **geometry}, dtype)
    else:
        compare_fn("interpolate", [x], {"mode": mode, **geometry}, dtype, grad_fn=mode != "area")


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("mode, xshape, kwargs", [
    ("linear", (2, 3, 5), {"scale_factor": 3.3}),
    ("linear", (2, 3, 5), {"size": 2, "align_corners": True}),
    ("linear", (2, 3, 5), {"size": 5}),
    ("nearest", (2, 3, 5), {"size": 8}),
    ("nearest", (2, 3, 5), {"scale_factor": 0.6}),
    ("trilinear", (1, 2, 3, 4, 5), {"scale_factor": (2, 1.5, 0.6)}),
    ("trilinear", (1, 2, 3, 4, 5), {"size": (4, 4, 4), "align_corners": True}),
    ("nearest", (1, 2, 3, 4, 5), {"scale_factor": (2, 1.5, 0.6)}),
    ("bilinear", (2, 3, 5, 4), {"scale_factor": 1.7, "recompute_scale_factor": True}),
    ("nearest", (2, 3, 5, 4), {"scale_factor": 2.5, "recompute_scale_factor": True}),
])
def test_interpolate_1d_3d_against_torch(mode, xshape, kwargs, dtype):
    compare_fn("interpolate", [r(*xshape)], {"mode": mode, **kwargs}, dtype)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("geometry", [{"size": (3, 2)}, {"scale_factor": 0.4}, {"size": (9, 7)},
                                      {"size": (4, 5), "align_corners": True}, {"scale_factor": (0.5, 1.7)}])
def test_interpolate_antialias_against_torch(mode, geometry, dtype):
    compare_fn("interpolate", [r(2, 3, 8, 6)], {"mode": mode, "antialias": True, **geometry}, dtype)


def test_interpolate_antialias_ignores_inf_outside_windows():
    x = r(1, 1, 8, 8)
    x[0, 0, 0, 0] = np.inf
    got = JF.interpolate(jitgrad.tensor(x), size=(2, 2), mode="bilinear", antialias=True).numpy()
    want = TF.interpolate(torch.tensor(x), size=(2, 2), mode="bilinear", antialias=True).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_interpolate_gradcheck_and_errors():
    x = jitgrad.tensor(r(1, 2, 3, 3), requires_grad=True)
    assert jitgrad.autograd.gradcheck(lambda x: JF.interpolate(x, scale_factor=1.5, mode="bicubic"), (x,))
    assert jitgrad.autograd.gradgradcheck(lambda x: JF.interpolate(x, size=4, mode="bilinear") ** 2, (x,))
    for call in [
        lambda lib, F: F.interpolate(lib.randn(1, 2, 3, 3), scale_factor=2, mode="nearest", align_corners=True),
        lambda lib, F: F.interpolate(lib.randn(1, 2, 3, 3), size=4, scale_factor=2),
        lambda lib, F: F.interpolate(lib.randn(1, 2, 3, 3)),
        lambda lib, F: F.interpolate(lib.randn(1, 2, 3, 3), size=(4, 4, 4)),
        lambda lib, F: F.interpolate(lib.randn(1, 2, 3), scale_factor=2, mode="bilinear"),
        lambda lib, F: F.interpolate(lib.randn(2, 3), scale_factor=2),
        lambda lib, F: F.interpolate(lib.randn(1, 2, 3, 3), size=4, recompute_scale_factor=True),
        lambda lib, F: F.interpolate(lib.randn(1, 2, 3), size=4, mode="linear", antialias=True),
        lambda lib, F: F.interpolate(lib.randn(1, 2, 3), size=4, mode="bicubic"),
        lambda lib, F: F.interpolate(lib.randn(1, 2, 3), size=4, mode="lanczos"),
        lambda lib, F: F.interpolate(lib.randn(1, 2, 3, 3), size=4, mode="lanczos"),
        lambda lib, F: F.interpolate(lib.randn(1, 2, 3, 3), size=(4, 4.5)),
        lambda lib, F: F.interpolate(lib.ones(1, 2, 3, 3, dtype=lib.long), size=4, mode="bilinear"),
        lambda lib, F: F.interpolate(lib.ones(1, 2, 3, dtype=lib.long), size=4),
    ]:
        t, j = error_pair(call)
        assert t is not None and j == t, (t, j)


# ----- shuffles, grids ------------------------------------------------------------------

@pytest.mark.parametrize("fn, xshape, arg", [
    ("pixel_shuffle", (2, 8, 3, 2), 2), ("pixel_shuffle", (3, 2, 9, 3, 2), 3), ("pixel_shuffle", (4, 2, 2), 2),
    ("pixel_unshuffle", (2, 2, 6, 4), 2), ("pixel_unshuffle", (1, 3, 3, 3), 3),
    ("channel_shuffle", (2, 6, 3), 3), ("channel_shuffle", (2, 4, 3, 2), 2),
])
def test_shuffles_against_torch(fn, xshape, arg):
    compare_fn(fn, [r(*xshape), arg])


def test_shuffle_errors_match_torch():
    for call in [
        lambda lib, F: F.pixel_shuffle(lib.randn(2, 3, 2, 2), 2),
        lambda lib, F: F.pixel_shuffle(lib.randn(4, 2), 2),
        lambda lib, F: F.pixel_unshuffle(lib.randn(1, 2, 3, 4), 2),
        lambda lib, F: F.channel_shuffle(lib.randn(2, 5, 3), 2),
    ]:
        t, j = error_pair(call)
        assert t is not None and j == t, (t, j)


@pytest.mark.parametrize("align", [True, False])
def test_affine_grid_against_torch(align):
    compare_fn("affine_grid", [r(2, 2, 3), (2, 3, 4, 5)], {"align_corners": align})
    compare_fn("affine_grid", [r(2, 3, 4), (2, 3, 4, 5, 3)], {"align_corners": align})
    compare_fn("affine_grid", [r(1, 2, 3), (1, 1, 3, 3)], {"align_corners": align}, "float32")


@pytest.mark.parametrize("align", [True, False])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_grid_sample_against_torch(mode, padding_mode, align, dtype):
    grid = RNG.uniform(-2.5, 2.5, (2, 4, 3, 2))
    compare_fn("grid_sample", [r(2, 3, 5, 4), grid], {"mode": mode, "padding_mode": padding_mode,
                                                      "align_corners": align}, dtype)


@pytest.mark.parametrize("align", [True, False])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
def test_grid_sample_3d_against_torch(mode, padding_mode, align):
    grid = RNG.uniform(-1.6, 1.6, (2, 3, 2, 4, 3))
    compare_fn("grid_sample", [r(2, 3, 4, 5, 3), grid], {"mode": mode, "padding_mode": padding_mode,
                                                         "align_corners": align})
    compare_fn("grid_sample", [r(2, 3, 4, 5, 3), grid], {"mode": mode, "padding_mode": padding_mode,
                                                         "align_corners": align}, "float32")


def test_spatial_transformer_pipeline_gradcheck():
    # (random: bilinear sampling has kinks where a point lands on a pixel)
    theta = jitgrad.tensor(np.eye(2, 3)[None] + 0.1 * r(1, 2, 3), requires_grad=True)
    x = jitgrad.tensor(r(1, 2, 4, 4), requires_grad=True)

    def fn(x, theta):
        grid = JF.affine_grid(theta, (1, 2, 3, 3), align_corners=False)
        return JF.grid_sample(x, grid, align_corners=False)
    assert jitgrad.autograd.gradcheck(fn, (x, theta))

    def reflected(x, theta):        # points outside the image: reflected back in
        grid = JF.affine_grid(theta * 2.2, (1, 2, 3, 3), align_corners=True)
        return JF.grid_sample(x, grid, padding_mode="reflection", align_corners=True)
    assert jitgrad.autograd.gradcheck(reflected, (x, theta))


# ----- attention ---------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("kwargs, mask", [
    ({}, None), ({"is_causal": True}, None), ({"scale": 0.3}, None),
    ({}, "bool"), ({}, "float"), ({"is_causal": True}, "square"),
])
def test_scaled_dot_product_attention_against_torch(kwargs, mask, dtype):
    q, k, v = r(2, 3, 4, 8), r(2, 3, 6, 8), r(2, 3, 6, 5)
    if mask == "bool":
        m = RNG.uniform(size=(4, 6)) > 0.3
        m[:, 0] = True            # every query attends somewhere
        arrays = [q, k, v, m]
    elif mask == "float":
        arrays = [q, k, v, r(2, 1, 4, 6)]
    elif mask == "square":
        arrays = [q, r(2, 3, 4, 8), r(2, 3, 4, 5)]
    else:
        arrays = [q, k, v]
    tol = (1e-5, 1e-6) if dtype == "float32" else (1e-7, 1e-9)
    compare_fn("scaled_dot_product_attention", arrays, kwargs, dtype, grad_fn=False, tol=tol)


def test_sdpa_gqa_dropout_and_errors():
    compare_fn("scaled_dot_product_attention", [r(1, 4, 3, 8), r(1, 2, 5, 8), r(1, 2, 5, 8)],
               {"enable_gqa": True}, grad_fn=False)
    q = jitgrad.tensor(r(2, 4, 8))
    out = JF.scaled_dot_product_attention(q, q, q, dropout_p=0.999999)
    assert np.allclose(out.numpy(), 0)          # every weight dropped
    t, j = error_pair(lambda lib, F: F.scaled_dot_product_attention(
        lib.randn(2, 3, 4), lib.randn(2, 3, 4), lib.randn(2, 3, 4), lib.ones(3, 3, dtype=lib.bool), is_causal=True))
    assert t is not None and j == t
    assert jitgrad.autograd.gradcheck(lambda a, b: JF.scaled_dot_product_attention(a, b, b, is_causal=True),
                                      (jitgrad.tensor(r(2, 3, 4), requires_grad=True),
                                       jitgrad.tensor(r(2, 3, 4), requires_grad=True)))


# ----- embedding_bag ---------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("case", ["2d", "offsets", "last_offset", "padding", "empty_bag"])
def test_embedding_bag_against_torch(mode, case):
    weight = r(10, 3)
    if case == "2d":
        arrays, kwargs = [np.array([[1, 2, 4], [4, 3, 9]]), weight], {}
    elif case == "offsets":
        arrays, kwargs = [np.array([1, 2, 4, 5, 4, 3, 2, 9]), weight, np.array([0, 4])], {}
    elif case == "last_offset":
        arrays, kwargs = [np.array([1, 2, 4, 5, 4, 3]), weight, np.array([0, 2, 6])], {"include_last_offset": True}
    elif case == "padding":
        arrays, kwargs = [np.array([[1, 2, 0], [0, 0, 9]]), weight], {"padding_idx": 0}
    else:
        arrays, kwargs = [np.array([1, 2, 4, 5]), weight, np.array([0, 2, 2])], {}
    compare_fn("embedding_bag", arrays, {"mode": mode, **kwargs})


def test_embedding_bag_per_sample_weights_and_errors():
    compare_fn("embedding_bag", [np.array([1, 2, 4, 5, 4, 3]), r(10, 3), np.array([0, 3]), None, 2.0, False, "sum",
                                 False, r(6)])
    for call in [
        lambda lib, F: F.embedding_bag(lib.tensor([1, 2]), lib.randn(5, 2)),
        lambda lib, F: F.embedding_bag(lib.tensor([[1, 2]]), lib.randn(5, 2), lib.tensor([0])),
        lambda lib, F: F.embedding_bag(lib.tensor([1, 2]), lib.randn(5, 2), lib.tensor([0]), mode="mean",
                                       per_sample_weights=lib.ones(2)),
    ]:
        t, j = error_pair(call)
        assert t is not None and j == t, (t, j)
