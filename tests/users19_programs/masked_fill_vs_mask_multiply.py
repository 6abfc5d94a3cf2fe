import torch

# attention masking: masked_fill(-inf) vs multiplying by a mask
scores = torch.tensor([[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]], requires_grad=True)
mask = torch.tensor([[True, True, False], [True, False, False]])
att = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
print(att)
(att * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print(scores.grad)
# %%
# multiplying after the softmax: the masked entries still take probability mass
scores.grad = None
att2 = torch.softmax(scores, dim=-1) * mask
print(att2)
(att2 * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print(scores.grad)
# %%
# multiplying the scores by a -inf mask gives nan
scores.grad = None
bad = scores * torch.where(mask, 1.0, float("-inf"))
print(bad)
(torch.softmax(bad, -1) * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print(scores.grad)
# %%
# a fully masked row is nan in the forward already
scores.grad = None
all_masked = torch.zeros(2, 3, dtype=torch.bool)
all_masked[0] = True
out = torch.softmax(scores.masked_fill(~all_masked, float("-inf")), -1)
print(out)
(out[0] * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print(scores.grad)
# %%
# masked_fill with a finite large negative number, float64
s64 = torch.tensor([2.0, 1.0, 0.0], dtype=torch.float64, requires_grad=True)
p = torch.softmax(s64.masked_fill(torch.tensor([False, False, True]), -1e9), 0)
print(p)
torch.log(p[0]).backward()
print(s64.grad)
