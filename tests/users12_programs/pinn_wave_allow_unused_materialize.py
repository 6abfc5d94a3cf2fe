import torch
torch.manual_seed(0)

x = torch.linspace(0, 1, 5).requires_grad_()
t = torch.linspace(0, 1, 5).requires_grad_()
c = torch.tensor(2.0, requires_grad=True)
u = torch.sin(torch.pi * x) * torch.cos(c * torch.pi * t)
u_t = torch.autograd.grad(u.sum(), t, create_graph=True)[0]
u_tt = torch.autograd.grad(u_t.sum(), t, create_graph=True)[0]
u_x = torch.autograd.grad(u.sum(), x, create_graph=True)[0]
u_xx = torch.autograd.grad(u_x.sum(), x, create_graph=True)[0]
res = u_tt - c ** 2 * u_xx
numeric(res)
gc, = torch.autograd.grad(res.pow(2).sum(), c)
numeric(gc)
# %%
a = torch.tensor(1.0, requires_grad=True)
b = torch.tensor(2.0, requires_grad=True)
out = a * 3
print(torch.autograd.grad(out, [a, b], allow_unused=True))
out = a * 3
print(torch.autograd.grad(out, [a, b], allow_unused=True, materialize_grads=True))
y = a ** 2
g, = torch.autograd.grad(y, a, create_graph=True)
print(g)
print(torch.autograd.grad(g, a, allow_unused=True))
lin = a * 5
g2, = torch.autograd.grad(lin, a, create_graph=True)
print(g2, g2.requires_grad)
print(torch.autograd.grad(g2, a, allow_unused=True))
# %%
out = a * 3
torch.autograd.grad(out, [a, b])
# %%
xx = torch.randn(3, requires_grad=True)
yy = (xx ** 2).sum()
gg = torch.autograd.grad(yy, xx)[0]
gg.sum().backward()
