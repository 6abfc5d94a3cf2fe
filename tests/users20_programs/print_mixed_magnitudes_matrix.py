import torch

m = torch.tensor([[1.0, 0.001, 123.456], [-5e-3, 42.0, 7.0]])
print(m)
print(m * 1e3)
print(m / 1e4)
print(m.double())
# %%
cov = torch.tensor([[2.5e-4, 1.1e-5], [1.1e-5, 3.3e-6]])
print(cov, cov.diagonal().reciprocal())
losses = torch.tensor([2.3026, 0.6931, 0.0123, 0.00045])
print(losses, losses.log10())
# %%
print(torch.tensor([[1, 200000], [3, 4]]) * 1.0)
print(torch.tensor([99999.0, 100000.0]), torch.tensor([0.0001, 0.001]))
print(torch.tensor([1.0, 2.0, 3.0]) / 3, torch.tensor([12.5, -3.25]))
# %%
big = torch.tensor([[1e-10, 1.0], [1e10, -1.0]], dtype=torch.float64)
big
