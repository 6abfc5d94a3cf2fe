import torch
from torch.func import jvp, jacfwd, jacrev, vmap
def f(x):
    return torch.stack([x[0] ** 2 * x[1], x[1].sin() + x[2], x.prod()])
x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
out, tan = jvp(f, (x,), (torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64),))
print(out, tan)
print(torch.allclose(jacfwd(f)(x), jacrev(f)(x)))
# %%
I = torch.eye(3, dtype=torch.float64)
print(vmap(lambda t: jvp(f, (x,), (t,))[1])(I))
print(jvp(f, (x,), (torch.ones(2),)))
# %%
w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
_, t = jvp(lambda a: (a * w).sum(), (x.float(),), (torch.ones(3),))
print(t, t.requires_grad)
t.backward()
print(w.grad)
