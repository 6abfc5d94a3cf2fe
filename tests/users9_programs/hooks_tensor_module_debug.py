import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
activations = {}
def save_act(name):
    def hook(mod, inp, out):
        activations[name] = out.detach()
    return hook
handles = [m.register_forward_hook(save_act(n)) for n, m in model.named_children()]
def grad_hook(mod, grad_input, grad_output):
    print(type(mod).__name__, [None if g is None else tuple(g.shape) for g in grad_input],
          [tuple(g.shape) for g in grad_output])
bh = model[2].register_full_backward_hook(grad_hook)
pre = model[0].register_forward_pre_hook(lambda m, args: (args[0] * 2,))
x = torch.randn(5, 3, requires_grad=True)
out = model(x)
print(sorted(activations), activations["1"].min() >= 0)
h = out.register_hook(lambda g: g * 10)
out.sum().backward()
print(x.grad.abs().sum() > 0)
numeric(x.grad)
for hd in handles + [bh, pre, h]:
    hd.remove()
x.grad = None
model(x).sum().backward()
numeric(x.grad)
