"""torch.distributions' per-family module paths (`from
torch.distributions.normal import Normal`, `torch.distributions.gamma.Gamma`):
module objects registered in sys.modules under jitgrad.distributions.<name>,
each holding the names torch's module of that name exports."""
from __future__ import annotations

import sys
import types

from . import continuous, discrete, discrete_more, distribution, families, gamma_family, mixture, more_families
from . import constraint_registry, exp_family, multivariate, relaxed, transformed_distribution, von_mises

_MODULES = {
    "bernoulli": (families, ["Bernoulli"]), "beta": (multivariate, ["Beta"]), "binomial": (discrete, ["Binomial"]),
    "categorical": (families, ["Categorical"]), "cauchy": (continuous, ["Cauchy"]),
    "chi2": (gamma_family, ["Chi2"]), "continuous_bernoulli": (relaxed, ["ContinuousBernoulli"]),
    "dirichlet": (discrete, ["Dirichlet"]), "distribution": (distribution, ["Distribution"]),
    "exponential": (more_families, ["Exponential"]), "fishersnedecor": (gamma_family, ["FisherSnedecor"]),
    "gamma": (multivariate, ["Gamma"]), "generalized_pareto": (continuous, ["GeneralizedPareto"]),
    "geometric": (discrete_more, ["Geometric"]), "gumbel": (continuous, ["Gumbel"]),
    "half_cauchy": (continuous, ["HalfCauchy"]), "half_normal": (continuous, ["HalfNormal"]),
    "independent": (more_families, ["Independent"]), "inverse_gamma": (gamma_family, ["InverseGamma"]),
    "kumaraswamy": (continuous, ["Kumaraswamy"]), "laplace": (more_families, ["Laplace"]),
    "log_normal": (continuous, ["LogNormal"]), "logistic_normal": (continuous, ["LogisticNormal"]),
    "lowrank_multivariate_normal": (mixture, ["LowRankMultivariateNormal"]),
    "mixture_same_family": (mixture, ["MixtureSameFamily"]), "multinomial": (discrete_more, ["Multinomial"]),
    "multivariate_normal": (multivariate, ["MultivariateNormal"]),
    "negative_binomial": (discrete_more, ["NegativeBinomial"]), "normal": (families, ["Normal"]),
    "one_hot_categorical": (discrete, ["OneHotCategorical", "OneHotCategoricalStraightThrough"]), "pareto": (continuous, ["Pareto"]),
    "poisson": (multivariate, ["Poisson"]),
    "relaxed_bernoulli": (relaxed, ["LogitRelaxedBernoulli", "RelaxedBernoulli"]),
    "relaxed_categorical": (relaxed, ["ExpRelaxedCategorical", "RelaxedOneHotCategorical"]),
    "studentT": (gamma_family, ["StudentT"]),
    "transformed_distribution": (transformed_distribution, ["TransformedDistribution"]),
    "uniform": (families, ["Uniform"]), "lkj_cholesky": (von_mises, ["LKJCholesky"]),
    "exp_family": (exp_family, ["ExponentialFamily"]), "constraint_registry": (constraint_registry, ["ConstraintRegistry",
                                                                                    "biject_to", "transform_to"]), "weibull": (continuous, ["Weibull"]),
}

_package = sys.modules[__name__.rsplit(".", 1)[0]]
for _name, (_source, _names) in _MODULES.items():
    if f"{_package.__name__}.{_name}" in sys.modules:
        continue            # (a real module of that name: distribution, transformed_distribution)
    _module = types.ModuleType(f"{_package.__name__}.{_name}")
    _module.__all__ = list(_names)
    for _n in _names:
        setattr(_module, _n, getattr(_source, _n))
        getattr(_source, _n).__module__ = _module.__name__     # (torch's class path, as messages print it)
    sys.modules[_module.__name__] = _module
    setattr(_package, _name, _module)
