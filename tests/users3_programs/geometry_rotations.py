# ruff: noqa: F821
import torch
torch.manual_seed(49)
torch.set_default_dtype(torch.float64)

# rotation matrices from axis-angle (Rodrigues), Procrustes alignment by SVD, gradients through both
def skew(v):
    z = torch.zeros((), dtype=v.dtype)
    return torch.stack([torch.stack([z, -v[2], v[1]]), torch.stack([v[2], z, -v[0]]), torch.stack([-v[1], v[0], z])])

def rodrigues(w):
    theta = w.norm()
    K = skew(w / theta)
    return torch.eye(3) + torch.sin(theta) * K + (1 - torch.cos(theta)) * K @ K

w = torch.tensor([0.3, -0.2, 0.5], requires_grad=True)
R = rodrigues(w)
print(torch.allclose(R @ R.T, torch.eye(3)), f"{torch.linalg.det(R).item():.12f}")
print(torch.allclose(R, torch.linalg.matrix_exp(skew(w))))
P = torch.randn(10, 3)
Q = P @ R.detach().T + 0.01 * torch.randn(10, 3)
w = torch.tensor([0.25, -0.1, 0.45], requires_grad=True)
loss = ((P @ rodrigues(w).T - Q) ** 2).sum()
loss.backward()
print(w.grad)
numeric([R, w.grad])
# %%
H = P.T @ Q
U, S, Vh = torch.linalg.svd(H)
d = torch.sign(torch.linalg.det(Vh.T @ U.T))
D = torch.diag(torch.tensor([1.0, 1.0, d.item()]))
R_hat = Vh.T @ D @ U.T
print(torch.allclose(R_hat, R.detach(), atol=0.05), S.shape)
angle = torch.arccos(((torch.trace(R_hat.T @ R.detach()) - 1) / 2).clamp(-1, 1))
print(f"{angle.item():.6f}")
q = torch.nn.functional.normalize(torch.randn(4), dim=0)
print(q.norm(), torch.cross(torch.tensor([1.0, 0.0, 0.0]), torch.tensor([0.0, 1.0, 0.0]), dim=0))
numeric([R_hat, angle])
