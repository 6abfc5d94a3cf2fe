"""jitgrad.distributions.transforms, constraint_registry and
TransformedDistribution against torch's: forward / inverse values,
log-abs-det Jacobians and their gradients in float64 and float32, domains,
codomains, event dims, shapes, caching and inverse identity, equality,
reprs, biject_to / transform_to, and log_prob / cdf / icdf / sampling of
transformed distributions."""
import numpy as np
import pytest
import torch

import jitgrad
from _dist_compare import compare, errors_alike

RNG = np.random.default_rng(7)


def T(L):
    return L.distributions.transforms


ELEMENTWISE = {
    "exp": lambda L: T(L).ExpTransform(),
    "sigmoid": lambda L: T(L).SigmoidTransform(),
    "tanh": lambda L: T(L).TanhTransform(),
    "softplus": lambda L: T(L).SoftplusTransform(),
    "affine_num": lambda L: T(L).AffineTransform(0.5, -2.0),
    "power": lambda L: T(L).PowerTransform(L.tensor(1.7)),
    "compose": lambda L: T(L).ComposeTransform([T(L).ExpTransform(), T(L).AffineTransform(1.0, 3.0)]),
    "inv_sigmoid": lambda L: T(L).SigmoidTransform().inv,
    "abs_exp": lambda L: T(L).ComposeTransform([T(L).ExpTransform(), T(L).PowerTransform(L.tensor(0.5))]),
}
# inputs inside each transform's domain (the inverse of sigmoid needs (0, 1), power needs positives)
DOMAIN = {"inv_sigmoid": lambda x: x.sigmoid(), "power": lambda x: x.exp()}


@pytest.mark.parametrize("name", list(ELEMENTWISE))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_elementwise_transforms(name, dtype):
    make, into = ELEMENTWISE[name], DOMAIN.get(name, lambda x: x)

    def case(L, x):
        t = make(L)
        u = into(x)
        y = t(u)
        return y, t.inv(y), t.log_abs_det_jacobian(u, y)
    compare(case, [RNG.normal(size=(2, 3))], dtype)


VECTOR = {
    "softmax": (lambda L: T(L).SoftmaxTransform(), (2, 4), False),
    "stick_breaking": (lambda L: T(L).StickBreakingTransform(), (2, 3), True),
    "corr_cholesky": (lambda L: T(L).CorrCholeskyTransform(), (2, 3), True),
    "lower_cholesky": (lambda L: T(L).LowerCholeskyTransform(), (2, 3, 3), False),
    "independent_affine": (lambda L: T(L).IndependentTransform(
        T(L).AffineTransform(L.tensor([1.0, 2.0, 3.0], dtype=L.get_default_dtype()), 2.0), 1), (2, 3), True),
    "affine_event": (lambda L: T(L).AffineTransform(0.0, L.tensor([1.0, -2.0, 0.5], dtype=L.get_default_dtype()), event_dim=1),
                     (2, 3), True),
    "reshape": (lambda L: T(L).ReshapeTransform((2, 3), (6,)), (4, 2, 3), True),
    "cat": (lambda L: T(L).CatTransform([T(L).ExpTransform(), T(L).AffineTransform(1.0, 2.0)], dim=-1,
                                          lengths=[1, 2]), (2, 3), True),
    "stack": (lambda L: T(L).StackTransform([T(L).ExpTransform(), T(L).TanhTransform()], dim=-1), (3, 2), True),
    "compose_vector": (lambda L: T(L).ComposeTransform([T(L).ExpTransform(), T(L).StickBreakingTransform()]),
                       (2, 3), True),
}


@pytest.mark.parametrize("name", list(VECTOR))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_vector_transforms(name, dtype):
    make, shape, has_jacobian = VECTOR[name]

    def case(L, x):
        L.set_default_dtype(x.dtype)       # (the parameters' dtype)
        try:
            t = make(L)
        finally:
            L.set_default_dtype(L.float32)
        y = t(x)
        out = [y, t.inv(y)]
        if has_jacobian:
            out.append(t.log_abs_det_jacobian(x, y))
        return out
    compare(case, [RNG.normal(size=shape) * 0.5], dtype)


def describe(t):
    shape = (5, 3)
    out = [repr(t), t.bijective]
    for attr in ("domain", "codomain"):
        c = getattr(t, attr)
        out += [repr(c), c.event_dim, c.is_discrete]
    for fn in ("forward_shape", "inverse_shape"):
        try:
            out.append(tuple(getattr(t, fn)(shape)))
        except Exception as e:      # noqa: BLE001
            out.append(type(e).__name__ + str(e))
    try:
        out.append(t.event_dim)
    except ValueError as e:
        out.append(str(e))
    try:
        out.append(t.sign)
    except NotImplementedError:
        out.append("no sign")
    return out


ALL = dict({k: v for k, v in ELEMENTWISE.items()}, **{k: v[0] for k, v in VECTOR.items()},
           abs=lambda L: T(L).AbsTransform(), positive_definite=lambda L: T(L).PositiveDefiniteTransform(),
           identity=lambda L: T(L).identity_transform)


@pytest.mark.parametrize("name", list(ALL))
def test_transform_metadata(name):
    a, b = describe(ALL[name](torch)), describe(ALL[name](jitgrad))
    b = [x.replace("jitgrad", "torch") if isinstance(x, str) else x for x in b]
    a = [x.tolist() if isinstance(x, torch.Tensor) else x for x in a]
    b = [x.tolist() if isinstance(x, jitgrad.Tensor) else x for x in b]
    assert a == b


def test_caching_inverse_identity_and_equality():
    for L in (torch, jitgrad):
        t = T(L).ExpTransform(cache_size=1)
        x = L.randn(3)
        y = t(x)
        assert t(x) is y and t.inv(y) is x          # cached pair, matched by identity
        assert t.inv.inv is t and t.inv is t.inv
        u = T(L).ExpTransform()
        assert u(x) is not u(x)                       # no cache: recomputed
        assert t.with_cache(1) is t and t.with_cache(0)._cache_size == 0
        assert T(L).ExpTransform() == T(L).ExpTransform() and T(L).ExpTransform() != T(L).TanhTransform()
        assert T(L).AffineTransform(1.0, 2.0) == T(L).AffineTransform(1.0, 2.0)
        assert T(L).AffineTransform(1.0, 2.0) != T(L).AffineTransform(1.0, 3.0)
        assert T(L).SigmoidTransform().inv == T(L).SigmoidTransform().inv
        c = T(L).ComposeTransform([T(L).ExpTransform(), T(L).AffineTransform(1.0, 2.0)])
        assert c.inv.parts[0] == T(L).AffineTransform(1.0, 2.0).inv and c.inv.inv is c
        assert T(L).AffineTransform(0.0, -2.0).sign == -1
        assert c.with_cache(1).parts[0]._cache_size == 1
    errors_alike(lambda L: T(L).ExpTransform(cache_size=2))
    errors_alike(lambda L: {T(L).ExpTransform()})          # (unhashable, as torch's: __eq__ without __hash__)
    errors_alike(lambda L: {T(L).CatTransform([T(L).ExpTransform()])})
    errors_alike(lambda L: T(L).ReshapeTransform((2, 3), (5,)))
    errors_alike(lambda L: T(L).ReshapeTransform((2, 3), (6,)).forward_shape((3, 2)))
    errors_alike(lambda L: T(L).StickBreakingTransform().forward_shape(()))
    errors_alike(lambda L: T(L).TanhTransform().with_cache(1).__class__.with_cache(T(L).PowerTransform(2.0), 2))


CONSTRAINTS = {
    "real": lambda L, c: c.real, "positive": lambda L, c: c.positive, "nonnegative": lambda L, c: c.nonnegative,
    "greater_than": lambda L, c: c.greater_than(1.5), "greater_than_eq": lambda L, c: c.greater_than_eq(-1.0),
    "less_than": lambda L, c: c.less_than(2.0), "unit_interval": lambda L, c: c.unit_interval,
    "interval": lambda L, c: c.interval(-1.0, 3.0), "half_open": lambda L, c: c.half_open_interval(0.0, 2.0),
    "simplex": lambda L, c: c.simplex, "real_vector": lambda L, c: c.real_vector,
    "independent_positive": lambda L, c: c.independent(c.positive, 1),
    "lower_cholesky": lambda L, c: c.lower_cholesky, "positive_definite": lambda L, c: c.positive_definite,
    "corr_cholesky": lambda L, c: c.corr_cholesky,
    "cat": lambda L, c: c.cat([c.positive, c.real], dim=-1, lengths=[1, 2]),
    "stack": lambda L, c: c.stack([c.positive, c.unit_interval, c.real], dim=-1),
}
SHAPE = {"lower_cholesky": (2, 3, 3), "positive_definite": (2, 3, 3), "corr_cholesky": (2, 3)}


@pytest.mark.parametrize("name", list(CONSTRAINTS))
@pytest.mark.parametrize("registry", ["biject_to", "transform_to"])
def test_constraint_registry(name, registry):
    """The registry picks torch's transform (same repr), whose output satisfies
    the constraint, with torch's values and log-det gradients."""
    def case(L, x):
        c = CONSTRAINTS[name](L, L.distributions.constraints)
        t = getattr(L.distributions, registry)(c)
        y = t(x)
        out = [y]
        if t.bijective:
            out += [t.inv(y), t.log_abs_det_jacobian(x, y)]
        assert bool(c.check(y).all())
        return out
    for L in (torch, jitgrad):
        reg = getattr(L.distributions, registry)
        c = CONSTRAINTS[name](L, L.distributions.constraints)
        try:
            reg(c)
        except NotImplementedError:
            errors_alike(lambda M: getattr(M.distributions, registry)(CONSTRAINTS[name](M, M.distributions.constraints)))
            return
    reprs = [repr(getattr(L.distributions, registry)(CONSTRAINTS[name](L, L.distributions.constraints)))
             for L in (torch, jitgrad)]
    assert reprs[0] == reprs[1].replace("jitgrad", "torch")
    compare(case, [RNG.normal(size=SHAPE.get(name, (2, 3))) * 0.5])


def test_constraints_check_and_repr():
    values = [[0.0, 0.5, 1.0], [-1.0, 2.0, float("nan")], [0.2, 0.3, 0.5]]
    for name, make in CONSTRAINTS.items():
        if name in SHAPE:
            continue
        a, b = (make(L, L.distributions.constraints) for L in (torch, jitgrad))
        assert repr(a) == repr(b), name
        assert (a.event_dim, a.is_discrete) == (b.event_dim, b.is_discrete), name
        for v in values:
            assert a.check(torch.tensor(v)).tolist() == b.check(jitgrad.tensor(v)).tolist(), (name, v)
    for L in (torch, jitgrad):
        c = L.distributions.constraints
        assert c.is_dependent(c.dependent) and not c.is_dependent(c.real)
        assert c.dependent(is_discrete=True, event_dim=1).event_dim == 1
        assert c.integer_interval(0, 4).check(L.tensor([0.0, 1.5, 4.0, 5.0])).tolist() == [True, False, True, False]
        assert c.lower_cholesky.check(L.tensor([[1.0, 0.0], [2.0, 3.0]])).item()
        assert not c.positive_definite.check(L.tensor([[1.0, 2.0], [2.0, 1.0]])).item()
        assert c.one_hot.check(L.tensor([[0.0, 1.0], [1.0, 1.0]])).tolist() == [True, False]
    errors_alike(lambda L: L.distributions.constraints.dependent.check(L.tensor(1.0)))
    errors_alike(lambda L: L.distributions.constraints.dependent.event_dim)
    errors_alike(lambda L: L.distributions.biject_to(L.distributions.constraints.boolean))
    errors_alike(lambda L: L.distributions.biject_to.register(3, lambda c: None))


TRANSFORMED = {
    "lognormal_like": lambda L, a, b: L.distributions.TransformedDistribution(
        L.distributions.Normal(a, b.exp()), [T(L).ExpTransform()]),
    "affine_sigmoid": lambda L, a, b: L.distributions.TransformedDistribution(
        L.distributions.Normal(a, b.exp()), [T(L).AffineTransform(1.0, -2.0), T(L).SigmoidTransform()]),
    "stick_breaking": lambda L, a, b: L.distributions.TransformedDistribution(
        L.distributions.Normal(a, b.exp()), T(L).StickBreakingTransform()),
    "reshape": lambda L, a, b: L.distributions.TransformedDistribution(
        L.distributions.Normal(a, b.exp()), T(L).ReshapeTransform((3,), (3, 1))),
}


@pytest.mark.parametrize("name", list(TRANSFORMED))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_transformed_distribution(name, dtype):
    def case(L, a, b):
        d = TRANSFORMED[name](L, a, b)
        L.manual_seed(11)
        s = d.rsample((4,))
        out = [s]
        out.append(d.log_prob(s.detach()))
        if name in ("lognormal_like", "affine_sigmoid"):
            u = L.tensor([0.1, 0.5, 0.8], dtype=a.dtype)
            out += [d.cdf(d.icdf(u)), d.icdf(u)]
        return out
    compare(case, [RNG.normal(size=3), RNG.normal(size=3) * 0.3], dtype)
    for L in (torch, jitgrad):
        L.manual_seed(3)
    a, b = (TRANSFORMED[name](L, L.zeros(2, 3), L.zeros(2, 3)) for L in (torch, jitgrad))
    assert (a.batch_shape, a.event_shape, a.has_rsample) == (b.batch_shape, b.event_shape, b.has_rsample)
    assert repr(a.support) == repr(b.support)
    for L in (torch, jitgrad):
        L.manual_seed(5)
    # the same draws as torch's (the transforms' float32 exp / sigmoid may differ by an ulp)
    np.testing.assert_allclose(b.sample((2,)).numpy(), a.sample((2,)).numpy(), rtol=3e-7, atol=0)
    ea, eb = a.expand((4,) + tuple(a.batch_shape)), b.expand((4,) + tuple(b.batch_shape))
    assert (ea.batch_shape, ea.event_shape) == (eb.batch_shape, eb.event_shape)


def test_transformed_distribution_errors():
    N = "distributions"
    errors_alike(lambda L: getattr(L, N).TransformedDistribution(getattr(L, N).Normal(0.0, 1.0), 3))
    errors_alike(lambda L: getattr(L, N).TransformedDistribution(getattr(L, N).Normal(0.0, 1.0), [3]))
    errors_alike(lambda L: getattr(L, N).TransformedDistribution(getattr(L, N).Normal(0.0, 1.0),
                                                                 T(L).StickBreakingTransform()))
    errors_alike(lambda L: getattr(L, N).TransformedDistribution(getattr(L, N).Normal(0.0, 1.0),
                                                                 T(L).ExpTransform()).log_prob(L.tensor(-1.0)))
