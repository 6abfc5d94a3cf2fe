"""torch.version: jitgrad's version; no CUDA, HIP or XPU build (None, as a CPU torch's)."""
from . import __version__  # noqa: F401

debug = False
cuda = None
hip = None
xpu = None
rocm = None
git_version = "Unknown"

__all__ = ["__version__", "debug", "cuda", "hip", "xpu", "rocm", "git_version"]
