import torch

# a physics-informed net for u'' = -u on [0, 1]; the user inspects the graph of the residual
torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
x = torch.linspace(0, 1, 6).unsqueeze(1).requires_grad_(True)
u = net(x)
du = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), create_graph=True)[0]
d2u = torch.autograd.grad(du, x, grad_outputs=torch.ones_like(du), create_graph=True)[0]
print(u.grad_fn.name(), du.grad_fn.name(), d2u.grad_fn.name())
print(du.shape, d2u.shape, d2u.requires_grad)
residual = (d2u + u).pow(2).mean()
print(residual.grad_fn.name())
residual.backward()
print(net[0].weight.grad.shape, x.grad.shape)
# %%
# gradients of plain products, the way a user checks them by hand
A = torch.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], requires_grad=True)
B = torch.tensor([[2.0, 1.0], [0.5, -1.0], [1.0, 1.0]], requires_grad=True)
v = torch.tensor([1.0, -1.0, 2.0], requires_grad=True)
for name, out in [("A @ B", A @ B), ("A @ v", A @ v), ("v @ B", v @ B), ("v @ v", v @ v)]:
    gs = torch.autograd.grad(out.sum(), (A, B, v), create_graph=True, allow_unused=True)
    print(name, out.grad_fn.name(), [g.grad_fn.name() if g is not None else None for g in gs])
# %%
# a Hessian-vector product through a two-layer net, written out by hand
w1 = torch.randn(4, 3, requires_grad=True)
w2 = torch.randn(1, 4, requires_grad=True)
xb = torch.randn(5, 3)
loss = (torch.tanh(xb @ w1.T) @ w2.T).pow(2).mean()
g1, g2 = torch.autograd.grad(loss, (w1, w2), create_graph=True)
print(g1.grad_fn.name(), g2.grad_fn.name())
vecs = (torch.ones_like(w1), torch.zeros_like(w2))
hv = torch.autograd.grad((g1 * vecs[0]).sum() + (g2 * vecs[1]).sum(), (w1, w2))
print([h.shape for h in hv], hv[0].requires_grad)
# %%
batch = torch.randn(2, 5, 3, requires_grad=True)
proj = torch.randn(3, 4, requires_grad=True)
ga, gp = torch.autograd.grad((batch @ proj).sum(), (batch, proj), create_graph=True)
print((batch @ proj).grad_fn.name(), ga.grad_fn.name(), gp.grad_fn.name())
