import torch
from torch.func import hessian, jacfwd, jacrev, vjp, jvp, linearize, vmap, grad

def energy(x, k):
    return 0.5 * k * (x ** 2).sum() + torch.cos(x).prod()

x = torch.tensor([0.3, -0.7, 1.1])
H = hessian(energy)(x, 2.0)
print(H)
print(torch.allclose(H, jacfwd(jacrev(energy))(x, 2.0)))
out, fn = vjp(torch.sin, x)
print(out, fn(torch.ones(3)))
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # torch.fx const-folding chatter
    val, jvp_fn = linearize(torch.exp, x)
print(val, jvp_fn(torch.tensor([1.0, 0.0, 0.0])))
print(jvp(lambda a, b: a * b, (x, x), (torch.ones(3), torch.zeros(3))))
g, aux = grad(lambda t: ((t ** 2).sum(), t.mean()), has_aux=True)(x)
print(g, aux)
gs = vmap(grad(energy), in_dims=(0, None), chunk_size=2)(torch.stack([x, -x, 2 * x]), 1.0)
print(gs)
print(jacrev(energy, argnums=(0, 1))(x, torch.tensor(2.0)))
