import numpy as np
import torch
rng = np.random.default_rng(4)
# the numbers users print most: loss.item() of a sum over a batch
for n in (4, 5, 7, 8, 13, 50, 257):
    x = torch.tensor(rng.normal(size=n), requires_grad=True)
    loss = (x ** 2).sum()
    print(n, loss.item(), x.sum().item(), torch.sum(x * 0.1).item())
    x32 = torch.tensor(rng.normal(size=n), dtype=torch.float32)
    print(n, x32.sum().item(), (x32 ** 2).sum().item(), x32.abs().sum().tolist())
# %%
# a sum over a matrix, and a sum of a transposed view
m = torch.tensor(rng.normal(size=(6, 7)))
print(m.sum().item(), m.t().sum().item(), m.sum(dtype=torch.float64).item())
print(torch.tensor(rng.normal(size=(5, 9)), dtype=torch.float32).sum())
# %%
# gradient descent printing the full-precision loss
w = torch.tensor([0.5, -1.5, 2.0, 0.25, -0.75], dtype=torch.float64, requires_grad=True)
target = torch.tensor([1.0, 2.0, -1.0, 0.5, 0.0], dtype=torch.float64)
for step in range(5):
    loss = ((w - target) ** 2).sum() + 0.1 * (w ** 4).sum()
    loss.backward()
    print(step, loss.item())
    with torch.no_grad():
        w -= 0.05 * w.grad
    w.grad = None
