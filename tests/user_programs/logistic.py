import torch
import torch.nn.functional as F
import numpy as np
rng = np.random.default_rng(4)
X = torch.tensor(rng.normal(size=(40, 2)), dtype=torch.float32)
y = (X[:, 0] + X[:, 1] > 0).float()
w = torch.zeros(2, requires_grad=True)
b = torch.zeros((), requires_grad=True)
opt = torch.optim.LBFGS([w, b], lr=1, max_iter=20)
def closure():
    opt.zero_grad()
    logits = X @ w + b
    loss = F.binary_cross_entropy_with_logits(logits, y) + 1e-2 * w.pow(2).sum()
    loss.backward()
    return loss
for _ in range(3):
    l = opt.step(closure)
print(w, b, l)
p = torch.sigmoid(X @ w + b)
acc = ((p > 0.5).float() == y).float().mean()
print(acc, acc.item())
