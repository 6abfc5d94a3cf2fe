import torch

torch.manual_seed(0)
pos = torch.randn(4, 2, dtype=torch.float64, requires_grad=True)
edges = torch.tensor([[0, 1], [1, 2], [2, 3], [3, 0], [0, 2]])
rest = torch.ones(5, dtype=torch.float64)
k = torch.tensor([1.0, 2.0, 1.0, 2.0, 0.5], dtype=torch.float64)

def spring_energy(p):
    d = p[edges[:, 0]] - p[edges[:, 1]]
    L = d.norm(dim=1)
    return 0.5 * (k * (L - rest) ** 2).sum()

E = spring_energy(pos)
F, = torch.autograd.grad(E, pos)
print(E)
numeric(-F)
print(torch.allclose(F.sum(0), torch.zeros(2, dtype=torch.float64)))
H = torch.autograd.functional.hessian(spring_energy, pos.detach())
print(H.shape)
numeric(H.reshape(8, 8))
# %%
def pendulum_energy(theta, omega, g=9.81, l=1.0):
    return 0.5 * l ** 2 * omega ** 2 + g * l * (1 - torch.cos(theta))

theta = torch.tensor(0.5, requires_grad=True)
omega = torch.tensor(0.0, requires_grad=True)
dt = 0.01
th, om = theta, omega
for i in range(200):
    om = om - dt * 9.81 * torch.sin(th)
    th = th + dt * om
E0 = pendulum_energy(theta, omega)
E1 = pendulum_energy(th, om)
print(f"{E0.item():.5f} {E1.item():.5f}")
E1.backward()
numeric([theta.grad, omega.grad])
# %%
def nbody_energy(x, m, G=1.0, eps=1e-3):
    n = x.shape[0]
    diff = x.unsqueeze(0) - x.unsqueeze(1)
    r = torch.sqrt((diff ** 2).sum(-1) + eps ** 2)
    iu = torch.triu_indices(n, n, 1)
    return -(G * m[iu[0]] * m[iu[1]] / r[iu[0], iu[1]]).sum()

x = torch.tensor([[0., 0., 0.], [1., 0., 0.], [0., 1., 0.], [0., 0., 2.]], requires_grad=True)
m = torch.tensor([1.0, 0.1, 0.2, 0.05])
V = nbody_energy(x, m)
acc = -torch.autograd.grad(V, x)[0] / m.unsqueeze(1)
print(V)
numeric(acc)
print(torch.triu_indices(4, 4, 1))
