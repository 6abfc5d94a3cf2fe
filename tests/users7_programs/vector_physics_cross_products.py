import torch
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = torch.tensor([0.0, 1.0, 0.0])
c = torch.linalg.cross(a, b)
print(c, torch.cross(a, b, dim=0))
c.sum().backward()
print(a.grad)
v = torch.linalg.vecdot(a, b)
print(v, torch.inner(a, b), torch.tensordot(a, b, dims=1), torch.vdot(a, b))
print(torch.linalg.vecdot(a.expand(2, 3), b))
# %%
# spherical coordinates and their Jacobian
r = torch.tensor([[1.0, 1.0, 1.0], [0.0, 0.0, 2.0], [3.0, -4.0, 0.0]], requires_grad=True)
rho = r.norm(dim=1)
theta = torch.acos(r[:, 2] / rho)
phi = torch.atan2(r[:, 1], r[:, 0])
print(rho, theta, phi, sep="\n")
(rho + theta + phi).sum().backward()
print(r.grad)
# %%
# rigid-body: angular momentum and torque, rotation via Rodrigues
torch.manual_seed(0)
pos = torch.randn(5, 3, dtype=torch.float64)
vel = torch.randn(5, 3, dtype=torch.float64)
m = torch.rand(5, dtype=torch.float64) + 0.5
L = (m[:, None] * torch.linalg.cross(pos, vel)).sum(0)
print(L.round(decimals=6))
axis = torch.tensor([0.0, 0.0, 1.0], dtype=torch.float64)
angle = torch.tensor(0.4, dtype=torch.float64, requires_grad=True)
K = torch.zeros(3, 3, dtype=torch.float64)
K[0, 1], K[0, 2], K[1, 2] = -axis[2], axis[1], -axis[0]
K = K - K.T
R = torch.eye(3, dtype=torch.float64) + torch.sin(angle) * K + (1 - torch.cos(angle)) * K @ K
print(R.detach().round(decimals=6))
rotated = pos @ R.T
print(torch.allclose(rotated.norm(dim=1), pos.norm(dim=1)))
rotated[:, 0].sum().backward()
print(round(angle.grad.item(), 8))
