"""torch.nn.utils.convert_parameters: parameters_to_vector / vector_to_parameters
where torch keeps them (they live in clip_grad.py)."""
from .clip_grad import parameters_to_vector, vector_to_parameters  # noqa: F401
