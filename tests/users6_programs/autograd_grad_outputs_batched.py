import torch
x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
y = torch.stack([x ** 2, x.sin()])
eye = torch.eye(2, dtype=torch.float64)
rows = [torch.autograd.grad(y.sum(1), x, e, retain_graph=True)[0] for e in eye]
print(torch.stack(rows))
J, = torch.autograd.grad(y.sum(1), x, eye, is_grads_batched=True, retain_graph=True)
print(J)
# %%
try:
    torch.autograd.grad(y, x, torch.ones(3, dtype=torch.float64))
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    torch.autograd.grad(y, x, torch.ones(2, 3))
except RuntimeError as e:
    print(type(e).__name__, e)
g, = torch.autograd.grad(y, x, torch.ones(2, 3, dtype=torch.float64), retain_graph=True)
print(g)
torch.autograd.backward([y[0].sum(), y[1].sum()], [torch.tensor(1.0, dtype=torch.float64), torch.tensor(2.0, dtype=torch.float64)])
print(x.grad)
