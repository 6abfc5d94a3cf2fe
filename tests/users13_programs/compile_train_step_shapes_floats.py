import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)

@torch.compile(backend="eager")     # (inductor would take seconds in the oracle run)
def loss_fn(pred, target, weight):
    return (weight * (pred - target) ** 2).mean() + 0.01 * pred.abs().sum()

p = torch.randn(5, requires_grad=True)
t = torch.randn(5)
for w in [1.0, 0.5, 2.0]:
    l = loss_fn(p, t, w)
    g, = torch.autograd.grad(l, p)
    print(f"w={w}: loss={l.item():.6f}", g)
# a new shape: recompiles (or re-traces) and must still give eager's numbers
p2 = torch.randn(3, 4, requires_grad=True)
l2 = loss_fn(p2, torch.zeros(3, 4), 0.25)
l2.backward()
print(l2, p2.grad)
# %%
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 16)
        self.fc2 = nn.Linear(16, 1)

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))

torch.manual_seed(1)
model = MLP()
cmodel = torch.compile(model, backend="eager")
X = torch.randn(32, 3)
y = (X ** 2).sum(1, keepdim=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-2)

def train_step(xb, yb):
    opt.zero_grad()
    loss = F.mse_loss(cmodel(xb), yb)
    loss.backward()
    opt.step()
    return loss

for epoch in range(20):
    for i in range(0, 32, 8):
        loss = train_step(X[i:i + 8], y[i:i + 8])
    if epoch % 5 == 4:
        print(epoch, round(loss.item(), 5))
with torch.no_grad():
    print(torch.allclose(cmodel(X), model(X)))
numeric(model.fc1.weight)
# %%
# the whole step compiled, with a Python float learning rate changing between calls
torch.manual_seed(2)
w = torch.zeros(3, requires_grad=True)
A = torch.randn(10, 3)
b = torch.randn(10)

@torch.compile(backend="eager")
def step(lr):
    loss = ((A @ w - b) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w.sub_(lr * w.grad)
        w.grad.zero_()
    return loss.detach()

import warnings
with warnings.catch_warnings():
    # (jitgrad runs a function with backward() inside eagerly and says so once; torch is silent)
    warnings.simplefilter("ignore")
    for i, lr in enumerate([0.1, 0.1, 0.05, 0.05, 0.2]):
        print(i, step(lr).item())
print(w)
numeric(w)
# %%
# a compiled function with Python control flow on a tensor value and a batch-size change
@torch.compile(backend="eager", dynamic=False)
def clipped_norm(v, max_norm=1.0):
    n = v.norm()
    if n > max_norm:
        v = v * (max_norm / n)
    return v

print(clipped_norm(torch.tensor([3.0, 4.0])), clipped_norm(torch.tensor([0.3, 0.4])))
print(clipped_norm(torch.ones(6), max_norm=2.0))
q = torch.tensor([3.0, 4.0], requires_grad=True)
clipped_norm(q).sum().backward()
print(q.grad)
