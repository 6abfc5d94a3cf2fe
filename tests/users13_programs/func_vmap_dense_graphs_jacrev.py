import torch
from torch.func import vmap, jacrev, grad, functional_call

torch.manual_seed(0)
B, N, Fdim = 4, 5, 3
A = (torch.rand(B, N, N) > 0.6).float()
A = ((A + A.transpose(1, 2)) > 0).float() + torch.eye(N)
X = torch.randn(B, N, Fdim)
W = torch.randn(Fdim, 2, requires_grad=True)

def gcn_layer(adj, x, w):
    d = adj.sum(-1).rsqrt()
    a_hat = d[:, None] * adj * d[None, :]
    return torch.tanh(a_hat @ x @ w)

out = vmap(gcn_layer, in_dims=(0, 0, None))(A, X, W)
loop = torch.stack([gcn_layer(A[b], X[b], W) for b in range(B)])
print(out.shape, torch.allclose(out, loop, atol=1e-6))
out.sum().backward()
numeric(W.grad)
# %%
# node-feature sensitivities: jacobian of a graph-level readout wrt node features, per graph
def readout(x, adj, w):
    return gcn_layer(adj, x, w).mean(0).sum()
J = vmap(jacrev(readout), in_dims=(0, 0, None))(X, A, W.detach())
print(J.shape)
numeric(J)
g0 = grad(readout)(X[0], A[0], W.detach())
print(torch.allclose(g0, J[0], atol=1e-6))
# %%
# per-graph gradients of a module's parameters with functional_call
lin = torch.nn.Linear(Fdim, 1)
params = {k: v.detach() for k, v in lin.named_parameters()}
def loss_fn(p, adj, x, y):
    d = adj.sum(-1).rsqrt()
    h = (d[:, None] * adj * d[None, :]) @ x
    pred = functional_call(lin, p, (h.mean(0),))
    return (pred - y).pow(2).sum()
ys = torch.randn(B, 1)
per_graph = vmap(grad(loss_fn), in_dims=(None, 0, 0, 0))(params, A, X, ys)
print({k: v.shape for k, v in per_graph.items()})
numeric(per_graph['weight'])
leaves = {k: v.clone().requires_grad_() for k, v in params.items()}
total = sum(loss_fn(leaves, A[b], X[b], ys[b]) for b in range(B))
gw, gb = torch.autograd.grad(total, [leaves['weight'], leaves['bias']])
print(torch.allclose(gw, per_graph['weight'].sum(0), atol=1e-5), torch.allclose(gb, per_graph['bias'].sum(0), atol=1e-5))
