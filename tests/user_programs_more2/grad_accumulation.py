# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import torch.nn as nn
torch.manual_seed(0)

model = nn.Linear(5, 1)
x, y = torch.randn(12, 5), torch.randn(12, 1)
# full-batch gradient
model.zero_grad()
nn.functional.mse_loss(model(x), y).backward()
full = [p.grad.clone() for p in model.parameters()]
# accumulated over 3 micro-batches of 4
model.zero_grad()
accum = 3
for xb, yb in zip(x.chunk(accum), y.chunk(accum)):
    loss = nn.functional.mse_loss(model(xb), yb) / accum
    loss.backward()
print([torch.allclose(a, p.grad, atol=1e-6) for a, p in zip(full, model.parameters())])
numeric([p.grad for p in model.parameters()])
# %%
# training loop stepping every `accum` micro-batches
opt = torch.optim.SGD(model.parameters(), lr=0.05)
opt.zero_grad()
for i, (xb, yb) in enumerate(zip(x.split(2), y.split(2))):
    loss = nn.functional.mse_loss(model(xb), yb) / accum
    loss.backward()
    if (i + 1) % accum == 0:
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad()
        print(i, f"{loss.item() * accum:.5f}")
numeric(model.weight)
# %%
# gradient accumulation across retained graphs, then reset by hand
w = torch.tensor([1.0, 2.0], requires_grad=True)
out = (w ** 2).sum()
out.backward(retain_graph=True)
out.backward(retain_graph=True)
print(w.grad)
w.grad.zero_()
out.backward()
print(w.grad)
try:
    out.backward()
except RuntimeError as e:
    print(str(e)[:80])
