"""nn.RNN, nn.LSTM, nn.GRU and their cells with torch's parameters (names,
shapes, order, uniform(-1/sqrt(hidden), 1/sqrt(hidden)) initialisation),
arguments (num_layers, bias, batch_first, dropout, bidirectional, unbatched
input), gate equations and reprs. A step is recorded ops (matmuls and
elementwise), so gradients of any order come by composition; the input
projection of a whole sequence is one matmul per layer and direction."""
from __future__ import annotations

import math
import warnings

from ...autograd import forward_ad
from ...core import dtypes as D
from ...core.warn import warn_once
from ...functional import functions as F
from ...tensors.tensor import Tensor
from .. import bulk_ops
from .. import functional as NF
from .. import init
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from .module import Module
from .rnn_packed import run_packed

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _linear(x: Tensor, w: Tensor, b: Tensor | None) -> Tensor:
    out = F.matmul(x, bulk_ops.t(w))     # (a weight's transpose: one record per tape)
    return out if b is None else out + b


def _cell(mode: str, gx: Tensor, h: Tensor, c: Tensor | None, w_hh: Tensor, b_hh: Tensor | None,
          w_hr: Tensor | None = None):
    """One step: gx is the input's projection (W_ih x + b_ih); returns (h', c')
    (an LSTM with proj_size: h' projected by W_hr)."""
    gh = _linear(h, w_hh, b_hh)
    if mode == "LSTM":
        i, f, g, o = F.chunk(gx + gh, 4, -1)
        c = F.sigmoid(f) * c + F.sigmoid(i) * F.tanh(g)
        h = F.sigmoid(o) * F.tanh(c)
        return (h if w_hr is None else _linear(h, w_hr, None)), c
    if mode == "GRU":
        xr, xz, xn = F.chunk(gx, 3, -1)
        hr, hz, hn = F.chunk(gh, 3, -1)
        r = F.sigmoid(xr + hr)
        z = F.sigmoid(xz + hz)
        n = F.tanh(xn + hn * r)
        return (h - n) * z + n, None       # (torch's CPU gru_cell: its rounding)
    pre = gx + gh
    return (F.tanh(pre) if mode == "RNN_TANH" else F.relu(pre)), None


class RNNBase(Module):
    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None) -> None:
        super().__init__()
        # (torch's checks, in its order)
        if not isinstance(dropout, (int, float)) or not 0 <= dropout <= 1 or isinstance(dropout, bool):
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and "
                          f"num_layers={num_layers}", stacklevel=2)     # (into the subclass: library code, as torch)
        for what, v in (("bias", bias), ("batch_first", batch_first)):
            if not isinstance(v, bool):
                raise TypeError(f"{what} should be of type bool, got: {type(v).__name__}")
        for what, v in (("input_size", input_size), ("hidden_size", hidden_size)):
            if not isinstance(v, int):
                raise TypeError(f"{what} should be of type int, got: {type(v).__name__}")
            if v <= 0:
                raise ValueError(f"{what} must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, proj_size
        dt = dtype or D.get_default_dtype()
        gate = _GATES[mode] * hidden_size
        directions = 2 if bidirectional else 1
        real_hidden = proj_size or hidden_size      # (the state h an LSTM with projections carries)
        self._flat_weights_names = []
        for layer in range(num_layers):
            for d in range(directions):
                suffix = f"_l{layer}" + ("_reverse" if d else "")
                layer_in = input_size if layer == 0 else real_hidden * directions
                shapes = [("weight_ih", (gate, layer_in)), ("weight_hh", (gate, real_hidden))]
                if bias:
                    shapes += [("bias_ih", (gate,)), ("bias_hh", (gate,))]
                if proj_size:
                    shapes.append(("weight_hr", (proj_size, hidden_size)))
                for name, shape in shapes:
                    setattr(self, name + suffix, Parameter(F.empty(*shape, dtype=dt)))
                    self._flat_weights_names.append(name + suffix)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    @property
    def all_weights(self) -> list:
        per = (4 if self.bias else 2) + (1 if self.proj_size else 0)
        names = self._flat_weights_names
        return [[getattr(self, n) for n in names[i:i + per]] for i in range(0, len(names), per)]

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    def _run(self, input: Tensor, hx, lengths=None):
        """lengths (a packed sequence's, sorted): input is (T, N, *) padded; each
        sample's state stops at its length (torch's packed semantics)."""
        if isinstance(input, PackedSequence):
            return run_packed(self, input, hx)
        if input.ndim not in (2, 3):
            raise ValueError(f"{type(self).__name__}: Expected input to be 2D or 3D, got {input.ndim}D instead")
        w = self.weight_ih_l0
        if input.dtype is not w.dtype:       # (torch's check_input)
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype ({w.dtype}). Convert input: "
                             f"input.to({w.dtype}), or convert model: model.to({input.dtype})")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got "
                               f"{input.shape[-1]}")
        batched = input.ndim == 3
        x = input
        if not batched:
            x = F.unsqueeze(x, 1)
        elif self.batch_first and lengths is None:
            x = F.transpose(x, 0, 1)
        if x.shape[0] == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        masks = None if lengths is None else [F.tensor((lengths > t)[:, None]) for t in range(x.shape[0])]
        directions = 2 if self.bidirectional else 1
        n, h_size = x.shape[1], self.proj_size or self.hidden_size
        lstm = self.mode == "LSTM"
        h0 = c0 = None
        if hx is not None:
            h0, c0 = (hx[0], hx[1]) if lstm else (hx, None)
            if not batched:
                h0 = F.unsqueeze(h0, 1)
                c0 = F.unsqueeze(c0, 1) if c0 is not None else None
            expected = (self.num_layers * directions, n, h_size)
            if tuple(h0.shape) != expected:
                what = "hidden[0]" if lstm else "hidden"
                raise RuntimeError(f"Expected {what} size {expected}, got {list(h0.shape)}")
            expected = (self.num_layers * directions, n, self.hidden_size)
            if lstm and tuple(c0.shape) != expected:
                raise RuntimeError(f"Expected hidden[1] size {expected}, got {list(c0.shape)}")
        zeros = F.zeros(n, h_size, dtype=x.dtype)
        c_zeros = F.zeros(n, self.hidden_size, dtype=x.dtype) if self.proj_size else zeros
        h_last, c_last = [], []
        for layer in range(self.num_layers):
            outs = []
            for d in range(directions):
                suffix = f"_l{layer}" + ("_reverse" if d else "")
                w_ih, w_hh = getattr(self, "weight_ih" + suffix), getattr(self, "weight_hh" + suffix)
                b_ih = getattr(self, "bias_ih" + suffix) if self.bias else None
                b_hh = getattr(self, "bias_hh" + suffix) if self.bias else None
                k = layer * directions + d
                h = h0[k] if h0 is not None else zeros
                c = (c0[k] if c0 is not None else c_zeros) if lstm else None
                w_hr = getattr(self, "weight_hr" + suffix) if self.proj_size else None
                gx = _linear(x, w_ih, b_ih)            # every step's input projection at once
                steps = range(x.shape[0] - 1, -1, -1) if d else range(x.shape[0])
                seq: list = [None] * x.shape[0]
                for t in steps:
                    h_new, c_new = _cell(self.mode, gx[t], h, c, w_hh, b_hh, w_hr)
                    if masks is not None:     # samples already ended keep their state
                        h_new = F.where(masks[t], h_new, h)
                        c_new = F.where(masks[t], c_new, c) if lstm else None
                    h, c = h_new, c_new
                    seq[t] = h
                outs.append(F.stack(seq, 0))
                h_last.append(h)
                if lstm:
                    c_last.append(c)
            x = outs[0] if directions == 1 else F.cat(outs, 2)
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = NF.dropout(x, self.dropout, True)
        h_n = F.stack(h_last, 0)
        c_n = F.stack(c_last, 0) if lstm else None
        if not batched:
            x, h_n = F.squeeze(x, 1), F.squeeze(h_n, 1)
            c_n = F.squeeze(c_n, 1) if lstm else None
        elif self.batch_first and lengths is None:
            # (torch's LSTM transposes its result, RNN and GRU their stacked steps' view)
            x = F._named(F.transpose(x, 0, 1), "TransposeBackward0" if lstm else "TransposeBackward1")
        return x, (h_n, c_n) if lstm else h_n


class RNN(RNNBase):
    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device=None, dtype=None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size, hidden_size, num_layers,
                         bias, batch_first, dropout, bidirectional, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None):
        return self._run(input, hx)


class LSTM(RNNBase):
    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple | None = None):
        if forward_ad._LEVELS:
            _no_forward_ad(self, input, hx)
        if self.proj_size and isinstance(input, Tensor) and input.dtype is D.float32:
            # (torch's float32 LSTM tries oneDNN first; the warning points into torch's rnn.py)
            warn_once("LSTM with projections is not supported with oneDNN. Using default implementation. "
                      "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/RNN.cpp:1512.)",
                      stacklevel=2)
        return self._run(input, hx)


_MKLDNN_RNN_MSG = ("Trying to use forward AD with mkldnn_rnn_layer that does not support it because it has not been "
                   "implemented yet.\nPlease file an issue to PyTorch at https://github.com/pytorch/pytorch/issues/new"
                   "?template=feature-request.yml so that we can prioritize its implementation or submit a PR adding "
                   "the implementation to derivatives.yaml")


def _no_forward_ad(lstm, input, hx):
    """torch's float32 LSTM on CPU runs mkldnn's kernel, which has no forward-mode derivative."""
    tensors = [input, *(hx if isinstance(hx, tuple) else ())] + list(lstm.parameters())
    if getattr(input, "dtype", None) is D.float32 and any(forward_ad.has_tangent(t) for t in tensors):
        raise NotImplementedError(_MKLDNN_RNN_MSG)


class GRU(RNNBase):
    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device=None, dtype=None) -> None:
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None):
        return self._run(input, hx)


class RNNCellBase(Module):
    _mode = "RNN_TANH"

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int, device=None,
                 dtype=None) -> None:
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        dt = dtype or D.get_default_dtype()
        self.weight_ih = Parameter(F.empty(num_chunks * hidden_size, input_size, dtype=dt))
        self.weight_hh = Parameter(F.empty(num_chunks * hidden_size, hidden_size, dtype=dt))
        if bias:
            self.bias_ih = Parameter(F.empty(num_chunks * hidden_size, dtype=dt))
            self.bias_hh = Parameter(F.empty(num_chunks * hidden_size, dtype=dt))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    reset_parameters = RNNBase.reset_parameters

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        nonlinearity = getattr(self, "nonlinearity", "tanh")
        if nonlinearity != "tanh":
            s += f", nonlinearity={nonlinearity}"
        return s

    def _step(self, input: Tensor, hx):
        if input.ndim not in (1, 2):
            raise ValueError(f"{type(self).__name__}: Expected input to be 1D or 2D, got {input.ndim}D instead")
        batched = input.ndim == 2
        x = input if batched else F.unsqueeze(input, 0)
        lstm = self._mode == "LSTM"
        if hx is None:
            zeros = F.zeros(x.shape[0], self.hidden_size, dtype=x.dtype)
            h, c = zeros, (zeros if lstm else None)
        else:
            if lstm and batched:    # (torch hands a batched hx to lstm_cell as it is)
                if isinstance(hx, Tensor):
                    raise TypeError("lstm_cell(): argument 'hx' (position 2) must be tuple of Tensors, not Tensor")
                if len(hx) != 2:
                    raise RuntimeError("lstm_cell expects two hidden states")
            h, c = (hx[0], hx[1]) if lstm else (hx, None)
            if not batched:
                h = F.unsqueeze(h, 0)
                c = F.unsqueeze(c, 0) if lstm else None
        self._check_cell_args(x, h, c)
        h, c = _cell(self._mode, _linear(x, self.weight_ih, self.bias_ih), h, c, self.weight_hh, self.bias_hh)
        if not batched:
            h = F.squeeze(h, 0)
            c = F.squeeze(c, 0) if lstm else None
        return (h, c) if lstm else h


    def _check_cell_args(self, x: Tensor, h: Tensor, c) -> None:
        """torch's cell checks (check_rnn_cell_forward_input / _hidden), in its order."""
        if x.shape[1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {x.shape[1]} expected {self.input_size}")
        for label, state in ((0, h), (1, c)) if c is not None else ((0, h),):
            if x.shape[0] != state.shape[0]:
                raise RuntimeError(f"Input batch size {x.shape[0]} doesn't match hidden{label} batch size "
                                   f"{state.shape[0]}")
            if state.shape[1] != self.hidden_size:
                raise RuntimeError(f"hidden{label} has inconsistent hidden_size: got {state.shape[1]}, expected "
                                   f"{self.hidden_size}")


class RNNCell(RNNCellBase):
    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device=None, dtype=None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {nonlinearity}")
        super().__init__(input_size, hidden_size, bias, 1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity
        self._mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        return self._step(input, hx)


class LSTMCell(RNNCellBase):
    _mode = "LSTM"

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, 4, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple | None = None):
        return self._step(input, hx)


class GRUCell(RNNCellBase):
    _mode = "GRU"

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, 3, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        return self._step(input, hx)
