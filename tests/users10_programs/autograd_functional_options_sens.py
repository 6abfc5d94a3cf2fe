import torch
from torch.autograd.functional import jacobian, hessian

def f(x, y):
    return (x * y).sin(), x.pow(2) + y

x = torch.tensor([0.5, 1.0])
y = torch.tensor([2.0, -1.0])
J = jacobian(f, (x, y))
print(type(J), len(J), type(J[0]), J[0][1])
Jv = jacobian(f, (x, y), vectorize=True)
print(all(torch.allclose(a, b) for r1, r2 in zip(J, Jv) for a, b in zip(r1, r2)))
Jf = jacobian(f, (x, y), vectorize=True, strategy="forward-mode")
print(torch.allclose(Jf[1][0], J[1][0]))
# %%
def g(x):
    return x.detach() * 2

try:
    jacobian(g, x, strict=True)
except RuntimeError as e:
    print(e)
print(jacobian(g, x))
xc = torch.tensor([1.0, 2.0], requires_grad=True)
Jc = jacobian(lambda v: v ** 3, xc, create_graph=True)
print(Jc.requires_grad, Jc.grad_fn is not None)
Jc.trace().backward()
print(xc.grad)
# %%
H = hessian(lambda a, b: (a * b.exp()).sum(), (x, y))
print(H[0][1], H[1][1])
try:
    jacobian(lambda v: v, [x])
    print("list ok")
    jacobian(lambda v: 3.0, x)
except TypeError as e:
    print(e)
try:
    hessian(lambda v: v * 2, x)
except RuntimeError as e:
    print(e)
