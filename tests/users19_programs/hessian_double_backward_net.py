import torch
import torch.nn as nn

# "how do I get the Hessian of the loss w.r.t. the inputs?"
torch.manual_seed(4)
net = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1)).double()
x = torch.tensor([0.3, -0.7], dtype=torch.float64, requires_grad=True)
y = net(x).squeeze()
(g,) = torch.autograd.grad(y, x, create_graph=True)
rows = [torch.autograd.grad(g[i], x, retain_graph=True)[0] for i in range(2)]
H = torch.stack(rows)
print(H.shape, torch.allclose(H, H.T))
# %%
H2 = torch.autograd.functional.hessian(lambda v: net(v).squeeze(), x)
print(torch.allclose(H, H2))
# %%
# relu networks have a zero Hessian almost everywhere
relu_net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)).double()
out = relu_net(x).squeeze()
(g,) = torch.autograd.grad(out, x, create_graph=True)
print(g.requires_grad)
H3 = torch.stack([torch.autograd.grad(g[i], x, retain_graph=True, allow_unused=True)[0] for i in range(2)])
print(H3)
# %%
# the Laplacian (trace of the Hessian) of a scalar field
f = lambda v: (v ** 3).sum() + v[0] * v[1]
p = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
(gp,) = torch.autograd.grad(f(p), p, create_graph=True)
lap = sum(torch.autograd.grad(gp[i], p, retain_graph=True)[0][i] for i in range(2))
print(gp, lap)
