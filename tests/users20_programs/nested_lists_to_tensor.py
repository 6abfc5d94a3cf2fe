import torch

# building tensors from Python data
rows = [[1, 2, 3], [4, 5, 6]]
t = torch.tensor(rows)
print(t, t.dtype, t.shape)
print(torch.tensor([[1, 2.5], [3, 4]]).dtype)
print(torch.tensor([True, 1]).dtype, torch.tensor([True, 1.0]).dtype)
# %%
try:
    torch.tensor([[1, 2], [3]])
except ValueError as e:
    print("ValueError:", e)
try:
    torch.tensor([[1, 2], 3])
except (TypeError, ValueError) as e:
    print(type(e).__name__, e)
# %%
print(torch.tensor([[[1.0]], [[2.0]]]).shape, torch.tensor([]).shape, torch.tensor([[]]).shape)
print(torch.tensor(((1, 2), (3, 4)), dtype=torch.float64))
print(torch.as_tensor([1, 2, 3], dtype=torch.float32))
# %%
parts = [torch.tensor(1.5), torch.tensor(2.5)]
print(torch.stack(parts), torch.tensor([p.item() for p in parts]))
nested = [[torch.tensor(1.0), 2.0], [3, 4]]
print(torch.tensor(nested))
