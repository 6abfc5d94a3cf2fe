# ruff: noqa: F821
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(59)

# fastText-style classifier: EmbeddingBag over flat token ids with offsets
vocab, dim = 20, 4
bag = nn.EmbeddingBag(vocab, dim, mode="mean")
fc = nn.Linear(dim, 2)
print(bag, fc)
tokens = torch.tensor([1, 4, 7, 2, 2, 9, 15, 3, 3, 3])
offsets = torch.tensor([0, 3, 6])
y = torch.tensor([0, 1, 1])
opt = torch.optim.SGD(list(bag.parameters()) + list(fc.parameters()), lr=0.5)
for epoch in range(20):
    logits = fc(bag(tokens, offsets))
    loss = F.cross_entropy(logits, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"{loss.item():.6f}", logits.argmax(1))
numeric([loss, bag.weight, fc.weight])
# %%
s = nn.EmbeddingBag(vocab, dim, mode="sum")
w = torch.rand(10)
out = s(tokens, offsets, per_sample_weights=w)
mx = nn.EmbeddingBag(vocab, dim, mode="max")(tokens.reshape(2, 5))
print(out.shape, mx.shape)
fb = F.embedding_bag(tokens, s.weight, offsets, mode="sum")
print(torch.allclose(fb, s(tokens, offsets)))
out.sum().backward()
print(s.weight.grad.sum(1)[:8])
numeric([out, mx, s.weight.grad])
