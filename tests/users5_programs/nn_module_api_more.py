import torch
from torch import nn
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)
        self.register_buffer("scale", torch.tensor(2.0))
        self.register_buffer("tmp", torch.zeros(1), persistent=False)
        self.extra = nn.Parameter(torch.ones(1))
    def forward(self, x):
        return self.fc(x) * self.scale + self.extra
torch.manual_seed(0)
b = Block()
print(b)
print([n for n, _ in b.named_parameters()], [n for n, _ in b.named_buffers()])
print(list(b.state_dict().keys()))
print(sum(p.numel() for p in b.parameters() if p.requires_grad))
# %%
b.requires_grad_(False)
print([p.requires_grad for p in b.parameters()])
b.fc.weight.requires_grad_(True)
out = b(torch.ones(1, 2)).sum()
out.backward()
print(b.fc.weight.grad, b.fc.bias.grad)
# %%
b2 = b.double()
print(b2.scale.dtype, b2.fc.weight.dtype, b2 is b)
b.float()
print(b.to(torch.float64).extra.dtype)
b.float()
# %%
seq = nn.Sequential()
seq.add_module("a", nn.Linear(2, 3))
seq.append(nn.ReLU())
print(seq, len(seq), seq[-1])
ml = nn.ModuleList([nn.Linear(1, 1) for _ in range(2)])
md = nn.ModuleDict({"x": nn.Tanh()})
print(len(ml), list(md.keys()), ml[0].__class__.__name__)
pl = nn.ParameterList([nn.Parameter(torch.ones(2)) for _ in range(2)])
print(pl)
# %%
b.zero_grad()
print(b.fc.weight.grad)
print(b.apply(lambda m: None) is b)
print([type(m).__name__ for m in b.children()], [n for n, _ in b.named_modules()])
# %%
b.fc = "not a module"
# %%
nn.Module().register_buffer("a.b", torch.ones(1))
