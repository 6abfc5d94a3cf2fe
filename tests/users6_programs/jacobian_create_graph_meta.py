import torch
from torch.autograd.functional import jacobian, hessian
w = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
def f(x):
    return torch.stack([(w * x).sum().sin(), (w ** 2 * x).sum()])
x0 = torch.tensor([1.0, 2.0], dtype=torch.float64)
J = jacobian(f, x0, create_graph=True)
print(J, J.requires_grad)
J.pow(2).sum().backward()
print(w.grad)
# %%
w.grad = None
H = hessian(lambda x: (w * x.exp()).sum(), x0, create_graph=True)
print(H)
H.trace().backward()
print(w.grad)
J2 = jacobian(f, x0)
print(J2.requires_grad, torch.allclose(J2, J.detach()))
