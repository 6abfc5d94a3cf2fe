"""torch.utils.benchmark.utils: where torch's Timer and Measurement live (their reprs name these modules)."""
