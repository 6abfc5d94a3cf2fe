"""torch.utils.hooks: RemovableHandle, what every register_*hook returns
(tensor, node and module hook handles share it as their base)."""
from ..tensors.attributes import RemovableHandle

__all__ = ["RemovableHandle"]
