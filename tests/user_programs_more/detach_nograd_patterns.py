import torch
import torch.nn as nn
torch.manual_seed(0)
online = nn.Linear(2, 1)
target = nn.Linear(2, 1)
target.load_state_dict(online.state_dict())
for p in target.parameters():
    p.requires_grad_(False)
x = torch.tensor([[1.0, 2.0], [0.5, -1.0]])
td_target = 0.9 * target(x).detach() + 1.0
loss = ((online(x) - td_target) ** 2).mean()
loss.backward()
print(online.weight.grad, target.weight.grad, td_target.requires_grad)
# soft update (Polyak averaging) under no_grad
tau = 0.1
with torch.no_grad():
    for pt, po in zip(target.parameters(), online.parameters()):
        pt.mul_(1 - tau).add_(tau * (po - 1.0))
print(target.weight, target.bias)
# %%
print(torch.is_grad_enabled())
with torch.no_grad():
    print(torch.is_grad_enabled())
    with torch.enable_grad():
        a = torch.ones(2, requires_grad=True) * 2
    b = torch.ones(2, requires_grad=True) * 2
print(a.requires_grad, b.requires_grad, a.grad_fn, b.grad_fn)
torch.set_grad_enabled(False)
c = torch.ones(1, requires_grad=True) + 1
torch.set_grad_enabled(True)
print(c.requires_grad)
@torch.no_grad()
def evaluate(m, x):
    return m(x)
print(evaluate(online, x).requires_grad, online(x).requires_grad)
with torch.set_grad_enabled(False):
    print(online(x).grad_fn)
# %%
# detach shares storage, clone does not
w = torch.tensor([1.0, 2.0], requires_grad=True)
d = w.detach()
d[0] = 10.0
print(w)
c = w.detach().clone()
c[1] = -5.0
print(w, c)
print(d.requires_grad, d.is_leaf, w.data_ptr() == d.data_ptr())
# %%
# stop-gradient trick (straight-through estimator)
x = torch.tensor([0.2, 0.7, 1.4], requires_grad=True)
q = x + (torch.round(x) - x).detach()
q.sum().backward()
print(q, x.grad)
# %%
# calling .numpy() on a tensor that requires grad
w.numpy()
# %%
print(w.detach().numpy(), w.tolist(), w.data)
