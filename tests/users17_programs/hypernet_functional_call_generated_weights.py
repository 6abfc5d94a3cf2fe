import torch
import torch.nn as nn
from torch.func import functional_call

torch.manual_seed(0)
target = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
shapes = {k: v.shape for k, v in target.named_parameters()}
numels = {k: v.numel() for k, v in target.named_parameters()}
total = sum(numels.values())
print(shapes, total)

class HyperNet(nn.Module):
    def __init__(self, z_dim=3):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(z_dim, 16), nn.ReLU(), nn.Linear(16, total))
    def forward(self, z):
        flat = self.net(z) * 0.3
        params, i = {}, 0
        for k in shapes:
            params[k] = flat[i:i + numels[k]].view(shapes[k])
            i += numels[k]
        return params

hyper = HyperNet()
z = torch.randn(3)
params = hyper(z)
print({k: v.grad_fn for k, v in params.items()})
# %%
x = torch.randn(8, 2)
y = (x[:, :1] * x[:, 1:]).sin()
out = functional_call(target, params, (x,))
loss = ((out - y) ** 2).mean()
loss.backward()
print(loss, out.grad_fn)
print(hyper.net[2].bias.grad[:5], [p.grad for p in target.parameters()])
# %%
opt = torch.optim.Adam(hyper.parameters(), lr=1e-2)
for step in range(15):
    opt.zero_grad()
    loss = ((functional_call(target, hyper(z), (x,)) - y) ** 2).mean()
    loss.backward()
    opt.step()
    if step % 5 == 0:
        print(step, f"{loss.item():.4f}")
# %%
zs = torch.randn(4, 3)
outs = torch.stack([functional_call(target, hyper(zi), (x,)) for zi in zs])
print(outs.shape, outs.grad_fn)
g = torch.autograd.grad(outs.sum(), zs.requires_grad_() if False else hyper.net[0].weight)[0]
print(g.shape)
# %%
functional_call(target, {"0.weight": torch.zeros(3, 2), "bogus": torch.zeros(1)}, (x,), strict=True)
# %%
functional_call(target, {"0.weight": torch.zeros(2, 2)}, (x,))
