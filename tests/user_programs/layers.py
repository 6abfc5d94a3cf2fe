import torch
import torch.nn as nn
import numpy as np
rng = np.random.default_rng(7)
def init(m):
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.tensor(rng.normal(size=tuple(p.shape)) * 0.3, dtype=p.dtype))
conv = nn.Conv1d(2, 3, kernel_size=3, padding=1)
init(conv)
x = torch.tensor(rng.normal(size=(1, 2, 5)), dtype=torch.float32, requires_grad=True)
y = conv(x)
y.pow(2).sum().backward()
print(y.shape, x.grad.shape, conv.weight.grad.sum())
emb = nn.Embedding(5, 2)
init(emb)
e = emb(torch.tensor([[0, 3], [3, 4]]))
e.sum().backward()
print(e.shape, emb.weight.grad)
bn = nn.BatchNorm1d(3)
z = bn(torch.tensor(rng.normal(size=(4, 3)), dtype=torch.float32))
print(z.mean(0).abs().max() < 1e-5, bn.running_mean.shape, bn.num_batches_tracked)
ln = nn.LayerNorm(3)
print(ln(torch.tensor([[1.0, 2.0, 4.0]])))
seq = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Dropout(0.0), nn.Linear(3, 1))
init(seq)
print(seq(torch.tensor([[0.5, -0.5]])))
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("scale", torch.tensor(2.0))
        self.w = nn.Parameter(torch.tensor([1.0, 2.0]))
    def forward(self, x):
        return (self.w * x * self.scale).sum()
m = M()
print(list(m.state_dict().keys()), [n for n, _ in m.named_buffers()], m(torch.ones(2)))
print(m)
print(nn.Flatten()(torch.ones(2, 3, 4)).shape, nn.Identity()(torch.ones(1)))
