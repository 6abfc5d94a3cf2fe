"""torch.distributions, the common core: Normal, Uniform, Bernoulli,
Categorical, Exponential, Laplace, Independent (log_prob, entropy, cdf / icdf, mean / variance, sample /
rsample from jitgrad's generator) and kl_divergence between two of a kind,
with torch's formulas (so gradients follow by composition), argument and
support validation and messages."""
from .distribution import Distribution, constraints  # noqa: F401
from .families import Bernoulli, Categorical, Normal, Uniform, kl_divergence  # noqa: F401
from .more_families import Exponential, Independent, Laplace  # noqa: F401
from .multivariate import Beta, Gamma, MultivariateNormal, Poisson  # noqa: F401
from .discrete import Binomial, Dirichlet, OneHotCategorical  # noqa: F401
