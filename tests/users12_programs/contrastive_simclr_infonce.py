import torch
import torch.nn.functional as F
torch.manual_seed(0)

z1 = torch.randn(4, 8, requires_grad=True)
z2 = torch.randn(4, 8, requires_grad=True)
temperature = 0.5


def nt_xent(a, b, t):
    a = F.normalize(a, dim=1)
    b = F.normalize(b, dim=1)
    z = torch.cat([a, b], dim=0)
    sim = z @ z.T / t
    n = a.shape[0]
    mask = torch.eye(2 * n, dtype=torch.bool)
    sim = sim.masked_fill(mask, float('-inf'))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, targets), sim


loss, sim = nt_xent(z1, z2, temperature)
print(loss)
print(sim[0])
loss.backward()
numeric(z1.grad)
numeric(z2.grad)
# %%
logits = F.normalize(z1.detach(), dim=-1) @ F.normalize(z2.detach(), dim=-1).T / 0.07
labels = torch.arange(4)
print(F.cross_entropy(logits, labels, label_smoothing=0.1))
print(F.cross_entropy(logits, labels, label_smoothing=0.1, reduction='none'))
print((F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2)
soft = F.softmax(torch.randn(4, 4), dim=1)
print(F.cross_entropy(logits, soft, label_smoothing=0.2))
w = torch.tensor([1.0, 2.0, 0.5, 1.0])
print(F.cross_entropy(logits, labels, weight=w, label_smoothing=0.1))
print(F.cross_entropy(logits, torch.tensor([0, -100, 2, 3]), label_smoothing=0.1))
# %%
cos = F.cosine_similarity(z1, z2, dim=1)
print(cos)
print(F.cosine_similarity(z1[:, None, :], z2[None, :, :], dim=-1).shape)
print(F.cosine_similarity(torch.zeros(3), torch.ones(3), dim=0))
x = torch.tensor([[3.0, 4.0], [0.0, 0.0]], requires_grad=True)
n = F.normalize(x, p=2, dim=1)
print(n)
n.sum().backward()
print(x.grad)
print(F.normalize(torch.tensor([1.0, -2.0, 2.0]), p=1, dim=0))
# %%
F.cross_entropy(logits, labels, label_smoothing=1.5)
