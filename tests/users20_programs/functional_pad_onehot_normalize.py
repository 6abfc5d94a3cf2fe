import torch
import torch.nn.functional as F

x = torch.arange(1.0, 7.0).reshape(1, 2, 3)
print(F.pad(x, (1, 2)), F.pad(x, (1, 1, 1, 0), value=-1.0).shape)
print(F.pad(x, (2, 1), mode="reflect"), F.pad(x, (1, 1), mode="replicate"), F.pad(x, (1, 1), mode="circular"))
# %%
labels = torch.tensor([0, 2, 1, 2])
print(F.one_hot(labels), F.one_hot(labels, num_classes=4).dtype)
try:
    F.one_hot(torch.tensor([0.0, 1.0]))
except RuntimeError as e:
    print(e)
# %%
v = torch.tensor([[3.0, 4.0], [0.0, 0.0], [1.0, -1.0]], requires_grad=True)
n = F.normalize(v, dim=1)
print(n)
n[:, 0].sum().backward()
print(v.grad)
print(F.normalize(v.detach(), p=1, dim=0))
# %%
a = torch.tensor([[1.0, 0.0], [1.0, 1.0]])
b = torch.tensor([[0.0, 1.0], [2.0, 2.0]])
print(F.cosine_similarity(a, b), F.cosine_similarity(a, b, dim=0), F.pairwise_distance(a, b))
print(torch.cdist(a, b), F.pdist(a))
