import torch
import torch.nn as nn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Sequential(nn.Linear(4, 4), nn.Tanh()), nn.Linear(4, 2))
for name, m in model.named_modules():
    print(repr(name), type(m).__name__)
print([n for n, _ in model.named_children()])
print([n for n, _ in model.named_parameters()])
print(sum(p.numel() for p in model.parameters() if p.requires_grad))
# %%
@torch.no_grad()
def init_weights(m):
    print(type(m).__name__)
    if type(m) == nn.Linear:
        m.weight.fill_(1.0)
        nn.init.zeros_(m.bias)


model.apply(init_weights)
print(model[0].weight)
# %%
def init_xavier(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight, gain=nn.init.calculate_gain("tanh"))
        nn.init.constant_(m.bias, 0.01)


torch.manual_seed(1)
model.apply(init_xavier)
numeric(model[2][0].weight)
print(nn.init.calculate_gain("relu"), nn.init.calculate_gain("leaky_relu", 0.2), nn.init.calculate_gain("selu"))
# %%
activations = {}


def get_activation(name):
    def hook(model, input, output):
        activations[name] = output.detach()
    return hook


h1 = model[1].register_forward_hook(get_activation("relu"))
h2 = model[2].register_forward_hook(get_activation("block"))
x = torch.randn(2, 3)
out = model(x)
print(sorted(activations), activations["relu"].shape)
numeric(activations["block"])
h1.remove(); h2.remove()
activations.clear()
model(x)
print(activations)
# %%
grads = []


def bhook(module, grad_input, grad_output):
    grads.append((type(module).__name__, [None if g is None else tuple(g.shape) for g in grad_input],
                  [tuple(g.shape) for g in grad_output]))


handles = [m.register_full_backward_hook(bhook) for m in model.modules() if not isinstance(m, nn.Sequential)]
model(torch.randn(2, 3, requires_grad=True)).sum().backward()
for g in grads:
    print(g)
for h in handles:
    h.remove()
# %%
def pre_hook(module, args):
    print("pre", type(module).__name__, args[0].shape)
    return (args[0] * 2,)


def fwd_hook_kwargs(module, args, kwargs, output):
    print("kw", kwargs)
    return output + 1


lin = nn.Linear(2, 2)
h = lin.register_forward_pre_hook(pre_hook)
h2 = lin.register_forward_hook(fwd_hook_kwargs, with_kwargs=True)
numeric(lin(torch.ones(1, 2)))
h.remove(); h2.remove()
numeric(lin(torch.ones(1, 2)))
# %%
sd = model.state_dict()
print(type(sd).__name__, list(sd)[:3])
clone = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Sequential(nn.Linear(4, 4), nn.Tanh()), nn.Linear(4, 2))
print(clone.load_state_dict(sd))
print(all(torch.equal(a, b) for a, b in zip(clone.parameters(), model.parameters())))
sd2 = dict(sd)
sd2["extra.weight"] = torch.zeros(1)
del sd2["0.bias"]
print(clone.load_state_dict(sd2, strict=False))
# %%
clone.load_state_dict(sd2)
# %%
sd3 = dict(sd)
sd3["0.weight"] = torch.zeros(5, 3)
clone.load_state_dict(sd3)
