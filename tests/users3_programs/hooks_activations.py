# ruff: noqa: F821
import torch
import torch.nn as nn
torch.manual_seed(38)

model = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 6), nn.Sigmoid(), nn.Linear(6, 1))
acts, grads, pre = {}, {}, []

def save_act(name):
    def hook(mod, inp, out):
        acts[name] = out.detach()
    return hook

def save_grad(name):
    def hook(mod, gin, gout):
        grads[name] = gout[0].detach()
    return hook

handles = []
for i, m in enumerate(model):
    if isinstance(m, nn.Linear):
        handles.append(m.register_forward_hook(save_act(f"fc{i}")))
        handles.append(m.register_full_backward_hook(save_grad(f"fc{i}")))
handles.append(model.register_forward_pre_hook(lambda mod, inp: pre.append(inp[0].shape)))
x = torch.randn(3, 4)
out = model(x)
out.sum().backward()
print(sorted(acts), sorted(grads), pre)
print({k: tuple(v.shape) for k, v in grads.items()})
numeric([acts["fc2"], grads["fc0"], grads["fc4"]])
for h in handles:
    h.remove()
acts.clear()
model(x)
print(len(acts))
# %%
def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.zeros_(m.bias)
        nn.init.uniform_(m.weight, -0.1, 0.1)
model.apply(init_weights)
print(model[0].bias)
def clip_hook(grad):
    return grad.clamp(-0.01, 0.01)
h = model[0].weight.register_hook(clip_hook)
model(x).sum().backward()
print(model[0].weight.grad.abs().max() <= 0.01 + model[0].weight.grad.abs().max() * 0)
h.remove()
sd_hook = []
model.register_forward_hook(lambda m, i, o: o * 2)
print(torch.allclose(model(x), 2 * model[4](model[3](model[2](model[1](model[0](x)))))))
numeric([model[0].weight.grad])
