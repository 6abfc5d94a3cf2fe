import torch
import math
torch.manual_seed(0)
x = torch.linspace(-math.pi, math.pi, 200, dtype=torch.float64)
y = torch.sin(x)
# fit y = a + b x + c x^2 + d x^3 by gradient descent (the PyTorch tutorial)
a, b, c, d = (torch.randn((), dtype=torch.float64, requires_grad=True) for _ in range(4))
lr = 1e-6
for t in range(2000):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    if t % 500 == 99:
        print(t, round(loss.item(), 6))
    loss.backward()
    with torch.no_grad():
        for p in (a, b, c, d):
            p -= lr * p.grad
            p.grad = None
print(f"y = {a.item():.5f} + {b.item():.5f} x + {c.item():.5f} x^2 + {d.item():.5f} x^3")
# %%
V = torch.vander(x, N=4, increasing=True)
print(V.shape, V[:2])
coef = torch.linalg.lstsq(V, y.unsqueeze(1)).solution.squeeze()
print(coef[1::2].round(decimals=5), (coef[::2].abs() < 1e-10).all())  # (even ones: LAPACK's rounding noise)
P = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))
model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1)).double()
opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
for t in range(300):
    loss = torch.nn.functional.mse_loss(model(P), y, reduction="sum")
    opt.zero_grad()
    loss.backward()
    opt.step()
print(round(loss.item(), 4))
lin = model[0]
print(f"{lin.bias.item():.4f} {lin.weight[:, 0].item():.4f} {lin.weight[:, 1].item():.4f} {lin.weight[:, 2].item():.4f}")
