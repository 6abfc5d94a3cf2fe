# ruff: noqa: F821
import torch
import torch.nn as nn
from torch.func import functional_call, hessian, jacrev, grad, vmap
torch.manual_seed(51)
torch.set_default_dtype(torch.float64)

# Laplace approximation of a tiny regression net: Hessian of the loss w.r.t. the last layer's parameters
net = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
X = torch.randn(20, 2)
y = torch.sin(X[:, :1]) + 0.1 * torch.randn(20, 1)
params = dict(net.named_parameters())
last = {k: v.detach() for k, v in params.items() if k.startswith("2.")}
fixed = {k: v.detach() for k, v in params.items() if not k.startswith("2.")}

def loss_last(p):
    out = functional_call(net, {**fixed, **p}, (X,))
    return ((out - y) ** 2).sum()

H = hessian(loss_last)(last)
print(sorted(H), {k: {kk: tuple(vv.shape) for kk, vv in v.items()} for k, v in H.items()})
Hw = H["2.weight"]["2.weight"].reshape(4, 4)
print(torch.allclose(Hw, Hw.T), torch.linalg.eigvalsh(Hw).min() >= -1e-10)
numeric([Hw, H["2.bias"]["2.bias"], H["2.weight"]["2.bias"]])
# %%
# input gradients and input Hessians per sample (e.g. for a physics-informed loss), parameters held fixed
frozen = {k: v.detach() for k, v in params.items()}
def f_single(x):
    return functional_call(net, frozen, (x.unsqueeze(0),)).squeeze()
gx = vmap(grad(f_single))(X[:5])
Hx = vmap(hessian(f_single))(X[:5])
lap = Hx.diagonal(dim1=1, dim2=2).sum(-1)
print(gx.shape, Hx.shape, lap.shape)
J = jacrev(lambda x: functional_call(net, frozen, (x,)))(X[:3])
print(J.shape)
numeric([gx, Hx, lap])
