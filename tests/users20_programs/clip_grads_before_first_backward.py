import torch
import torch.nn as nn

# clipping in a training loop, including the call before any backward
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
print(nn.utils.clip_grad_norm_(model.parameters(), 1.0))
try:
    nn.utils.clip_grad_value_(model.parameters(), 0.5)
except RuntimeError as e:
    print("RuntimeError:", e)
# %%
x = torch.tensor([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]])
target = torch.tensor([[1.0], [-1.0]])
for step in range(3):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(x), target)
    loss.backward()
    raw = nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5)
    nn.utils.clip_grad_value_(model.parameters(), clip_value=0.1)
    biggest = max(p.grad.abs().max() for p in model.parameters())
    opt.step()
    print(step, round(loss.item(), 5), round(raw.item(), 5), biggest.item() <= 0.1)
# %%
model[0].weight.requires_grad_(False)
opt.zero_grad()
nn.functional.mse_loss(model(x), target).backward()
print(model[0].weight.grad, [n for n, p in model.named_parameters() if p.grad is not None])
print(nn.utils.clip_grad_norm_([model[0].weight], 1.0))
