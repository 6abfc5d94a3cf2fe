import torch
from torch import nn
from torch.func import functional_call, hessian, jacrev
torch.manual_seed(0)
net = nn.Linear(2, 1).double()
params = {k: v.detach() for k, v in net.named_parameters()}
x = torch.randn(4, 2, dtype=torch.float64)
y = torch.randn(4, 1, dtype=torch.float64)
def loss(p):
    return ((functional_call(net, p, (x,)) - y) ** 2).mean()
H = hessian(loss)(params)
print(H["weight"]["weight"].shape, H["weight"]["bias"].shape)
print(H["weight"]["weight"].reshape(2, 2))
print(H["bias"]["bias"])
J = jacrev(lambda p: functional_call(net, p, (x,)))(params)
print(J["weight"].shape, J["bias"][:, 0, 0])
# %%
flat = torch.cat([v.reshape(-1) for v in params.values()])
def loss_flat(v):
    return loss({"weight": v[:2].reshape(1, 2), "bias": v[2:]})
Hf = torch.autograd.functional.hessian(loss_flat, flat)
print(Hf)
print(torch.linalg.eigvalsh(Hf))
