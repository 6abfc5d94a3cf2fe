"""torch.utils.data._utils: collate and worker helpers."""
from . import collate, worker  # noqa: F401
