import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd.functional import jacobian, hessian
torch.manual_seed(15)
net = nn.Sequential(nn.Conv1d(1, 2, 3, padding=1), nn.Tanh(), nn.AvgPool1d(2), nn.Flatten(), nn.Linear(8, 2)).double()
x = torch.randn(1, 1, 8, dtype=torch.float64)
J = jacobian(net, x)
Jv = jacobian(net, x, vectorize=True)
print(J.shape, torch.allclose(J, Jv))
print(J[0, :, 0, 0])
# %%
w = net[0].weight.detach().clone()
def loss_of_w(w):
    h = torch.tanh(F.conv1d(x, w, net[0].bias.detach(), padding=1))
    return h.pow(2).sum()
H = hessian(loss_of_w, w)
print(H.shape, torch.allclose(H.reshape(6, 6), H.reshape(6, 6).T))
print(torch.linalg.eigvalsh(H.reshape(6, 6)))
# %%
from torch.func import jacrev, vmap, functional_call
params = {k: v.detach() for k, v in net.named_parameters()}
def f(p, xi):
    return functional_call(net, p, (xi.unsqueeze(0),)).squeeze(0)
xs = torch.randn(3, 1, 8, dtype=torch.float64)
jac = vmap(jacrev(f, argnums=1), in_dims=(None, 0))(params, xs)
print(jac.shape, torch.allclose(jac[0], jacobian(lambda xi: f(params, xi), xs[0])))
pj = jacrev(f)(params, xs[0])
print({k: tuple(v.shape) for k, v in pj.items()})
