import torch
from torch.func import grad, vmap, jacrev, jacfwd, hessian, functional_call
def f(x):
    return (torch.sin(x) * x).sum()
x = torch.tensor([0.1, 0.2, 0.3])
print(grad(f)(x))
print(vmap(grad(f))(torch.stack([x, 2 * x])))
print(jacrev(torch.sin)(x))
print(jacfwd(torch.sin)(x))
print(hessian(f)(x))
model = torch.nn.Linear(3, 2)
params = {k: v.detach() for k, v in model.named_parameters()}
params = {"weight": torch.tensor([[1., 2., 3.], [4., 5., 6.]]), "bias": torch.tensor([0.5, -0.5])}
def loss(p, inp):
    return functional_call(model, p, (inp,)).pow(2).sum()
g = grad(loss)(params, x)
print(g)
print(sorted(g.keys()))
print(grad(f, argnums=0, has_aux=False)(x))
def fa(x):
    y = (x ** 2).sum()
    return y, {"y": y.detach()}
print(grad(fa, has_aux=True)(x))
