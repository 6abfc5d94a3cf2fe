"""torch.autograd.anomaly_mode: the anomaly-detection context managers (autograd/api.py)."""
from .api import detect_anomaly, set_detect_anomaly  # noqa: F401

__all__ = ["detect_anomaly", "set_detect_anomaly"]
