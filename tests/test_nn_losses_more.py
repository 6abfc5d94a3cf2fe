"""The margin / embedding losses, gumbel_softmax, pdist and the torch.<loss>
spellings against torch: values, gradients (float64 and float32), grad_fn
names, every reduction, weights, the loss modules, errors; finite
differences in float64. Also the option gaps of the older losses
(cross_entropy with probabilities / label_smoothing / weight+ignore_index,
nll_loss on (N, C, d1, ...), bce weight and pos_weight broadcasting)."""
import numpy as np
import pytest

import jitgrad

from _compare import check, check_error, fd_check

R = np.random.default_rng(11)
A = R.normal(size=(5, 4))
B = R.normal(size=(5, 4))
C = R.normal(size=(5, 4))
V1 = R.normal(size=6)
V2 = R.normal(size=6)
SIGN6 = np.array([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])
SIGN5 = np.array([1.0, -1.0, -1.0, 1.0, 1.0])
LAB5 = np.array([0, 3, 1, 1, 2])
REDUCTIONS = ["mean", "sum", "none"]
DTYPES = ["float64", "float32"]


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def _long(lib, a):
    return lib.tensor(np.asarray(a), dtype=lib.int64)


def _float(lib, a, like):
    return lib.tensor(np.asarray(a), dtype=like.dtype)


CASES = {
    "margin_ranking": (lambda lib, x, y, r, **kw: lib.nn.functional.margin_ranking_loss(
        x, y, _float(lib, SIGN6, x), reduction=r, **kw), [V1, V2], [{}, {"margin": 0.5}]),
    "hinge_embedding": (lambda lib, x, r, **kw: lib.nn.functional.hinge_embedding_loss(
        x, _float(lib, SIGN6, x), reduction=r, **kw), [V1], [{}, {"margin": 0.3}]),
    "cosine_embedding": (lambda lib, x, y, r, **kw: lib.nn.functional.cosine_embedding_loss(
        x, y, _float(lib, SIGN5, x), reduction=r, **kw), [A, B], [{}, {"margin": -0.2}, {"margin": 0.1}]),
    "triplet_margin": (lambda lib, a, pos, n, r, **kw: lib.nn.functional.triplet_margin_loss(
        a, pos, n, reduction=r, **kw), [A, B, C], [{}, {"margin": 2.5}, {"p": 1}, {"swap": True}, {"p": 3, "eps": 1e-3}]),
    "triplet_distance": (lambda lib, a, p, n, r, cosine=False, **kw: lib.nn.functional.triplet_margin_with_distance_loss(
        a, p, n, reduction=r, **kw, **({"distance_function": lambda u, v: 1.0 - lib.nn.functional.cosine_similarity(u, v)}
                                         if cosine else {})), [A, B, C],
        [{}, {"margin": 3.0, "swap": True}, {"cosine": True}]),
    "soft_margin": (lambda lib, x, r, **kw: lib.nn.functional.soft_margin_loss(
        x, _float(lib, np.sign(B) + (B == 0), x), reduction=r), [A], [{}]),
    "multi_margin": (lambda lib, x, r, **kw: lib.nn.functional.multi_margin_loss(
        x, _long(lib, LAB5), reduction=r, **{k: (_float(lib, v, x) if k == "weight" else v) for k, v in kw.items()}),
        [A], [{}, {"p": 2}, {"margin": 0.3}, {"weight": np.array([0.5, 2.0, 1.0, 3.0])},
              {"p": 2, "margin": 2.0, "weight": np.array([1.5, 0.2, 1.0, 0.7])}]),
    "multilabel_margin": (lambda lib, x, r, **kw: lib.nn.functional.multilabel_margin_loss(
        x, _long(lib, [[3, 0, -1, 1], [0, 1, 2, 3], [1, -1, 2, 2], [-1, 0, 0, 0], [2, 2, 1, -1]]), reduction=r),
        [A], [{}]),
    "multilabel_soft_margin": (lambda lib, x, r, **kw: lib.nn.functional.multilabel_soft_margin_loss(
        x, _float(lib, (B > 0) * 1.0, x), reduction=r,
        **{k: _float(lib, v, x) for k, v in kw.items()}), [A], [{}, {"weight": np.array([0.5, 2.0, 1.0, 3.0])}]),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_loss_against_torch(torch, name, reduction, dtype):
    fn, arrays, options = CASES[name]
    for kw in options:
        check(torch, lambda lib, *xs: fn(lib, *xs, reduction, **kw), arrays, dtype, what=f"{name} {kw}",
              signed_zeros=False)


@pytest.mark.parametrize("name", sorted(CASES))
def test_loss_finite_differences(name):
    fn, arrays, options = CASES[name]
    for kw in options:
        fd_check(lambda lib, *xs: fn(lib, *xs, "none", **kw), arrays, what=f"{name} {kw}")


def test_multi_margin_shapes_and_kinks(torch):
    # a 1-d input with a 0-d / 1-element target, and an input on the margin's kink (z == 0 exactly)
    x = np.array([0.0, 1.0, 0.0, -1.0])
    for t in (np.array(1), np.array([1])):
        for r in REDUCTIONS:
            check(torch, lambda lib, a: lib.nn.functional.multi_margin_loss(a, _long(lib, t), reduction=r), [x])
            check(torch, lambda lib, a: lib.nn.functional.multilabel_margin_loss(
                a, _long(lib, [1, 0, -1, 2]), reduction=r), [x])


def test_torch_namespace_losses(torch):
    cases = [
        lambda lib, x, y: lib.margin_ranking_loss(x, y, _float(lib, SIGN6, x), 0.1, 2),
        lambda lib, x, y: lib.hinge_embedding_loss(x, _float(lib, SIGN6, x), 1.0, 0),
        lambda lib, x, y: lib.cosine_embedding_loss(x[None], y[None], _float(lib, [1.0], x), 0.0, 1),
        lambda lib, x, y: lib.triplet_margin_loss(x[None], y[None], (x * y)[None], 1.0, 2, 1e-6, True, 1),
        lambda lib, x, y: lib.poisson_nll_loss(x, y.abs(), True, False, 1e-8, 1),
        lambda lib, x, y: lib.poisson_nll_loss(x.abs(), y.abs(), False, True, 1e-8, 0),
        lambda lib, x, y: lib.kl_div(x, y.softmax(0), 1),
        lambda lib, x, y: lib.kl_div(x, y, 2, log_target=True),
        lambda lib, x, y: lib.binary_cross_entropy_with_logits(x, y.sigmoid(), None, _float(lib, [2.0], x), 2),
    ]
    for i, fn in enumerate(cases):
        check(torch, fn, [V1, V2], what=f"torch namespace case {i}")


def test_pdist(torch):
    for p in (2, 1, 3.5):
        check(torch, lambda lib, x: lib.nn.functional.pdist(x, p), [A])


LOSS_MODULES = [
    ("MarginRankingLoss", {"margin": 0.2}, [V1, V2], lambda lib, x: (_float(lib, SIGN6, x),)),
    ("HingeEmbeddingLoss", {"margin": 2.0}, [V1], lambda lib, x: (_float(lib, SIGN6, x),)),
    ("CosineEmbeddingLoss", {"margin": 0.1, "reduction": "sum"}, [A, B], lambda lib, x: (_float(lib, SIGN5, x),)),
    ("TripletMarginLoss", {"margin": 1.5, "swap": True}, [A, B, C], lambda lib, x: ()),
    ("TripletMarginWithDistanceLoss", {"margin": 1.5}, [A, B, C], lambda lib, x: ()),
    ("SoftMarginLoss", {"reduction": "none"}, [A], lambda lib, x: (_float(lib, np.sign(B), x),)),
    ("MultiMarginLoss", {"p": 2, "margin": 0.5}, [A], lambda lib, x: (_long(lib, LAB5),)),
    ("MultiLabelMarginLoss", {}, [A], lambda lib, x: (_long(lib, [[1, -1, 0, 0]] * 5),)),
    ("MultiLabelSoftMarginLoss", {}, [A], lambda lib, x: (_float(lib, (B > 0) * 1.0, x),)),
    ("NLLLoss", {"ignore_index": 1}, [A], lambda lib, x: (_long(lib, LAB5),)),
]


@pytest.mark.parametrize("name,kw,arrays,extra", LOSS_MODULES, ids=[m[0] for m in LOSS_MODULES])
def test_loss_modules(torch, name, kw, arrays, extra):
    def fn(lib, *xs):
        module = getattr(lib.nn, name)(**kw)
        assert repr(module) == repr(getattr(torch.nn, name)(**kw))
        return module(*xs, *extra(lib, xs[0]))
    check(torch, fn, arrays, "float32", signed_zeros=False)


def test_nllloss2d_deprecated(torch):
    for lib in (torch, jitgrad):
        with pytest.warns(FutureWarning, match="`NLLLoss2d` has been deprecated"):
            lib.nn.NLLLoss2d()


def test_legacy_size_average(torch):
    for lib in (torch, jitgrad):
        with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
            lib.nn.MarginRankingLoss(size_average=False)
    check(torch, lambda lib, x: lib.nn.functional.soft_margin_loss(x, x.detach().sign(), reduce=False), [A])


ERRORS = [
    lambda lib, x: lib.nn.functional.margin_ranking_loss(x, x[0], x),
    lambda lib, x: lib.nn.functional.hinge_embedding_loss(x, x, reduction="avg"),
    lambda lib, x: lib.nn.functional.cosine_embedding_loss(x, x, x),
    lambda lib, x: lib.nn.functional.cosine_embedding_loss(x, x, x[0, 0]),
    lambda lib, x: lib.nn.functional.cosine_embedding_loss(x[0], x[0], x[:, 0]),
    lambda lib, x: lib.nn.functional.triplet_margin_loss(x, x, x[0]),
    lambda lib, x: lib.nn.functional.triplet_margin_loss(x, x, x, margin=0),
    lambda lib, x: lib.nn.functional.triplet_margin_with_distance_loss(x, x, x, margin=-1.0),
    lambda lib, x: lib.nn.functional.triplet_margin_with_distance_loss(x, x, x, reduction="max"),
    lambda lib, x: lib.nn.functional.multi_margin_loss(x, _long(lib, LAB5), p=3),
    lambda lib, x: lib.nn.functional.multi_margin_loss(x, _long(lib, LAB5[:3])),
    lambda lib, x: lib.nn.functional.multi_margin_loss(x, _long(lib, [0, 1, 2, 3, 4])),
    lambda lib, x: lib.nn.functional.multi_margin_loss(x, _long(lib, LAB5), weight=x),
    lambda lib, x: lib.nn.functional.multi_margin_loss(x, _long(lib, LAB5), weight=x[0, :3]),
    lambda lib, x: lib.nn.functional.multi_margin_loss(x, _long(lib, LAB5), weight=x[0, :3].detach()),
    lambda lib, x: lib.nn.functional.multi_margin_loss(x, _long(lib, [LAB5])),
    lambda lib, x: lib.nn.functional.multi_margin_loss(x, _long(lib, LAB5).float()),
    lambda lib, x: lib.nn.functional.multilabel_margin_loss(x, _long(lib, [[0, 1, 2, 4]] * 5)),
    lambda lib, x: lib.nn.functional.multilabel_margin_loss(x, _long(lib, [[0, 1, -2, 3]] * 5)),
    lambda lib, x: lib.nn.functional.multilabel_margin_loss(x[0], _long(lib, [0, 1, 2])),
    lambda lib, x: lib.nn.functional.multi_margin_loss(x[:, :0], _long(lib, LAB5)),
    lambda lib, x: lib.nn.functional.multilabel_margin_loss(x, _long(lib, LAB5)),
    lambda lib, x: lib.nn.functional.multilabel_soft_margin_loss(x, x, reduction="avg"),
    lambda lib, x: lib.nn.MultiMarginLoss(p=3),
    lambda lib, x: lib.nn.MultiMarginLoss(weight=x),
    lambda lib, x: lib.nn.TripletMarginLoss(margin=0.0),
    lambda lib, x: lib.nn.TripletMarginWithDistanceLoss(margin=0.0),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors_match_torch(torch, index):
    check_error(torch, ERRORS[index], [A])


def test_gumbel_softmax():
    jitgrad.manual_seed(3)
    logits = jitgrad.tensor(A, requires_grad=True)
    soft = jitgrad.nn.functional.gumbel_softmax(logits, tau=0.5)
    np.testing.assert_allclose(soft.detach().numpy().sum(1), 1.0)
    # the same draw again: softmax((logits + g) / tau) with g = -log(Exp(1)) from jitgrad's generator
    jitgrad.manual_seed(3)
    u = jitgrad.rand(*A.shape, dtype=jitgrad.float64).numpy()
    g = -np.log(-np.log1p(-u))
    z = (A + g) / 0.5
    want = np.exp(z - z.max(1, keepdims=True))
    np.testing.assert_allclose(soft.detach().numpy(), want / want.sum(1, keepdims=True), rtol=1e-12)
    jitgrad.manual_seed(3)
    hard = jitgrad.nn.functional.gumbel_softmax(logits, tau=0.5, hard=True, dim=1)
    np.testing.assert_array_equal(hard.detach().numpy(), np.eye(4)[want.argmax(1)])
    # straight-through: the hard sample's gradient is the soft sample's
    w = R.normal(size=A.shape)
    (hard * jitgrad.tensor(w)).sum().backward()
    g_hard = logits.grad.clone()
    logits.grad = None
    (soft * jitgrad.tensor(w)).sum().backward()
    np.testing.assert_allclose(g_hard.numpy(), logits.grad.numpy(), rtol=1e-12)
    with pytest.warns(UserWarning, match="`eps` parameter is deprecated"):
        jitgrad.nn.functional.gumbel_softmax(logits, eps=1e-3)


# ----- options of the older losses ---------------------------------------------

X4 = R.normal(size=(3, 4, 2, 2))
T4 = R.integers(0, 4, size=(3, 2, 2))
P4 = np.exp(X4[::-1]) / np.exp(X4[::-1]).sum(1, keepdims=True)
W4 = np.array([0.3, 1.0, 2.0, 0.7])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_class_losses_options(torch, reduction, dtype):
    t_ignored = np.where(T4 == 2, -100, T4)
    t_ignored[0, 0, 0] = 3
    F = "nn.functional"
    cases = [
        lambda lib, x: lib.nn.functional.nll_loss(x, _long(lib, T4), reduction=reduction),
        lambda lib, x: lib.nn.functional.nll_loss(x, _long(lib, t_ignored), _float(lib, W4, x), reduction=reduction),
        lambda lib, x: lib.nn.functional.nll_loss(x, _long(lib, T4), ignore_index=1, reduction=reduction),
        lambda lib, x: lib.nn.functional.cross_entropy(x, _long(lib, t_ignored), _float(lib, W4, x),
                                                       reduction=reduction, label_smoothing=0.2),
        lambda lib, x: lib.nn.functional.cross_entropy(x, _long(lib, T4), reduction=reduction, ignore_index=0,
                                                       label_smoothing=0.1),
        lambda lib, x: lib.nn.functional.cross_entropy(x, _float(lib, P4, x), _float(lib, W4, x),
                                                       reduction=reduction, label_smoothing=0.3),
        lambda lib, x: lib.nn.functional.cross_entropy(x[:, :, 0, 0], _float(lib, P4[:, :, 0, 0], x),
                                                       reduction=reduction),
        lambda lib, x: lib.nn.functional.cross_entropy(x[0, :, 0, 0], _long(lib, 2), _float(lib, W4, x),
                                                       reduction=reduction, label_smoothing=0.5),
    ]
    for i, fn in enumerate(cases):
        check(torch, fn, [X4], dtype, what=f"{F} case {i}", signed_zeros=False)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_weight_broadcasting(torch, reduction):
    x, y = A, 1 / (1 + np.exp(-B))
    cases = [
        lambda lib, a, b: lib.nn.functional.binary_cross_entropy_with_logits(
            a, b, weight=_float(lib, [0.5, 1.0, 2.0, 3.0], a), pos_weight=_float(lib, [1.0, 2.0, 0.5, 4.0], a),
            reduction=reduction),
        lambda lib, a, b: lib.nn.functional.binary_cross_entropy_with_logits(
            a, b, weight=_float(lib, np.ones((5, 1)) * 2, a), pos_weight=_float(lib, [3.0], a), reduction=reduction),
        lambda lib, a, b: lib.nn.functional.binary_cross_entropy(
            a.sigmoid(), b, weight=_float(lib, [0.5, 1.0, 2.0, 3.0], a), reduction=reduction),
        lambda lib, a, b: lib.nn.BCEWithLogitsLoss(pos_weight=_float(lib, [1.0, 2.0, 0.5, 4.0], a),
                                                   reduction=reduction)(a, b),
    ]
    for i, fn in enumerate(cases):
        for dtype in DTYPES:
            check(torch, fn, [x, y], dtype, what=f"bce case {i}", signed_zeros=False)


# ----- ctc_loss -----------------------------------------------------------------

CTC_LOGITS = R.normal(size=(7, 3, 5))
CTC_TARGETS = np.array([[1, 2, 2], [3, 1, 0], [4, 4, 4]])


def _ctc(lib, x, reduction="mean", blank=0, zero_infinity=False, lengths=(7, 5, 6), target_lengths=(3, 2, 1)):
    return lib.nn.functional.ctc_loss(x.log_softmax(2), _long(lib, CTC_TARGETS), _long(lib, lengths),
                                      _long(lib, target_lengths), blank=blank, reduction=reduction,
                                      zero_infinity=zero_infinity)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_ctc_loss_against_torch(torch, reduction, dtype):
    check(torch, lambda lib, x: _ctc(lib, x, reduction), [CTC_LOGITS], dtype)
    check(torch, lambda lib, x: _ctc(lib, x, reduction, blank=4, target_lengths=(2, 2, 0)), [CTC_LOGITS], dtype)
    # an impossible alignment (3 labels, 2 steps): inf, or 0 with zero_infinity
    check(torch, lambda lib, x: _ctc(lib, x, reduction, zero_infinity=True, lengths=(7, 2, 6), target_lengths=(3, 3, 1)),
          [CTC_LOGITS], dtype)


def test_ctc_loss_finite_differences():
    # torch's gradient is the one through a log_softmax: check it there
    fd_check(lambda lib, x: _ctc(lib, x, "none", blank=2), [CTC_LOGITS])


def test_ctc_loss_program(differential):
    with open(__file__.replace("test_nn_losses_more.py", "nn_module_programs/ctc_loss.py")) as f:
        differential(*f.read().split("# %%\n"))
