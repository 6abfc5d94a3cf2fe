import numpy as np
import torch
import torch.nn as nn
rng = np.random.default_rng(8)
# full-precision losses of a mean-reduced loss, the way training logs print them
x = torch.tensor(rng.uniform(-1, 1, size=(10, 1)))
y = 3 * x - 0.5 + 0.05 * torch.tensor(rng.normal(size=(10, 1)))
w = torch.zeros(1, requires_grad=True, dtype=torch.float64)
b = torch.zeros(1, requires_grad=True, dtype=torch.float64)
loss_fn = nn.MSELoss()
opt = torch.optim.SGD([w, b], lr=0.3)
for epoch in range(6):
    opt.zero_grad()
    loss = loss_fn(x * w + b, y)
    loss.backward()
    opt.step()
    # (12 digits: gradients summed over a broadcast dim round their last bit
    # differently from torch's, and the trajectory carries it; see the report)
    print(epoch, f"{loss.item():.12g}", round(w.item(), 12), round(b.item(), 12))
print(loss)
# %%
errors = (x * w + b - y).abs()
print(errors.mean().item(), errors.mean(0).tolist(), torch.mean(errors ** 2).item())
print(nn.functional.l1_loss(x * w + b, y).item(), nn.functional.mse_loss(x * w + b, y, reduction="sum").item())
v = torch.tensor(rng.normal(size=7), dtype=torch.float32)
print(v.mean().item(), (v * v).mean().item(), v.mean(), v.double().mean().item())
