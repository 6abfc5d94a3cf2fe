import torch
from torch.autograd.functional import jacobian, hessian, vjp, jvp, hvp
x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
print(jacobian(lambda a: a ** 2, x, create_graph=True, vectorize=True))
# %%
jacobian(lambda a: a ** 2, x, strict=True, vectorize=True)
# %%
vjp(lambda a: torch.ones(2, dtype=torch.float64), x, strict=True)
# %%
print(vjp(lambda a: torch.ones(2, dtype=torch.float64), x))
# %%
out, h = hvp(lambda a: (a ** 3).sum(), x, torch.ones(2, dtype=torch.float64), create_graph=True)
print(out, h, h.requires_grad)
# %%
y = x * torch.tensor([1.0, -1.0], dtype=torch.float64)
basis = torch.eye(2, dtype=torch.float64)
g, = torch.autograd.grad(y, x, basis, is_grads_batched=True)
print(g)
# %%
hessian(lambda a: a, x)
# %%
jvp(lambda a: a * 2, x, torch.ones(3))
