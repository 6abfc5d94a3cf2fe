import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)

emb = nn.Sequential(nn.Linear(5, 6), nn.ReLU(), nn.Linear(6, 3))
x = torch.randn(8, 5)
labels = torch.tensor([0, 0, 1, 1, 2, 2, 0, 1])
e = emb(x)
d = torch.cdist(e, e)
print(d.shape)
numeric(d)
same = labels[:, None] == labels[None, :]
print(same)
# batch-hard mining
pos = d.masked_fill(~same | torch.eye(8, dtype=torch.bool), float('-inf')).max(1).values
neg = d.masked_fill(same, float('inf')).min(1).values
loss = F.relu(pos - neg + 0.2).mean()
print(loss)
loss.backward()
numeric(emb[0].weight.grad)
# %%
a, p, n = torch.randn(3, 4, 5, requires_grad=True).unbind(0)
crit = nn.TripletMarginLoss(margin=1.0, p=2)
print(crit)
l = crit(a, p, n)
print(l)
l.backward()
print(F.triplet_margin_loss(a, p, n, margin=0.5, swap=True, reduction='none'))
print(F.triplet_margin_loss(a, p, n, p=1, eps=1e-3))
print(F.triplet_margin_with_distance_loss(a, p, n, distance_function=lambda u, v: 1 - F.cosine_similarity(u, v)))
print(nn.TripletMarginWithDistanceLoss(margin=0.3))
# %%
print(torch.cdist(torch.randn(2, 3, 4), torch.randn(2, 5, 4), p=1).shape)
numeric(torch.cdist(torch.tensor([[0.0, 0.0], [1.0, 1.0]]), torch.tensor([[1.0, 0.0]]), p=float('inf')))
numeric(torch.cdist(torch.tensor([[0.0, 0.0], [1.0, 1.0]]), torch.tensor([[1.0, 0.0]]), p=0))
xx = torch.tensor([[0.0, 0.0], [1.0, 1.0]], requires_grad=True)
dd = torch.cdist(xx, xx)
dd.sum().backward()
print(xx.grad)
print(F.pairwise_distance(torch.ones(2, 3), torch.zeros(2, 3)))
print(F.pdist(torch.tensor([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]])))
cel = nn.CosineEmbeddingLoss(margin=0.1)
print(cel(torch.randn(3, 4), torch.randn(3, 4), torch.tensor([1, -1, 1])))
print(nn.MarginRankingLoss(margin=0.5)(torch.tensor([1.0, 2.0]), torch.tensor([2.0, 1.0]), torch.tensor([1.0, 1.0])))
# %%
torch.cdist(torch.randn(3, 4), torch.randn(3, 5))
# %%
F.triplet_margin_loss(torch.randn(2, 3), torch.randn(2, 3), torch.randn(2, 4))
# %%
torch.cdist(torch.randn(2, 3, dtype=torch.float64), torch.randn(4, 3))
# %%
torch.cdist(torch.randn(2, 3), torch.randn(40, 3, dtype=torch.float64))
# %%
torch.cdist(torch.randint(0, 3, (2, 3)), torch.randn(4, 3))
