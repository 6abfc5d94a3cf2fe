"""jitgrad.optim: PyTorch's optimizers and learning-rate schedulers."""
from . import lr_scheduler  # noqa: F401
from .adam import Adam, AdamW  # noqa: F401
from .adam_variants import Adadelta, Adamax, NAdam, RAdam  # noqa: F401
from .lbfgs import LBFGS  # noqa: F401
from .optimizer import Optimizer  # noqa: F401
from .rmsprop import Adagrad, RMSprop  # noqa: F401
from .sgd import SGD  # noqa: F401
from .asgd_rprop import ASGD, Rprop  # noqa: F401
from .adafactor import Adafactor, SparseAdam  # noqa: F401
from . import swa_utils  # noqa: F401
