import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
def f(x, y):
    a = torch.sin(x) + torch.cos(y)
    return (a * a).sum(), a

cf = torch.compile(f, backend="eager")
x = torch.randn(5, requires_grad=True)
y = torch.randn(5)
s, a = cf(x, y)
s.backward()
print(s, a.grad_fn is not None, x.grad)
x.grad = None
s2, _ = f(x, y)
s2.backward()
print(torch.allclose(s, s2), x.grad)
# %%
model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
cmodel = torch.compile(model, backend="eager")
print(type(cmodel).__name__, cmodel._orig_mod is model)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
X = torch.randn(20, 3)
Y = X.sum(1, keepdim=True)
for step in range(12):
    opt.zero_grad()
    loss = F.mse_loss(cmodel(X), Y)
    loss.backward()
    opt.step()
    if step % 4 == 0:
        print(step, f"{loss.item():.5f}")
print(list(cmodel.state_dict().keys())[:2])
# %%
@torch.compile(backend="eager", fullgraph=False)
def step_fn(w, x, t):
    pred = x @ w
    loss = ((pred - t) ** 2).mean()
    return loss

w = torch.zeros(3, 1, requires_grad=True)
for i in range(5):
    loss = step_fn(w, X, Y)
    (g,) = torch.autograd.grad(loss, w)
    with torch.no_grad():
        w -= 0.2 * g
print(w.squeeze(), f"{loss.item():.5f}")
# %%
@torch.compile(backend="eager")
def branchy(x):
    if x.sum() > 0:
        return x * 2
    return -x
print(branchy(torch.ones(3)), branchy(-torch.ones(3)))
print(branchy(torch.tensor([1.0, -3.0], requires_grad=True)).grad_fn)
# %%
torch._dynamo.reset()
opt_fn = torch.compile(lambda t: torch.relu(t).sum(), backend="eager", dynamic=True)
for n in (2, 3, 4):
    t = torch.arange(float(n)) - 1
    t.requires_grad_()
    out = opt_fn(t)
    out.backward()
    print(n, out.item(), t.grad)
