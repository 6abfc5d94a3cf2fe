import torch

x = torch.arange(1, 13, dtype=torch.float32).reshape(3, 4) / 7
torch.set_printoptions(precision=2)
print(x)
torch.set_printoptions(precision=6)
print(x[0])
# %%
torch.set_printoptions(sci_mode=True)
print(x[:2, :2])
torch.set_printoptions(sci_mode=False)
print(torch.tensor([1e-6, 1e6]))
torch.set_printoptions(sci_mode=None)
print(torch.tensor([1e-6, 1e6]))
# %%
torch.set_printoptions(threshold=5, edgeitems=2)
print(torch.arange(20))
print(torch.arange(40).reshape(8, 5))
torch.set_printoptions(profile="default")
print(torch.arange(20))
# %%
torch.set_printoptions(profile="short")
print(torch.rand(1) * 0 + torch.tensor([1 / 3]))
print(torch.arange(2000.0))
torch.set_printoptions(profile="full")
print(torch.arange(30).reshape(3, 10))
torch.set_printoptions(profile="default")
# %%
torch.set_printoptions(linewidth=30)
print(torch.arange(12.0) * 1.5)
torch.set_printoptions(linewidth=80)
print(torch.arange(12.0) * 1.5)
torch.set_printoptions(profile="default")
