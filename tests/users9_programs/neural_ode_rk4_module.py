import torch
import torch.nn as nn

torch.manual_seed(0)
class Dynamics(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
    def forward(self, t, y):
        return self.net(y)

def rk4(f, y0, t):
    ys = [y0]
    y = y0
    for i in range(len(t) - 1):
        h = t[i + 1] - t[i]
        k1 = f(t[i], y)
        k2 = f(t[i] + h / 2, y + h / 2 * k1)
        k3 = f(t[i] + h / 2, y + h / 2 * k2)
        k4 = f(t[i] + h, y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        ys.append(y)
    return torch.stack(ys)

t = torch.linspace(0, 1, 11)
true_y0 = torch.tensor([[1.0, 0.0]])
A = torch.tensor([[-0.1, 2.0], [-2.0, -0.1]])
with torch.no_grad():
    true_y = rk4(lambda t, y: y @ A, true_y0, t)
func = Dynamics()
opt = torch.optim.Adam(func.parameters(), lr=1e-2)
for itr in range(5):
    opt.zero_grad()
    pred_y = rk4(func, true_y0, t)
    loss = torch.mean(torch.abs(pred_y - true_y))
    loss.backward()
    opt.step()
    print(itr, round(loss.item(), 5))
print(pred_y.shape, pred_y.grad_fn.name())
numeric(func.net[0].weight.grad)
