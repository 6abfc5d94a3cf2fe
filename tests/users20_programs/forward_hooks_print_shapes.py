import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3), nn.Softmax(dim=1))
handles = []
def show(name):
    def hook(mod, inp, out):
        print(f"{name:<8}{type(mod).__name__:<10}{tuple(inp[0].shape)} -> {tuple(out.shape)}")
    return hook
for name, m in model.named_children():
    handles.append(m.register_forward_hook(show(name)))
out = model(torch.randn(2, 4))
print(out.sum(dim=1))
# %%
for h in handles:
    h.remove()
acts = {}
model[1].register_forward_hook(lambda m, i, o: acts.__setitem__("relu", o.detach()))
model(torch.randn(5, 4))
print(acts["relu"].shape, (acts["relu"] > 0).float().mean() > 0)
# %%
def pre(mod, args):
    return (args[0] * 0,)
h = model[0].register_forward_pre_hook(pre)
print(model(torch.randn(1, 4)))
h.remove()
print(model[0]._forward_hooks, len(model[1]._forward_hooks))
