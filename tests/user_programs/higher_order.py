import torch
x = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
y = torch.sin(x) * torch.exp(x)
derivs = []
g = y
for k in range(4):
    g, = torch.autograd.grad(g, x, create_graph=True)
    derivs.append(g.item())
print([round(d, 10) for d in derivs])
def taylor(f, x0, n):
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    out = [f(x)]
    for _ in range(n):
        out.append(torch.autograd.grad(out[-1], x, create_graph=True)[0])
    return torch.stack([o.detach() for o in out])
print(taylor(lambda t: t ** 5 - 2 * t ** 2, 1.5, 5))
print(torch.autograd.gradgradcheck(lambda a, b: (a * b.sin()).sum(), (torch.tensor([0.3, 0.2], dtype=torch.float64, requires_grad=True), torch.tensor([1.1, -0.4], dtype=torch.float64, requires_grad=True))))
import torch.autograd.forward_ad as fwAD
ts = []
with fwAD.dual_level():
    for v in torch.eye(3, dtype=torch.float64):
        d = fwAD.make_dual(torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64), v)
        o = (d ** 2).sum() * d[0]
        ts.append(fwAD.unpack_dual(o).tangent)
print(torch.stack(ts))
from torch.func import jvp, grad, jacfwd, jacrev
print(jvp(grad(lambda t: (t ** 3).sum()), (torch.tensor([1.0, 2.0]),), (torch.tensor([1.0, 0.0]),)))
print(jacfwd(jacrev(lambda t: (t.sin() * t).sum()))(torch.tensor([0.5, 1.0])))
