import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)

feats = torch.randn(6, 5, requires_grad=True)
labels = torch.tensor([0, 1, 0, 2, 1, 0])
z = F.normalize(feats, dim=-1)
sim = torch.matmul(z, z.T) / 0.1
logits_max, _ = torch.max(sim, dim=1, keepdim=True)
logits = sim - logits_max.detach()
pos_mask = (labels.unsqueeze(0) == labels.unsqueeze(1)).float()
self_mask = torch.scatter(torch.ones_like(pos_mask), 1, torch.arange(6).view(-1, 1), 0)
pos_mask = pos_mask * self_mask
print(pos_mask)
exp_logits = torch.exp(logits) * self_mask
log_prob = logits - torch.log(exp_logits.sum(1, keepdim=True))
mean_log_prob_pos = (pos_mask * log_prob).sum(1) / pos_mask.sum(1).clamp(min=1)
loss = -mean_log_prob_pos.mean()
print(loss)
loss.backward()
numeric(feats.grad)
# %%
class CLIPish(nn.Module):
    def __init__(self):
        super().__init__()
        self.img = nn.Linear(7, 4)
        self.txt = nn.Linear(3, 4)
        self.logit_scale = nn.Parameter(torch.ones([]) * torch.log(torch.tensor(1 / 0.07)))

    def forward(self, i, t):
        ie = self.img(i)
        te = self.txt(t)
        ie = ie / ie.norm(dim=1, keepdim=True)
        te = te / te.norm(dim=-1, keepdim=True)
        s = self.logit_scale.exp()
        return s * ie @ te.t(), s * te @ ie.t()


m = CLIPish()
print(m.logit_scale)
li, lt = m(torch.randn(4, 7), torch.randn(4, 3))
gt = torch.arange(4)
loss = (F.cross_entropy(li, gt) + F.cross_entropy(lt, gt, label_smoothing=0.05)) / 2
print(loss)
loss.backward()
numeric(m.logit_scale.grad)
numeric(m.img.weight.grad)
with torch.no_grad():
    m.logit_scale.clamp_(0, 4.6052)
print(m.logit_scale)
print((li.argmax(1) == gt).float().mean())
# %%
emb = torch.randn(5, 3)
k = 2
d = torch.cdist(emb, emb)
d.fill_diagonal_(float('inf'))
print(d.topk(k, largest=False))
knn = d.topk(k, largest=False).indices
print(F.one_hot(knn, 5).sum(1))
print(torch.nn.functional.pairwise_distance(emb[:2], emb[2:4], keepdim=True))
