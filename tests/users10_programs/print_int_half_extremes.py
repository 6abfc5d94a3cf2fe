import torch
print(torch.tensor([2**62, -3]), torch.tensor([-(2**63)]), torch.tensor([10**10, 1]) * 3)
# %%
print(torch.tensor([1e-3, 5e2], dtype=torch.float16), torch.tensor([1e-5], dtype=torch.float16), torch.tensor([70000.0]).half())
# %%
print(torch.tensor([0.1, 0.2]) + torch.tensor([0.2, 0.1]), torch.tensor(0.1) * 3, torch.tensor([1 / 3]).double() * 3)
# %%
print(torch.linspace(-1, 1, 7), torch.logspace(-3, 3, 4), torch.arange(-2, 2, 0.5))
# %%
print(torch.randn(3, 3, generator=torch.Generator().manual_seed(3)) * 1000)
# %%
print(torch.randn(2, 3, generator=torch.Generator().manual_seed(3)) * 1e-4)
# %%
print(torch.tensor([[1.0, -1.0], [0.5, 1e-8]]), torch.tensor([99999.0, 0.5]), torch.tensor([999999.0, 0.5]))
# %%
print(torch.tensor([1.0, 2.0]).requires_grad_() * 1, torch.zeros(2, 2, requires_grad=True).sum(0))
# %%
print(torch.eye(3)[None], torch.ones(2, 1, 1, 2))
# %%
torch.set_printoptions(precision=6)
print(torch.tensor([1.0 / 7, 1e-7]), torch.tensor([3.14159265]))
torch.set_printoptions(precision=4)
# %%
print(torch.tensor([float('inf'), 1e-5]), torch.tensor([float('nan'), 1e10]), torch.tensor([-float('inf'), 0.5, 2.0]))
# %%
print(torch.tensor([1, 0, 1], dtype=torch.uint8) * 200, torch.tensor([-128], dtype=torch.int8) - 1)
