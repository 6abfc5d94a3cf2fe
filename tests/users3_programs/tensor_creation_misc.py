# ruff: noqa: F821
import numpy as np
import torch
torch.manual_seed(47)

print(torch.full((2, 2), 7), torch.full((2,), 1.5).dtype, torch.full((1,), True).dtype)
print(torch.arange(5, dtype=torch.float32), torch.arange(1, 2, 0.25), torch.arange(10, 0, -3))
print(torch.linspace(-1, 1, 5), torch.logspace(0, 2, 3), torch.eye(2, 3), torch.empty(0).shape)
print(torch.zeros_like(torch.ones(2, dtype=torch.int64)), torch.ones_like(torch.ones(2), dtype=torch.float64), torch.full_like(torch.ones(2), 3))
a = np.array([[1.0, 2.0], [3.0, 4.0]])
t = torch.from_numpy(a)
t[0, 0] = 10
print(a[0, 0], t.dtype, torch.as_tensor(a).dtype, torch.tensor(a).dtype, torch.tensor([1, 2.0]).dtype, torch.tensor(np.float32(2.0)).dtype)
print(torch.tensor([[1, 2], [3, 4]]).numpy().dtype, torch.tensor(5).numpy(), torch.as_tensor([1, 2]))
print(torch.stack([torch.tensor(1.0), torch.tensor(2.0)]), torch.tensor([torch.tensor(1.0), torch.tensor(2.0)]))
print(torch.randint(0, 10, (5,)), torch.randperm(6), torch.rand(2, dtype=torch.float64), torch.randn(2).dtype, torch.randint_like(torch.zeros(3), 5))
print(torch.normal(0.0, 1.0, size=(3,)), torch.normal(torch.zeros(2), torch.ones(2)), torch.bernoulli(torch.full((4,), 0.5)), torch.multinomial(torch.tensor([0.1, 0.9]), 4, replacement=True))
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
print(torch.tensor(x.detach()), x.clone(), x.new_zeros(3), x.new_full((2,), 4.0), x.new_tensor([5.0]), x.new_ones(1).requires_grad)
try:
    torch.tensor(x)
except Exception as e:
    print(type(e).__name__, e)
try:
    x.numpy()
except RuntimeError as e:
    print(e)
print(torch.zeros(2, 3).T.shape, torch.zeros(2, 3).mT.shape, torch.zeros(3).shape, torch.Size([2, 3]).numel(), torch.zeros(2, 3).size())
print(torch.float32.is_floating_point, torch.get_default_dtype(), torch.int64.itemsize if hasattr(torch.int64, "itemsize") else 8)
