import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
corpus = "the quick brown fox jumps over the lazy dog the dog sleeps".split()
vocab = sorted(set(corpus))
w2i = {w: i for i, w in enumerate(vocab)}
V, E = len(vocab), 5
pairs = [(w2i[corpus[i]], w2i[corpus[j]]) for i in range(len(corpus))
         for j in range(max(0, i - 2), min(len(corpus), i + 3)) if i != j]
print(len(pairs), pairs[:4])
counts = torch.bincount(torch.tensor([w2i[w] for w in corpus]), minlength=V).float()
noise = counts ** 0.75
noise /= noise.sum()
print(noise)
# %%
class SkipGram(nn.Module):
    def __init__(self):
        super().__init__()
        self.in_embed = nn.Embedding(V, E)
        self.out_embed = nn.Embedding(V, E)
        self.in_embed.weight.data.uniform_(-0.5 / E, 0.5 / E)
        self.out_embed.weight.data.zero_()
    def forward(self, c, o, neg):
        vc = self.in_embed(c)
        uo = self.out_embed(o)
        un = self.out_embed(neg)
        pos = F.logsigmoid((vc * uo).sum(-1))
        negs = F.logsigmoid(-torch.bmm(un, vc.unsqueeze(2)).squeeze(2)).sum(-1)
        return -(pos + negs).mean()

model = SkipGram()
c = torch.tensor([p[0] for p in pairs])
o = torch.tensor([p[1] for p in pairs])
neg = torch.multinomial(noise, len(pairs) * 3, replacement=True).view(len(pairs), 3)
loss = model(c, o, neg)
print(loss, loss.grad_fn)
loss.backward()
print(model.in_embed.weight.grad.abs().sum(), model.out_embed.weight.grad[w2i["the"]])
# %%
opt = torch.optim.Adam(model.parameters(), lr=0.05)
for epoch in range(30):
    neg = torch.multinomial(noise, len(pairs) * 3, replacement=True).view(len(pairs), 3)
    opt.zero_grad()
    loss = model(c, o, neg)
    loss.backward()
    opt.step()
    if epoch % 10 == 0:
        print(epoch, f"{loss.item():.4f}")
# %%
emb = model.in_embed.weight.detach()
sims = F.cosine_similarity(emb[w2i["dog"]].unsqueeze(0), emb, dim=1)
top = sims.topk(3)
print([vocab[i] for i in top.indices], top.values.shape)
normed = F.normalize(emb, dim=1)
print(torch.allclose(normed @ normed[w2i["dog"]], sims, atol=1e-6))
# %%
model.in_embed(torch.tensor([[0, V]]))
