"""torch.distributions.transforms (the classes live in transform_base.py
and transforms_vector.py)."""
from .transform_base import (AbsTransform, AffineTransform, ComposeTransform, ExpTransform,  # noqa: F401
                             IndependentTransform, PowerTransform, ReshapeTransform, SigmoidTransform,
                             SoftplusTransform, TanhTransform, Transform, _InverseTransform, identity_transform)
from .transforms_vector import (CatTransform, CorrCholeskyTransform, CumulativeDistributionTransform,  # noqa: F401
                                LowerCholeskyTransform, PositiveDefiniteTransform, SoftmaxTransform,
                                StackTransform, StickBreakingTransform)

__all__ = ["AbsTransform", "AffineTransform", "CatTransform", "ComposeTransform", "CorrCholeskyTransform",
           "CumulativeDistributionTransform", "ExpTransform", "IndependentTransform", "LowerCholeskyTransform",
           "PositiveDefiniteTransform", "PowerTransform", "ReshapeTransform", "SigmoidTransform",
           "SoftplusTransform", "TanhTransform", "SoftmaxTransform", "StackTransform", "StickBreakingTransform",
           "Transform", "identity_transform"]

for _cls in (AbsTransform, AffineTransform, ComposeTransform, ExpTransform, IndependentTransform, PowerTransform,
             ReshapeTransform, SigmoidTransform, SoftplusTransform, TanhTransform, Transform, _InverseTransform,
             CatTransform, CorrCholeskyTransform, CumulativeDistributionTransform, LowerCholeskyTransform,
             PositiveDefiniteTransform, SoftmaxTransform, StackTransform, StickBreakingTransform):
    _cls.__module__ = __name__      # (torch's class paths, as its messages print them)
