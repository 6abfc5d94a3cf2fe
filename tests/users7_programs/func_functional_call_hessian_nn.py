import torch
from torch import nn
from torch.func import functional_call, hessian, jacrev, grad, vmap
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
params = {k: v.detach() for k, v in model.named_parameters()}
x = torch.randn(5, 2)
y = torch.randn(5, 1)

def loss_fn(p):
    return nn.functional.mse_loss(functional_call(model, p, (x,)), y)

print(loss_fn(params))
g = grad(loss_fn)(params)
print({k: tuple(v.shape) for k, v in g.items()})
model.zero_grad()
nn.functional.mse_loss(model(x), y).backward()
print(all(torch.allclose(g[k], p.grad, atol=1e-6) for k, p in model.named_parameters()))
# %%
H = hessian(loss_fn)(params)
print(type(H).__name__, list(H.keys()))
print(H["2.bias"]["2.bias"], H["0.weight"]["0.weight"].shape, H["0.weight"]["2.weight"].shape)
# %%
# hessian w.r.t. one flattened parameter
w0 = params["2.weight"]
def loss_w(w):
    return loss_fn({**params, "2.weight": w})
Hw = hessian(loss_w)(w0)
print(Hw.shape)
print(torch.allclose(Hw.reshape(3, 3), Hw.reshape(3, 3).T))
eig = torch.linalg.eigvalsh(Hw.reshape(3, 3))
print((eig >= -1e-6).all())
# %%
# per-sample gradients
def sample_loss(p, xi, yi):
    return nn.functional.mse_loss(functional_call(model, p, (xi[None],)), yi[None])
ps = vmap(grad(sample_loss), in_dims=(None, 0, 0))(params, x, y)
print({k: tuple(v.shape) for k, v in ps.items()})
print(torch.allclose(ps["2.bias"].mean(0), g["2.bias"], atol=1e-6))
# %%
# jacobian of outputs w.r.t. inputs (input-gradient saliency)
J = vmap(jacrev(lambda xi: functional_call(model, params, (xi,))))(x)
print(J.shape)
print(model(x).shape, functional_call(model, params, x).shape)
