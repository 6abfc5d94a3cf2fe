"""torch.distributions: the families, transforms, constraints and their
registry, and kl_divergence, with torch's formulas (so gradients follow by
composition), draws, argument and support validation and messages."""
from . import constraints  # noqa: F401
from .distribution import Distribution  # noqa: F401
from .families import Bernoulli, Categorical, Normal, Uniform, kl_divergence  # noqa: F401
from .more_families import Exponential, Independent, Laplace  # noqa: F401
from .multivariate import Beta, Gamma, MultivariateNormal, Poisson  # noqa: F401
from .discrete import Binomial, Dirichlet, OneHotCategorical  # noqa: F401
from . import transforms  # noqa: F401
from .constraint_registry import biject_to, transform_to  # noqa: F401
from .transformed_distribution import TransformedDistribution  # noqa: F401
from .transforms import *  # noqa: F401,F403
