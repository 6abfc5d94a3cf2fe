"""nn.utils.parametrizations: orthogonal, weight_norm and spectral_norm as parametrizations."""
from .orthogonal import orthogonal  # noqa: F401
from .spectral_norm import spectral_norm  # noqa: F401
from .weight_norm import parametrized_weight_norm as weight_norm  # noqa: F401

__all__ = ["orthogonal", "spectral_norm", "weight_norm"]
