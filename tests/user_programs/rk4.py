import torch
k = torch.tensor(2.0, requires_grad=True, dtype=torch.float64)
c = torch.tensor(0.3, requires_grad=True, dtype=torch.float64)
def f(t, y):
    return torch.stack([y[1], -k * y[0] - c * y[1]])
y = torch.tensor([1.0, 0.0], dtype=torch.float64)
h = 0.05
t = 0.0
for i in range(100):
    k1 = f(t, y)
    k2 = f(t + h / 2, y + h / 2 * k1)
    k3 = f(t + h / 2, y + h / 2 * k2)
    k4 = f(t + h, y + h * k3)
    y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    t += h
loss = (y ** 2).sum()
loss.backward()
print(y)
print(loss)
print(k.grad, c.grad)
