import numpy as np
import torch
import torch.nn as nn
torch.manual_seed(0)
class HNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))
    def forward(self, x):
        H = self.net(x)
        dH, = torch.autograd.grad(H.sum(), x, create_graph=True)
        return torch.stack([dH[:, 1], -dH[:, 0]], dim=1)
rng = np.random.default_rng(0)
x = torch.tensor(rng.uniform(-1, 1, size=(16, 2)), dtype=torch.float32, requires_grad=True)
# spring: H = (q^2 + p^2)/2, dq/dt = p, dp/dt = -q
target = torch.stack([x[:, 1], -x[:, 0]], dim=1).detach()
model = HNN()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(15):
    opt.zero_grad()
    pred = model(x)
    loss = (pred - target).pow(2).mean()
    loss.backward()
    opt.step()
    if step % 5 == 0:
        print(step, f"{loss.item():.6f}")
print(pred.shape, pred.grad_fn)
print(x.grad is None, model.net[0].weight.grad.shape)
numeric(loss)
# %%
# symplectic Euler with the exact Hamiltonian's gradient
def H(q, p):
    return 0.5 * p ** 2 + (1 - torch.cos(q))
q = torch.tensor(1.0, requires_grad=True)
p = torch.tensor(0.0, requires_grad=True)
E0 = H(q, p).item()
traj = []
for i in range(50):
    dHdq, = torch.autograd.grad(H(q, p), q)
    p = (p - 0.1 * dHdq).detach().requires_grad_()
    dHdp, = torch.autograd.grad(H(q, p), p)
    q = (q + 0.1 * dHdp).detach().requires_grad_()
    traj.append((q.item(), p.item()))
print(round(traj[-1][0], 4), round(traj[-1][1], 4), abs(H(q, p).item() - E0) < 0.01)
print(q, p)
