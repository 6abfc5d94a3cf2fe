"""Fidelity audit of the autograd API and nn.functional against PyTorch:
each test pins a discrepancy found (and fixed) in the audit."""
import warnings

import numpy as np
import pytest

import jitgrad

from _compare import check, check_error, error_of

torch = pytest.importorskip("torch")

X = np.array([[-3.0, -0.5, 0.0, 0.5], [1.0, 2.0, -1.0, 6.0], [7.0, -7.0, 0.25, 1.0]])
T = np.array([[0.0, 1.0, 0.5, 0.0], [1.0, 1.0, 0.0, 0.0], [0.2, 0.0, 1.0, 0.3]])


def both(fn):
    """fn(lib) in torch and in jitgrad."""
    return fn(torch), fn(jitgrad)


def assert_same_tensor(got, want, tol=(1.3e-6, 1e-5)):
    assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1]
    assert tuple(got.shape) == tuple(want.shape)
    np.testing.assert_allclose(got.detach().numpy().astype(np.float64), want.detach().numpy().astype(np.float64),
                               rtol=tol[0], atol=tol[1])


# ----- new nn.functional composites -----------------------------------------------------------

ACTIVATIONS = [
    ("logsigmoid", {}), ("softsign", {}), ("hardtanh", {}), ("hardtanh", {"min_val": -2.0, "max_val": 0.5}),
    ("relu6", {}),
]


@pytest.mark.parametrize("name,kw", ACTIVATIONS, ids=[f"{n}{k}" for n, k in ACTIVATIONS])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_new_activations(name, kw, dtype):
    wide = np.concatenate([X.ravel(), [-100.0, -30.0, 30.0, 100.0]])
    check(torch, lambda lib, x: getattr(lib.nn.functional, name)(x, **kw), [wide], dtype)


def test_hardtanh_gradient_is_zero_on_the_bounds_and_passes_nan():
    a = np.array([-1.0, 1.0, 0.0, 6.0, 7.0, np.nan])
    check(torch, lambda lib, x: lib.nn.functional.hardtanh(x), [a])
    check(torch, lambda lib, x: lib.nn.functional.relu6(x), [a])


def test_softmin():
    check(torch, lambda lib, x: lib.nn.functional.softmin(x, 1), [X])


@pytest.mark.parametrize("shape_in", [(3, 4), (4,), (2, 3, 4)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear(shape_in, bias):
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=shape_in), rng.normal(size=(5, 4)), rng.normal(size=5)
    if bias:
        check(torch, lambda lib, x, w, b: lib.nn.functional.linear(x, w, b), [x, w, b], "float32")
    else:
        check(torch, lambda lib, x, w: lib.nn.functional.linear(x, w), [x, w], "float32")


def test_linear_shape_error():
    check_error(torch, lambda lib, x, w: lib.nn.functional.linear(x, w), [np.ones((1, 3)), np.ones((2, 2))])


@pytest.mark.parametrize("kw", [{}, {"dim": 0}, {"p": 1}, {"p": 3.0, "dim": -1}])
def test_normalize(kw):
    a = np.array([[3.0, 4.0], [0.0, 0.0], [1.0, -1.0]])
    check(torch, lambda lib, x: lib.nn.functional.normalize(x, **kw), [a])


def test_cosine_similarity():
    a = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    b = np.array([[1.0, 2.0, 3.5], [1.0, 1.0, 1.0], [0.0, 1.0, 0.0]])
    check(torch, lambda lib, x, y: lib.nn.functional.cosine_similarity(x, y), [a, b], "float32")
    check(torch, lambda lib, x, y: lib.nn.functional.cosine_similarity(x, y, dim=0), [a, b])
    check(torch, lambda lib, x, y: lib.nn.functional.cosine_similarity(x, y[0:1]), [a, b])


def test_one_hot():
    for make in [lambda lib: lib.nn.functional.one_hot(lib.tensor([0, 2, 1])),
                 lambda lib: lib.nn.functional.one_hot(lib.tensor([[0, 2], [1, 1]]), 4),
                 lambda lib: lib.nn.functional.one_hot(lib.tensor([], dtype=lib.int64), 3)]:
        want, got = both(make)
        assert str(got.dtype).endswith("int64") and str(want.dtype).endswith("int64")
        np.testing.assert_array_equal(got.numpy(), want.numpy())


@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.functional.one_hot(lib.tensor([1.0])),
    lambda lib: lib.nn.functional.one_hot(lib.tensor([-1])),
    lambda lib: lib.nn.functional.one_hot(lib.tensor([3]), 2),
    lambda lib: lib.nn.functional.one_hot(lib.tensor([], dtype=lib.int64)),
])
def test_one_hot_errors(make):
    want, got = error_of(lambda: make(torch)), error_of(lambda: make(jitgrad))
    assert want is not None and got == want


def test_dropout():
    F = jitgrad.nn.functional
    x = jitgrad.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    assert F.dropout(x, 0.0) is x
    assert F.dropout(x, 0.5, training=False) is x
    y = F.dropout(x, 1.0)
    assert y.grad_fn.name() == "MulBackward0" and not y.detach().numpy().any()
    jitgrad.manual_seed(0)
    y = F.dropout(x, 0.5)
    assert y.grad_fn.name() == "MulBackward0"
    ratio = y.detach().numpy() / x.detach().numpy()
    assert set(ratio.tolist()) <= {0.0, 2.0}
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), ratio)
    want, got = both(lambda lib: error_of(lambda: lib.nn.functional.dropout(lib.ones(2), 1.5)))
    assert want == got == ("ValueError", "dropout probability has to be between 0 and 1, but got 1.5")


@pytest.mark.parametrize("pad", [(1, 2), (1, 1, 2, 0), (-1, 1), (0, 0), (-1, -1, 1, 0)])
def test_pad_constant(pad):
    a = np.arange(6.0).reshape(2, 3)
    check(torch, lambda lib, x: lib.nn.functional.pad(x, pad), [a])
    check(torch, lambda lib, x: lib.nn.functional.pad(x, pad, value=2.5), [a], "float32")


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_pad_modes(mode):
    check(torch, lambda lib, x: lib.nn.functional.pad(x, (2, 1), mode=mode), [np.arange(4.0).reshape(1, 1, 4)])
    want, got = both(lambda lib: lib.nn.functional.pad(lib.arange(12.0).reshape(1, 1, 3, 4), (1, 1, 2, 1), mode=mode))
    np.testing.assert_array_equal(got.numpy(), want.numpy())


@pytest.mark.parametrize("case", [
    lambda lib, x: lib.nn.functional.pad(x, (1,)),
    lambda lib, x: lib.nn.functional.pad(x, (1, 1, 1, 1, 1, 1)),
    lambda lib, x: lib.nn.functional.pad(x, (1, 1), mode="foo"),
    lambda lib, x: lib.nn.functional.pad(x, (1, 1), mode="reflect", value=2.0),
    lambda lib, x: lib.nn.functional.pad(x, (3, 3), mode="reflect"),
])
def test_pad_errors(case):
    check_error(torch, case, [np.ones((1, 3))])


LOSSES = [
    ("smooth_l1_loss", {}), ("smooth_l1_loss", {"beta": 0.5, "reduction": "none"}),
    ("smooth_l1_loss", {"beta": 0.0, "reduction": "sum"}), ("smooth_l1_loss", {"reduction": "sum"}),
    ("huber_loss", {}), ("huber_loss", {"delta": 0.3, "reduction": "none"}), ("huber_loss", {"delta": 2.0, "reduction": "sum"}),
]


@pytest.mark.parametrize("name,kw", LOSSES, ids=[f"{n}{k}" for n, k in LOSSES])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_smooth_l1_and_huber(name, kw, dtype):
    # (signed zeros: the target's gradient at input == target is -0.0 in the composite)
    check(torch, lambda lib, x, t: getattr(lib.nn.functional, name)(x, t, **kw), [X, T], dtype, signed_zeros=False)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_weighted_huber_means_over_elements(reduction):
    w = np.arange(1.0, 13.0).reshape(3, 4)
    check(torch, lambda lib, x, t, w: lib.nn.functional.huber_loss(x, t, reduction=reduction, weight=w),
          [X, T, w], requires_grad=True, signed_zeros=False)


@pytest.mark.parametrize("kw", [{}, {"reduction": "none"}, {"reduction": "sum"}])
@pytest.mark.parametrize("weights", [False, True])
def test_binary_cross_entropy_with_logits(kw, weights):
    if weights:
        w, pw = np.arange(1.0, 13.0).reshape(3, 4), np.array([2.0, 0.5, 1.0, 3.0])
        check(torch, lambda lib, x, t: lib.nn.functional.binary_cross_entropy_with_logits(
            x, t, weight=lib.tensor(w, dtype=x.dtype), pos_weight=lib.tensor(pw, dtype=x.dtype), **kw), [X, T])
    else:
        check(torch, lambda lib, x, t: lib.nn.functional.binary_cross_entropy_with_logits(x, t, **kw), [X, T])
    check_error(torch, lambda lib, x, t: lib.nn.functional.binary_cross_entropy_with_logits(x, t[:, :2]), [X, T])


@pytest.mark.parametrize("reduction", ["mean", "batchmean", "sum", "none"])
def test_kl_div(reduction):
    logp = np.log(np.array([[0.2, 0.3, 0.5], [0.1, 0.6, 0.3]]))
    target = np.array([[0.2, 0.3, 0.5], [0.0, 0.5, 0.5]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # (the target's gradient where it is 0 is nan in torch: only the input's is compared)
        check(torch, lambda lib, x: lib.nn.functional.kl_div(x, lib.tensor(target), reduction=reduction), [logp])


def test_binary_cross_entropy_at_saturated_probabilities():
    # torch's gradient (p - t) / max(p (1 - p), 1e-12): 0 where p == t in {0, 1}, not nan.
    p = np.array([0.2, 0.9, 0.5, 1.0, 0.0, 1.0, 0.0, 1.0])
    t = np.array([0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.3])
    for red in ("mean", "sum", "none"):
        check(torch, lambda lib, p: lib.nn.functional.binary_cross_entropy(p, lib.tensor(t, dtype=p.dtype),
                                                                           reduction=red),
              [p], "float32", tol=(1e-5, 1e-5))
    # sigmoid saturating in float32 (sigmoid(30) == 1): finite gradients, as torch's
    z = np.array([-30.0, -2.0, 0.0, 2.0, 30.0])
    check(torch, lambda lib, z: lib.nn.functional.binary_cross_entropy(lib.sigmoid(z), lib.tensor([0.0, 0.0, 1.0, 1.0, 1.0])),
          [z], "float32", tol=(1e-5, 1e-20))


def test_sigmoid_far_negative_tail_is_not_zero():
    # 0.5 * (tanh(x / 2) + 1) cancelled to 0 for x < -17 (float32).
    a = np.array([-30.0, -20.0, -10.0, -88.0, -90.0, 30.0])
    for dtype in ("float32", "float64"):
        check(torch, lambda lib, x: lib.sigmoid(x), [a], dtype, requires_grad=False, tol=(1e-6, 0))
        check(torch, lambda lib, x: lib.nn.functional.silu(x), [a[:3]], dtype, requires_grad=False, tol=(1e-6, 0))


CE_CASES = [
    {"label_smoothing": 0.1}, {"label_smoothing": 0.2, "reduction": "none"},
    {"label_smoothing": 0.2, "reduction": "sum", "weight": True}, {"label_smoothing": 0.2, "weight": True},
    {"label_smoothing": 0.2, "ignore": True}, {"label_smoothing": 0.2, "ignore": True, "weight": True},
    {"label_smoothing": 0.3, "ignore": True, "reduction": "none"},
]


@pytest.mark.parametrize("kw", CE_CASES, ids=[str(k) for k in CE_CASES])
def test_cross_entropy_label_smoothing_class_indices(kw):
    kw = dict(kw)
    target = np.array([2, -100, 1, 0]) if kw.pop("ignore", False) else np.array([2, 0, 1, 0])
    w = np.array([0.2, 1.0, 3.0]) if kw.pop("weight", False) else None
    x = np.array([[1.0, 2.0, 3.0], [1.0, -1.0, 0.5], [0.0, 0.0, 0.0], [5.0, 1.0, -2.0]])

    def case(lib, x):
        weight = None if w is None else lib.tensor(w, dtype=x.dtype)
        return lib.nn.functional.cross_entropy(x, lib.tensor(target), weight=weight, **kw)
    check(torch, case, [x])
    check(torch, case, [x], "float32")


def test_cross_entropy_label_smoothing_nd_and_probabilities():
    x = np.sin(np.arange(24.0)).reshape(2, 3, 2, 2)
    t = np.array([[[0, 1], [2, 1]], [[1, 1], [0, 2]]])
    check(torch, lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor(t), label_smoothing=0.1), [x])
    check(torch, lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor(t), label_smoothing=0.1,
                                                                reduction="none"), [x])
    x2, p = np.array([[1.0, 2.0, 3.0], [1.0, -1.0, 0.5]]), np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
    w = np.array([0.2, 1.0, 3.0])
    for kw in ({}, {"reduction": "none"}, {"reduction": "sum"}):
        check(torch, lambda lib, x, p: lib.nn.functional.cross_entropy(x, p, label_smoothing=0.1, **kw),
              [x2, p], requires_grad=True)
        check(torch, lambda lib, x, p, w: lib.nn.functional.cross_entropy(x, p, weight=w, label_smoothing=0.1, **kw),
              [x2, p, w], requires_grad=True)


def test_cross_entropy_label_smoothing_error():
    check_error(torch, lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor([1]), label_smoothing=1.5),
                [np.ones((1, 3))])


@pytest.mark.parametrize("case", [
    lambda lib, x: lib.nn.functional.softmax(x.long(), 0),
    lambda lib, x: lib.nn.functional.softmax(x.long(), 1),
    lambda lib, x: lib.nn.functional.log_softmax(x.long(), 0),
    lambda lib, x: lib.softmax(x.long(), -1),
    lambda lib, x: lib.nn.functional.cross_entropy(x.long(), lib.tensor([0, 1, 2])),
    lambda lib, x: lib.nn.functional.mse_loss(x.long(), x.long()),
    lambda lib, x: lib.nn.functional.smooth_l1_loss(x.long(), x.long()),
    lambda lib, x: lib.nn.functional.huber_loss(x.long(), x.long()),
    lambda lib, x: lib.nn.functional.logsigmoid(x.long()),
    lambda lib, x: lib.nn.functional.smooth_l1_loss(x, x, beta=-1.0),
    lambda lib, x: lib.nn.functional.huber_loss(x, x, delta=0.0),
    lambda lib, x: lib.nn.functional.hardtanh(x, 2.0, 1.0),
])
def test_functional_errors(case):
    check_error(torch, case, [X])


# ----- autograd API ----------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    lambda lib: lib.tensor([1.0, 2.0], dtype=lib.float64), lambda lib: lib.tensor([1, 2], dtype=lib.int32),
    lambda lib: lib.tensor([True, False]), lambda lib: lib.ones(2, 1), lambda lib: lib.ones(()),
    lambda lib: lib.ones(3, dtype=lib.float64), lambda lib: lib.ones(2, dtype=lib.int64),
])
def test_grad_setter_errors(value):
    def assign(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        x.grad = value(lib)
    want, got = error_of(lambda: assign(torch)), error_of(lambda: assign(jitgrad))
    assert want is not None and got == want


def test_register_hook_returns_a_removable_handle():
    x = jitgrad.tensor([1.0, 2.0], requires_grad=True)
    h = x.register_hook(lambda g: g * 2)
    assert type(h).__name__ == type(torch.ones(1, requires_grad=True).register_hook(lambda g: g)).__name__
    with h:
        (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 8.0])
    x.grad = None
    (x * x).sum().backward()       # removed on leaving the with block
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])


def test_grad_fn_type_name():
    def names(lib):
        x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        return [type(y.grad_fn).__name__ for y in (x * 2, x.sum(), x.exp(), x[0], x @ x, x.t())]
    want, got = both(names)
    assert got == want
    x = jitgrad.tensor([1.0], requires_grad=True)
    assert isinstance((x * 2).grad_fn, type((x + 1).grad_fn).__mro__[1])


def test_detach__on_a_view_raises():
    for make in [lambda lib: lib.ones(3)[:2], lambda lib: lib.ones(3, requires_grad=True)[:2],
                 lambda lib: lib.ones(3, requires_grad=True).view(3)]:
        want, got = error_of(lambda: make(torch).detach_()), error_of(lambda: make(jitgrad).detach_())
        assert want is not None and got == want
    y = jitgrad.ones(3, requires_grad=True) * 2
    assert y.detach_() is y and y.grad_fn is None and not y.requires_grad


def test_extra_grad_outputs_are_ignored_as_in_torch():
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        g, = lib.autograd.grad([x * 2], x, grad_outputs=[lib.ones(2), lib.ones(2)])
        lib.autograd.backward([x * 3], [lib.ones(2), lib.ones(2)])
        return g, x.grad
    (gw, xw), (gg, xg) = both(run)
    assert_same_tensor(gg, gw)
    assert_same_tensor(xg, xw)

    def fewer(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        lib.autograd.grad([x * 2, x * 3], x, grad_outputs=[lib.ones(2)])
    assert error_of(lambda: fewer(jitgrad)) == error_of(lambda: fewer(torch))


@pytest.mark.parametrize("mode", ["no_grad", "enable_grad", "inference_mode", "set_grad_enabled"])
def test_grad_mode_decorates_generators(mode):
    def run(lib):
        x = lib.tensor([1.0], requires_grad=True)
        ctx = {"no_grad": lib.no_grad, "enable_grad": lib.enable_grad, "inference_mode": lib.inference_mode,
               "set_grad_enabled": lambda: lib.set_grad_enabled(False)}[mode]

        @ctx()
        def gen():
            got = yield (x * 2).requires_grad
            yield (x * got).requires_grad, lib.is_grad_enabled()
        out = []
        with lib.no_grad() if mode == "enable_grad" else lib.enable_grad():
            g = gen()
            out.append(next(g))
            out.append(lib.is_grad_enabled())      # the caller's mode between steps
            out.append(g.send(3.0))
        return out
    want, got = both(run)
    assert got == want


def test_gradcheck_error_prints_torchs_jacobian_layout_and_dtype():
    def fail(lib, dtype):
        x = lib.tensor([1.0, 2.0, 3.0], dtype=dtype, requires_grad=True)
        f = lambda x: lib.stack([x[0] * x[1], x.sum().detach() * x[2]])  # noqa: E731
        return error_of(lambda: lib.autograd.gradcheck(f, (x,)))
    want = fail(torch, torch.float64)
    got = fail(jitgrad, jitgrad.float64)
    assert got == want
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got32 = fail(jitgrad, jitgrad.float32)
    assert "dtype" not in got32[1]      # float32 Jacobians print without a dtype, as torch's


# ----- derivatives through the result, as torch computes them -----------------------------------

SATURATING = ["sigmoid", "tanh", "exp", "sqrt", "rsqrt", "reciprocal", "exp2", "expm1", "tan"]


@pytest.mark.parametrize("name", SATURATING)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_result_based_derivatives_match_torch(name, dtype):
    # Saturated float32 results (sigmoid(30) == 1.0, tanh(10) == 1.0) give
    # torch's exact zero gradient, not a tiny float64 remainder.
    vals = [-30.0, -10.0, -1.5, 0.3, 1.0, 10.0, 30.0]
    if name in ("sqrt", "rsqrt"):
        vals = [1e-6, 0.3, 1.0, 10.0, 30.0, 1e4]
    if name == "tan":
        vals = [-1.5, -0.3, 0.0, 0.3, 1.0, 1.5]

    def run(lib):
        x = lib.tensor(vals, dtype=getattr(lib, dtype), requires_grad=True)
        getattr(lib, name)(x).sum().backward()
        return x.grad

    want, got = both(run)
    assert_same_tensor(got, want, tol=(2e-6, 0.0))
    assert np.array_equal(got.numpy() == 0, want.numpy() == 0)
