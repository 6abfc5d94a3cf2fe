import torch

# dtype inference of the range constructors
print(torch.arange(5).dtype, torch.arange(5.0).dtype, torch.arange(0, 1, 0.25))
print(torch.arange(1, 4, dtype=torch.float64), torch.arange(10, 0, -3))
print(torch.linspace(0, 1, 5).dtype, torch.linspace(0, 10, steps=3, dtype=torch.int64))
print(torch.logspace(0, 3, 4), torch.logspace(0, 2, 3, base=2.0))
# %%
print(torch.full((2, 2), 7).dtype, torch.full((2,), 1.5).dtype, torch.full((2,), True).dtype)
x = torch.tensor([[1, 2], [3, 4]])
print(torch.full_like(x, 2.7), torch.zeros_like(x, dtype=torch.float16))
print(torch.ones_like(x, dtype=torch.bool), torch.empty_like(x).shape)
# %%
print(torch.eye(3), torch.eye(2, 3, dtype=torch.int32))
print(torch.tril_indices(3, 3), torch.triu_indices(3, 4, offset=1))
print(torch.tril_indices(4, 3, -1))
# %%
try:
    torch.arange(0, 1, 0)
except RuntimeError as e:
    print(e)
try:
    torch.linspace(0, 1, -1)
except RuntimeError as e:
    print(e)
print(torch.arange(0, -1), torch.linspace(2, 2, 1), torch.linspace(0, 1, 0))
