import torch
from torch.func import jacfwd
# Robertson-like stiff system solved with implicit Euler + Newton (jacfwd for the Jacobian)
def f(y, k):
    y1, y2, y3 = y.unbind()
    return torch.stack([-k[0] * y1 + k[2] * y2 * y3,
                        k[0] * y1 - k[2] * y2 * y3 - k[1] * y2 ** 2,
                        k[1] * y2 ** 2])

k = torch.tensor([0.04, 3e7, 1e4], dtype=torch.float64)
y = torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64)
h = 0.01
for step in range(20):
    z = y.clone()
    for newton in range(10):
        r = z - y - h * f(z, k)
        J = torch.eye(3, dtype=torch.float64) - h * jacfwd(f)(z, k)
        dz = torch.linalg.solve(J, r)
        z = z - dz
        if dz.abs().max() < 1e-14:
            break
    y = z
    if step % 5 == 4:
        print(step, y.numpy().round(8), f"{y.sum().item():.12f}")
# %%
# sensitivity of the final state to k by differentiating through the solver (unrolled)
k = torch.tensor([0.04, 3e7, 1e4], dtype=torch.float64, requires_grad=True)
y = torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64)
for step in range(5):
    z = y.detach().clone() if False else y
    for newton in range(6):
        r = z - y - h * f(z, k)
        J = torch.eye(3, dtype=torch.float64) - h * torch.autograd.functional.jacobian(lambda zz: f(zz, k), z, create_graph=True)
        z = z - torch.linalg.solve(J, r)
    y = z
y[0].backward()
print(y.detach().numpy().round(8))
print(k.grad.numpy().round(8) if k.grad is not None else None)
print(y.grad_fn.name())
