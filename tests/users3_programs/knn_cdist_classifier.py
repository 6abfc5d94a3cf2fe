# ruff: noqa: F821
import torch
import torch.nn.functional as F
torch.manual_seed(58)

# k-nearest-neighbour classification with cdist/topk, and a soft (differentiable) version trained with Adam
train = torch.randn(30, 2)
labels = (train[:, 0] * train[:, 1] > 0).long()
test = torch.randn(8, 2)
D = torch.cdist(test, train)
vals, idx = D.topk(5, dim=1, largest=False)
votes = F.one_hot(labels[idx], 2).sum(1)
pred = votes.argmax(1)
print(D.shape, idx[0], votes[:3], pred)
print(torch.pdist(train[:4]), F.cosine_similarity(test[:, None], train[None, :4], dim=-1).shape)
numeric([D, vals, pred])
# %%
log_temp = torch.zeros((), requires_grad=True)
proj = torch.eye(2).requires_grad_()
opt = torch.optim.Adam([log_temp, proj], lr=0.05)
for it in range(20):
    z = train @ proj
    d = torch.cdist(z, z) + torch.eye(30) * 1e6
    w = torch.softmax(-d / log_temp.exp(), 1)
    p = w @ F.one_hot(labels, 2).float()
    loss = F.nll_loss(torch.log(p + 1e-9), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"{loss.item():.5f}", log_temp.exp().item() > 0)
numeric([loss, log_temp, proj])
