import torch
import numpy as np
rng = np.random.default_rng(1)
x = torch.zeros(2, requires_grad=True)
step = 1e-2
traj = []
for t in range(20):
    U = (x[0] - 1) ** 2 + 10 * (x[1] - x[0] ** 2) ** 2
    U.backward()
    with torch.no_grad():
        x -= step * x.grad
        x += np.sqrt(2 * step) * torch.tensor(rng.normal(size=2), dtype=torch.float32)
    x.grad.zero_()
    traj.append(x.detach().clone())
print(torch.stack(traj)[-3:])
print(x, x.grad)
print(U.item(), type(U.item()))
