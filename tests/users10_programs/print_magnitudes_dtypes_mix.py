import torch

for t in [torch.tensor([1e-8, 1.0, 1e8]), torch.tensor([0.1, 0.25, 123456.0]), torch.tensor([1e-5, 2e-5]),
          torch.tensor([1e10]), torch.tensor([-0.0, 0.0, 1.5]), torch.tensor([float('nan'), float('inf'), -float('inf'), 2.0]),
          torch.tensor([100000.0, 1.0]), torch.tensor([123.456789, 0.001]), torch.tensor([1e-4, 1e4]),
          torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64) * 1e-3, torch.tensor([3, -4, 1000000]),
          torch.tensor([True, False]), torch.tensor([1.5, 2.5], dtype=torch.float16),
          torch.tensor(7, dtype=torch.int8),
          torch.tensor([255], dtype=torch.uint8), torch.tensor(2.5, dtype=torch.float64), torch.zeros(0), torch.zeros(2, 0),
          torch.tensor([0.1234567891234]).double(), torch.tensor([1e300, 1e-300], dtype=torch.float64)]:
    print(t)
# %%
print(repr(torch.tensor([1.0, 2.0], dtype=torch.float16, requires_grad=True)))
print(torch.arange(6, dtype=torch.int16).view(2, 3))
print(torch.full((2, 2), 1e-9, dtype=torch.float64))
print(torch.tensor([[1e-3, 1e3], [1.0, 10.0]]).T)
str(torch.tensor([0.5, 0.125]))
# %%
torch.tensor([1.123456789, 22.5]).to(torch.float64)
