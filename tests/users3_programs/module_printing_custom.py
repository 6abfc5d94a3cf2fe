# ruff: noqa: F821
import torch
import torch.nn as nn
torch.manual_seed(15)

class Residual(nn.Module):
    def __init__(self, dim, p=0.1):
        super().__init__()
        self.body = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Dropout(p), nn.Linear(2 * dim, dim))
        self.scale = nn.Parameter(torch.ones(1))

    def forward(self, x):
        return x + self.scale * self.body(x)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([Residual(4) for _ in range(2)])
        self.heads = nn.ModuleDict({"cls": nn.Linear(4, 3), "reg": nn.Linear(4, 1, bias=False)})
        self.extra = nn.ParameterList([nn.Parameter(torch.zeros(2)), nn.Parameter(torch.ones(3, 1))])
        self.pd = nn.ParameterDict({"temp": nn.Parameter(torch.tensor(1.5))})
        self.register_buffer("steps", torch.zeros((), dtype=torch.long))

    def extra_repr(self):
        return "custom=True"

    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        return self.heads["cls"](x) / self.pd["temp"], self.heads["reg"](x)

net = Net()
print(net)
print(sum(p.numel() for p in net.parameters()), sum(p.numel() for p in net.parameters() if p.requires_grad))
for name, p in net.named_parameters():
    if "blocks.1" not in name:
        print(name, tuple(p.shape))
print([n for n, _ in net.named_buffers()], list(net.state_dict())[:4])
# %%
print(net.extra)
print(net.pd)
print(net.blocks[0].scale)
print(net.heads["reg"].weight.shape, net.steps)
net.eval()
print(net.training, net.blocks[0].body[3].training)
x = torch.randn(2, 4)
c, r = net(x)
print(c.shape, r.shape, c.grad_fn.name())
numeric([c, r])
# %%
print([type(m).__name__ for m in net.modules()][:8])
print([n for n, _ in net.named_children()])
net.heads["cls"].requires_grad_(False)
print([n for n, p in net.named_parameters() if not p.requires_grad])
print(repr(nn.Linear(3, 2).weight)[:16])
print(nn.Sequential())
