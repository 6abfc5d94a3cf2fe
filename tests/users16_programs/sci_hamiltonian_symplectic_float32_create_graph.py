import torch

torch.manual_seed(0)
class HNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.h = torch.nn.Sequential(torch.nn.Linear(2, 32), torch.nn.Softplus(), torch.nn.Linear(32, 1))
    def forward(self, qp):
        if not qp.requires_grad:
            qp = qp.requires_grad_(True)
        H = self.h(qp).sum()
        dH, = torch.autograd.grad(H, qp, create_graph=True)
        return torch.stack([dH[:, 1], -dH[:, 0]], 1)

q = torch.linspace(-1, 1, 16)
p = torch.linspace(1, -1, 16)
qp = torch.stack([q, p], 1)
target = torch.stack([p, -q], 1)
model = HNN()
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
for it in range(20):
    opt.zero_grad()
    pred = model(qp.clone())
    loss = ((pred - target) ** 2).mean()
    loss.backward()
    opt.step()
    if it % 5 == 0:
        print(it, f"{loss.item():.5f}", pred.grad_fn.name(), pred.dtype)
# %%
def leapfrog(qp0, dt, n):
    q, p = qp0[:, :1], qp0[:, 1:]
    out = []
    for _ in range(n):
        d = model(torch.cat([q, p], 1))
        p = p + 0.5 * dt * d[:, 1:]
        d = model(torch.cat([q, p], 1))
        q = q + dt * d[:, :1]
        d = model(torch.cat([q, p], 1))
        p = p + 0.5 * dt * d[:, 1:]
        out.append(torch.cat([q, p], 1))
    return torch.stack(out)
traj = leapfrog(torch.tensor([[1.0, 0.0]]), 0.1, 5)
print(traj.shape, traj.requires_grad, traj.grad_fn.name())
energy = 0.5 * (traj ** 2).sum(-1)
print(energy.squeeze().detach().numpy().round(3))
# %%
x = torch.tensor([0.5, -1.0], requires_grad=True)
V = (x ** 4).sum() - 2 * (x ** 2).sum()
g, = torch.autograd.grad(V, x, create_graph=True)
H = torch.stack([torch.autograd.grad(g[i], x, retain_graph=True)[0] for i in range(2)])
print(g, g.grad_fn.name())
print(H, H.requires_grad)
print(torch.autograd.grad(g.sum(), x, create_graph=True)[0].grad_fn)
# %%
# which node ends each activation's create_graph derivative (a user comparing activations for a PINN)
z = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
for name, act in [("tanh", torch.tanh), ("softplus", torch.nn.functional.softplus), ("gelu", torch.nn.functional.gelu),
                  ("elu", torch.nn.functional.elu), ("silu", torch.nn.functional.silu), ("sigmoid", torch.sigmoid)]:
    dz, = torch.autograd.grad(act(z).sum(), z, create_graph=True)
    d2z, = torch.autograd.grad(dz.sum(), z)
    print(f"{name:>8s}", dz.grad_fn.name(), [round(v, 5) for v in d2z.tolist()])
# %%
# piecewise-linear activations in a PINN: their second derivative is zero, not an error
for name, act in [("relu", torch.relu), ("hardtanh", torch.nn.functional.hardtanh), ("relu6", torch.nn.functional.relu6),
                  ("threshold", lambda t: torch.nn.functional.threshold(t, 0.1, 0.0))]:
    dz, = torch.autograd.grad(act(z).sum(), z, create_graph=True)
    d2z, = torch.autograd.grad(dz.sum(), z)
    print(f"{name:>9s}", dz.requires_grad, dz.tolist(), d2z.tolist())
