import torch
import torch.nn as nn

# "my custom layer does not learn": a tensor attribute is not a parameter
class Scale(nn.Module):
    def __init__(self):
        super().__init__()
        self.s = torch.ones(1, requires_grad=True)

    def forward(self, x):
        return x * self.s

m = Scale()
print(list(m.parameters()), m.state_dict())
# %%
class ScaleFixed(nn.Module):
    def __init__(self):
        super().__init__()
        self.s = nn.Parameter(torch.ones(1))

    def forward(self, x):
        return x * self.s

m = ScaleFixed()
print(list(m.named_parameters()))
opt = torch.optim.SGD(m.parameters(), lr=0.1)
for _ in range(3):
    opt.zero_grad()
    loss = (m(torch.tensor([2.0])) - 5.0).pow(2).sum()
    loss.backward()
    opt.step()
print(m.s)
# %%
# creating the Parameter in forward: a fresh leaf each call, never optimised
class Bad(nn.Module):
    def forward(self, x):
        self.w = nn.Parameter(torch.ones(1))
        return x * self.w

b = Bad()
print(len(list(b.parameters())))
out = b(torch.tensor([3.0]))
print(len(list(b.parameters())), out)
# %%
# Parameter of a non-leaf detaches it
base = torch.tensor([1.0, 2.0], requires_grad=True)
p = nn.Parameter(base * 2)
print(p.is_leaf, p.grad_fn, p.requires_grad)
(p.sum()).backward()
print(base.grad, p.grad)
# %%
# ParameterList vs a plain list of parameters
class Layers(nn.Module):
    def __init__(self):
        super().__init__()
        self.good = nn.ParameterList([nn.Parameter(torch.zeros(2)) for _ in range(2)])
        self.bad = [nn.Parameter(torch.zeros(2)) for _ in range(2)]

print([n for n, _ in Layers().named_parameters()])
