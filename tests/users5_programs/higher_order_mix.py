import torch
# double backward through common ops & custom fn in loop
x = torch.tensor([0.3, -0.7, 1.1], dtype=torch.float64, requires_grad=True)
def energy(v):
    return (v.tanh() ** 2).sum() + torch.logsumexp(v, 0) + torch.nn.functional.softplus(v).prod()
g, = torch.autograd.grad(energy(x), x, create_graph=True)
H = torch.stack([torch.autograd.grad(g[i], x, retain_graph=True)[0] for i in range(3)])
print(H)
print(torch.autograd.functional.hessian(energy, x))
# %%
y = x.clone()
g2 = torch.autograd.grad((y.sin() * y).sum(), y, create_graph=True)[0]
gg = torch.autograd.grad(g2, y, grad_outputs=torch.ones_like(g2), create_graph=True)[0]
print(gg, gg.grad_fn.name())
ggg = torch.autograd.grad(gg.sum(), y)[0]
print(ggg)
# %%
z = torch.tensor(2.0, requires_grad=True)
f = z ** 3
d1, = torch.autograd.grad(f, z, create_graph=True)
d2, = torch.autograd.grad(d1, z, create_graph=True)
d3, = torch.autograd.grad(d2, z)
print(d1, d2, d3)
# %%
torch.manual_seed(0)
w = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
l = torch.linalg.det(w @ w.T + torch.eye(3, dtype=torch.float64))
g, = torch.autograd.grad(l, w, create_graph=True)
numeric(torch.autograd.grad(g.sum(), w)[0])
