import torch
from torch.func import jacfwd
x = torch.tensor([0.5, 1.5], dtype=torch.float64)
print(jacfwd(lambda v: torch.special.xlog1py(v, v))(x))
# %%
print(jacfwd(lambda v: torch.special.xlog1py(v, 2.0))(x), jacfwd(lambda v: torch.special.xlog1py(3.0, v))(x))
# %%
numeric(jacfwd(lambda v: torch.special.entr(v))(x))
# %%
print(jacfwd(lambda v: torch.special.gammainc(2.0 * torch.ones(2, dtype=torch.float64), v))(x))
# %%
print(jacfwd(lambda v: torch.special.gammainc(v, x))(x))
# %%
print(jacfwd(lambda v: torch.special.gammaincc(2.0 * torch.ones(2, dtype=torch.float64), v))(x))
# %%
print(jacfwd(lambda v: torch.special.zeta(v + 1, x))(x))
# %%
print(jacfwd(lambda v: torch.special.zeta(x + 1, v))(x))
# %%
import torch.autograd.forward_ad as fwAD
with fwAD.dual_level():
    d = fwAD.make_dual(x, torch.ones(2, dtype=torch.float64))
    print(fwAD.unpack_dual(torch.special.xlog1py(d, d)).tangent, fwAD.unpack_dual(torch.xlogy(d, d)).tangent)
    print(fwAD.unpack_dual(torch.special.entr(d)).tangent)
# %%
from torch.func import jacfwd, jacrev, hessian, vmap
A0 = torch.tensor([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]], dtype=torch.float64)
b0 = torch.tensor([1.0, -1.0, 0.5], dtype=torch.float64)
print(torch.allclose(jacfwd(lambda A: torch.linalg.solve(A, b0))(A0), jacrev(lambda A: torch.linalg.solve(A, b0))(A0)))
# %%
print(jacfwd(lambda A: torch.linalg.cholesky(A))(A0)[1, 1])
# %%
print(hessian(lambda A: torch.linalg.eigvalsh(A).max())(A0)[0, 0])
# %%
print(jacfwd(lambda A: torch.linalg.eigh(A)[0])(A0)[2])
# %%
print(hessian(lambda A: torch.logdet(A))(A0)[0, 0])
# %%
print(jacfwd(lambda A: torch.linalg.inv(A))(A0)[0, 0])
# %%
print(vmap(lambda A: torch.linalg.det(A))(torch.stack([A0, 2 * A0])))
# %%
print(jacrev(lambda M: torch.linalg.lstsq(M, b0.unsqueeze(1)).solution)(A0[:, :2]).shape)
# %%
print(hessian(lambda v: torch.linalg.vector_norm(v) ** 3)(b0))
# %%
print(jacfwd(lambda A: torch.linalg.matrix_exp(A))(0.1 * A0)[0, 0])
# %%
print(jacfwd(lambda A: torch.cholesky_solve(b0.unsqueeze(1), torch.linalg.cholesky(A)))(A0)[0, 0])
# %%
print(jacrev(lambda A: torch.linalg.svdvals(A))(A0)[0])
# %%
import torch.autograd.forward_ad as fwAD
with fwAD.dual_level():
    A = fwAD.make_dual(A0, torch.eye(3, dtype=torch.float64))
    out = torch.linalg.solve(A, b0)
    print(fwAD.unpack_dual(out).tangent)
    L = torch.linalg.cholesky(A)
    print(fwAD.unpack_dual(L).tangent)
    w, V = torch.linalg.eigh(A)
    print(fwAD.unpack_dual(w).tangent)
# %%
x = torch.tensor([0.5, 1.5], dtype=torch.float64)
print(torch.autograd.functional.hessian(lambda v: torch.special.gammaln(v).sum() + torch.special.erf(v).prod(), x))
