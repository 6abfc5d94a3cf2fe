"""ChannelShuffle (torch.nn.modules.channelshuffle)."""
from __future__ import annotations

from ...tensors.tensor import Tensor
from .. import functional as NF
from .module import Module


class ChannelShuffle(Module):
    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, input: Tensor) -> Tensor:
        return NF.channel_shuffle(input, self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"
