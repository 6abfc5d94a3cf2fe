import torch
from torch.autograd.functional import hessian, jacobian

def rosen(v):
    return (1 - v[0]) ** 2 + 100 * (v[1] - v[0] ** 2) ** 2

x = torch.tensor([-1.2, 1.0], dtype=torch.float64)
for it in range(8):
    g = jacobian(rosen, x)
    H = hessian(rosen, x)
    step = torch.linalg.solve(H, g)
    x = x - step
    print(it, x, f"{rosen(x).item():.3e}")
print(hessian(rosen, x))
def f2(a, b):
    return (a * b.sin()).sum()
Ha = hessian(f2, (torch.tensor([1.0, 2.0]), torch.tensor([0.5, 0.1])))
print(type(Ha).__name__, len(Ha), Ha[0][1])
print(jacobian(lambda t: t ** 2, torch.tensor([1.0, 3.0]), create_graph=False, strategy="forward-mode", vectorize=True))
