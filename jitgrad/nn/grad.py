"""torch.nn.grad: a convolution's gradient with respect to its input or its
weight, given the gradient of its output (custom Functions write their
backward with them, as torch's conv + batch-norm fusion tutorial does): the
vector-Jacobian product of jitgrad's convolution, through autograd."""
from __future__ import annotations

from typing import Callable, Sequence

from ..autograd.api import grad as _grad
from ..core.grad_mode import STATE, enable_grad
from ..functional import functions as F
from ..tensors.tensor import Tensor
from . import functional as NF
from .modules.utils import _pair, _single, _triple  # noqa: F401  (torch.nn.grad has them)


def _vjp(conv: Callable, x: Tensor, w: Tensor, grad_output: Tensor, of_input: bool, stride, padding, dilation,
         groups) -> Tensor:
    """d(conv(x, w)) / d(x or w) applied to grad_output; the conv is linear in
    each, so the other's values alone matter (the differentiated one is zeros)."""
    create = STATE.grad_enabled and (grad_output.requires_grad or (x if not of_input else w).requires_grad)
    with enable_grad():
        if of_input:
            x = F.zeros(x, dtype=w.dtype).requires_grad_()
            wrt = x
        else:
            w = F.zeros(w, dtype=x.dtype).requires_grad_()
            wrt = w
        out = conv(x, w, None, stride, padding, dilation, groups)
        return _grad(out, wrt, grad_output, create_graph=create)[0]


def conv1d_input(input_size: Sequence[int], weight: Tensor, grad_output: Tensor, stride=1, padding=0, dilation=1,
                 groups=1) -> Tensor:
    return _vjp(NF.conv1d, input_size, weight, grad_output, True, stride, padding, dilation, groups)


def conv1d_weight(input: Tensor, weight_size: Sequence[int], grad_output: Tensor, stride=1, padding=0, dilation=1,
                  groups=1) -> Tensor:
    return _vjp(NF.conv1d, input, weight_size, grad_output, False, stride, padding, dilation, groups)


def conv2d_input(input_size: Sequence[int], weight: Tensor, grad_output: Tensor, stride=1, padding=0, dilation=1,
                 groups=1) -> Tensor:
    return _vjp(NF.conv2d, input_size, weight, grad_output, True, stride, padding, dilation, groups)


def conv2d_weight(input: Tensor, weight_size: Sequence[int], grad_output: Tensor, stride=1, padding=0, dilation=1,
                  groups=1) -> Tensor:
    return _vjp(NF.conv2d, input, weight_size, grad_output, False, stride, padding, dilation, groups)


def conv3d_input(input_size: Sequence[int], weight: Tensor, grad_output: Tensor, stride=1, padding=0, dilation=1,
                 groups=1) -> Tensor:
    return _vjp(NF.conv3d, input_size, weight, grad_output, True, stride, padding, dilation, groups)


def conv3d_weight(input: Tensor, weight_size: Sequence[int], grad_output: Tensor, stride=1, padding=0, dilation=1,
                  groups=1) -> Tensor:
    return _vjp(NF.conv3d, input, weight_size, grad_output, False, stride, padding, dilation, groups)
