import torch

torch.manual_seed(0)
class ODEFunc(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 2))
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

t = torch.linspace(0, 2, 11)
true_y0 = torch.tensor([[2.0, 0.0]])
A = torch.tensor([[-0.1, 2.0], [-2.0, -0.1]])
with torch.no_grad():
    true_ys = rk4(lambda t, y: y @ A, true_y0, t)
print(true_ys.shape, true_ys[-1])
# %%
func = ODEFunc()
opt = torch.optim.Adam(func.parameters(), lr=0.01)
for it in range(15):
    opt.zero_grad()
    pred = rk4(func, true_y0, t)
    loss = (pred - true_ys).abs().mean()
    loss.backward()
    opt.step()
    if it % 5 == 0:
        print(it, f"{loss.item():.4f}", pred.dtype, pred.grad_fn.name())
print(func.net[0].weight.grad.norm() > 0)
# %%
y0 = true_y0.clone().requires_grad_(True)
yT = rk4(lambda tt, y: y @ A, y0, t)[-1]
J = torch.autograd.functional.jacobian(lambda z: rk4(lambda tt, y: y @ A, z, t)[-1], true_y0)
print(J.shape)
print(torch.matrix_exp(2 * A.T))
print(J.squeeze())
# %%
h = torch.tensor(0.2, requires_grad=True)
y = torch.tensor([1.0])
for _ in range(5):
    y = y + h * (-y)
print(y, torch.autograd.grad(y.sum(), h))
