# ruff: noqa: F821
import torch
import torch.nn.functional as F
torch.manual_seed(20)

# 3-class softmax regression with L2, fitted by L-BFGS (no line search) and by SGD
N, D, C = 60, 4, 3
X = torch.randn(N, D)
W_true = torch.randn(D, C) * 2
y = (X @ W_true).argmax(1)
W = torch.zeros(D, C, requires_grad=True)
b = torch.zeros(C, requires_grad=True)
opt = torch.optim.LBFGS([W, b], lr=1, max_iter=20, history_size=5)
losses = []
def closure():
    opt.zero_grad()
    loss = F.cross_entropy(X @ W + b, y) + 1e-2 * W.pow(2).sum()
    loss.backward()
    losses.append(loss.item())
    return loss
for _ in range(3):
    opt.step(closure)
print(len(losses), f"{losses[0]:.5f} {losses[-1]:.4f}")
acc = ((X @ W + b).argmax(1) == y).float().mean()
print(f"train acc {acc.item():.3f}")
state = opt.state[W]
print(sorted(k for k in opt.state_dict()["state"][0]))
numeric([W, b, acc])
# %%
probs = F.softmax(X[:3] @ W + b, dim=1)
print(probs.sum(1), probs.argmax(1))
print(F.nll_loss(F.log_softmax(X @ W + b, 1), y, reduction="sum"))
numeric([probs, F.cross_entropy(X @ W + b, y, reduction="none")])
