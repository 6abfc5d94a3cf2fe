# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import torch.nn as nn
torch.manual_seed(0)

model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
x = torch.randn(10, 4)
y = torch.randn(10, 2)
loss = nn.functional.mse_loss(model(x), y) * 100
loss.backward()
norm_before = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
print(norm_before)
total = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()]))
print(f"{total.item():.6f}")
numeric(norm_before)
# %%
for p in model.parameters():
    p.grad = None
loss = nn.functional.mse_loss(model(x), y) * 100
loss.backward()
torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=0.05)
print(max(p.grad.abs().max().item() for p in model.parameters()) <= 0.05)
print(torch.nn.utils.clip_grad_norm_(model.parameters(), 1e6, norm_type="inf"))
print(torch.nn.utils.clip_grad_norm_(model.parameters(), 1e6, norm_type=1.0))
# %%
# weight decay: SGD's coupled vs AdamW's decoupled, and parameter groups without decay
decay, no_decay = [], []
for name, p in model.named_parameters():
    (no_decay if name.endswith("bias") else decay).append(p)
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}], lr=0.01)
for step in range(20):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    opt.step()
print(f"{loss.item():.5f}", [g["weight_decay"] for g in opt.param_groups])
numeric([p for p in model.parameters()])
sgd = torch.optim.SGD(model.parameters(), lr=0.1, weight_decay=1e-2, nesterov=True, momentum=0.9)
sgd.zero_grad()
nn.functional.mse_loss(model(x), y).backward()
sgd.step()
numeric([p for p in model.parameters()])
print(sgd)
