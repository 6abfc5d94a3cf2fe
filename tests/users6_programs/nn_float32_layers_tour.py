import torch
from torch import nn
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(2, 3, 8)
conv = nn.Conv1d(3, 4, kernel_size=3, padding=1)
bn = nn.BatchNorm1d(4)
ln = nn.LayerNorm(8)
y = ln(bn(conv(x)).relu())
print(y.shape, y.dtype, y.grad_fn.name())
print(y[0, 0])
y.pow(2).mean().backward()
print(conv.weight.grad.abs().sum() > 0, ln.weight.grad.shape)
# %%
emb = nn.Embedding(10, 4, padding_idx=0)
idx = torch.tensor([[0, 2, 5], [7, 0, 1]])
e = emb(idx)
print(e[0, 0], e.shape)
e.sum().backward()
print(emb.weight.grad[0], emb.weight.grad[2])
# %%
gru = nn.GRU(4, 3, batch_first=True)
out, h = gru(torch.randn(2, 5, 4))
print(out.shape, h.shape, out.grad_fn.name())
print(F.gelu(torch.tensor([-1.0, 0.0, 1.0])), F.gelu(torch.tensor([-1.0, 0.0, 1.0]), approximate="tanh"))
print(F.silu(torch.tensor([-2.0, 0.5])), F.mish(torch.tensor([-2.0, 0.5])), F.hardswish(torch.tensor([-2.0, 0.5])))
