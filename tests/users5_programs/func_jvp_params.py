import torch
from torch.func import functional_call, jvp, jacfwd, jacrev
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
params = {k: v.detach() for k, v in model.named_parameters()}
x = torch.randn(5, 3)
def f(p):
    return functional_call(model, p, (x,))
tangents = {k: torch.ones_like(v) for k, v in params.items()}
out, jv = jvp(f, (params,), (tangents,))
numeric(out)
numeric(jv)
# %%
J = jacrev(f)(params)
print({k: tuple(v.shape) for k, v in J.items()})
J2 = jacfwd(f)(params)
print(all(torch.allclose(J[k], J2[k], atol=1e-6) for k in J))
# %%
def ntk(x1, x2):
    j1 = jacrev(lambda p: functional_call(model, p, (x1,)))(params)
    j2 = jacrev(lambda p: functional_call(model, p, (x2,)))(params)
    return sum(torch.einsum("Naf,Mbf->NMab", j1[k].flatten(2), j2[k].flatten(2)) for k in j1)
numeric(ntk(x[:2], x[2:4]))
