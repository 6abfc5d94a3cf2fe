# ruff: noqa: F821
import torch
torch.manual_seed(3)
torch.set_default_dtype(torch.float64)

# MAML on sine-wave regression, second-order (create_graph=True), manual functional net
def net(params, x):
    w1, b1, w2, b2 = params
    return torch.tanh(x @ w1 + b1) @ w2 + b2

params = [torch.randn(1, 10) * 0.5, torch.zeros(10), torch.randn(10, 1) * 0.5, torch.zeros(1)]
params = [p.requires_grad_() for p in params]
meta_opt = torch.optim.Adam(params, lr=0.01)

def task(amp, phase, n=10):
    x = torch.linspace(-3, 3, n).unsqueeze(1)
    return x, amp * torch.sin(x + phase)

inner_lr = 0.05
for it in range(8):
    meta_loss = 0.0
    for amp, phase in [(1.0, 0.0), (2.0, 0.5), (0.5, 1.0)]:
        x, y = task(amp, phase)
        loss = ((net(params, x) - y) ** 2).mean()
        grads = torch.autograd.grad(loss, params, create_graph=True)
        fast = [p - inner_lr * g for p, g in zip(params, grads)]
        meta_loss = meta_loss + ((net(fast, x) - y) ** 2).mean()
    meta_opt.zero_grad()
    meta_loss.backward()
    meta_opt.step()
    if it % 4 == 0:
        print(f"it {it} meta {meta_loss.item():.6f}")
numeric([meta_loss] + [p.grad for p in params])
# %%
# first-order variant: the same step without create_graph
x, y = task(1.5, 0.2)
loss = ((net(params, x) - y) ** 2).mean()
grads = torch.autograd.grad(loss, params)
print([g.requires_grad for g in grads], grads[0].grad_fn)
fast = [p - inner_lr * g for p, g in zip(params, grads)]
print(fast[0].grad_fn.name(), fast[0].is_leaf)
numeric(list(grads))
