import torch
import torch.nn as nn
from torch.nn.utils import clip_grad_norm_, clip_grad_value_, parameters_to_vector, vector_to_parameters
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 1))
x = torch.randn(8, 3)
y = torch.randn(8, 1)
loss = ((model(x) - y) ** 2).mean() * 50
loss.backward()
total = clip_grad_norm_(model.parameters(), max_norm=1.0)
print(total)
print(torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in model.parameters()])))
numeric(model[0].weight.grad)
# %%
model.zero_grad()
loss = ((model(x) - y) ** 2).mean() * 50
loss.backward()
total_inf = clip_grad_norm_(model.parameters(), max_norm=0.5, norm_type="inf")
print(total_inf, max(p.grad.abs().max() for p in model.parameters()))
total_1 = clip_grad_norm_(model.parameters(), 0.5, norm_type=1.0)
print(total_1)
# %%
model.zero_grad()
loss = ((model(x) - y) ** 2).mean() * 50
loss.backward()
clip_grad_value_(model.parameters(), clip_value=0.1)
print([round(p.grad.abs().max().item(), 4) for p in model.parameters()])
# %%
model.zero_grad(set_to_none=True)
print([p.grad for p in model.parameters()])
print(clip_grad_norm_(model.parameters(), 1.0))
# %%
model[0].weight.grad = torch.full_like(model[0].weight, float("nan"))
clip_grad_norm_(model.parameters(), 1.0, error_if_nonfinite=True)
# %%
print(clip_grad_norm_(model.parameters(), 1.0))
# %%
vec = parameters_to_vector(model.parameters())
print(vec.shape, vec.requires_grad, vec.grad_fn)
vector_to_parameters(torch.zeros_like(vec), model.parameters())
print(model[2].bias, model[0].weight.sum())
vector_to_parameters(vec, model.parameters())
print(torch.equal(parameters_to_vector(model.parameters()), vec))
# %%
vector_to_parameters(vec[:-1], model.parameters())
# %%
vector_to_parameters([1.0], model.parameters())
# %%
p = nn.Parameter(torch.ones(2))
p.grad = torch.tensor([3.0, 4.0])
print(clip_grad_norm_(p, 1.0), p.grad)
print(clip_grad_norm_([p], 10.0, foreach=False), p.grad)
from torch.nn.utils import get_total_norm
g = [torch.tensor([3.0, 4.0]), torch.tensor([12.0])]
print(get_total_norm(g), get_total_norm(g, norm_type=1))
# %%
a = nn.Parameter(torch.ones(2))
b = nn.Parameter(torch.ones(2, dtype=torch.float64))
a.grad = torch.tensor([3.0, 4.0])
b.grad = torch.tensor([1.0, 2.0], dtype=torch.float64)
print(clip_grad_norm_([a, b], 1.0), a.grad, b.grad)
print(get_total_norm([b.grad, a.grad], norm_type=3.0))
print(clip_grad_norm_([b, a], 10.0, norm_type="inf"))
print(clip_grad_norm_([], 1.0))
