"""jitgrad.nn.functional against torch.nn.functional: activations, softmax,
losses (reductions, weights, ignore_index), their warnings and errors, and
finite differences in float64."""
import warnings

import numpy as np
import pytest

import jitgrad

from _compare import check, check_error, error_of, fd_check

RNG = np.random.default_rng(5)
X = RNG.normal(size=(4, 5)) * 2
BIG = np.array([[1000.0, 999.0, -1000.0, 0.0, 3.0], [-np.inf, 0.0, 1.0, -np.inf, 2.0]])
PROBS = np.exp(X[::-1]) / np.exp(X[::-1]).sum(1, keepdims=True)
LABELS = np.array([1, 0, 4, 4])
UNIT = 1 / (1 + np.exp(-X))       # in (0, 1), for binary_cross_entropy


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


ACTIVATIONS = [
    ("relu", {}), ("sigmoid", {}), ("tanh", {}), ("softplus", {}), ("softplus", {"beta": 2.0, "threshold": 1.5}),
    ("gelu", {}), ("gelu", {"approximate": "tanh"}), ("silu", {}), ("leaky_relu", {}),
    ("leaky_relu", {"negative_slope": 0.2}), ("elu", {}), ("elu", {"alpha": 0.5}),
]


@pytest.mark.parametrize("name,kw", ACTIVATIONS, ids=[f"{n}{k}" for n, k in ACTIVATIONS])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_activations(torch, name, kw, dtype):
    wide = np.concatenate([X.ravel(), [-12.0, -5.0, 25.0, 40.0]])
    check(torch, lambda lib, x: getattr(lib.nn.functional, name)(x, **kw), [wide], dtype)
    check(torch, lambda lib, x: getattr(lib.nn.functional, name)(x, **kw), [np.array(0.7)], dtype)


@pytest.mark.parametrize("name,kw", ACTIVATIONS, ids=[f"{n}{k}" for n, k in ACTIVATIONS])
def test_activations_finite_differences(name, kw):
    fd_check(lambda lib, x: getattr(lib.nn.functional, name)(x, **kw), [X[:2]], what=name)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_softmax(torch, name, dim, dtype):
    check(torch, lambda lib, x: getattr(lib.nn.functional, name)(x, dim), [X], dtype)
    check(torch, lambda lib, x: getattr(lib, name)(x, dim), [X], dtype)
    check(torch, lambda lib, x: getattr(x, name)(dim), [X], dtype)
    check(torch, lambda lib, x: getattr(lib.nn.functional, name)(x, dim, dtype=lib.float64), [X], dtype)
    check(torch, lambda lib, x: getattr(lib.nn.functional, name)(x, 0), [np.array(1.5)], dtype)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_is_stable_for_large_inputs(torch, name):
    check(torch, lambda lib, x: getattr(lib.nn.functional, name)(x, 1), [BIG])
    check(torch, lambda lib, x: getattr(lib.nn.functional, name)(x, 0), [BIG[:, :2]])


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_implicit_dim_warns(torch, name):
    for arr in (X, X[0], X[None]):
        assert _warned(jitgrad, name, arr) == _warned(torch, name, arr)


def _warned(lib, name, arr):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = getattr(lib.nn.functional, name)(lib.tensor(arr))
    return ([(w.category, str(w.message), w.filename) for w in caught],
            np.round(out.numpy(), 5).tolist())


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_regression_losses(torch, name, reduction, dtype):
    target = X[::-1] * 0.5
    check(torch, lambda lib, x, t: getattr(lib.nn.functional, name)(x, t, reduction=reduction), [X, target], dtype)
    check(torch, lambda lib, x: getattr(lib.nn.functional, name)(x, x.detach() * 0.3 + 1, reduction=reduction),
          [X], dtype)
    weight = RNG.uniform(0.5, 2.0, X.shape)
    check(torch, lambda lib, x, t, w: getattr(lib.nn.functional, name)(x, t, reduction=reduction, weight=w),
          [X, target, weight], dtype)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
def test_regression_loss_broadcast_warning(torch, name):
    def warned(lib):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = getattr(lib.nn.functional, name)(lib.tensor(X[:, :1]), lib.tensor(X[:, 0]))
        return [(w.category, str(w.message).replace("jitgrad.", "torch."), w.filename) for w in caught], \
            round(out.item(), 5)
    assert warned(jitgrad) == warned(torch)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_binary_cross_entropy(torch, reduction, weighted, dtype):
    w = RNG.uniform(0.5, 2.0, X.shape) if weighted else None
    check(torch, lambda lib, x, t, *ws: lib.nn.functional.binary_cross_entropy(
        x, t, *[w.detach() for w in ws], reduction=reduction), [UNIT, PROBS] + ([w] if weighted else []), dtype)
    check(torch, lambda lib, x: lib.nn.functional.binary_cross_entropy(
        lib.sigmoid(x), lib.tensor([[1.0, 0.0, 0.0, 1.0, 1.0]] * 4, dtype=x.dtype), reduction=reduction), [X], dtype)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_class_index_losses(torch, name, reduction, weighted, dtype):
    w = RNG.uniform(0.5, 2.0, 5) if weighted else None

    def case(lib, x, *ws, labels=LABELS, **kw):
        weight = ws[0].detach() if ws else None    # weights take no gradient
        return getattr(lib.nn.functional, name)(x, lib.tensor(labels), weight, reduction=reduction, **kw)
    extra = [w] if weighted else []
    check(torch, case, [X] + extra, dtype)
    check(torch, lambda lib, x, *ws: case(lib, x, *ws, ignore_index=4), [X] + extra, dtype)
    check(torch, lambda lib, x, *ws: case(lib, x, *ws, labels=np.array([1, -1, 2, -1]), ignore_index=-1),
          [X] + extra, dtype)
    check(torch, lambda lib, x, *ws: case(lib, x, *ws, labels=np.array(3)), [X[0]] + extra, dtype)
    # K-dimensional: (N, C, d) scores, (N, d) labels
    check(torch, lambda lib, x, *ws: case(lib, x, *ws, labels=LABELS[:2, None] * [1, 0, 1]),
          [X[:2, :, None] * [1.0, -0.5, 2.0]] + extra, dtype)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_with_probabilities(torch, reduction, weighted):
    w = RNG.uniform(0.5, 2.0, 5) if weighted else None
    for dtype in ("float32", "float64"):
        check(torch, lambda lib, x, t, *ws: lib.nn.functional.cross_entropy(
            x, t, *[w.detach() for w in ws], reduction=reduction), [X, PROBS] + ([w] if weighted else []), dtype)
        check(torch, lambda lib, x, t: lib.nn.functional.cross_entropy(x, t, reduction=reduction),
              [X[0], PROBS[0]], dtype)


def test_cross_entropy_is_stable(torch):
    check(torch, lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor([0, 2])), [BIG])
    check(torch, lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor([0, 2])), [BIG], "float32")


@pytest.mark.parametrize("name,args", [
    ("cross_entropy", (1,)), ("log_softmax", (1,)), ("softmax", (0,)), ("softplus", ()), ("gelu", ()),
    ("mse_loss", "target"), ("binary_cross_entropy", "probs"),
])
def test_finite_differences(name, args):
    f = getattr(jitgrad.nn.functional, name)
    if args == "target":
        fd_check(lambda lib, x, t: f(x, t), [X, X[::-1]], what=name)
    elif args == "probs":
        fd_check(lambda lib, x, t: f(x, t), [UNIT, PROBS], what=name)
    elif name == "cross_entropy":
        fd_check(lambda lib, x: f(x, lib.tensor(LABELS)), [X], what=name)
        fd_check(lambda lib, x, t: f(x, t), [X, PROBS], what=name)
    else:
        fd_check(lambda lib, x: f(x, *args), [X], what=name)


@pytest.mark.parametrize("case", [
    lambda lib, x: lib.nn.functional.nll_loss(x, lib.tensor([1, 0, 5, 2])),
    lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor([1, 0, -3, 2])),
    lambda lib, x: lib.nn.functional.nll_loss(x, lib.tensor([1, 0])),
    lambda lib, x: lib.nn.functional.nll_loss(x, lib.tensor([1.0, 0.0, 1.0, 2.0])),
    lambda lib, x: lib.nn.functional.mse_loss(x, x * 2, reduction="average"),
    lambda lib, x: lib.nn.functional.l1_loss(x, x * 2, reduction="average", weight=x.detach()),
    lambda lib, x: lib.nn.functional.mse_loss(x, x * 2, weight=x[0].detach()),
    lambda lib, x: lib.nn.functional.binary_cross_entropy(x, x.detach() * 0.5),
    lambda lib, x: lib.nn.functional.binary_cross_entropy(lib.sigmoid(x), lib.ones(4)),
    lambda lib, x: lib.nn.functional.softmax(x, 2),
    lambda lib, x: lib.nn.functional.cross_entropy(x, lib.ones(4, 4)),
    lambda lib, x: lib.nn.functional.gelu(x, approximate="exact"),
    lambda lib, x: lib.nn.functional.softplus(x.long()),
])
def test_bad_input_raises_like_torch_and_leaves_grads_alone(torch, case):
    x = jitgrad.tensor(X, requires_grad=True)
    (x * 3).sum().backward()
    before = x.grad.numpy().copy()
    check_error(torch, case, [X])
    assert error_of(lambda: case(jitgrad, x)) is not None
    assert np.array_equal(x.grad.numpy(), before) and np.array_equal(x.detach().numpy(), X)
