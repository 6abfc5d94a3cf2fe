import torch
import torch.nn.functional as F
from torch.func import functional_call

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(1, 20), torch.nn.ReLU(), torch.nn.Linear(20, 1))
meta_opt = torch.optim.Adam(model.parameters(), lr=1e-3)

def task(n=10):
    amp = torch.rand(1) * 4 + 0.1
    phase = torch.rand(1) * 3.14
    x = torch.rand(n, 1) * 10 - 5
    return x, amp * torch.sin(x + phase)

def inner(params, x, y, steps=2, lr=0.01, first_order=False):
    for _ in range(steps):
        loss = F.mse_loss(functional_call(model, params, (x,)), y)
        grads = torch.autograd.grad(loss, list(params.values()), create_graph=not first_order)
        params = {k: v - lr * g for (k, v), g in zip(params.items(), grads)}
    return params

for it in range(4):
    meta_opt.zero_grad()
    outer = 0.0
    for _ in range(3):
        xs, ys = task()
        xq, yq = task()
        fast = inner(dict(model.named_parameters()), xs, ys)
        outer = outer + F.mse_loss(functional_call(model, fast, (xq,)), yq)
    outer = outer / 3
    outer.backward()
    meta_opt.step()
    print(it, f"{outer.item():.4f}", f"{model[0].weight.grad.norm().item():.4f}")
# %%
p0 = dict(model.named_parameters())
xs, ys = task()
fast = inner(p0, xs, ys, steps=1)
print({k: v.grad_fn.name() for k, v in fast.items()})
fo = inner(p0, xs, ys, steps=1, first_order=True)
print({k: (v.grad_fn.name() if v.grad_fn else None) for k, v in fo.items()})
print(all(torch.allclose(fast[k], fo[k]) for k in fast))
# %%
w = torch.tensor([1.0, 2.0], requires_grad=True)
inner_loss = (w ** 3).sum()
g, = torch.autograd.grad(inner_loss, w, create_graph=True)
w1 = w - 0.1 * g
outer = (w1 ** 2).sum()
print(torch.autograd.grad(outer, w))
g2, = torch.autograd.grad(inner_loss, w)
w1_fo = w - 0.1 * g2
print(torch.autograd.grad((w1_fo ** 2).sum(), w))
# %%
torch.autograd.grad(outer, w)
