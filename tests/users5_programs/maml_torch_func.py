import torch
from torch.func import grad, vmap, jacrev
# MAML-ish with torch.func
torch.manual_seed(1)
w = torch.randn(3, requires_grad=True)
xs = torch.randn(4, 5, 3)
ys = torch.randn(4, 5)
def loss(w, x, y):
    return ((x @ w - y) ** 2).mean()
def adapted(w, x, y):
    return w - 0.1 * grad(loss)(w, x, y)
def meta(w):
    return vmap(lambda x, y: loss(adapted(w, x, y), x, y))(xs, ys).mean()
m = meta(w)
m.backward()
print(m, w.grad)
# %%
print(jacrev(meta)(w.detach()))
# %%
from torch.func import functional_call
net = torch.nn.Linear(3, 1)
p = dict(net.named_parameters())
def inner(p, x, y):
    return ((functional_call(net, p, (x,)).squeeze(-1) - y) ** 2).mean()
g = grad(inner)(p, xs[0], ys[0])
fast = {k: v - 0.5 * g[k] for k, v in p.items()}
outer = inner(fast, xs[1], ys[1])
outer.backward()
numeric(net.weight.grad)
print(net.bias.grad.shape, fast["weight"].requires_grad)
