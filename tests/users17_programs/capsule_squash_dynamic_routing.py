import torch
import torch.nn.functional as F

torch.manual_seed(0)
def squash(s, dim=-1, eps=1e-8):
    sq = (s ** 2).sum(dim=dim, keepdim=True)
    return sq / (1 + sq) * s / torch.sqrt(sq + eps)

s = torch.randn(2, 3, 4, requires_grad=True)
v = squash(s)
print(v.norm(dim=-1))
print(v.grad_fn, v.grad_fn.next_functions[0][0])
v.norm(dim=-1).sum().backward()
print(s.grad[0])
# %%
B, n_in, n_out, d_in, d_out = 2, 6, 3, 4, 5
W = (0.1 * torch.randn(n_in, n_out, d_out, d_in)).requires_grad_()
u = torch.randn(B, n_in, d_in)
u_hat = torch.einsum("ijkl,bil->bijk", W, u)
print(u_hat.shape, u_hat.grad_fn)
b_ij = torch.zeros(B, n_in, n_out)
for it in range(3):
    c_ij = F.softmax(b_ij, dim=2)
    s_j = (c_ij.unsqueeze(-1) * u_hat).sum(dim=1)
    v_j = squash(s_j)
    if it < 2:
        b_ij = b_ij + (u_hat * v_j.unsqueeze(1)).sum(-1)
    print(it, c_ij[0, 0], v_j.norm(dim=-1)[0])
print(b_ij.requires_grad, b_ij.grad_fn)
# %%
lengths = v_j.norm(dim=-1)
target = F.one_hot(torch.tensor([0, 2]), n_out).float()
m_plus, m_minus, lam = 0.9, 0.1, 0.5
L = target * F.relu(m_plus - lengths) ** 2 + lam * (1 - target) * F.relu(lengths - m_minus) ** 2
loss = L.sum(dim=1).mean()
loss.backward()
print(loss, W.grad.shape, W.grad.abs().sum())
print(W.grad[0, 0])
# %%
u_hat2 = (W.unsqueeze(0) @ u[:, :, None, :, None]).squeeze(-1)
print(u_hat2.shape, torch.allclose(u_hat2, u_hat, atol=1e-6))
print(torch.einsum("ijkl,bil->bijk", W.detach(), u).is_contiguous(), u_hat2.is_contiguous())
# %%
torch.einsum("ijkl,bi->bijk", W, u)
