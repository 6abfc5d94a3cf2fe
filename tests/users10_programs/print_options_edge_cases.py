import torch
torch.set_printoptions(precision=2, sci_mode=False)
print(torch.tensor([1e-10, 123456789.0]))
# %%
torch.set_printoptions(linewidth=30)
print(torch.arange(20.))
print(torch.arange(20))
# %%
torch.set_printoptions(threshold=3)
print(torch.zeros(2, 2, 2))
print(torch.arange(7).view(7, 1))
# %%
torch.set_printoptions(edgeitems=0, threshold=1)
print(torch.arange(10))
# %%
torch.set_printoptions(precision=0)
print(torch.tensor([1.5, 2.5, 100.7]))
# %%
torch.set_printoptions(precision=10)
print(torch.tensor([1.0/3]))
print(torch.tensor([1.0/3], dtype=torch.float64))
# %%
print(torch.get_printoptions() if hasattr(torch, 'get_printoptions') else None)
# %%
print(torch.tensor([[1e-5, 1.0], [float('nan'), -float('inf')]]))
print(torch.tensor([1e16, 1.0]), torch.tensor([1e15, 1.0]))
# %%
print(torch.tensor([123456789.0, 1.0]), torch.tensor([12345678.0]), torch.tensor([0.00012345]))
# %%
print(torch.tensor([[-1.5, 2.25], [1000.0, -0.001]], dtype=torch.float64))
# %%
print(torch.tensor([1, 2], dtype=torch.int32), torch.tensor([1.0, 2.0], dtype=torch.float16) / 3, torch.tensor(True))
# %%
print(torch.tensor([[True, False], [False, True]]), torch.empty(0, 3, dtype=torch.int64), torch.tensor([], dtype=torch.bool))
# %%
torch.set_printoptions(sci_mode=True, precision=2)
print(torch.tensor([0.0, 1.0]), torch.tensor([5]), torch.tensor(0.5, requires_grad=True))
# %%
torch.set_printoptions(profile='full')
print(torch.arange(30.).view(3, 10) / 3)
# %%
print(torch.tensor(float('nan')), torch.tensor(-float('inf')), torch.tensor(-0.0), torch.tensor(1e-45), torch.tensor(3.4e38))
# %%
print(torch.tensor([1e-45, 1.0]), torch.tensor([0.1, 0.2], dtype=torch.float16), torch.tensor([65504.0], dtype=torch.float16))
# %%
x = torch.arange(1500.).view(3, 500)
print(x)
print(x.T.shape, x[:, :3])
# %%
print(torch.tensor([[[1.0]]]), torch.ones(1, 0, 2), torch.tensor([2.0]).expand(3))
# %%
print(torch.tensor([-5, 3, 100]) // 3, torch.tensor([7]) % -3, torch.tensor([2]) ** 40)
