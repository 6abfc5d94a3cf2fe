import torch
import torch.nn.functional as F
torch.manual_seed(0)

x = torch.arange(12.0).reshape(3, 4).requires_grad_()
print(x.gather(1, torch.tensor([[-1, 0]]).clamp(min=0)))
print(x[torch.tensor([-1, 0])])
print(x[:, torch.tensor([-1])])
y = x[torch.tensor([[0, 2], [1, 1]])]
print(y.shape)
y.sum().backward()
print(x.grad)
print(x.detach()[x.detach() > 5])
print(x.detach()[[True, False, True]])
print(x.detach()[..., None].shape, x.detach()[None, :, None, 1].shape)
# %%
x.gather(1, torch.tensor([[-1, 0]]))
# %%
x.detach().scatter(1, torch.tensor([[4]]), 1.0)
# %%
x[torch.tensor([3])]
# %%
x.detach()[torch.tensor([True, False])]
# %%
F.one_hot(torch.tensor([-1, 0]), 3)
# %%
x.index_select(0, torch.tensor([0.0]))
# %%
x.detach().masked_select(torch.tensor([[1, 0, 1, 0]]))
# %%
torch.repeat_interleave(torch.tensor([1, -2]))
# %%
x.chunk(0)
# %%
x.split(0)
