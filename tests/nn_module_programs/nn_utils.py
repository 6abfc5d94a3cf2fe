import math
import numpy as np
import torch
from torch import nn
rng = np.random.default_rng(1)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.tensor(rng.normal(size=tuple(p.shape)), dtype=torch.float32))
x = torch.tensor(rng.normal(size=(5, 3)), dtype=torch.float32)
def fresh_grads():
    model.zero_grad()
    (model(x) ** 2).sum().backward()
fresh_grads()
print(nn.utils.clip_grad_norm_(model.parameters(), 1.0, norm_type=math.inf))
print(model[0].weight.grad)
fresh_grads()
print(nn.utils.clip_grad_norm_(model.parameters(), 0.5, norm_type=1, foreach=True))
fresh_grads()
total = nn.utils.get_total_norm([p.grad for p in model.parameters()], norm_type=3.0)
print(total)
nn.utils.clip_grads_with_norm_(model.parameters(), 0.1, total)
print(model[2].bias.grad)
print(nn.utils.clip_grad_norm_(p for p in []))
# %%
model[0].weight.grad[0, 0] = float("nan")
nn.utils.clip_grad_norm_(model.parameters(), 1.0, error_if_nonfinite=True)
# %%
nn.utils.clip_grad_value_(model.parameters(), 0.05)
print(model[2].weight.grad)
v = nn.utils.parameters_to_vector(model.parameters())
print(v.shape, v.grad_fn.name())
nn.utils.vector_to_parameters(v * 2, model.parameters())
print(model[2].bias)
# %%
conv = nn.Conv2d(2, 3, 3, padding=1).double()
bn = nn.BatchNorm2d(3).double()
with torch.no_grad():
    for p in list(conv.parameters()) + list(bn.parameters()):
        p.copy_(torch.tensor(rng.normal(size=tuple(p.shape))))
    bn.running_mean.copy_(torch.tensor(rng.normal(size=3)))
    bn.running_var.copy_(torch.tensor(rng.uniform(0.5, 2.0, size=3)))
conv.eval(); bn.eval()
fused = nn.utils.fuse_conv_bn_eval(conv, bn)
xi = torch.tensor(rng.normal(size=(1, 2, 4, 4)))
print((fused(xi) - bn(conv(xi))).abs().max() < 1e-12, type(fused.weight).__name__ == type(conv.weight).__name__)
lin = nn.Linear(3, 3).double().eval()
bn1 = nn.BatchNorm1d(3).double().eval()
fl = nn.utils.fuse_linear_bn_eval(lin, bn1)
print(fl.weight.requires_grad, fl.bias.shape)
# %%
nn.utils.fuse_conv_bn_eval(conv.train(), bn)
# %%
lin = nn.Linear(2, 1)
out = nn.utils.stateless.functional_call(lin, {"weight": torch.ones(1, 2), "bias": torch.zeros(1)}, (torch.ones(3, 2),))
print(out)
print(torch.func.functional_call(lin, ({"weight": torch.ones(1, 2)}, {"bias": torch.ones(1)}), torch.ones(1, 2)))
bnm = nn.BatchNorm1d(2)
print(torch.func.functional_call(bnm, {"running_mean": torch.ones(2), "running_var": torch.ones(2) * 4}, torch.ones(3, 2)))
print(bnm.running_mean)
