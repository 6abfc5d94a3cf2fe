import torch
from torch import nn
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(1, 1, 6, 6, requires_grad=True)
out, idx = F.max_pool2d(x, 2, return_indices=True)
print(out.shape, idx)
rec = F.max_unpool2d(out, idx, 2)
print(rec.shape, (rec != 0).sum().item())
rec.sum().backward()
print(x.grad.sum(), (x.grad != 0).sum())
# %%
x1 = torch.tensor([[[1.0, 3.0, 2.0, 3.0, 0.0, 5.0, 5.0]]], requires_grad=True)
o, i = F.max_pool1d(x1, 3, stride=2, return_indices=True)
print(o, i)
o.sum().backward()
print(x1.grad)
o2 = F.max_pool1d(x1, 2, stride=1, padding=1, dilation=1)
print(o2)
print(F.avg_pool1d(x1, 3, stride=2, ceil_mode=True), F.lp_pool1d(x1, 2, 3))
# %%
pool = nn.MaxPool2d(3, stride=2, padding=1, return_indices=True)
unpool = nn.MaxUnpool2d(3, stride=2, padding=1)
inp = torch.arange(25.0).reshape(1, 1, 5, 5)
o, i = pool(inp)
print(o, i)
print(unpool(o, i, output_size=inp.size()))
print(pool, unpool)
