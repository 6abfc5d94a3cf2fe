# ruff: noqa: F821
import torch
import torch.nn as nn
torch.manual_seed(13)

model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
x = torch.randn(16, 4) * 10
y = torch.randn(16, 1)
loss = ((model(x) - y) ** 2).mean() * 100
loss.backward()
norms_before = [p.grad.norm().item() for p in model.parameters()]
total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
print(total.shape, total.dtype, total.requires_grad)
after = torch.sqrt(sum(p.grad.norm() ** 2 for p in model.parameters()))
print(f"{after.item():.5f}")
numeric([total, after] + norms_before)
# %%
tot_inf = nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.1, norm_type="inf")
print(max(p.grad.abs().max().item() for p in model.parameters()) <= 0.1 + 1e-6)
nn.utils.clip_grad_value_(model.parameters(), clip_value=0.01)
print(max(p.grad.abs().max().item() for p in model.parameters()))
numeric([tot_inf] + [p.grad for p in model.parameters()])
# %%
model[0].weight.grad[0, 0] = float("nan")
try:
    nn.utils.clip_grad_norm_(model.parameters(), 1.0, error_if_nonfinite=True)
except RuntimeError as e:
    print(e)
t = nn.utils.clip_grad_norm_(model.parameters(), 1.0)
print(t)
print(nn.utils.clip_grad_norm_([], 1.0))
g = nn.utils.get_total_norm([torch.tensor([3.0, 4.0]), torch.tensor([12.0])])
print(g)
