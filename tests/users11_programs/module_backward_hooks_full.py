import torch
import torch.nn as nn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
log = []


def bwd(module, grad_input, grad_output):
    log.append(("bwd", type(module).__name__, [None if g is None else g.shape for g in grad_input]))


def bwd_pre(module, grad_output):
    log.append(("pre", type(module).__name__, [g.shape for g in grad_output]))
    return (grad_output[0] * 2,)


h1 = model[2].register_full_backward_pre_hook(bwd_pre)
h2 = model[2].register_full_backward_hook(bwd)
h3 = model.register_full_backward_hook(bwd)
x = torch.randn(2, 3, requires_grad=True)
model(x).sum().backward()
for entry in log:
    print(entry)
numeric(model[0].weight.grad)
numeric(x.grad)
h1.remove(); h2.remove(); h3.remove()
# %%
def scale_input_grad(module, grad_input, grad_output):
    return tuple(None if g is None else g * 0 for g in grad_input)


model.zero_grad()
h = model[1].register_full_backward_hook(scale_input_grad)
model(x).sum().backward()
print(model[0].weight.grad.abs().sum(), model[2].weight.grad.abs().sum() > 0)
h.remove()
# %%
def bad(module, grad_input, grad_output):
    return (torch.ones(7),)


h = model[1].register_full_backward_hook(bad)
model(x).sum().backward()
# %%
h.remove()
counts = {"n": 0}


def count_forward(module, args, output):
    counts["n"] += 1


handle = nn.modules.module.register_module_forward_hook(count_forward)
model(torch.randn(1, 3))
handle.remove()
model(torch.randn(1, 3))
print(counts)
# %%
grads = {}
for name, p in model.named_parameters():
    p.register_hook(lambda g, name=name: grads.__setitem__(name, g.norm().item()))
model.zero_grad()
model(x).pow(2).sum().backward()
print(sorted(grads))
numeric(list(grads.values()))
# %%
acc = []
for p in model.parameters():
    p.register_post_accumulate_grad_hook(lambda p: acc.append(tuple(p.grad.shape)))
model(x).sum().backward()
print(acc)
# %%
def wrong_count(module, grad_input, grad_output):
    return (grad_input[0], grad_input[0])


lin = nn.Linear(2, 2)
h = lin.register_full_backward_hook(wrong_count)
lin(torch.ones(1, 2, requires_grad=True)).sum().backward()
# %%
h.remove()
h = lin.register_full_backward_hook(lambda m, gi, go: (gi[0].double(),))
lin(torch.ones(1, 2, requires_grad=True)).sum().backward()
# %%
h.remove()
h = lin.register_full_backward_pre_hook(lambda m, go: (go[0], go[0]))
lin(torch.ones(1, 2, requires_grad=True)).sum().backward()
# %%
h.remove()
h = lin.register_full_backward_hook(lambda m, gi, go: (torch.ones(1, 2),))
lin(torch.ones(1, 2)).sum().backward()
