"""jitgrad.distributions (Normal, Uniform, Bernoulli, Categorical,
kl_divergence) against torch.distributions: log_prob, cdf / icdf, entropy,
moments, KL, their gradients, shapes and dtypes of samples, repr and the
validation errors; samples by statistics here (that they are torch's very
numbers: tests/test_distributions_families.py, test_draws_are_torchs)."""
import numpy as np
import pytest

import jitgrad
from _compare import check, run_both

torch = pytest.importorskip("torch")
RNG = np.random.default_rng(23)


@pytest.fixture(autouse=True)
def _validation_on():
    """torch's default is __debug__, but some torch calls (torch.cond loads
    dynamo) turn it off process-wide: compare both libraries with it on."""
    for L in (torch, jitgrad):
        L.distributions.Distribution.set_default_validate_args(True)
    yield


def D(L):
    return L.distributions


CASES = {
    "normal_log_prob": (lambda L, m, s, v: D(L).Normal(m, s.exp()).log_prob(v), [(3,), (3,), (3,)]),
    "normal_bcast": (lambda L, m, s, v: D(L).Normal(m, s.exp()).log_prob(v), [(2, 1), (3,), (3,)]),
    "normal_cdf_icdf": (lambda L, m, s, v: (D(L).Normal(m, s.exp()).cdf(v),
                                            D(L).Normal(m, s.exp()).icdf(v.sigmoid())), [(3,), (3,), (3,)]),
    "normal_moments": (lambda L, m, s: (D(L).Normal(m, s.exp()).entropy(), D(L).Normal(m, s.exp()).variance,
                                        D(L).Normal(m, s.exp()).stddev, D(L).Normal(m, s.exp()).mean), [(3,), (3,)]),
    "normal_numbers": (lambda L, v: D(L).Normal(0.5, 2.0).log_prob(v), [(4,)]),
    "uniform": (lambda L, lo, v: (D(L).Uniform(lo, lo + 3).log_prob(lo + 1.5 + 0 * v), D(L).Uniform(lo, lo + 3).entropy(),
                                  D(L).Uniform(lo, lo + 3).cdf(lo + v.sigmoid()), D(L).Uniform(lo, lo + 3).mean,
                                  D(L).Uniform(lo, lo + 3).variance), [(3,), (3,)]),
    "bernoulli_probs": (lambda L, p: (D(L).Bernoulli(p.sigmoid()).log_prob(L.tensor([1.0, 0.0, 1.0], dtype=p.dtype)),
                                      D(L).Bernoulli(p.sigmoid()).entropy(), D(L).Bernoulli(p.sigmoid()).variance),
                        [(3,)]),
    "bernoulli_logits": (lambda L, z: (D(L).Bernoulli(logits=z).log_prob(L.tensor([1.0, 0.0, 0.0], dtype=z.dtype)),
                                       D(L).Bernoulli(logits=z).entropy(), D(L).Bernoulli(logits=z).probs), [(3,)]),
    "categorical_logits": (lambda L, z: (D(L).Categorical(logits=z).log_prob(L.tensor([2, 0])),
                                         D(L).Categorical(logits=z).entropy(), D(L).Categorical(logits=z).probs),
                           [(2, 3)]),
    "categorical_probs": (lambda L, z: (D(L).Categorical(probs=z.exp()).log_prob(L.tensor([[1], [2]])),
                                        D(L).Categorical(probs=z.exp()).entropy()), [(2, 3)]),
    "kl_normal": (lambda L, a, b: D(L).kl_divergence(D(L).Normal(a, b.exp()), D(L).Normal(b, a.exp())), [(3,), (3,)]),
    "kl_bernoulli": (lambda L, a, b: D(L).kl_divergence(D(L).Bernoulli(logits=a), D(L).Bernoulli(logits=b)),
                     [(3,), (3,)]),
    "kl_categorical": (lambda L, a, b: D(L).kl_divergence(D(L).Categorical(logits=a), D(L).Categorical(logits=b)),
                       [(2, 3), (2, 3)]),
    "kl_uniform": (lambda L, a: D(L).kl_divergence(D(L).Uniform(a, a + 1), D(L).Uniform(a - 1, a + 2)), [(3,)]),
    "exponential": (lambda L, r, v: (D(L).Exponential(r.exp()).log_prob(v.exp()), D(L).Exponential(r.exp()).entropy(),
                                     D(L).Exponential(r.exp()).cdf(v.exp()), D(L).Exponential(r.exp()).icdf(v.sigmoid()),
                                     D(L).Exponential(r.exp()).variance), [(3,), (3,)]),
    "laplace": (lambda L, m, s, v: (D(L).Laplace(m, s.exp()).log_prob(v), D(L).Laplace(m, s.exp()).entropy(),
                                    D(L).Laplace(m, s.exp()).cdf(v), D(L).Laplace(m, s.exp()).icdf(v.sigmoid()),
                                    D(L).Laplace(m, s.exp()).stddev), [(3,), (3,), (3,)]),
    "independent": (lambda L, m, s, v: (D(L).Independent(D(L).Normal(m, s.exp()), 1).log_prob(v),
                                        D(L).Independent(D(L).Normal(m, s.exp()), 2).entropy()), [(2, 3), (2, 3), (2, 3)]),
    "kl_exponential": (lambda L, a, b: D(L).kl_divergence(D(L).Exponential(a.exp()), D(L).Exponential(b.exp())),
                       [(3,), (3,)]),
    "kl_laplace": (lambda L, a, b: D(L).kl_divergence(D(L).Laplace(a, b.exp()), D(L).Laplace(b, a.exp())),
                   [(3,), (3,)]),
    "kl_independent": (lambda L, a, b: D(L).kl_divergence(D(L).Independent(D(L).Normal(a, 1.0), 1),
                                                          D(L).Independent(D(L).Normal(b, 2.0), 1)), [(2, 3), (2, 3)]),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_against_torch(name, dtype):
    fn, shapes = CASES[name]
    check(torch, fn, [RNG.normal(size=s) for s in shapes], dtype=dtype, signed_zeros=False,
          tol=(1e-5, 1e-6) if dtype == "float32" else None)


def test_shapes_dtypes_and_repr():
    def case(L):
        n = D(L).Normal(L.zeros(2), 1.0)
        c = D(L).Categorical(logits=L.zeros(4, 3))
        b = D(L).Bernoulli(0.3)
        u = D(L).Uniform(0.0, L.ones(2, 1, dtype=L.float64))
        shapes = [tuple(n.sample().shape), tuple(n.sample((3,)).shape), tuple(n.rsample((2, 5)).shape),
                  tuple(c.sample().shape), tuple(c.sample((6,)).shape), tuple(b.sample((4,)).shape),
                  tuple(u.rsample((3,)).shape), tuple(c.batch_shape), tuple(c.event_shape), tuple(c.param_shape)]
        dtypes = [str(t.dtype) for t in (n.sample(), c.sample(), b.sample(), u.sample())]
        ind = D(L).Independent(D(L).Normal(L.zeros(3, 2), 1.0), 1)
        shapes += [tuple(ind.batch_shape), tuple(ind.event_shape), tuple(ind.sample((4,)).shape),
                   tuple(D(L).Exponential(L.ones(2)).rsample((3,)).shape), tuple(D(L).Laplace(0.0, 1.0).sample().shape)]
        return (shapes, dtypes, [repr(d) for d in (n, c, b, u, D(L).Normal(0.0, 1.0), ind, D(L).Exponential(2.0),
                                                   D(L).Laplace(0.0, L.ones(2)))],
                n.rsample().requires_grad, n.has_rsample, c.has_rsample, c.mean, c.enumerate_support(),
                D(L).Bernoulli(L.tensor([0.2, 0.5, 0.9])).mode, c.mode)
    run_both(case)


def test_rsample_is_differentiable():
    loc = jitgrad.tensor([0.5, -1.0], requires_grad=True)
    log_scale = jitgrad.tensor([0.0, 0.3], requires_grad=True)
    jitgrad.manual_seed(0)
    x = jitgrad.distributions.Normal(loc, log_scale.exp()).rsample((1000,))
    x.mean(0).sum().backward()
    np.testing.assert_allclose(loc.grad.numpy(), [1.0, 1.0], rtol=1e-6)
    assert np.all(np.abs(log_scale.grad.numpy()) < 0.2)


def test_sample_statistics():
    jitgrad.manual_seed(1)
    s = jitgrad.distributions.Normal(2.0, 0.5).sample((4000,)).numpy()
    assert abs(s.mean() - 2.0) < 0.05 and abs(s.std() - 0.5) < 0.05
    c = jitgrad.distributions.Categorical(probs=jitgrad.tensor([0.1, 0.6, 0.3])).sample((4000,)).numpy()
    np.testing.assert_allclose(np.bincount(c, minlength=3) / 4000, [0.1, 0.6, 0.3], atol=0.03)
    b = jitgrad.distributions.Bernoulli(0.25).sample((4000,)).numpy()
    assert abs(b.mean() - 0.25) < 0.03
    e = jitgrad.distributions.Exponential(4.0).sample((4000,)).numpy()
    assert e.min() >= 0 and abs(e.mean() - 0.25) < 0.02
    lap = jitgrad.distributions.Laplace(1.0, 0.5).sample((4000,)).numpy()
    assert abs(np.median(lap) - 1.0) < 0.05 and abs(np.abs(lap - 1.0).mean() - 0.5) < 0.05
    u = jitgrad.distributions.Uniform(-1.0, 3.0).sample((4000,)).numpy()
    assert u.min() >= -1 and u.max() < 3 and abs(u.mean() - 1.0) < 0.1


ERRORS = [
    lambda L: D(L).Normal(0.0, -1.0),
    lambda L: D(L).Normal(L.zeros(2), L.tensor([1.0, 0.0])),
    lambda L: D(L).Normal(0.0, 1.0).log_prob(L.tensor(float("nan"))),
    lambda L: D(L).Uniform(0.0, 1.0).log_prob(L.tensor(2.0)),
    lambda L: D(L).Uniform(1.0, 0.0),
    lambda L: D(L).Bernoulli(1.5),
    lambda L: D(L).Bernoulli(0.5).log_prob(L.tensor(0.5)),
    lambda L: D(L).Bernoulli(),
    lambda L: D(L).Categorical(logits=L.zeros(3)).log_prob(L.tensor(3)),
    lambda L: D(L).Categorical(probs=L.tensor([0.5, -0.1])),
    lambda L: D(L).Categorical(probs=L.tensor(0.5)),
    lambda L: D(L).Exponential(0.0),
    lambda L: D(L).Exponential(1.0).log_prob(L.tensor(-1.0)),
    lambda L: D(L).Laplace(0.0, -2.0),
    lambda L: D(L).Independent(D(L).Normal(L.zeros(2), 1.0), 2),
]


@pytest.mark.parametrize("k", range(len(ERRORS)))
def test_validation_errors(k):
    run_both(ERRORS[k])


def test_validation_can_be_turned_off():
    def case(L):
        return D(L).Normal(0.0, 1.0, validate_args=False).log_prob(L.tensor(float("nan")))
    run_both(case)


def _spd(k):
    a = RNG.normal(size=(k, k))
    return a @ a.T + k * np.eye(k)


MORE = {
    "mvn_cov": (lambda L, m, c, v: (D(L).MultivariateNormal(m, c).log_prob(v), D(L).MultivariateNormal(m, c).entropy(),
                                    D(L).MultivariateNormal(m, c).variance), [RNG.normal(size=3), _spd(3),
                                                                              RNG.normal(size=(2, 3))]),
    "mvn_tril": (lambda L, m, c, v: D(L).MultivariateNormal(m, scale_tril=L.linalg.cholesky(c)).log_prob(v),
                 [RNG.normal(size=(2, 3)), _spd(3), RNG.normal(size=(2, 3))]),
    "mvn_precision": (lambda L, m, c, v: (D(L).MultivariateNormal(m, precision_matrix=c).log_prob(v),
                                          D(L).MultivariateNormal(m, precision_matrix=c).covariance_matrix),
                      [RNG.normal(size=3), _spd(3), RNG.normal(size=3)]),
    "gamma": (lambda L, a, b, v: (D(L).Gamma(a.exp(), b.exp()).log_prob(v.exp()), D(L).Gamma(a.exp(), b.exp()).entropy(),
                                  D(L).Gamma(a.exp(), b.exp()).mean, D(L).Gamma(a.exp(), b.exp()).variance),
              [RNG.normal(size=3), RNG.normal(size=3), RNG.normal(size=3)]),
    "beta": (lambda L, a, b, v: (D(L).Beta(a.exp(), b.exp()).log_prob(v.sigmoid()), D(L).Beta(a.exp(), b.exp()).entropy(),
                                 D(L).Beta(a.exp(), b.exp()).mean, D(L).Beta(a.exp(), b.exp()).variance),
             [RNG.normal(size=3), RNG.normal(size=3), RNG.normal(size=3)]),
    "poisson": (lambda L, r: (D(L).Poisson(r.exp()).log_prob(L.tensor([0.0, 2.0, 5.0], dtype=r.dtype)),
                              D(L).Poisson(r.exp()).variance), [RNG.normal(size=3)]),
}


@pytest.mark.parametrize("name", list(MORE))
def test_more_families_against_torch(name):
    fn, arrays = MORE[name]
    check(torch, fn, arrays, signed_zeros=False, tol=(1e-6, 1e-7))


def test_more_families_repr_shapes_and_errors():
    def case(L):
        m = D(L).MultivariateNormal(L.zeros(2), L.eye(2))
        return (repr(m), repr(D(L).Gamma(2.0, 3.0)), repr(D(L).Beta(2.0, 3.0)), repr(D(L).Poisson(3.0)),
                tuple(m.batch_shape), tuple(m.event_shape), tuple(m.sample((4,)).shape), tuple(m.rsample().shape),
                tuple(D(L).Gamma(L.ones(2), 1.0).sample((3,)).shape), tuple(D(L).Beta(2.0, 2.0).sample((5,)).shape),
                tuple(D(L).Poisson(L.ones(3)).sample().shape))
    run_both(case)
    for bad in (lambda L: D(L).MultivariateNormal(L.zeros(2), L.tensor([[1.0, 2.0], [2.0, 1.0]])),
                lambda L: D(L).MultivariateNormal(L.zeros(2)),
                lambda L: D(L).Poisson(3.0).log_prob(L.tensor(2.5)),
                lambda L: D(L).Gamma(1.0, 1.0).log_prob(L.tensor(-1.0)),
                lambda L: D(L).Gamma(-1.0, 1.0)):
        run_both(bad)
    jitgrad.manual_seed(2)
    g = jitgrad.distributions.Gamma(3.0, 2.0).sample((4000,)).numpy()
    assert abs(g.mean() - 1.5) < 0.06
    x = jitgrad.distributions.MultivariateNormal(jitgrad.zeros(2), jitgrad.tensor([[2.0, 0.5], [0.5, 1.0]]))
    s = x.sample((6000,)).numpy()
    np.testing.assert_allclose(np.cov(s.T), [[2.0, 0.5], [0.5, 1.0]], atol=0.1)


DISCRETE = {
    "onehot": (lambda L, z: (D(L).OneHotCategorical(logits=z).log_prob(L.tensor([[0.0, 1, 0], [0, 0, 1]], dtype=z.dtype)),
                             D(L).OneHotCategorical(logits=z).entropy(), D(L).OneHotCategorical(logits=z).variance),
               [RNG.normal(size=(2, 3))]),
    "binomial_probs": (lambda L, p: (D(L).Binomial(5, p.sigmoid()).log_prob(L.tensor([0.0, 2, 5], dtype=p.dtype)),
                                     D(L).Binomial(5, p.sigmoid()).mean, D(L).Binomial(5, p.sigmoid()).variance),
                       [RNG.normal(size=3)]),
    "binomial_logits": (lambda L, z: D(L).Binomial(L.tensor([3.0, 4, 9], dtype=z.dtype), logits=z).log_prob(
        L.tensor([1.0, 4, 0], dtype=z.dtype)), [RNG.normal(size=3)]),
    "dirichlet": (lambda L, c, v: (D(L).Dirichlet(c.exp()).log_prob(v.softmax(-1)), D(L).Dirichlet(c.exp()).entropy(),
                                   D(L).Dirichlet(c.exp()).mean, D(L).Dirichlet(c.exp()).variance),
                  [RNG.normal(size=(2, 3)), RNG.normal(size=(2, 3))]),
}


@pytest.mark.parametrize("name", list(DISCRETE))
def test_discrete_families_against_torch(name):
    fn, arrays = DISCRETE[name]
    check(torch, fn, arrays, signed_zeros=False, tol=(1e-6, 1e-7))


def test_discrete_families_repr_samples_and_errors():
    def case(L):
        o = D(L).OneHotCategorical(probs=L.tensor([0.2, 0.8]))
        b = D(L).Binomial(5, L.tensor([0.3, 0.5]))
        d = D(L).Dirichlet(L.ones(3))
        s = o.sample((4,))
        return (repr(o), repr(b), repr(d), tuple(s.shape), str(s.dtype), s.sum(-1), tuple(o.event_shape),
                tuple(b.sample((3,)).shape), tuple(d.sample((2,)).shape), d.sample().sum().item() > 0.999)
    run_both(case)
    for bad in (lambda L: D(L).Binomial(5, 0.3).log_prob(L.tensor(6.0)), lambda L: D(L).Binomial(5),
                lambda L: D(L).Dirichlet(L.tensor([1.0, -1.0])), lambda L: D(L).Dirichlet(L.tensor(1.0))):
        run_both(bad)
