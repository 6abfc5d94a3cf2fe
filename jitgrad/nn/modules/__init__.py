"""The nn module classes (PyTorch's torch.nn.modules)."""
from .module import Module  # noqa: F401
from .container import ModuleDict, ModuleList, Sequential  # noqa: F401
from .paramcontainer import ParameterDict, ParameterList  # noqa: F401
from .linear import Bilinear, Identity, Linear  # noqa: F401
from .activation import (ELU, GELU, Hardtanh, LeakyReLU, LogSigmoid, LogSoftmax, ReLU, ReLU6, SiLU,  # noqa: F401
                         Sigmoid, Softmax, Softmin, Softplus, Softsign, Tanh)
from .loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, KLDivLoss, L1Loss, MSELoss,  # noqa: F401
                   NLLLoss, SmoothL1Loss)
from .layers import (BatchNorm1d, BatchNorm2d, Dropout, Embedding, Flatten, LayerNorm,  # noqa: F401
                     Unflatten)
from .conv import AvgPool1d, AvgPool2d, Conv1d, Conv2d, MaxPool1d, MaxPool2d  # noqa: F401
from .padding import (CircularPad1d, CircularPad2d, ConstantPad1d, ConstantPad2d, CosineSimilarity,  # noqa: F401
                      ReflectionPad1d, ReflectionPad2d, ReplicationPad1d, ReplicationPad2d, ZeroPad1d, ZeroPad2d)
from .activation_more import (CELU, GLU, GaussianNLLLoss, Hardshrink, Hardsigmoid, Hardswish, Mish,  # noqa: F401
                              PairwiseDistance, PoissonNLLLoss, PReLU, SELU, Softshrink, Tanhshrink, Threshold)
from .rnn import GRU, GRUCell, LSTM, LSTMCell, RNN, RNNBase, RNNCell, RNNCellBase  # noqa: F401
from .loss_more import (CTCLoss, CosineEmbeddingLoss, HingeEmbeddingLoss, MarginRankingLoss, MultiLabelMarginLoss,  # noqa: F401
                        MultiLabelSoftMarginLoss, MultiMarginLoss, NLLLoss2d, SoftMarginLoss, TripletMarginLoss,
                        TripletMarginWithDistanceLoss)
from .adaptive import AdaptiveLogSoftmaxWithLoss  # noqa: F401
from .lazy import LazyLinear  # noqa: F401
