import math
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)


class ArcMargin(nn.Module):
    def __init__(self, d, n, s=8.0, m=0.3):
        super().__init__()
        self.W = nn.Parameter(torch.randn(n, d))
        self.s, self.m = s, m

    def forward(self, x, y):
        cos = F.linear(F.normalize(x), F.normalize(self.W))
        sin = torch.sqrt((1.0 - cos.pow(2)).clamp(0, 1))
        phi = cos * math.cos(self.m) - sin * math.sin(self.m)
        phi = torch.where(cos > math.cos(math.pi - self.m), phi, cos - math.sin(math.pi - self.m) * self.m)
        one_hot = torch.zeros_like(cos).scatter_(1, y.view(-1, 1).long(), 1)
        return self.s * (one_hot * phi + (1.0 - one_hot) * cos)


head = ArcMargin(4, 5)
x = torch.randn(6, 4, requires_grad=True)
y = torch.tensor([0, 1, 2, 3, 4, 0])
logits = head(x, y)
numeric(logits)
loss = F.cross_entropy(logits, y, label_smoothing=0.1)
print(loss)
loss.backward()
numeric(head.W.grad)
numeric(x.grad)
# %%
proxies = torch.randn(3, 4, requires_grad=True)
emb = F.normalize(torch.randn(5, 4), dim=1)
lab = torch.tensor([0, 2, 1, 1, 0])
dist = torch.cdist(emb, F.normalize(proxies, dim=1)).pow(2)
pl = F.cross_entropy(-dist, lab)
print(pl)
pl.backward()
numeric(proxies.grad)
# %%
sim = emb @ emb.T
pos = lab[None] == lab[:, None]
neg = ~pos
pos = pos & ~torch.eye(5, dtype=torch.bool)
alpha, beta, base = 2.0, 50.0, 0.5
pos_term = torch.log1p(torch.sum(torch.exp(-alpha * (sim - base)) * pos, 1)) / alpha
neg_term = torch.log1p(torch.sum(torch.exp(beta * (sim - base)) * neg, 1)) / beta
numeric((pos_term + neg_term).mean())
print(F.soft_margin_loss(torch.tensor([0.5, -1.0]), torch.tensor([1.0, -1.0])))
print(F.multi_margin_loss(torch.randn(3, 4), torch.tensor([0, 3, 1]), margin=0.5))
print(F.hinge_embedding_loss(torch.tensor([0.2, 1.5, 0.1]), torch.tensor([1.0, -1.0, -1.0])))
print(F.kl_div(F.log_softmax(torch.randn(2, 3), 1), F.softmax(torch.randn(2, 3), 1), reduction='batchmean'))
# %%
F.cross_entropy(torch.randn(3, 4), torch.tensor([0, 1, 4]))
# %%
F.cosine_similarity(torch.randn(3, 4), torch.randn(3, 5))
