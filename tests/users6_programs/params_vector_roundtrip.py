import torch
from torch import nn
from torch.nn.utils import parameters_to_vector, vector_to_parameters
torch.manual_seed(2)
net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)).double()
v = parameters_to_vector(net.parameters())
print(v.shape, v.requires_grad, v.grad_fn.name())
vector_to_parameters(torch.arange(v.numel(), dtype=torch.float64), net.parameters())
print(net[0].weight, net[2].bias)
print(parameters_to_vector(net.parameters())[:5])
# %%
try:
    vector_to_parameters(torch.zeros(3), net.parameters())
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    vector_to_parameters([1, 2], net.parameters())
except TypeError as e:
    print(type(e).__name__, e)
# %%
x = torch.randn(4, 2, dtype=torch.float64)
loss = net(x).pow(2).mean()
grads = torch.autograd.grad(loss, list(net.parameters()))
flat = torch.cat([g.reshape(-1) for g in grads])
print(flat.shape, flat.norm())
vec = parameters_to_vector(net.parameters()).detach() - 0.01 * flat
vector_to_parameters(vec, net.parameters())
print(net(x).pow(2).mean() < loss)
