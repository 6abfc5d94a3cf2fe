import torch
from torch import nn
torch.manual_seed(42)
X = torch.randn(100, 1)
y = 3 * X + 2 + 0.1 * torch.randn(100, 1)
model = nn.Linear(1, 1)
print(model.weight, model.bias)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
losses = []
for epoch in range(30):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X), y)
    loss.backward()
    opt.step()
    losses.append(loss.item())
    if epoch % 5 == 0:
        print(f"epoch {epoch:2d} loss {loss.item():.6f}")
print(f"w={model.weight.item():.4f} b={model.bias.item():.4f}")
print(len(losses), losses[-1] < losses[0])
# %%
# the same by hand, with a closed-form check
w = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for i in range(200):
    loss = ((X.squeeze() * w + b - y.squeeze()) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
        b -= 0.1 * b.grad
    w.grad.zero_()
    b.grad.zero_()
A = torch.cat([X, torch.ones_like(X)], 1)
sol = torch.linalg.lstsq(A, y).solution.squeeze()
print(sol.round(decimals=3), w.item() - sol[0].item() < 1e-3, abs(b.item() - sol[1].item()) < 1e-3)
print(w.grad, b.grad, w.is_leaf)
# %%
with torch.no_grad():
    pred = model(torch.tensor([[0.0], [1.0], [-1.0]]))
print(pred.round(decimals=2))
print(pred.requires_grad, model.training)
