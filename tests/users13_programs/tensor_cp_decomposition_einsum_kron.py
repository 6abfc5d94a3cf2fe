import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
I, J, K, R = 4, 5, 3, 2
A0, B0, C0 = torch.randn(I, R), torch.randn(J, R), torch.randn(K, R)
T = torch.einsum('ir,jr,kr->ijk', A0, B0, C0)
print(T.shape, torch.allclose(T, (A0[:, None, None, :] * B0[None, :, None, :] * C0[None, None, :, :]).sum(-1)))

def khatri_rao(U, V):
    return torch.einsum('ir,jr->ijr', U, V).reshape(-1, U.shape[1])

# CP-ALS with unfoldings and lstsq
A, B, C = torch.randn(I, R), torch.randn(J, R), torch.randn(K, R)
T1 = T.reshape(I, -1)                       # mode-1 unfolding: (i, jk)
T2 = T.permute(1, 0, 2).reshape(J, -1)      # (j, ik)
T3 = T.permute(2, 0, 1).reshape(K, -1)      # (k, ij)
for it in range(60):
    A = torch.linalg.lstsq(khatri_rao(B, C), T1.t()).solution.t()
    B = torch.linalg.lstsq(khatri_rao(A, C), T2.t()).solution.t()
    C = torch.linalg.lstsq(khatri_rao(A, B), T3.t()).solution.t()
rec = torch.einsum('ir,jr,kr->ijk', A, B, C)
print(f"{(rec - T).norm().item():.2e}" if (rec - T).norm() > 1e-12 else "exact", (rec - T).norm() < 1e-8)
# %%
# gradient-based CP fit instead, with Adam
torch.manual_seed(1)
P = [torch.randn(n, R, requires_grad=True) for n in (I, J, K)]
opt = torch.optim.Adam(P, lr=0.05)
for it in range(200):
    loss = (torch.einsum('ir,jr,kr->ijk', *P) - T).pow(2).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 50 == 0:
        print(it, f"{loss.item():.6f}")
numeric(loss)
# %%
# kron / tensordot / block_diag / einsum identities with gradients
X = torch.randn(2, 3, requires_grad=True)
Y = torch.randn(3, 2, requires_grad=True)
K2 = torch.kron(X, Y)
print(K2.shape, torch.allclose(K2[:3, :2], X[0, 0] * Y))
td = torch.tensordot(X, Y, dims=([1], [0]))
print(torch.allclose(td, X @ Y), torch.tensordot(torch.ones(2, 3, 4), torch.ones(3, 4, 5), dims=2).shape)
bd = torch.block_diag(X, Y)
print(bd.shape, bd[2:, 3:].equal(Y))
tr = torch.einsum('ij,ji->', X, Y)
outer = torch.einsum('i,j->ij', X[0], Y[:, 0])
bil = torch.einsum('bi,ij,bj->b', X, torch.eye(3) * 2.0, X)
(K2.sum() + td.trace() + bd.pow(2).sum() + tr + outer.sum() + bil.sum()).backward()
print(X.grad, Y.grad)
print(torch.einsum('ii', torch.arange(9.0).view(3, 3)), torch.einsum('ij->j', torch.ones(2, 3)), torch.einsum('...j,j->...', torch.ones(2, 2, 3), torch.arange(3.0)))
# %%
torch.einsum('ij,jk->ik', torch.ones(2, 3), torch.ones(2, 3))
# %%
torch.einsum('ij,jk', torch.ones(2, 3))
# %%
torch.kron(torch.ones(2), torch.ones(2, dtype=torch.int64)).dtype
