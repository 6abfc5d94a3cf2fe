"""torch.distributions: the families, transforms, constraints and their
registry, and kl_divergence, with torch's formulas (so gradients follow by
composition), draws, argument and support validation and messages. The
submodules torch users import by path (`torch.distributions.normal`,
`...transforms`, `...kl`, `...utils`) are registered in `_submodules.py`."""
from . import constraints, transforms, utils  # noqa: F401
from .constraint_registry import biject_to, transform_to  # noqa: F401
from .continuous import (Cauchy, GeneralizedPareto, Gumbel, HalfCauchy, HalfNormal, Kumaraswamy,  # noqa: F401
                         LogisticNormal, LogNormal, Pareto, Weibull)
from .discrete import Binomial, Dirichlet, OneHotCategorical, OneHotCategoricalStraightThrough  # noqa: F401
from .discrete_more import Geometric, Multinomial, NegativeBinomial  # noqa: F401
from .distribution import Distribution  # noqa: F401
from .exp_family import ExponentialFamily  # noqa: F401
from .families import Bernoulli, Categorical, Normal, Uniform  # noqa: F401
from .gamma_family import Chi2, FisherSnedecor, InverseGamma, StudentT  # noqa: F401
from .kl import kl_divergence, register_kl  # noqa: F401
from . import kl_cross  # noqa: F401,E402  (registers the cross-family pairs)
from .mixture import LowRankMultivariateNormal, MixtureSameFamily  # noqa: F401
from .more_families import Exponential, Independent, Laplace  # noqa: F401
from .multivariate import Beta, Gamma, MultivariateNormal, Poisson  # noqa: F401
from .relaxed import ContinuousBernoulli, RelaxedBernoulli, RelaxedOneHotCategorical  # noqa: F401
from .transformed_distribution import TransformedDistribution  # noqa: F401
from .von_mises import LKJCholesky, VonMises  # noqa: F401
from .wishart import Wishart  # noqa: F401
from .transforms import *  # noqa: F401,F403
from . import _submodules  # noqa: F401,E402

# ruff: noqa: F405  (the transforms' names come from the star import above)
# `from torch.distributions import *` gives the distributions, transforms and
# kl functions only (not submodules such as `constraints` or `transforms`)
__all__ = [
    "AbsTransform", "AffineTransform", "Bernoulli", "Beta", "Binomial", "CatTransform", "Categorical", "Cauchy",
    "Chi2", "ComposeTransform", "ContinuousBernoulli", "CorrCholeskyTransform", "CumulativeDistributionTransform",
    "Dirichlet", "Distribution", "ExpTransform", "Exponential", "ExponentialFamily", "FisherSnedecor", "Gamma",
    "GeneralizedPareto", "Geometric", "Gumbel", "HalfCauchy", "HalfNormal", "Independent", "IndependentTransform",
    "InverseGamma", "Kumaraswamy", "LKJCholesky", "Laplace", "LogNormal", "LogisticNormal",
    "LowRankMultivariateNormal", "LowerCholeskyTransform", "MixtureSameFamily", "Multinomial",
    "MultivariateNormal", "NegativeBinomial", "Normal", "OneHotCategorical", "OneHotCategoricalStraightThrough",
    "Pareto", "Poisson", "PositiveDefiniteTransform", "PowerTransform", "RelaxedBernoulli",
    "RelaxedOneHotCategorical", "ReshapeTransform", "SigmoidTransform", "SoftmaxTransform", "SoftplusTransform",
    "StackTransform", "StickBreakingTransform", "StudentT", "TanhTransform", "Transform", "TransformedDistribution",
    "Uniform", "VonMises", "Weibull", "Wishart", "biject_to", "identity_transform", "kl_divergence", "register_kl",
    "transform_to",
]
