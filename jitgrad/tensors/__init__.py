"""The Tensor class (tensor.py), its arithmetic and recording (arith.py), its
constructor (construct.py), indexing and views (indexing.py), printing.
Importing the package attaches the operators and the constructor to Tensor."""
from . import arith, construct, indexing  # noqa: F401
