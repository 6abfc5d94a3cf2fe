import torch
import torch.nn as nn
from torch.nn.utils import parameters_to_vector, vector_to_parameters, clip_grad_norm_, clip_grad_value_

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
vec = parameters_to_vector(model.parameters())
print(vec.shape, vec.requires_grad, vec.grad_fn)
loss = (model(torch.randn(8, 3)) ** 2).sum() * 100
loss.backward()
total = clip_grad_norm_(model.parameters(), max_norm=1.0)
print(total)
print(torch.cat([p.grad.flatten() for p in model.parameters()]).norm())
total_inf = clip_grad_norm_(model.parameters(), 0.5, norm_type="inf")
print(total_inf)
clip_grad_value_(model.parameters(), 0.01)
print(model[2].bias.grad)
vector_to_parameters(torch.zeros_like(vec), model.parameters())
print(model[0].weight.sum(), model[0].weight.requires_grad)
print(nn.utils.get_total_norm([torch.ones(3), torch.ones(4)]))
# %%
p = nn.Parameter(torch.ones(2))
p.grad = torch.tensor([float("nan"), 1.0])
try:
    clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
except RuntimeError as e:
    print(e)
print(clip_grad_norm_([p], 1.0))
