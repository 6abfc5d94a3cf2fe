import torch
import torch.nn as nn

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
handles = []
handles.append(y.register_hook(lambda g: print("y.grad in hook:", g)))
handles.append(y.register_hook(lambda g: g * 0.5))
handles.append(x.register_hook(lambda g: print("x hook sees", g)))
z = (y ** 2).sum()
z.backward()
print("x.grad", x.grad)
for h in handles:
    h.remove()
x.grad.zero_()
(x * 2).pow(2).sum().backward()
print("after removal", x.grad)
# %%
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
grads = {}
def save_grad(name):
    def hook(grad):
        grads[name] = grad.clone()
    return hook
for name, p in model.named_parameters():
    p.register_hook(save_grad(name))
acts = {}
def fwd_hook(mod, inp, out):
    acts[type(mod).__name__] = out.detach()
model[1].register_forward_hook(fwd_hook)
model[0].register_full_backward_hook(lambda m, gi, go: print("bwd hook", type(m).__name__, [None if g is None else tuple(g.shape) for g in gi], [tuple(g.shape) for g in go]))
out = model(torch.randn(5, 3)).pow(2).mean()
out.backward()
print(sorted(grads))
print(all(torch.equal(grads[n], p.grad) for n, p in model.named_parameters()))
print(acts["Tanh"].shape, f"{acts['Tanh'].abs().max().item() < 1}")
# %%
p = nn.Parameter(torch.ones(2))
p.register_post_accumulate_grad_hook(lambda t: print("accumulated", t.grad))
(p * 3).sum().backward()
(p * 3).sum().backward()
print(p.grad)
v = torch.ones(2, requires_grad=True)
w = v * 1
w.retain_grad()
w.register_hook(lambda g: g + 100)
w.sum().backward()
print(w.grad, v.grad)
try:
    torch.ones(2).register_hook(lambda g: g)
except RuntimeError as e:
    print(e)
