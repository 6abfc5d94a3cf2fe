"""torch.utils.dlpack: from_dlpack / to_dlpack (jitgrad.functional.dlpack)."""
from ..functional.dlpack import from_dlpack, to_dlpack  # noqa: F401
