import copy
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 6), nn.ReLU(), nn.Linear(6, 2))
XA, yA = torch.randn(20, 3), torch.randint(0, 2, (20,))
XB, yB = torch.randn(20, 3) + 1, torch.randint(0, 2, (20,))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(20):
    opt.zero_grad()
    F.cross_entropy(model(XA), yA).backward()
    opt.step()
print(f"{F.cross_entropy(model(XA), yA).item():.4f}")
# %%
fisher = {n: torch.zeros_like(p) for n, p in model.named_parameters()}
model.eval()
for i in range(XA.shape[0]):
    model.zero_grad()
    out = F.log_softmax(model(XA[i:i + 1]), dim=1)
    label = out.max(1)[1].view(-1)
    F.nll_loss(out, label).backward()
    for n, p in model.named_parameters():
        fisher[n] += p.grad.detach() ** 2 / XA.shape[0]
print({n: tuple(f.shape) for n, f in fisher.items()})
print(fisher["2.bias"], fisher["0.weight"].max() > 0)
star = {n: p.detach().clone() for n, p in model.named_parameters()}
# %%
def ewc_penalty(model):
    return sum((fisher[n] * (p - star[n]) ** 2).sum() for n, p in model.named_parameters())
print(ewc_penalty(model), ewc_penalty(model).grad_fn)
model.train()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
lam = 50.0
for step in range(15):
    opt.zero_grad()
    lb = F.cross_entropy(model(XB), yB)
    pen = ewc_penalty(model)
    (lb + lam * pen).backward()
    opt.step()
    if step % 5 == 0:
        print(step, f"{lb.item():.4f}", f"{pen.item():.6f}")
print(f"{F.cross_entropy(model(XA), yA).item():.4f}")
# %%
snapshot = copy.deepcopy(model)
print(all(torch.equal(a, b) for a, b in zip(snapshot.parameters(), model.parameters())), snapshot[0].weight.grad is not None)
print(sum(p.numel() for p in snapshot.parameters()), type(ewc_penalty(snapshot)))
# %%
star["0.weight"] + fisher["0.bias"]
