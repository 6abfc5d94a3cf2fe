import torch
a = torch.zeros(3, 3)
a.diagonal().add_(torch.tensor([1.0, 2.0, 3.0]))
a.diagonal(1).fill_(-1.0)
print(a)
K = torch.tensor([[2.0, 1.0], [1.0, 2.0]], dtype=torch.float64)
K.diagonal().add_(1e-3)
print(K)
X = torch.tensor([[0.1, 0.2], [0.3, -0.1], [0.5, 0.4]], dtype=torch.float64)
ls = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
y = torch.tensor([1.0, -0.5, 0.3], dtype=torch.float64)
for it in range(3):
    Kx = torch.exp(-torch.cdist(X, X) ** 2 / (2 * ls ** 2))
    Kx = Kx + 1e-2 * torch.eye(3, dtype=torch.float64)
    Kx.diagonal().add_(1e-6)
    L = torch.linalg.cholesky(Kx)
    alpha = torch.cholesky_solve(y[:, None], L)
    nll = 0.5 * (y[:, None] * alpha).sum() + torch.log(L.diagonal()).sum()
    nll.backward()
    with torch.no_grad():
        ls -= 0.1 * ls.grad
        ls.grad.zero_()
    print(it, round(nll.item(), 10))
d = Kx.diagonal()
print(d, d.grad_fn.name())
B = torch.arange(12.0).reshape(2, 2, 3)
print(B.diagonal(dim1=0, dim2=1), torch.diagonal(B, 0, 1, 2))
M = torch.ones(3, 3, requires_grad=True)
try:
    M.diagonal().zero_()
except RuntimeError as e:
    print(e)
N = M * 2
N.diagonal().mul_(10)
N.sum().backward()
print(N, M.grad)
