import torch
import torch.nn as nn

torch.manual_seed(0)
def drop_path(x, drop_prob: float = 0., training: bool = False, scale_by_keep: bool = True):
    if drop_prob == 0. or not training:
        return x
    keep_prob = 1 - drop_prob
    shape = (x.shape[0],) + (1,) * (x.ndim - 1)
    random_tensor = x.new_empty(shape).bernoulli_(keep_prob)
    if keep_prob > 0.0 and scale_by_keep:
        random_tensor.div_(keep_prob)
    return x * random_tensor

class DropPath(nn.Module):
    def __init__(self, drop_prob=0.):
        super().__init__()
        self.drop_prob = drop_prob
    def forward(self, x):
        return drop_path(x, self.drop_prob, self.training)
    def extra_repr(self):
        return f'drop_prob={round(self.drop_prob, 3):0.3f}'

class Block(nn.Module):
    def __init__(self, dim, dp, init_values=1e-1):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(approximate="tanh"), nn.Linear(2 * dim, dim))
        self.gamma = nn.Parameter(init_values * torch.ones(dim))
        self.drop_path = DropPath(dp)
    def forward(self, x):
        return x + self.drop_path(self.gamma * self.mlp(self.norm(x)))

dpr = [v.item() for v in torch.linspace(0, 0.3, 3)]
print(dpr)
net = nn.Sequential(*[Block(4, p) for p in dpr])
print(net[2])
x = torch.randn(6, 5, 4)
out = net(x)
print(out.shape, out.grad_fn)
out.mean().backward()
print(net[0].gamma.grad, net[2].gamma.grad)
# %%
net.eval()
with torch.no_grad():
    e1, e2 = net(x), net(x)
print(torch.equal(e1, e2))
net.train()
r = torch.empty(8, 1, 1).bernoulli_(0.7)
print(r.flatten(), r.dtype, r.div_(0.7).flatten())
print(torch.empty(3).bernoulli_(torch.tensor([0.0, 1.0, 0.5])).tolist())
# %%
opt = torch.optim.AdamW(net.parameters(), lr=1e-2, weight_decay=0.05)
y = torch.randn(6, 5, 4)
for step in range(6):
    opt.zero_grad()
    loss = nn.functional.smooth_l1_loss(net(x), y, beta=0.5)
    loss.backward()
    nn.utils.clip_grad_norm_(net.parameters(), 1.0)
    opt.step()
    print(step, f"{loss.item():.4f}")
# %%
torch.empty(3).bernoulli_(1.5)
