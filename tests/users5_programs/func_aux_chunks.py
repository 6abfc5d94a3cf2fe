import torch
from torch.func import jacrev, jacfwd, hessian, vmap, grad, functional_call
x = torch.tensor([0.2, -0.4, 0.9], dtype=torch.float64)
def f(v):
    y = v.sin() * v.sum()
    return y, {"norm": y.norm()}
J, aux = jacrev(f, has_aux=True)(x)
print(J, aux)
J2, aux2 = jacfwd(f, has_aux=True)(x)
print(torch.allclose(J, J2), aux2["norm"].item() == aux["norm"].item())
print(jacrev(lambda v: v.exp() * v[0], chunk_size=1)(x))
# %%
torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3), torch.nn.Linear(3, 1)).eval()
params = dict(net.named_parameters())
buffers = dict(net.named_buffers())
xs = torch.randn(4, 2)
def out(p, xi):
    return functional_call(net, (p, buffers), (xi.unsqueeze(0),)).squeeze()
gs = vmap(grad(out), in_dims=(None, 0))({k: v.detach() for k, v in params.items()}, xs)
print({k: tuple(v.shape) for k, v in gs.items()})
numeric(gs["2.weight"])
# %%
def loss(p):
    return functional_call(net, (p, buffers), (xs,)).pow(2).mean()
H = hessian(loss)({k: v.detach() for k, v in params.items()})
print(sorted(H.keys()), tuple(H["2.bias"]["2.weight"].shape))
numeric(H["2.bias"]["2.bias"])
# %%
jacrev(lambda v: v, argnums=2)(x)
# %%
jacfwd(lambda v: v.sum(), randomness="bad")(x)
# %%
jacrev(torch.sin, chunk_size=0)
# %%
jacfwd(torch.sin, chunk_size=2)
