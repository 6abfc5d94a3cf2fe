# ruff: noqa: F821
import torch
import torch.nn as nn
torch.manual_seed(2)

# bag-of-words encoder: embedding with padding, layer norm, masked mean pooling
vocab, dim, pad = 12, 6, 0
emb = nn.Embedding(vocab, dim, padding_idx=pad)
norm = nn.LayerNorm(dim)
proj = nn.Linear(dim, 1)
print(emb, norm)
print(emb.weight[pad])
tokens = torch.tensor([[3, 5, 7, 0, 0], [1, 2, 2, 9, 11], [4, 0, 0, 0, 0]])
mask = (tokens != pad).float().unsqueeze(-1)
h = norm(emb(tokens))
pooled = (h * mask).sum(1) / mask.sum(1)
score = proj(pooled).squeeze(-1)
print(score.shape, score.grad_fn.name())
loss = (score - torch.tensor([1.0, -1.0, 0.5])).pow(2).mean()
loss.backward()
print(emb.weight.grad[pad], emb.weight.grad[8].abs().sum())
numeric([score, loss, emb.weight.grad, norm.weight.grad, norm.bias.grad])
# %%
print(emb.weight.grad.nonzero()[:, 0].unique())
e2 = nn.Embedding.from_pretrained(torch.arange(12.0).reshape(4, 3), freeze=True)
print(e2.weight.requires_grad, e2(torch.tensor([[1, 3]])))
e3 = nn.Embedding(5, 2, max_norm=1.0)
with torch.no_grad():
    e3.weight.mul_(10)
out = e3(torch.tensor([0, 4]))
print(out.norm(dim=1))
numeric([out.norm(dim=1)])
