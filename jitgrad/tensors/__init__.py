"""The Tensor class (tensor.py), its arithmetic and recording (arith.py), its
operators (operators.py), its constructor (construct.py), indexing and views
(indexing.py, keys planned in index_keys.py; views.py), printing.
Importing the package attaches the operators and the constructor to Tensor."""
from . import autograd_methods  # noqa: F401  (first: the Tensor's autograd methods)
from . import arith, construct, indexing, operators  # noqa: F401
