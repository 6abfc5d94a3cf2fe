import torch
import torch.nn as nn

# "the target should not get gradients": detach vs no_grad in a TD / Q-learning update
torch.manual_seed(0)
q = nn.Linear(2, 2)
target = nn.Linear(2, 2)
target.load_state_dict(q.state_dict())
s = torch.randn(3, 2)
s2 = torch.randn(3, 2)
r = torch.tensor([1.0, 0.0, -1.0])
a = torch.tensor([0, 1, 1])
q_sa = q(s).gather(1, a.unsqueeze(1)).squeeze(1)
y = r + 0.9 * target(s2).max(dim=1).values
loss = nn.functional.smooth_l1_loss(q_sa, y)
loss.backward()
print(target.weight.grad is not None, q.weight.grad is not None)
# %%
# the same network as its own target: without detach both terms receive gradients
q.zero_grad()
y = r + 0.9 * q(s2).max(dim=1).values
nn.functional.mse_loss(q_sa.detach() * 0 + q(s).gather(1, a.unsqueeze(1)).squeeze(1), y).backward()
g_with = q.weight.grad.clone()
q.zero_grad()
y = (r + 0.9 * q(s2).max(dim=1).values).detach()
nn.functional.mse_loss(q(s).gather(1, a.unsqueeze(1)).squeeze(1), y).backward()
print(torch.allclose(g_with, q.weight.grad))
print(y.requires_grad)
# %%
with torch.no_grad():
    y2 = r + 0.9 * q(s2).max(dim=1).values
print(torch.equal(y, y2), y2.requires_grad)
# %%
# soft update of the target under no_grad
with torch.no_grad():
    for pt, p in zip(target.parameters(), q.parameters()):
        pt.mul_(0.5).add_(p, alpha=0.5)
print(torch.allclose(target.weight, q.weight), target.weight.requires_grad, target.weight.grad)
