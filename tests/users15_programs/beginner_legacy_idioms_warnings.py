import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(2, 3)
s = F.softmax(x)
print(s.sum(1))
ls = F.log_softmax(x)
print(ls.shape)
t = torch.tensor(x)
print(t.shape)
r = torch.range(0, 4)
print(r, r.dtype)
# %%
loss = (x ** 2).sum()
try:
    loss.data[0]
except IndexError as e:
    print(e)
try:
    loss[0]
except IndexError as e:
    print(e)
print(loss.data.item() == loss.item(), type(loss.tolist()))
w = torch.ones(3, requires_grad=True)
w.data -= 0.5
print(w, w.is_leaf)
h = w * 2
print(h.grad)
print(h.is_leaf, h.retains_grad)
# %%
up = F.upsample(torch.arange(4.0).view(1, 1, 2, 2), scale_factor=2)
print(up.shape)
crit = nn.MSELoss(size_average=False)
print(crit.reduction)
crit2 = nn.CrossEntropyLoss(reduce=False)
print(crit2.reduction)
print(F.tanh(torch.tensor(0.5)), F.sigmoid(torch.tensor(0.5)))
# %%
# mixing python floats, numpy and tensors the way notebooks do
import numpy as np
a = np.array([1.0, 2.0])
b = torch.from_numpy(a)
b += 1
print(a, b.dtype)
c = torch.tensor(a, dtype=torch.float32, requires_grad=True)
d = (c * torch.from_numpy(np.array([2.0, 3.0]))).sum()
print(d, d.dtype)
d.backward()
print(c.grad)
e = torch.as_tensor([1, 2, 3]) / 2
print(e, torch.as_tensor([1, 2, 3]) // 2, torch.tensor(5) / torch.tensor(2))
try:
    torch.zeros(2).view(-1, -1)
except RuntimeError as ex:
    print(ex)
try:
    torch.cat([torch.ones(2, 3), torch.ones(3, 2)])
except RuntimeError as ex:
    print(ex)
try:
    torch.ones(2, 3) + torch.ones(3, 2)
except RuntimeError as ex:
    print(ex)
