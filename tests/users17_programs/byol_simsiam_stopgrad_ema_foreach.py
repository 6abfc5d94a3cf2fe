import copy
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
encoder = nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 4))
predictor = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 4))

def D(p, z):
    return -F.cosine_similarity(p, z.detach(), dim=-1).mean()

x = torch.randn(8, 6)
x1, x2 = x + 0.1 * torch.randn_like(x), x + 0.1 * torch.randn_like(x)
z1, z2 = encoder(x1), encoder(x2)
p1, p2 = predictor(z1), predictor(z2)
L = D(p1, z2) / 2 + D(p2, z1) / 2
print(L, L.grad_fn)
L.backward()
print(encoder[0].weight.grad.abs().sum(), encoder[1].running_mean)
# %%
target = copy.deepcopy(encoder)
for p in target.parameters():
    p.requires_grad = False
opt = torch.optim.SGD(list(encoder.parameters()) + list(predictor.parameters()), lr=0.05, momentum=0.9)
tau = 0.9
for step in range(6):
    opt.zero_grad()
    online = predictor(encoder(x1))
    with torch.no_grad():
        tgt = target(x2)
    loss = 2 - 2 * F.cosine_similarity(online, tgt, dim=-1).mean()
    loss.backward()
    opt.step()
    with torch.no_grad():
        for pt, po in zip(target.parameters(), encoder.parameters()):
            pt.mul_(tau).add_(po, alpha=1 - tau)
    print(step, f"{loss.item():.4f}")
# %%
tp = list(target.parameters())
op = list(encoder.parameters())
before = [t.clone() for t in tp]
with torch.no_grad():
    torch._foreach_mul_(tp, tau)
    torch._foreach_add_(tp, op, alpha=1 - tau)
print(all(torch.allclose(t, tau * b + (1 - tau) * o) for t, b, o in zip(tp, before, op)))
with torch.no_grad():
    torch._foreach_lerp_(tp, op, 0.5)
print(torch.allclose(tp[0], 0.5 * (tau * before[0] + (1 - tau) * op[0]) + 0.5 * op[0]))
print(torch._foreach_norm(op)[0], [t.shape for t in torch._foreach_sqrt([p.abs() for p in op])][:2])
# %%
z = encoder(x)
print(F.normalize(z, dim=1).norm(dim=1), z.std(0).mean() > 0)
std_loss = F.relu(1 - torch.sqrt(z.var(dim=0) + 1e-4)).mean()
print(std_loss.grad_fn, f"{std_loss.item():.5f}")
# %%
torch._foreach_add_(tp, op[:2])
