"""nn.utils.parametrizations: weight_norm as a parametrization."""
from .weight_norm import parametrized_weight_norm as weight_norm  # noqa: F401

__all__ = ["weight_norm"]
