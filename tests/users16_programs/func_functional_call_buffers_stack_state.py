import copy
import torch
from torch.func import functional_call, stack_module_state, vmap, grad

torch.manual_seed(0)
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(3, 4)
        self.bn = torch.nn.BatchNorm1d(4)
        self.out = torch.nn.Linear(4, 1)
        self.register_buffer("scale", torch.tensor(2.0))
    def forward(self, x):
        return self.out(torch.relu(self.bn(self.fc(x)))) * self.scale

net = Net()
x = torch.randn(5, 3)
params = dict(net.named_parameters())
buffers = dict(net.named_buffers())
print(list(params), list(buffers))
out = functional_call(net, (params, buffers), (x,))
print(out.shape, out.grad_fn.name())
print(buffers["bn.num_batches_tracked"], net.bn.running_mean)
# %%
new_params = {k: torch.zeros_like(v) for k, v in params.items()}
out2 = functional_call(net, {**new_params, "scale": torch.tensor(3.0)}, x)
print(out2.squeeze())
print(net.fc.weight.abs().sum() > 0, net.scale)
out3 = functional_call(net, {"out.bias": torch.tensor([10.0])}, (x,), strict=False)
print(out3.shape, net.out.bias.shape)
# %%
functional_call(net, {"out.bias": torch.tensor([10.0])}, (x,), strict=True)
# %%
net.eval()
def loss_fn(p, b, xb, yb):
    pred = functional_call(net, (p, b), (xb,))
    return torch.nn.functional.mse_loss(pred.squeeze(-1), yb)
y = torch.randn(5)
g = grad(loss_fn)(params, buffers, x, y)
print(sorted(g))
print(g["out.bias"], g["fc.weight"].shape)
ref = loss_fn(params, buffers, x, y)
ref.backward()
print(torch.allclose(g["fc.weight"], net.fc.weight.grad))
# %%
models = [torch.nn.Linear(3, 2) for _ in range(4)]
sp, sb = stack_module_state(models)
print({k: v.shape for k, v in sp.items()}, sb)
print(sp["weight"].requires_grad, sp["weight"].is_leaf)
base = copy.deepcopy(models[0]).to("meta")
def fmodel(p, b, xx):
    return functional_call(base, (p, b), (xx,))
outs = vmap(fmodel, in_dims=(0, 0, None))(sp, sb, x)
print(outs.shape)
print(torch.allclose(outs[2], models[2](x)))
outs.sum().backward()
print(sp["bias"].grad)
