import torch
import torch.nn as nn

# clipping gradients by norm / value and checking for nan
torch.manual_seed(2)
model = nn.Linear(3, 2)
x = torch.randn(4, 3) * 10
model(x).pow(2).sum().backward()
before = torch.cat([p.grad.view(-1) for p in model.parameters()]).norm()
total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
after = torch.cat([p.grad.view(-1) for p in model.parameters()]).norm()
print(f"{before.item():.3f} {total.item():.3f} {after.item():.4f}")
# %%
model.zero_grad()
model(x).pow(2).sum().backward()
torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
print(model.bias.grad)
# %%
# clipping by hand on .grad in place
model.zero_grad()
model(x).pow(2).sum().backward()
for p in model.parameters():
    p.grad.clamp_(-2.0, 2.0)
print(model.bias.grad, model.weight.grad.abs().max())
# %%
# a nan in the loss shows up in every gradient
w = torch.tensor([1.0, 0.0], requires_grad=True)
loss = (w * torch.log(w)).sum()
print(loss)
loss.backward()
print(w.grad, torch.isnan(w.grad).any().item(), torch.isfinite(w.grad))
# %%
# clip_grad_norm_ with error_if_nonfinite
try:
    torch.nn.utils.clip_grad_norm_([w], max_norm=1.0, error_if_nonfinite=True)
except RuntimeError as e:
    print(e)
print(torch.nn.utils.clip_grad_norm_([w], max_norm=1.0))
print(w.grad)
