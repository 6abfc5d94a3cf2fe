import torch
import torch.nn as nn

torch.manual_seed(7)
emb = nn.Embedding(10, 4, padding_idx=0)
print(emb)
print(emb.weight[0])
tokens = torch.tensor([[1, 2, 0, 0], [3, 3, 4, 0]])
e = emb(tokens)
print(e.shape, e.grad_fn)
e.sum().backward()
print(emb.weight.grad[:5])
# %%
mask = (tokens != 0).unsqueeze(-1).float()
mean_pool = (emb(tokens) * mask).sum(1) / mask.sum(1)
print(mean_pool)
# %%
emb2 = nn.Embedding(6, 3, max_norm=1.0)
idx = torch.tensor([1, 2, 2, 5])
before = emb2.weight.detach().norm(dim=1)
out = emb2(idx)
after = emb2.weight.detach().norm(dim=1)
print(before)
print(after)
print(out.norm(dim=1))
# %%
pre = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
frozen = nn.Embedding.from_pretrained(pre)
print(frozen.weight.requires_grad, frozen(torch.tensor([2, 0])))
trainable = nn.Embedding.from_pretrained(pre, freeze=False, padding_idx=1)
print(trainable)
trainable(torch.tensor([1, 2, 1])).sum().backward()
print(trainable.weight.grad)
# %%
sparse_free = nn.functional.embedding(torch.tensor([0, 2]), pre)
print(sparse_free)
emb(torch.tensor([10]))
# %%
emb(torch.tensor([1.0]))
