"""The nn module classes (PyTorch's torch.nn.modules)."""
from .module import Module  # noqa: F401
from .container import Container, ModuleDict, ModuleList, Sequential  # noqa: F401
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
from .conv_more import (AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d, AdaptiveMaxPool1d,  # noqa: F401
                        AdaptiveMaxPool2d, AdaptiveMaxPool3d, AvgPool3d, Conv3d, ConvTranspose1d, ConvTranspose2d,
                        ConvTranspose3d, Fold, LPPool1d, LPPool2d, LPPool3d,
                        MaxPool3d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d, Unfold)
from .norm_more import (BatchNorm3d, GroupNorm, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d,  # noqa: F401
                        LocalResponseNorm, RMSNorm)
from .misc_more import (AlphaDropout, ChannelShuffle, CircularPad3d, ConstantPad3d, Dropout1d, Dropout2d,  # noqa: F401
                        Dropout3d, EmbeddingBag, FeatureAlphaDropout, PixelShuffle, PixelUnshuffle, ReflectionPad3d,
                        ReplicationPad3d, RReLU, Softmax2d, Upsample, UpsamplingBilinear2d, UpsamplingNearest2d,
                        ZeroPad3d)
from .transformer import (MultiheadAttention, Transformer, TransformerDecoder, TransformerDecoderLayer,  # noqa: F401
                          TransformerEncoder, TransformerEncoderLayer)
from .lazy import (LazyBatchNorm1d, LazyBatchNorm2d, LazyBatchNorm3d, LazyConv1d, LazyConv2d,  # noqa: F401,E402
                   LazyConv3d, LazyConvTranspose1d, LazyConvTranspose2d, LazyConvTranspose3d, LazyInstanceNorm1d,
                   LazyInstanceNorm2d, LazyInstanceNorm3d, LazyLinear)
