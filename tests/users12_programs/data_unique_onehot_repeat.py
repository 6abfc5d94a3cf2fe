import torch
import torch.nn.functional as F
torch.manual_seed(0)

labels = torch.tensor([3, 1, 3, 0, 1, 1])
u = torch.unique(labels)
print(u)
u, inv, cnt = torch.unique(labels, return_inverse=True, return_counts=True)
print(u, inv, cnt)
print(torch.unique(labels, sorted=False).sort().values)
print(torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1, 1]), return_counts=True))
print(torch.unique(torch.tensor([[1, 2], [1, 2], [0, 5]]), dim=0, return_inverse=True))
print(labels.bincount(), labels.bincount(minlength=6))
w = torch.tensor([0.5, 1.0, 1.5, 2.0, 2.5, 3.0])
print(torch.bincount(labels, weights=w))
# %%
oh = F.one_hot(labels)
print(oh, oh.dtype)
print(F.one_hot(labels, num_classes=5).float().mean(0))
print(F.one_hot(torch.tensor([[0, 1], [2, 0]]), 3).shape)
class_w = 1.0 / cnt.float()
print(class_w[inv])
# %%
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
r = x.repeat_interleave(2)
print(r)
r2 = torch.repeat_interleave(x, torch.tensor([1, 0, 3]))
print(r2)
(r2 * torch.arange(4.0)).sum().backward()
print(x.grad)
print(torch.repeat_interleave(torch.tensor([2, 3])))
m = torch.tensor([[1, 2], [3, 4]])
print(m.repeat_interleave(2, dim=0))
print(m.repeat(2, 3))
print(m.repeat_interleave(torch.tensor([1, 2]), dim=1))
# %%
F.one_hot(torch.tensor([0, 4]), num_classes=3)
# %%
F.one_hot(torch.tensor([0.0, 1.0]))
# %%
torch.repeat_interleave(x, torch.tensor([1, 2]))
# %%
print(torch.repeat_interleave(torch.tensor([1, 2], dtype=torch.int32)))
print(torch.tensor([1.0, 2.0]).repeat_interleave(torch.tensor([3])))
print(torch.tensor([[1, 2], [3, 4]]).repeat_interleave(torch.tensor([1, 0]), dim=0))
print(torch.tensor([1.0, 2.0]).repeat_interleave(torch.tensor([1, 2]), output_size=3))
# %%
x.repeat_interleave(torch.tensor([1, -1, 0]))
# %%
x.repeat_interleave(-1)
# %%
x.repeat_interleave(torch.tensor([1.0, 1.0, 1.0]))
# %%
x.repeat_interleave(torch.tensor([[1, 1, 1]]))
# %%
x.repeat_interleave(2, output_size=5)
# %%
x.repeat_interleave(torch.tensor([1, 1, 1]), output_size=5)
# %%
torch.repeat_interleave(torch.tensor(3))
