import torch

print(torch.tensor([[1, 2.5], [3, 4]]), torch.tensor([1, True, 2]).dtype, torch.tensor([True, False]).dtype)
print(torch.tensor([[1, 2], [3, 4]], dtype=torch.float64), torch.tensor(3), torch.tensor([]), torch.tensor([[]]).shape)
print(torch.tensor([1.0, 2]).dtype, torch.tensor([2**40]).dtype, torch.tensor([1e300]).dtype, torch.tensor([1e300]))
print(torch.tensor([[[1], [2]], [[3], [4]]]).shape, torch.tensor((1, 2, 3)), torch.tensor(range(4)))
print(torch.tensor([torch.tensor(1.0), torch.tensor(2.0)]), torch.stack([torch.tensor(1.0), torch.tensor(2.0)]))
print(torch.as_tensor([[1, 2], [3, 4.5]]), torch.tensor([float('inf'), float('-inf'), float('nan')]))
# %%
print(torch.arange(5), torch.arange(1, 4), torch.arange(0, 1, 0.25), torch.arange(1.0, 2.0, 0.3), torch.arange(10, 0, -3))
print(torch.arange(0, 1, 0.1).shape, torch.arange(0.0, 1.0, 1 / 3), torch.arange(5, dtype=torch.float64), torch.arange(3.0).dtype)
print(torch.arange(0, 10, 2.5), torch.arange(-1, 1, 0.5), torch.arange(0), torch.arange(2, 2))
print(torch.linspace(0, 1, 5), torch.linspace(0, 1, 1), torch.linspace(0, 1, 0), torch.linspace(-1, 1, steps=4))
print(torch.linspace(0, 10, 7, dtype=torch.int64), torch.linspace(1, 0, 3), torch.logspace(0, 2, 3), torch.logspace(0, 3, 4, base=2))
print(torch.linspace(0, 1, 11)[3].item(), torch.arange(0, 1, 0.1)[3].item(), torch.linspace(0, 1, 5, dtype=torch.float64))
print(torch.full((2, 2), 7), torch.full((2,), 1.5).dtype, torch.full((2,), True), torch.zeros(2, 3, dtype=torch.int32), torch.empty(0, 3).shape)
print(torch.eye(2, 3), torch.ones_like(torch.tensor([1, 2])), torch.zeros_like(torch.ones(2), dtype=torch.int64), torch.full_like(torch.ones(2), 3))
print(torch.tril(torch.ones(3, 3), -1), torch.triu(torch.ones(2, 3), 1), torch.tril_indices(3, 3), torch.triu_indices(3, 3, 1))
# %%
torch.arange(0, 10, 0)
# %%
torch.arange(0, 10, -1)
# %%
torch.linspace(0, 1, -1)
# %%
torch.tensor([[1, 2], [3]])
# %%
torch.tensor([1, 'a'])
# %%
torch.full((2,), 1.5, dtype=torch.int64)
# %%
torch.zeros(-1)
# %%
torch.tensor([[1, 2]], [3, 4])
# %%
# a missing value in pasted data: torch refuses it rather than making a nan
torch.tensor([1.0, None, 3.0], dtype=torch.float32)
# %%
torch.tensor([[1, 0], [0, 'x']], dtype=torch.bool)
# %%
torch.tensor([1, 2.5], dtype=torch.float16)
