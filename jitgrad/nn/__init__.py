"""jitgrad.nn: modules, parameters, initialisers and the functional API."""
from . import functional  # noqa: F401
from ..functional import arg_types as _arg_types
_arg_types.install_functions(functional.__dict__, _arg_types.NN_FUNCTIONS)     # torch's parser TypeErrors
from . import grad  # noqa: F401
from . import init  # noqa: F401
from . import utils  # noqa: F401
from .parameter import Buffer, Parameter, UninitializedBuffer, UninitializedParameter  # noqa: F401
from .modules import *  # noqa: F401,F403
