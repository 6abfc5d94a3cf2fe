import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(24)
x = torch.ones(2, 4, 3, 3, requires_grad=True)
d2 = nn.Dropout2d(0.5)
y = d2(x)
print(y[:, :, 0, 0])
y.sum().backward()
print(x.grad[:, :, 0, 0])
# %%
d1 = nn.Dropout1d(0.5)
print(d1(torch.ones(2, 3, 4)))
print(nn.Dropout3d(0.25)(torch.ones(1, 4, 1, 1, 2)).squeeze())
print(nn.AlphaDropout(0.2)(torch.ones(6)))
print(F.dropout(torch.ones(8), 0.5, training=False))
# %%
d2.eval()
print(torch.equal(d2(x), x))
print(F.dropout2d(torch.ones(1, 2, 2, 2), 0.5, training=True))
# %%
drop = nn.Dropout(p=0.3, inplace=True)
t = torch.ones(10)
drop(t)
print(t)
F.dropout(torch.ones(3), p=1.5)
# %%
torch.manual_seed(0)
a = F.dropout(torch.ones(4, 4), 0.5)
torch.manual_seed(0)
b = F.dropout(torch.ones(4, 4), 0.5)
print(torch.equal(a, b), a.sum())
# %%
F.dropout2d(torch.ones(3), 0.5)
