import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1)
N, E = 6, 14
src = torch.randint(0, N, (E,))
dst = torch.randint(0, N, (E,))
print(src, dst)

def edge_softmax(scores, index, num_nodes):
    # numerically stable softmax over incoming edges of each node
    smax = torch.full((num_nodes,), float('-inf')).scatter_reduce(0, index, scores, reduce='amax', include_self=True)
    ex = (scores - smax[index]).exp()
    denom = torch.zeros(num_nodes).scatter_add(0, index, ex)
    return ex / (denom[index] + 1e-16)

s = torch.randn(E, requires_grad=True)
a = edge_softmax(s, dst, N)
print(a)
sums = torch.zeros(N).index_add(0, dst, a)
print(sums)
(a * torch.arange(E, dtype=torch.float)).sum().backward()
print(s.grad)
# %%
# scatter_reduce variants and their gradients
v = torch.tensor([1.0, 5.0, 2.0, 2.0, -1.0, 3.0], requires_grad=True)
idx = torch.tensor([0, 0, 1, 1, 2, 2])
base = torch.tensor([0.5, 2.0, -3.0, 7.0])
for red in ['sum', 'prod', 'mean', 'amax', 'amin']:
    for inc in [True, False]:
        out = base.scatter_reduce(0, idx, v, reduce=red, include_self=inc)
        g, = torch.autograd.grad((out * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum(), v)
        print(red, inc, out, g)
# %%
b = base.clone().requires_grad_()
out = b.scatter_reduce(0, idx, v, reduce='amax')
out.sum().backward()
print(b.grad, v.grad)
# %%
class GATLayer(nn.Module):
    def __init__(self, fin, fout, heads=2):
        super().__init__()
        self.heads, self.fout = heads, fout
        self.W = nn.Linear(fin, heads * fout, bias=False)
        self.a_src = nn.Parameter(torch.randn(heads, fout) * 0.1)
        self.a_dst = nn.Parameter(torch.randn(heads, fout) * 0.1)

    def forward(self, x, src, dst):
        n = x.size(0)
        h = self.W(x).view(n, self.heads, self.fout)
        e = (h * self.a_src).sum(-1)[src] + (h * self.a_dst).sum(-1)[dst]
        e = F.leaky_relu(e, 0.2)
        emax = torch.full((n, self.heads), -1e9).scatter_reduce(0, dst[:, None].expand(-1, self.heads), e, 'amax')
        w = (e - emax[dst]).exp()
        den = torch.zeros(n, self.heads).index_add_(0, dst, w)
        alpha = w / den[dst].clamp_min(1e-12)
        out = torch.zeros(n, self.heads, self.fout).index_add_(0, dst, alpha.unsqueeze(-1) * h[src])
        return out.mean(1), alpha

loops = torch.arange(N)
src2, dst2 = torch.cat([src, loops]), torch.cat([dst, loops])
layer = GATLayer(3, 4)
x = torch.randn(N, 3)
target = torch.randn(N, 4)
opt = torch.optim.SGD(layer.parameters(), lr=0.1, momentum=0.9)
for step in range(15):
    out, alpha = layer(x, src2, dst2)
    loss = F.mse_loss(out, target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 3 == 0:
        print(step, round(loss.item(), 5))
numeric(alpha)
numeric(layer.a_src.grad)
print(alpha.shape, alpha.grad_fn)
# %%
torch.zeros(3).scatter_reduce(0, torch.tensor([0, 1]), torch.ones(2), reduce='max')
# %%
torch.zeros(3).scatter_reduce(0, torch.tensor([0, 1]), torch.ones(2, dtype=torch.float64), reduce='sum')
# %%
# torch_scatter users write reduce='max': the forward runs, the backward does not
scores = torch.randn(E, requires_grad=True)
node_max = torch.zeros(N).scatter_reduce(0, dst, scores, reduce='max', include_self=False)
print(node_max.grad_fn.name())
node_max.sum().backward()
