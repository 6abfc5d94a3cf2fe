import torch

torch.manual_seed(17)
big = torch.randn(50, 40)
print(big)
# %%
print(torch.arange(2000))
print(torch.arange(1500).reshape(30, 50).to(torch.int64) * 1000)
# %%
print(torch.arange(12).reshape(3, 4) % 3 == 0)
print(torch.zeros(1001, dtype=torch.bool))
# %%
x = torch.tensor([1e-8, 1.0, 1e8])
print(x)
print(torch.tensor([1e-3, 1.0, 123.456]))
print(torch.tensor([0.1, 100000.0]))
print(torch.tensor([1.0, 2.0, 3.0]) * 1e5)
torch.set_printoptions(sci_mode=False)
print(x)
torch.set_printoptions(sci_mode=True)
print(torch.tensor([1.0, 2.5]))
torch.set_printoptions(sci_mode=None)
# %%
torch.set_printoptions(precision=8)
print(torch.tensor([1 / 3, 2 / 3], dtype=torch.float64))
torch.set_printoptions(precision=2, threshold=5, edgeitems=1)
print(torch.arange(10.0) / 7)
print(torch.randn(4, 4, 4))
torch.set_printoptions(profile="default")
print(torch.arange(10.0) / 7)
# %%
torch.set_printoptions(linewidth=40)
print(torch.randn(3, 12))
torch.set_printoptions(profile="full")
print(torch.arange(1200).reshape(2, 600)[:, :3])
torch.set_printoptions(profile="short")
print(torch.randn(30, 30))
torch.set_printoptions(profile="default")
# %%
w = torch.randn(100, requires_grad=True)
print(w * 2)
print(torch.randn(2000, dtype=torch.float64).sum(0, keepdim=True))
print(torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5]))
print(torch.tensor([-0.0, 0.0, 1e-20]))
