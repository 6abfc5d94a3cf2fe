import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
m, n = 8, 12
D = torch.randn(m, n)
D = D / D.norm(dim=0, keepdim=True)
z_true = torch.zeros(n)
z_true[[1, 5, 9]] = torch.tensor([1.5, -2.0, 0.7])
y = D @ z_true + 0.01 * torch.randn(m)
L = torch.linalg.matrix_norm(D, ord=2) ** 2
print(L.dtype, L.shape)
lam = 0.1
z = torch.zeros(n)
for k in range(200):
    z = F.softshrink(z - (D.T @ (D @ z - y)) / L, lam / L.item())
print((z.abs() > 1e-3).nonzero().flatten(), z[[1, 5, 9]])
obj = 0.5 * (D @ z - y).pow(2).sum() + lam * z.abs().sum()
print(f"{obj.item():.4f}")
# %%
x = torch.linspace(-1, 1, 9, requires_grad=True)
out = F.softshrink(x, 0.5)
out.sum().backward()
print(out, out.grad_fn, x.grad)
x.grad = None
F.hardshrink(x, 0.5).sum().backward()
print(F.hardshrink(x, 0.5), x.grad)
x.grad = None
F.tanhshrink(x).sum().backward()
print(x.grad)
print(nn.Softshrink(0.25), nn.Hardshrink(), nn.Softshrink(0.25)(torch.tensor([0.25, -0.3])))
# %%
class LISTA(nn.Module):
    def __init__(self, D, L, lam, T=5):
        super().__init__()
        self.W = nn.Parameter(D.T.clone() / L)
        self.S = nn.Parameter(torch.eye(D.shape[1]) - D.T @ D / L)
        self.theta = nn.Parameter(torch.full((1,), lam / L.item()))
        self.T = T
    def forward(self, y):
        b = y @ self.W.T
        z = F.softshrink(b, self.theta.item())
        for _ in range(self.T):
            z = b + z @ self.S.T
            z = torch.sign(z) * F.relu(z.abs() - self.theta)
        return z

net = LISTA(D, L, lam)
Z = torch.zeros(16, n)
for i in range(16):
    Z[i, torch.randperm(n)[:2]] = torch.randn(2)
Y = Z @ D.T
opt = torch.optim.Adam(net.parameters(), lr=1e-2)
for it in range(25):
    opt.zero_grad()
    loss = F.mse_loss(net(Y), Z)
    loss.backward()
    opt.step()
    if it % 8 == 0:
        print(it, f"{loss.item():.5f}", f"{net.theta.item():.5f}", net.theta.grad)
# %%
F.softshrink(x, -0.5)
