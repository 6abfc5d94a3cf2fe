# ruff: noqa: F821
import torch
torch.set_default_dtype(torch.float64)

# gradients at the kinks: clamp, abs, relu, max/min ties, where with nan-safe patterns
x = torch.tensor([-1.0, 0.0, 0.5, 1.0, 2.0], requires_grad=True)
outs = [x.clamp(0.0, 1.0), x.abs(), torch.relu(x), torch.maximum(x, torch.ones(5) * 0.5),
        torch.minimum(x, torch.zeros(5)), x.clamp(min=torch.tensor([0.0, 0.0, 0.0, 0.0, 3.0])),
        torch.nn.functional.hardtanh(x), torch.nn.functional.relu6(x * 4), torch.nn.functional.leaky_relu(x, 0.1)]
for i, o in enumerate(outs):
    (g,) = torch.autograd.grad(o.sum(), x)
    print(i, o.grad_fn.name(), g)
numeric(outs)
# %%
# the double-where trick for a safe sqrt / log
x = torch.tensor([0.0, 1.0, 4.0, -1.0], requires_grad=True)
safe = torch.where(x > 0, x, torch.ones_like(x))
y = torch.where(x > 0, torch.sqrt(safe), torch.zeros_like(x))
y.sum().backward()
print(y, x.grad)
x2 = torch.tensor([0.0, 1.0, 4.0], requires_grad=True)
torch.sqrt(x2).sum().backward()
print(x2.grad)
m = torch.tensor([[1.0, 5.0, 5.0], [2.0, 2.0, 0.0]], requires_grad=True)
mx = m.max()
mx.backward()
print(m.grad)
m.grad = None
m.max(dim=1).values.sum().backward()
print(m.grad)
m.grad = None
m.amax(dim=1).sum().backward()
print(m.grad)
m.grad = None
torch.logsumexp(m, 1).sum().backward()
print(m.grad)
numeric([x.grad, x2.grad, m.grad])
