import torch
print(torch.trapezoid(torch.tensor([1.0, 2.0, 4.0]), dx=0.5), torch.trapz(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 3.0])))
# %%
print(torch.cumulative_trapezoid(torch.tensor([1.0, 2.0, 4.0])))
# %%
x = torch.linspace(0, 1, 5, requires_grad=True)
print(torch.gradient(x ** 2, spacing=0.25))
# %%
print(torch.diff(torch.tensor([1, 4, 9, 16]), n=2), torch.diff(torch.tensor([[1.0, 2.0], [4.0, 8.0]]), dim=0, prepend=torch.zeros(1, 2)))
# %%
print(torch.cholesky(torch.eye(2) * 4))
# %%
print(torch.linalg.cholesky(torch.eye(2) * 4, upper=True))
# %%
torch.solve(torch.ones(2, 1), torch.eye(2))
# %%
torch.symeig(torch.eye(2))
# %%
torch.lstsq(torch.ones(2, 1), torch.eye(2))
# %%
torch.eig(torch.eye(2))
# %%
print(torch.linalg.ldl_factor(torch.eye(2) * 2))
# %%
print(torch.linalg.tensorsolve(torch.eye(4).reshape(2, 2, 2, 2), torch.ones(2, 2)))
# %%
print(torch.linalg.vander(torch.tensor([1.0, 2.0, 3.0])), torch.vander(torch.tensor([1, 2]), N=3, increasing=True))
# %%
print(torch.linalg.cross(torch.tensor([1.0, 0, 0]), torch.tensor([0.0, 1, 0])), torch.linalg.vecdot(torch.ones(3), torch.ones(3)))
# %%
print(torch.linalg.matrix_norm(torch.eye(3), ord=2), torch.linalg.matrix_norm(torch.eye(3), ord=-2), torch.linalg.norm(torch.eye(2), 'fro'))
# %%
print(torch.linalg.diagonal(torch.eye(3) * 2), torch.linalg.solve_triangular(torch.eye(2) * 2, torch.ones(2, 1), upper=True, left=False) if False else 1)
# %%
A = torch.tensor([[2.0, 1.0], [1.0, 3.0]], requires_grad=True)
print(torch.linalg.inv_ex(A))
# %%
print(torch.linalg.pinv(torch.tensor([[1.0, 2.0], [2.0, 4.0]]), hermitian=True))
# %%
print(torch.cholesky_solve(torch.ones(2, 1), torch.eye(2) * 2, upper=True))
# %%
print(torch.lu_unpack(*torch.linalg.lu_factor(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))))
# %%
print(torch.det(torch.tensor([[1.0, 2.0], [3.0, 4.0]])), torch.inverse(torch.tensor([[1.0, 2.0], [3.0, 4.0]])))
# %%
print(torch.tensordot(torch.ones(2, 3), torch.ones(3, 4), dims=1).shape, torch.einsum('ii->', torch.eye(3)), torch.trace(torch.eye(3)))
# %%
print(torch.block_diag(torch.ones(1, 1), 2 * torch.ones(2, 2)), torch.cartesian_prod(torch.tensor([1, 2]), torch.tensor([3, 4])))
# %%
print(torch.kron(torch.eye(2), torch.ones(1, 2)), torch.outer(torch.ones(2), torch.arange(3.)), torch.addmv(torch.zeros(2), torch.eye(2), torch.ones(2)))
