import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint, checkpoint_sequential

torch.manual_seed(0)
block = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 4))
x = torch.randn(3, 4, requires_grad=True)
out = checkpoint(block, x, use_reentrant=False)
print(out.grad_fn is not None, out.shape)
out.sum().backward()
g_ckpt = x.grad.clone()
w_ckpt = block[0].weight.grad.clone()
x.grad = None
block.zero_grad()
block(x).sum().backward()
print(torch.allclose(g_ckpt, x.grad), torch.allclose(w_ckpt, block[0].weight.grad))
# %%
calls = []
def fn(a, b):
    calls.append(1)
    return torch.sin(a) * b
a = torch.randn(5, requires_grad=True)
b = torch.randn(5, requires_grad=True)
y = checkpoint(fn, a, b, use_reentrant=False)
y.sum().backward()
print(len(calls), a.grad, b.grad)
# %%
model = nn.Sequential(*[nn.Sequential(nn.Linear(4, 4), nn.ReLU()) for _ in range(4)])
inp = torch.randn(2, 4, requires_grad=True)
out = checkpoint_sequential(model, 2, inp, use_reentrant=False)
out.pow(2).mean().backward()
print(out.shape, inp.grad.shape, model[0][0].weight.grad.abs().sum() > 0)
# %%
x2 = torch.randn(3, 4)
y2 = checkpoint(block, x2, use_reentrant=True)
print(y2.requires_grad)
y2.sum().backward()
print(block[2].bias.grad)
# %%
def two_outputs(t):
    return t * 2, t.exp()
p, q = checkpoint(two_outputs, x, use_reentrant=False)
(p.sum() + q.sum()).backward()
print(x.grad)
# %%
with torch.no_grad():
    z = checkpoint(block, x, use_reentrant=False)
print(z.requires_grad)
# %%
checkpoint(block, x)
