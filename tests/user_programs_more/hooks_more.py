import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
seen = []
h = x.register_hook(lambda g: seen.append(g.clone()))
y = (x * x).sum()
y.backward()
h.remove()
(x * 3).sum().backward()
print(seen, x.grad)
# %%
# clipping gradients in a hook, doubling them in another
w = torch.tensor([0.5, -4.0], requires_grad=True)
w.register_hook(lambda g: g.clamp(-1, 1))
w.register_hook(lambda g: g * 2)
(w ** 3).sum().backward()
print(w.grad)
# %%
# hooks on intermediates, retain_grad
a = torch.tensor(2.0, requires_grad=True)
b = a * 3
b.retain_grad()
c = b ** 2
def show(g):
    print("grad at b:", g)
b.register_hook(show)
c.backward()
print(a.grad, b.grad, c.grad_fn, b.is_leaf)
# %%
# post-accumulate-grad hook doing an in-place SGD step (optimizer-in-backward)
p = torch.nn.Parameter(torch.tensor([1.0, -1.0]))
def sgd_hook(param):
    with torch.no_grad():
        param.add_(param.grad, alpha=-0.1)
    param.grad = None
p.register_post_accumulate_grad_hook(sgd_hook)
for _ in range(3):
    (p ** 2).sum().backward()
print(p, p.grad)
# %%
# module hooks: forward pre/post, full backward
import torch.nn as nn
torch.manual_seed(0)
lin = nn.Linear(3, 2)
acts = {}
def fwd_hook(mod, inp, out):
    acts["out"] = out.detach()
    return out * 2
def pre_hook(mod, inp):
    return (inp[0] + 1,)
def bwd_hook(mod, gin, gout):
    print("backward:", [None if g is None else tuple(g.shape) for g in gin], [tuple(g.shape) for g in gout])
h1 = lin.register_forward_hook(fwd_hook)
h2 = lin.register_forward_pre_hook(pre_hook)
h3 = lin.register_full_backward_hook(bwd_hook)
inp = torch.ones(4, 3, requires_grad=True)
out = lin(inp)
print(torch.allclose(out, 2 * acts["out"]))
out.sum().backward()
for h in (h1, h2, h3):
    h.remove()
print(torch.allclose(lin(inp), acts["out"] - lin.weight.sum(1)))
print(inp.grad[0])
