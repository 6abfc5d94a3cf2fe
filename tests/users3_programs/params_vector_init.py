# ruff: noqa: F821
import torch
import torch.nn as nn
from torch.nn.utils import parameters_to_vector, vector_to_parameters
torch.manual_seed(27)

model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
for m in model.modules():
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight, gain=nn.init.calculate_gain("tanh"))
        nn.init.constant_(m.bias, 0.01)
vec = parameters_to_vector(model.parameters())
print(vec.shape, vec.requires_grad, vec.grad_fn.name())
numeric([vec])
with torch.no_grad():
    vector_to_parameters(vec * 2, model.parameters())
print(model[2].bias)
nn.init.orthogonal_(model[0].weight)
W = model[0].weight
print(torch.allclose(W.T @ W, torch.eye(3), atol=1e-5))
nn.init.kaiming_normal_(model[2].weight, mode="fan_out", nonlinearity="relu")
nn.init.trunc_normal_(model[0].bias, std=0.5, a=-0.2, b=0.2)
print(model[0].bias.abs().max() <= 0.2)
numeric([model[0].weight, model[2].weight, model[0].bias])
# %%
# weight surgery through .data and no_grad, and a frozen copy
with torch.no_grad():
    model[0].weight.data.clamp_(-0.3, 0.3)
    model[2].weight.copy_(torch.ones(2, 4) * 0.5)
    model[2].bias.zero_()
print(model[0].weight.abs().max().item() <= 0.3, model[2].weight.requires_grad, model[2].weight.is_leaf)
frozen = nn.Linear(3, 4)
frozen.load_state_dict(model[0].state_dict())
for p in frozen.parameters():
    p.requires_grad_(False)
x = torch.randn(5, 3)
y = model(x).sum() + frozen(x).sum()
y.backward()
print(frozen.weight.grad, model[0].weight.grad.shape, y.grad_fn.name())
numeric([y, model[0].weight.grad])
