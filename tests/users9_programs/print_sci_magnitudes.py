import torch
print(torch.tensor([1e-10, 1.0]), torch.tensor([1e10, 1.0]), torch.tensor([123456789.0]))
print(torch.tensor([0.1, 1e5]), torch.tensor([1e-5, 0.5, 100.0], dtype=torch.float64))
print(torch.tensor([1.0, 2.0, 3.0]) * 1e-4, torch.tensor([[1e16, 2.0]]))
print(torch.tensor([-0.0, 0.0, 1.5]), torch.tensor([2**31, -5], dtype=torch.int64))
print(torch.tensor([1, 2], dtype=torch.uint8), torch.tensor([1.5], dtype=torch.float16) * 1000)
print(torch.arange(6).reshape(1, 2, 3, 1))
print(torch.zeros(2, 0, 3), torch.tensor([]), torch.tensor(7), torch.tensor(True))

print(torch.tensor([[1.0, -2.5e-3], [4.0e3, 7.0]]), torch.tensor([0.001, 0.01]))
print(torch.tensor([1.23456789, 9.87654321], dtype=torch.float64) * 1e6)
print(torch.tensor([float("nan"), 1e-9]), torch.tensor([float("inf"), 1e9]))
print(torch.full((2, 2), -1e-7, requires_grad=True))
print(torch.linspace(-1, 1, 5, dtype=torch.float64).exp() * 1e-3)
