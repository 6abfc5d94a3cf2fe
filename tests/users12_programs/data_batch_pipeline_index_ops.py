import torch
torch.manual_seed(0)

# padded sequences -> lengths -> masks
seqs = [torch.tensor([1, 2, 3]), torch.tensor([4]), torch.tensor([5, 6])]
from torch.nn.utils.rnn import pad_sequence
pad = pad_sequence(seqs, batch_first=True, padding_value=0)
print(pad)
lengths = torch.tensor([len(s) for s in seqs])
mask = torch.arange(pad.size(1))[None, :] < lengths[:, None]
print(mask)
emb = torch.randn(7, 4, requires_grad=True)
h = emb[pad]
print(h.shape)
mean_pool = (h * mask.unsqueeze(-1)).sum(1) / lengths.unsqueeze(-1)
numeric(mean_pool)
mean_pool.sum().backward()
print(emb.grad[:, 0])
# last valid token via gather
last = h.gather(1, (lengths - 1).view(-1, 1, 1).expand(-1, 1, 4)).squeeze(1)
numeric(last)
# %%
x = torch.randn(4, 3, requires_grad=True)
y = x.index_select(0, torch.tensor([3, 0, 0]))
y.sum().backward()
print(x.grad)
z = torch.zeros(4, 3).index_add(0, torch.tensor([0, 0, 2]), torch.ones(3, 3))
print(z)
print(torch.zeros(3, 2).index_fill(0, torch.tensor([1]), -1.0))
print(torch.zeros(5).index_put((torch.tensor([0, 0, 3]),), torch.tensor([1.0, 2.0, 3.0]), accumulate=True))
t = torch.arange(12).reshape(3, 4)
print(t[[0, 2]][:, [1, 3]])
print(t[torch.tensor([0, 2]), torch.tensor([1, 3])])
print(t.take(torch.tensor([0, 5, 11])))
print(torch.take_along_dim(t, torch.tensor([[0], [3], [1]]), dim=1))
print(t.flip(1), t.roll(1, dims=0))
# %%
logits = torch.randn(3, 5, requires_grad=True)
top_v, top_i = logits.topk(3, -1)
filtered = torch.full_like(logits, float('-inf')).scatter(-1, top_i, top_v)
print(filtered)
probs = filtered.softmax(-1)
print(probs)
torch.manual_seed(1)
print(torch.multinomial(probs.detach(), 1))
print(torch.multinomial(probs.detach(), 2, replacement=False))
probs[:, 0].sum().backward()
print(logits.grad)
# %%
sorted_logits, sorted_idx = torch.sort(logits.detach(), descending=True)
cum = sorted_logits.softmax(-1).cumsum(-1)
remove = cum > 0.8
remove[..., 1:] = remove[..., :-1].clone()
remove[..., 0] = False
print(remove)
to_remove = remove.scatter(1, sorted_idx, remove)
print(logits.detach().masked_fill(to_remove, -float('inf')))
# %%
torch.zeros(3).index_add(0, torch.tensor([0, 5]), torch.ones(2))
