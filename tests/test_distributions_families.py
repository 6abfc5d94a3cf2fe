"""The families added on top of the core ones (LogNormal ... LowRankMultivariateNormal),
kl_divergence / register_kl and the submodule paths, against torch: log_prob, cdf / icdf,
entropy, moments and their gradients w.r.t. the parameters (float64 and float32);
reparameterised draws after the same seed (values and pathwise gradients: jitgrad
makes torch's generator calls in torch's order), shapes, expand, repr, validation
errors; every family's draws are torch's numbers (the gamma, Dirichlet, Poisson and
binomial samplers reproduced), their implicit gradients close to torch's approximations."""
import numpy as np
import pytest
import torch

import jitgrad
from _dist_compare import compare, errors_alike

RNG = np.random.default_rng(11)


@pytest.fixture(autouse=True)
def _validation_on():
    for L in (torch, jitgrad):
        L.distributions.Distribution.set_default_validate_args(True)
    yield


def D(L):
    return L.distributions


def _simplex(L, x):
    return L.tensor([0.1, 0.2, 0.3, 0.4], dtype=x.dtype)


def _counts(L, x):
    return L.tensor([[2.0, 3.0, 5.0], [0.0, 10.0, 0.0]], dtype=x.dtype)


# name: (constructor(L, a, b, c), value(L, a, b, c, v), shapes of a, b, c, v, attributes, draws are torch's)
MOMENTS = ("mean", "variance", "stddev", "mode")
FAMILIES = {
    "LogNormal": (lambda L, a, b, c: D(L).LogNormal(a, b.exp()), lambda L, a, b, c, v: v.exp(),
                  MOMENTS + ("entropy", "cdf", "icdf"), True),
    "HalfNormal": (lambda L, a, b, c: D(L).HalfNormal(b.exp()), lambda L, a, b, c, v: v.abs(),
                   MOMENTS + ("entropy", "cdf", "icdf"), True),
    "Cauchy": (lambda L, a, b, c: D(L).Cauchy(a, b.exp()), lambda L, a, b, c, v: v,
               MOMENTS + ("entropy", "cdf", "icdf"), True),
    "HalfCauchy": (lambda L, a, b, c: D(L).HalfCauchy(b.exp()), lambda L, a, b, c, v: v.abs(),
                   MOMENTS + ("entropy", "cdf", "icdf"), True),
    "Gumbel": (lambda L, a, b, c: D(L).Gumbel(a, b.exp() + 1), lambda L, a, b, c, v: a + v.tanh(),
               MOMENTS + ("entropy", "cdf", "icdf"), True),
    "Pareto": (lambda L, a, b, c: D(L).Pareto(b.exp(), a.exp() + 2.5), lambda L, a, b, c, v: b.exp() + v.abs(),
               MOMENTS + ("entropy", "cdf", "icdf"), True),
    "Weibull": (lambda L, a, b, c: D(L).Weibull(b.exp(), a.exp() + 0.5), lambda L, a, b, c, v: v.exp(),
                MOMENTS + ("entropy", "cdf", "icdf"), True),
    "Kumaraswamy": (lambda L, a, b, c: D(L).Kumaraswamy(a.exp() + 1, b.exp() + 1),
                    lambda L, a, b, c, v: v.sigmoid(), MOMENTS + ("entropy", "cdf", "icdf"), True),
    "LogisticNormal": (lambda L, a, b, c: D(L).LogisticNormal(a, b.exp()), _simplex2 := (
        lambda L, a, b, c, v: _simplex(L, v)), (), True),
    "GeneralizedPareto": (lambda L, a, b, c: D(L).GeneralizedPareto(a, b.exp(), 0.2 + 0.1 * c.sigmoid()),
                          lambda L, a, b, c, v: a + v.abs(), ("mean", "variance", "mode", "entropy", "cdf", "icdf"),
                          True),
    "Chi2": (lambda L, a, b, c: D(L).Chi2(a.exp() + 2), lambda L, a, b, c, v: v.exp(),
             ("mean", "variance", "entropy", "df"), "values"),
    "StudentT": (lambda L, a, b, c: D(L).StudentT(a.exp() + 2.5, b, c.exp()), lambda L, a, b, c, v: v,
                 MOMENTS + ("entropy",), "values"),
    "StudentT_heavy": (lambda L, a, b, c: D(L).StudentT(L.tensor([0.5, 1.5, 3.0], dtype=a.dtype) + 0 * a, b),
                       lambda L, a, b, c, v: v, ("mean", "variance"), "values"),
    "InverseGamma": (lambda L, a, b, c: D(L).InverseGamma(a.exp() + 2.5, b.exp()), lambda L, a, b, c, v: v.exp(),
                     MOMENTS + ("entropy",), "values"),
    "FisherSnedecor": (lambda L, a, b, c: D(L).FisherSnedecor(a.exp() + 2.5, b.exp() + 4.5),
                       lambda L, a, b, c, v: v.exp(), ("mean", "variance", "mode"), "values"),
    "RelaxedBernoulli": (lambda L, a, b, c: D(L).RelaxedBernoulli(L.tensor(0.7, dtype=a.dtype), logits=a),
                         lambda L, a, b, c, v: v.sigmoid(), ("probs", "logits"), True),
    "RelaxedOneHot": (lambda L, a, b, c: D(L).RelaxedOneHotCategorical(L.tensor(0.6, dtype=a.dtype), logits=a),
                      lambda L, a, b, c, v: _simplex(L, v)[:3] / 0.6, ("probs",), True),
    "ContinuousBernoulli": (lambda L, a, b, c: D(L).ContinuousBernoulli(probs=a.sigmoid()),
                            lambda L, a, b, c, v: v.sigmoid(), ("mean", "variance", "entropy", "cdf", "icdf"), True),
    "ContinuousBernoulli_half": (lambda L, a, b, c: D(L).ContinuousBernoulli(logits=1e-3 * a),
                                 lambda L, a, b, c, v: v.sigmoid(), ("mean", "variance", "entropy", "cdf"), True),
    "Geometric": (lambda L, a, b, c: D(L).Geometric(probs=a.sigmoid()),
                  lambda L, a, b, c, v: L.tensor([0.0, 2.0, 5.0], dtype=v.dtype), MOMENTS + ("entropy",), True),
    "NegativeBinomial": (lambda L, a, b, c: D(L).NegativeBinomial(b.exp() + 1, logits=a),
                         lambda L, a, b, c, v: L.tensor([0.0, 2.0, 5.0], dtype=v.dtype), MOMENTS, True),
    "Multinomial": (lambda L, a, b, c: D(L).Multinomial(10, logits=a.reshape(1, 3).expand(2, 3)), lambda L, a, b, c, v:
                    _counts(L, v), ("mean", "variance", "entropy"), True),
    "Binomial": (lambda L, a, b, c: D(L).Binomial(5, logits=a), lambda L, a, b, c, v: L.tensor([0.0, 2.0, 5.0],
                                                                                                dtype=v.dtype),
                 ("mean", "variance", "mode", "entropy"), True),
    "MixtureSameFamily": (lambda L, a, b, c: D(L).MixtureSameFamily(D(L).Categorical(logits=a),
                                                                    D(L).Normal(b, c.exp())),
                          lambda L, a, b, c, v: v[0], ("mean", "variance", "cdf"), True),
    "VonMises": (lambda L, a, b, c: D(L).VonMises(a, L.tensor([0.5, 3.0, 9.0], dtype=a.dtype) * b.exp()),
                 lambda L, a, b, c, v: v, ("mean", "mode", "variance"), True),
    "LKJCholesky": (lambda L, a, b, c: D(L).LKJCholesky(3, a.exp()), lambda L, a, b, c, v:
                    D(L).transforms.CorrCholeskyTransform()(v), (), "values"),
    "Wishart": (lambda L, a, b, c: D(L).Wishart(a[0].exp() + 3, scale_tril=D(L).transforms.LowerCholeskyTransform()(
        L.stack([a, b, c]))), lambda L, a, b, c, v: L.stack([v, a, b]) @ L.stack([v, a, b]).mT + L.eye(3, dtype=v.dtype),
                ("mean", "variance", "mode", "entropy", "covariance_matrix", "precision_matrix"), "values"),
    "Wishart_precision": (lambda L, a, b, c: D(L).Wishart(a.exp() + 3, precision_matrix=L.stack([a, b, c]) @ L.stack(
        [a, b, c]).mT + L.eye(3, dtype=a.dtype)), lambda L, a, b, c, v: L.eye(3, dtype=v.dtype) * 2,
                          ("mean", "entropy", "scale_tril"), "values"),
    "LowRankMVN": (lambda L, a, b, c: D(L).LowRankMultivariateNormal(a, L.stack([b, c * 0.5], -1), b.exp()),
                   lambda L, a, b, c, v: v, ("mean", "variance", "entropy", "scale_tril", "covariance_matrix",
                                             "precision_matrix"), True),
}


def _outputs(L, name, a, b, c, v, sample):
    make, value, attrs, same_draws = FAMILIES[name]
    d = make(L, a, b, c)
    x = value(L, a, b, c, v)
    if name == "GeneralizedPareto" and a.dtype == L.float64:
        # torch's log_prob / cdf compare with a float32 zero: "Double did not match Float"
        errors_alike(lambda M: FAMILIES[name][0](M, *(M.zeros(3, dtype=M.float64),) * 3).log_prob(M.ones(3).double()))
        attrs = tuple(at for at in attrs if at != "cdf")
        out = []
    else:
        out = [d.log_prob(x)]
    for attr in attrs:
        if attr == "entropy":
            out.append(d.entropy())
        elif attr == "cdf":
            out.append(d.cdf(x))
        elif attr == "icdf":
            out.append(d.icdf(L.tensor([0.2, 0.5, 0.9], dtype=a.dtype)))
        else:
            out.append(getattr(d, attr))
    if sample and same_draws:
        L.manual_seed(1234)
        draws = d.rsample((2,)) if d.has_rsample else d.sample((2,))
        # ("values": torch's numbers, but the implicit gamma gradients are torch's
        # approximations: compared loosely in test_gamma_pathwise_gradients)
        out.append(draws.detach() if same_draws == "values" else draws)
    return out


@pytest.mark.parametrize("name", list(FAMILIES))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.filterwarnings("ignore:Singular sample detected")
def test_family_against_torch(name, dtype):
    compare(lambda L, a, b, c, v: _outputs(L, name, a, b, c, v, True), [RNG.normal(size=3) for _ in range(4)], dtype,
            tol=(2e-4, 2e-5) if dtype == "float32" else (1e-8, 1e-9))


EXACT_DRAWS = {
    "Normal": lambda L: D(L).Normal(L.zeros(3), 2.0),
    "LogNormal": lambda L: D(L).LogNormal(L.zeros(20), 1.0),
    "Exponential": lambda L: D(L).Exponential(L.ones(3) * 2),
    "Uniform": lambda L: D(L).Uniform(L.zeros(3), 2.0),
    "Laplace": lambda L: D(L).Laplace(L.zeros(3), 1.0),
    "Cauchy": lambda L: D(L).Cauchy(L.zeros(3), 1.0),
    "HalfNormal": lambda L: D(L).HalfNormal(L.ones(17)),
    "Geometric": lambda L: D(L).Geometric(probs=L.full((3,), 0.3)),
    "Multinomial": lambda L: D(L).Multinomial(7, probs=L.tensor([0.2, 0.3, 0.5])),
    "Categorical": lambda L: D(L).Categorical(probs=L.tensor([0.2, 0.3, 0.5])),
    "Bernoulli": lambda L: D(L).Bernoulli(probs=L.full((4,), 0.4)),
    "MVN": lambda L: D(L).MultivariateNormal(L.zeros(2), scale_tril=L.tensor([[1.0, 0.0], [0.5, 2.0]])),
    "LowRankMVN": lambda L: D(L).LowRankMultivariateNormal(L.zeros(3), L.ones(3, 2), L.ones(3)),
    "MixtureSameFamily": lambda L: D(L).MixtureSameFamily(D(L).Categorical(logits=L.zeros(3)),
                                                          D(L).Normal(L.arange(3.0), 1.0)),
    "RelaxedBernoulli": lambda L: D(L).RelaxedBernoulli(L.tensor(0.5), probs=L.full((3,), 0.3)),
    "VonMises": lambda L: D(L).VonMises(L.tensor([0.0, 1.0, -2.0]), L.tensor([0.1, 2.0, 50.0])),
    "Gamma": lambda L: D(L).Gamma(L.tensor([0.5, 2.0, 9.0]), 2.0),
    "Gamma64": lambda L: D(L).Gamma(L.tensor([0.05, 1.0, 90.0], dtype=L.float64), 2.0),
    "Chi2": lambda L: D(L).Chi2(L.tensor([1.0, 3.0, 10.0])),
    "StudentT": lambda L: D(L).StudentT(L.tensor([5.0, 8.0, 30.0], dtype=L.float64), 1.0, 2.0),
    "InverseGamma": lambda L: D(L).InverseGamma(L.tensor([5.0, 8.0, 30.0]), 3.0),
    "FisherSnedecor": lambda L: D(L).FisherSnedecor(L.tensor([5.0, 8.0, 30.0], dtype=L.float64), 12.0),
    "Beta": lambda L: D(L).Beta(L.tensor([0.5, 2.0, 9.0]), 3.0),
    "Dirichlet": lambda L: D(L).Dirichlet(L.tensor([[0.5, 2.0, 9.0], [1.0, 1.0, 0.1]], dtype=L.float64)),
    "LKJCholesky": lambda L: D(L).LKJCholesky(3, L.tensor([0.5, 2.0, 9.0])),
    "Wishart": lambda L: D(L).Wishart(L.tensor([4.0, 9.0]), covariance_matrix=L.tensor([[2.0, 0.5], [0.5, 1.0]])),
    "Poisson": lambda L: D(L).Poisson(L.tensor([0.5, 4.0, 40.0, 0.0])),
    "Binomial": lambda L: D(L).Binomial(L.tensor([3.0, 10.0, 50.0, 200.0], dtype=L.float64),
                                        probs=L.tensor([0.2, 0.5, 0.9, 0.3], dtype=L.float64)),
    "NegativeBinomial": lambda L: D(L).NegativeBinomial(L.tensor([2.0, 5.0, 9.0]), probs=L.tensor([0.2, 0.5, 0.7])),
    "RelaxedOneHot": lambda L: D(L).RelaxedOneHotCategorical(L.tensor(0.5), probs=L.tensor([0.2, 0.3, 0.5])),
}


@pytest.mark.parametrize("name", list(EXACT_DRAWS))
@pytest.mark.filterwarnings("ignore:Singular sample detected")
def test_draws_are_torchs(name):
    """After the same seed, sample() gives torch's numbers (float32: exp / log / norm may differ by an ulp or two)."""
    got = []
    for L in (torch, jitgrad):
        L.manual_seed(77)
        d = EXACT_DRAWS[name](L)
        got.append((d.sample((5,)).numpy(), d.sample().numpy(), tuple(d.sample((2, 1)).shape)))
    for a, b in zip(got[0], got[1]):
        a, b = np.asarray(a), np.asarray(b)
        np.testing.assert_allclose(b, a, rtol=1e-6 if a.dtype == np.float32 else 1e-15, atol=0)


@pytest.mark.parametrize("name", ["Gamma", "Chi2", "StudentT", "InverseGamma", "FisherSnedecor", "Beta", "Dirichlet"])
@pytest.mark.filterwarnings("ignore:Singular sample detected")
def test_gamma_pathwise_gradients(name):
    """Gamma-based rsample: torch's draws; the pathwise gradients w.r.t. the
    parameters are torch's (its approximations of the implicit derivative, gamma_grads.py)."""
    grads = []
    for L in (torch, jitgrad):
        p = L.tensor([0.7, 2.0, 9.0], dtype=L.float64, requires_grad=True)
        d = {"Gamma": lambda: D(L).Gamma(p, p[1]), "Chi2": lambda: D(L).Chi2(p),
             "StudentT": lambda: D(L).StudentT(p + 1, p[0], p[1]), "InverseGamma": lambda: D(L).InverseGamma(p + 1, p),
             "FisherSnedecor": lambda: D(L).FisherSnedecor(p, p + 2), "Beta": lambda: D(L).Beta(p, p.flip(0)),
             "Dirichlet": lambda: D(L).Dirichlet(p)}[name]()
        L.manual_seed(3)
        x = d.rsample((5,))
        grads.append((x.detach().numpy(), L.autograd.grad((x * x.detach().cos()).sum(), [p])[0].numpy()))
    np.testing.assert_array_equal(grads[1][0], grads[0][0])
    np.testing.assert_allclose(grads[1][1], grads[0][1], rtol=1e-13, atol=1e-15)


def test_gamma_rsample_gradient():
    """Pathwise gradients, independently of torch: E[d x / d alpha] = d E[x] / d alpha
    for Gamma (1 / rate), Beta and Dirichlet (the mean's derivatives), 1,500 draws."""
    jitgrad.manual_seed(3)
    alpha = jitgrad.tensor([0.3, 4.0, 40.0], dtype=jitgrad.float64, requires_grad=True)
    x = jitgrad.distributions.Gamma(alpha, 2.0).rsample((1500,))
    (g,) = jitgrad.autograd.grad(x.mean(0).sum(), [alpha])
    np.testing.assert_allclose(g.numpy(), 0.5, rtol=0.1)
    assert jitgrad.distributions.Gamma(alpha, 1.0).has_rsample
    c = jitgrad.tensor([2.0, 3.0], dtype=jitgrad.float64, requires_grad=True)
    (g,) = jitgrad.autograd.grad(jitgrad.distributions.Beta(c[0], c[1]).rsample((1500,)).mean(), [c])
    np.testing.assert_allclose(g.numpy(), [3 / 25, -2 / 25], atol=0.015)
    x = jitgrad.distributions.Dirichlet(c).rsample((1500,))
    assert x.shape == (1500, 2) and np.allclose(x.detach().sum(-1).numpy(), 1)
    (g,) = jitgrad.autograd.grad(x[:, 0].mean(), [c])
    np.testing.assert_allclose(g.numpy(), [3 / 25, -2 / 25], atol=0.015)


KL_PAIRS = {
    "Normal": lambda L, a, b: (D(L).Normal(a, b.exp()), D(L).Normal(b, a.exp())),
    "Bernoulli": lambda L, a, b: (D(L).Bernoulli(logits=a), D(L).Bernoulli(probs=L.tensor([0.0, 0.5, 1.0],
                                                                                            dtype=a.dtype))),
    "Beta": lambda L, a, b: (D(L).Beta(a.exp(), b.exp()), D(L).Beta(b.exp(), a.exp())),
    "Binomial": lambda L, a, b: (D(L).Binomial(5, logits=a), D(L).Binomial(5, logits=b)),
    "Categorical": lambda L, a, b: (D(L).Categorical(logits=a), D(L).Categorical(logits=b)),
    "ContinuousBernoulli": lambda L, a, b: (D(L).ContinuousBernoulli(logits=a), D(L).ContinuousBernoulli(logits=b)),
    "Dirichlet": lambda L, a, b: (D(L).Dirichlet(a.exp()), D(L).Dirichlet(b.exp())),
    "Exponential": lambda L, a, b: (D(L).Exponential(a.exp()), D(L).Exponential(b.exp())),
    "Gamma": lambda L, a, b: (D(L).Gamma(a.exp(), b.exp()), D(L).Gamma(b.exp(), a.exp())),
    "Chi2_Gamma": lambda L, a, b: (D(L).Chi2(a.exp()), D(L).Gamma(b.exp(), a.exp())),
    "Gumbel": lambda L, a, b: (D(L).Gumbel(a, b.exp()), D(L).Gumbel(b, a.exp())),
    "Geometric": lambda L, a, b: (D(L).Geometric(logits=a), D(L).Geometric(logits=b)),
    "HalfNormal": lambda L, a, b: (D(L).HalfNormal(a.exp()), D(L).HalfNormal(b.exp())),
    "Laplace": lambda L, a, b: (D(L).Laplace(a, b.exp()), D(L).Laplace(b, a.exp())),
    "OneHotCategorical": lambda L, a, b: (D(L).OneHotCategorical(logits=a), D(L).OneHotCategorical(logits=b)),
    "Pareto": lambda L, a, b: (D(L).Pareto(a.exp(), b.exp()), D(L).Pareto(b.exp(), a.exp())),
    "Poisson": lambda L, a, b: (D(L).Poisson(a.exp()), D(L).Poisson(b.exp())),
    "Uniform": lambda L, a, b: (D(L).Uniform(a, a + 1), D(L).Uniform(a - b.exp(), a + 2)),
    "Cauchy": lambda L, a, b: (D(L).Cauchy(a, b.exp()), D(L).Cauchy(b, a.exp())),
    "Normal_Laplace": lambda L, a, b: (D(L).Normal(a, b.exp()), D(L).Laplace(b, a.exp())),
    "Exponential_Gamma": lambda L, a, b: (D(L).Exponential(a.exp()), D(L).Gamma(b.exp(), a.exp())),
    "Independent": lambda L, a, b: (D(L).Independent(D(L).Normal(a, b.exp()), 1),
                                    D(L).Independent(D(L).Normal(b, 1.0), 1)),
    "LogNormal": lambda L, a, b: (D(L).LogNormal(a, b.exp()), D(L).LogNormal(b, a.exp())),
    "MVN": lambda L, a, b: (D(L).MultivariateNormal(a, scale_tril=L.diag_embed(b.exp())),
                            D(L).MultivariateNormal(b, covariance_matrix=L.eye(3, dtype=a.dtype) * 2)),
    "LowRank": lambda L, a, b: (D(L).LowRankMultivariateNormal(a, L.stack([b, a], -1), b.exp()),
                                D(L).LowRankMultivariateNormal(b, L.stack([a], -1), a.exp())),
    "MVN_LowRank": lambda L, a, b: (D(L).MultivariateNormal(a, scale_tril=L.diag_embed(b.exp())),
                                    D(L).LowRankMultivariateNormal(b, L.stack([a], -1), a.exp())),
    "LowRank_MVN": lambda L, a, b: (D(L).LowRankMultivariateNormal(b, L.stack([a], -1), a.exp()),
                                    D(L).MultivariateNormal(a, scale_tril=L.diag_embed(b.exp()))),
}


@pytest.mark.parametrize("name", list(KL_PAIRS))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_kl_against_torch(name, dtype):
    compare(lambda L, a, b: D(L).kl_divergence(*KL_PAIRS[name](L, a, b)), [RNG.normal(size=3) for _ in range(2)],
            dtype, tol=(1e-4, 1e-5) if dtype == "float32" else (1e-8, 1e-9))


def test_kl_registry_dispatch_and_errors():
    for L in (torch, jitgrad):
        class MyNormal(D(L).Normal):
            pass

        @D(L).register_kl(MyNormal, D(L).Normal)
        def _kl(p, q):
            return L.tensor(42.0)
        assert D(L).kl_divergence(MyNormal(0.0, 1.0), D(L).Normal(0.0, 1.0)).item() == 42.0
        assert D(L).kl_divergence(D(L).Normal(0.0, 1.0), MyNormal(0.0, 2.0)).item() > 0   # Normal-Normal's
    errors_alike(lambda L: D(L).kl_divergence(D(L).Poisson(1.0), D(L).Normal(0.0, 1.0)))
    errors_alike(lambda L: D(L).kl_divergence(D(L).Categorical(L.ones(2)), D(L).Normal(0.0, 1.0)))
    errors_alike(lambda L: D(L).kl_divergence(D(L).Independent(D(L).Normal(L.zeros(2, 2), 1.0), 1),
                                              D(L).Independent(D(L).Normal(L.zeros(2, 2), 1.0), 2)))
    errors_alike(lambda L: D(L).kl_divergence(D(L).Binomial(3, probs=L.tensor(0.5)),
                                              D(L).Binomial(5, probs=L.tensor(0.5))))
    errors_alike(lambda L: D(L).kl_divergence(D(L).MultivariateNormal(L.zeros(2), L.eye(2)),
                                              D(L).MultivariateNormal(L.zeros(3), L.eye(3))))
    errors_alike(lambda L: D(L).kl_divergence(D(L).LogNormal(0.0, 1.0), D(L).TransformedDistribution(
        D(L).Normal(0.0, 1.0), [D(L).transforms.SigmoidTransform()])))


@pytest.mark.filterwarnings("ignore:Singular sample detected")
def test_shapes_expand_repr_and_errors():
    def summary(L):
        out = []
        for name, (make, value, attrs, same) in FAMILIES.items():
            a = L.zeros(3, dtype=L.float64)
            d = make(L, a, a, a)
            e = d.expand((4,) + tuple(d.batch_shape))
            out.append((name, repr(d), tuple(d.batch_shape), tuple(d.event_shape), d.has_rsample,
                        tuple(e.batch_shape), tuple(e.event_shape), tuple(e.sample((2,)).shape),
                        repr(d.support) if name != "MixtureSameFamily" else "", type(e).__name__,
                        repr(d.arg_constraints)))
        return out
    a, b = summary(torch), summary(jitgrad)
    for x, y in zip(a, b):
        assert x == tuple(v.replace("jitgrad", "torch") if isinstance(v, str) else v for v in y)
    bad = [lambda L: D(L).LogNormal(0.0, -1.0), lambda L: D(L).Cauchy(0.0, 0.0), lambda L: D(L).Pareto(1.0, -2.0),
           lambda L: D(L).StudentT(-1.0), lambda L: D(L).Geometric(probs=L.tensor([0.0, 0.5])),
           lambda L: D(L).Geometric(probs=1.5), lambda L: D(L).Geometric(), lambda L: D(L).Multinomial(2.5, L.ones(2)),
           lambda L: D(L).Kumaraswamy(1.0, 0.0), lambda L: D(L).HalfNormal(1.0).log_prob(L.tensor(-1.0)),
           lambda L: D(L).LogNormal(0.0, 1.0).log_prob(L.tensor([[-1.0]])),
           lambda L: D(L).Multinomial(3, L.ones(3)).log_prob(L.tensor([1.0, 1.0, 2.0])),
           lambda L: D(L).LowRankMultivariateNormal(L.zeros(3), L.ones(2, 1), L.ones(3)),
           lambda L: D(L).LowRankMultivariateNormal(L.zeros(3), L.ones(3, 1), L.ones(2)),
           lambda L: D(L).MixtureSameFamily(D(L).Normal(0.0, 1.0), D(L).Normal(L.zeros(2), 1.0)),
           lambda L: D(L).MixtureSameFamily(D(L).Categorical(L.ones(3)), D(L).Normal(L.zeros(2), 1.0)),
           lambda L: D(L).Normal(L.zeros(2), 1.0).log_prob(L.zeros(3)),
           lambda L: D(L).Dirichlet(L.ones(3)).log_prob(L.ones(2) / 2),
           lambda L: D(L).Distribution(validate_args=False).mode,
           lambda L: D(L).Distribution(validate_args=False).expand((2,))]
    for f in bad:
        errors_alike(f)


def test_submodules_and_utils():
    from jitgrad.distributions import kl, utils
    from jitgrad.distributions.log_normal import LogNormal
    from jitgrad.distributions.normal import Normal
    from jitgrad.distributions.transforms import ExpTransform
    assert LogNormal is jitgrad.distributions.LogNormal and Normal is jitgrad.distributions.Normal
    assert ExpTransform is jitgrad.distributions.ExpTransform and kl.kl_divergence is jitgrad.distributions.kl_divergence
    for name in ("studentT", "relaxed_categorical", "one_hot_categorical", "lowrank_multivariate_normal",
                 "mixture_same_family", "constraint_registry", "constraints", "distribution", "independent"):
        for attr in getattr(torch.distributions, name).__all__ if hasattr(getattr(torch.distributions, name),
                                                                           "__all__") else ():
            assert hasattr(getattr(jitgrad.distributions, name), attr), (name, attr)
    p = np.array([[0.0, 0.25, 0.75], [1.0, 0.5, 1e-9]])
    for binary in (False, True):
        a = torch.distributions.utils.probs_to_logits(torch.tensor(p), binary)
        b = utils.probs_to_logits(jitgrad.tensor(p), binary)
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-12)
        np.testing.assert_allclose(utils.logits_to_probs(b, binary).numpy(),
                                   torch.distributions.utils.logits_to_probs(a, binary).numpy(), rtol=1e-12)
    x, y = utils.broadcast_all(jitgrad.zeros(2, 1, dtype=jitgrad.float64), 3)
    assert x.shape == (2, 1) and y.dtype == jitgrad.float64 and y.shape == (2, 1)
    errors_alike(lambda L: L.distributions.utils.broadcast_all(L.zeros(2), "a"))

    class Thing:
        calls = 0

        @utils.lazy_property
        def value(self):
            Thing.calls += 1
            return 5
    t = Thing()
    assert (t.value, t.value, Thing.calls) == (5, 5, 1)


MAKE = {
    "Bernoulli": lambda L, a, b: D(L).Bernoulli(logits=a),
    "Beta": lambda L, a, b: D(L).Beta(a.exp(), b.exp()),
    "Binomial": lambda L, a, b: D(L).Binomial(5, logits=a),
    "ContinuousBernoulli": lambda L, a, b: D(L).ContinuousBernoulli(logits=a),
    "Exponential": lambda L, a, b: D(L).Exponential(a.exp()),
    "Gamma": lambda L, a, b: D(L).Gamma(a.exp(), b.exp()),
    "Gumbel": lambda L, a, b: D(L).Gumbel(a, b.exp()),
    "Laplace": lambda L, a, b: D(L).Laplace(a, b.exp()),
    "Normal": lambda L, a, b: D(L).Normal(a, b.exp()),
    "Pareto": lambda L, a, b: D(L).Pareto(a.exp(), b.exp() + 2.5),
    "Poisson": lambda L, a, b: D(L).Poisson(a.exp()),
    "Uniform": lambda L, a, b: D(L).Uniform(a.sigmoid() * 0.3, a.sigmoid() * 0.3 + 0.5 + 0.1 * b.sigmoid()),
}
CROSS = sorted((p.__name__, q.__name__) for p, q in torch.distributions.kl._KL_REGISTRY
               if p is not q and p.__name__ in MAKE and q.__name__ in MAKE)


@pytest.mark.parametrize("pair", CROSS, ids=["-".join(p) for p in CROSS])
def test_cross_family_kl(pair):
    """Every pair of different families torch registers (finite forms and +inf) in float64."""
    compare(lambda L, a, b: D(L).kl_divergence(MAKE[pair[0]](L, a, b), MAKE[pair[1]](L, b, a)),
            [RNG.normal(size=3) for _ in range(2)], "float64", tol=(1e-8, 1e-9))


def test_enumerate_support_and_param_shape():
    makers = [lambda L: D(L).Bernoulli(probs=L.full((2, 3), 0.3)), lambda L: D(L).Categorical(logits=L.zeros(2, 4)),
              lambda L: D(L).OneHotCategorical(probs=L.ones(2, 3) / 3), lambda L: D(L).Binomial(3, L.full((2,), 0.5)),
              lambda L: D(L).Independent(D(L).Bernoulli(probs=L.full((2,), 0.5)), 0)]
    for make in makers:
        a, b = make(torch), make(jitgrad)
        assert a.has_enumerate_support == b.has_enumerate_support
        for expand in (True, False):
            x, y = a.enumerate_support(expand), b.enumerate_support(expand)
            assert str(x.dtype)[6:] == str(y.dtype)[8:] and x.tolist() == y.tolist()
        if hasattr(a, "param_shape"):
            assert tuple(a.param_shape) == tuple(b.param_shape)
    errors_alike(lambda L: D(L).Binomial(L.tensor([2.0, 3.0]), L.full((2,), 0.5)).enumerate_support())
    errors_alike(lambda L: D(L).Binomial(L.tensor([2.0, 3.0]), L.full((2,), 0.5)).entropy())
    errors_alike(lambda L: D(L).Independent(D(L).Bernoulli(probs=L.full((2,), 0.5)), 1).enumerate_support())


def test_gamma_and_dirichlet_second_derivatives_refused_as_torch():
    """torch has no derivative of _standard_gamma_grad, and _Dirichlet's backward is
    once-differentiable: differentiating the pathwise gradient again raises, never a silent 0."""
    def gamma_twice(L):
        a = L.tensor([2.0, 3.0], requires_grad=True)
        (g,) = L.autograd.grad(L.distributions.Gamma(a, 1.0).rsample().sum(), [a], create_graph=True)
        return L.autograd.grad(g.sum(), [a])

    def dirichlet_twice(L):
        c = L.tensor([2.0, 3.0], requires_grad=True)
        (g,) = L.autograd.grad(L.distributions.Dirichlet(c).rsample()[0], [c], create_graph=True)
        return L.autograd.grad(g.sum(), [c])
    errors_alike(gamma_twice)
    errors_alike(dirichlet_twice)


def test_modes_of_the_core_families():
    makers = [lambda L: D(L).Dirichlet(L.tensor([[0.5, 0.3, 0.9], [2.0, 3.0, 1.5], [1.0, 1.0, 1.0]])),
              lambda L: D(L).Beta(L.tensor([0.5, 2.0, 1.0]), L.tensor([0.3, 3.0, 1.0])),
              lambda L: D(L).Gamma(L.tensor([0.5, 3.0]), 2.0), lambda L: D(L).OneHotCategorical(L.tensor([0.2, 0.8])),
              lambda L: D(L).Beta(L.tensor([0.5, 2.0]), 3.0).expand((3, 2))]
    for make in makers:
        a, b = make(torch).mode, make(jitgrad).mode
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-6, equal_nan=True)
        assert tuple(a.shape) == tuple(b.shape)
    errors_alike(lambda L: D(L).Beta(-1.0, 1.0))
    errors_alike(lambda L: D(L).Beta(L.tensor([1.0, 2.0]), L.tensor([0.0, 1.0])))


def test_warmup_compiles_the_samplers():
    """`python -m jitgrad warmup` reaches the distributions' jitted samplers."""
    from jitgrad import warmup
    from jitgrad.distributions import gamma_draws
    from jitgrad.functional import count_draws
    warmup._distributions()
    # (the kernels Python calls; what they call is compiled into them)
    for kernel in (gamma_draws._gamma_kernel, count_draws._binomial_kernel):
        assert getattr(kernel, "signatures", [None]), kernel      # (NUMBA_DISABLE_JIT=1: plain functions)


def test_user_subclasses_expand_as_torch():
    """A subclass with its own __init__ must define expand (torch's error); one without inherits it."""
    def make(L, kind):
        class MyNormal(L.distributions.Normal):
            def __init__(self, loc, scale, extra=1):
                self.extra = extra
                super().__init__(loc, scale)

        class Plain(L.distributions.Gamma):
            pass

        class MyLogNormal(L.distributions.LogNormal):
            def __init__(self, loc):
                super().__init__(loc, 1.0)
        return {"MyNormal": lambda: MyNormal(0.0, 1.0), "Plain": lambda: Plain(1.0, 2.0),
                "MyLogNormal": lambda: MyLogNormal(0.0)}[kind]()
    errors_alike(lambda L: make(L, "MyNormal").expand((2,)))
    errors_alike(lambda L: make(L, "MyLogNormal").expand((2,)))
    a, b = (make(L, "Plain").expand((2,)) for L in (torch, jitgrad))
    assert (type(a).__name__, repr(a)) == (type(b).__name__, repr(b).replace("jitgrad", "torch"))
