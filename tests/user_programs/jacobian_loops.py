import torch
def f(x):
    return torch.stack([x[0] * x[1], torch.sin(x[2]) + x[0] ** 2, x.prod()])
x = torch.tensor([1.0, 2.0, 0.5], requires_grad=True)
y = f(x)
J = torch.zeros(3, 3)
for i in range(3):
    gi, = torch.autograd.grad(y[i], x, retain_graph=True)
    J[i] = gi
print(J)
rows = []
for i in range(3):
    x.grad = None
    y.backward(torch.eye(3)[i], retain_graph=True)
    rows.append(x.grad.clone())
print(torch.stack(rows))
print(torch.allclose(J, torch.autograd.functional.jacobian(f, x.detach())))
H = torch.autograd.functional.hessian(lambda v: f(v).sum(), x.detach())
print(H)
print(torch.linalg.eigvalsh(H))
