import torch

# manual gradient descent, the way tutorials write it
torch.manual_seed(42)
X = torch.linspace(-1, 1, 10).unsqueeze(1)
Y = 3 * X + 0.5 + 0.1 * torch.randn(10, 1)
w = torch.randn(1, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.5
for epoch in range(6):
    pred = X @ w + b
    loss = ((pred - Y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    print(f"epoch {epoch}: loss={loss.item():.4f} w={w.item():.4f} b={b.item():.4f}")
# %%
# without no_grad the update itself fails
try:
    w -= lr * w.grad
except RuntimeError as e:
    print(e)
# %%
# the .data variant of the same update (old tutorials)
w2 = torch.tensor([[0.0]], requires_grad=True)
for epoch in range(3):
    loss = ((X @ w2 + 0.5 - Y) ** 2).mean()
    loss.backward()
    w2.data -= lr * w2.grad.data
    w2.grad.data.zero_()
print(w2)
# %%
# float64 closed form vs gradient descent
Xd = torch.cat([X, torch.ones(10, 1)], 1).double()
Yd = Y.double()
theta = torch.zeros(2, 1, dtype=torch.float64, requires_grad=True)
for _ in range(200):
    loss = ((Xd @ theta - Yd) ** 2).mean()
    (g,) = torch.autograd.grad(loss, theta)
    with torch.no_grad():
        theta -= 0.5 * g
exact = torch.linalg.lstsq(Xd, Yd).solution
print(torch.allclose(theta, exact, atol=1e-8), theta.detach().squeeze())
