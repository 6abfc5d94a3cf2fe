import torch
from torch import nn
m = nn.LazyLinear(3)
print(m)
print(m.has_uninitialized_params(), isinstance(m.weight, nn.Parameter))
opt = torch.optim.SGD(m.parameters(), lr=0.1)
torch.manual_seed(0)
y = m(torch.ones(2, 4))
print(m, type(m).__name__, m.weight.shape, m.bias.shape, m.in_features, y.shape)
print(list(m.state_dict()), isinstance(m, nn.Linear))
with torch.no_grad():
    m.weight.fill_(0.1); m.bias.fill_(0.0)
m(torch.ones(2, 4)).sum().backward()
opt.step()
print(m.weight)
# %%
m2 = nn.LazyLinear(2, bias=False)
m2.load_state_dict({"weight": torch.ones(2, 5)})
print(m2, m2.weight)
print(m2(torch.ones(1, 5)))
print(type(m2).__name__)
# %%
net = nn.Sequential(nn.LazyLinear(4), nn.ReLU(), nn.LazyLinear(1))
net(torch.ones(3, 7))
print(net)
# %%
m = nn.utils.skip_init(nn.Linear, 3, 2)
print(m, m.weight.shape, m.weight.requires_grad, isinstance(m.weight, nn.Parameter))
m2 = nn.Linear(2, 2).to_empty(device="cpu")
print(m2.bias.shape, m2.bias.requires_grad)
# %%
nn.utils.skip_init(nn.ReLU)
# %%
nn.utils.skip_init(int)
