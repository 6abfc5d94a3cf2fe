import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint, checkpoint_sequential

torch.manual_seed(0)
calls = {"n": 0}
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)
    def forward(self, x):
        calls["n"] += 1
        return torch.tanh(self.lin(x))

blocks = nn.Sequential(*[Block() for _ in range(3)])
x = torch.randn(2, 4, requires_grad=True)
h = x
for b in blocks:
    h = checkpoint(b, h, use_reentrant=False)
print(calls["n"])
h.sum().backward()
print(calls["n"])
numeric(x.grad)
g1 = x.grad.clone()
x.grad = None
calls["n"] = 0
out = checkpoint_sequential(blocks, 2, x, use_reentrant=False)
out.sum().backward()
print(calls["n"], torch.allclose(g1, x.grad))
