import torch

t = torch.arange(24).reshape(2, 3, 4)
print(torch.movedim(t, 0, -1).shape, t.movedim((0, 1), (2, 0)).shape)
print(torch.moveaxis(t, 1, 0).shape, t.swapaxes(0, 2).shape, t.swapdims(1, 2).shape)
print(torch.movedim(t, -1, 0)[1])
# %%
print(t.narrow(2, 1, 2), torch.narrow(t, 0, 1, 1).shape)
print(t.narrow(-1, torch.tensor(2), 2)[0])
try:
    t.narrow(1, 2, 5)
except RuntimeError as e:
    print(e)
# %%
scores = torch.tensor([[0.1, 0.9, 0.4], [0.7, 0.2, 0.3]], requires_grad=True)
idx = scores.argmax(dim=1, keepdim=True)
best = torch.take_along_dim(scores, idx, dim=1)
print(idx, best)
best.sum().backward()
print(scores.grad)
print(torch.take_along_dim(scores, torch.tensor([[2, 0]])).shape)
print(torch.take_along_dim(scores.detach(), scores.detach().argsort(dim=1), dim=1))
# %%
print(torch.take(t, torch.tensor([0, 5, 23])), t.flatten()[torch.tensor([1, -1])])
