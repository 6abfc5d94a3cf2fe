import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([[0.5, -1.0], [2.0, 0.0]], requires_grad=True)
y = torch.relu(w @ x).exp().sum() / 3

def walk(fn, depth=0):
    if fn is None:
        return
    print("  " * depth + type(fn).__name__)
    for nxt, idx in fn.next_functions:
        walk(nxt, depth + 1)

walk(y.grad_fn)
print(y.grad_fn)
print(y.grad_fn.next_functions)
# %%
z = (x.view(2, 1) * x).t().reshape(-1)[1:].cumsum(0).flip(0).clamp(min=1.5)
walk(z.grad_fn)
print(z)
acc = z.grad_fn
while acc.next_functions:
    acc = acc.next_functions[0][0]
print(acc, acc.variable is x)
# %%
a = torch.randn(3, requires_grad=True).double().float()
print(a.grad_fn, a.grad_fn.next_functions[0][0])
b = torch.stack([x, x * 2]).mean(dim=0, keepdim=True).squeeze()
print(b.grad_fn, [type(f).__name__ for f, _ in b.grad_fn.next_functions])
c = torch.cat([x, x]).pow(2).sqrt().log1p().sigmoid().tanh()
walk(c.grad_fn)
print(torch.where(x > 1, x, 0.0).grad_fn, x[x > 1].grad_fn, x.max().grad_fn, x.norm().grad_fn, x.prod().grad_fn)
