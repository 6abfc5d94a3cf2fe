import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
# a batch of 3 small graphs, concatenated as PyG does (batch vector + offset edge indices)
sizes = [4, 3, 5]
edge_lists = [torch.tensor([[0, 1, 2, 3], [1, 2, 3, 0]]), torch.tensor([[0, 1], [1, 2]]),
              torch.tensor([[0, 1, 2, 3, 4], [1, 2, 3, 4, 0]])]
offsets = torch.tensor([0] + sizes[:-1]).cumsum(0)
edge_index = torch.cat([e + o for e, o in zip(edge_lists, offsets)], dim=1)
edge_index = torch.cat([edge_index, edge_index.flip(0)], dim=1)
batch = torch.repeat_interleave(torch.arange(len(sizes)), torch.tensor(sizes))
print(offsets, batch)
N = batch.numel()
x = torch.randn(N, 4)

class SAGE(nn.Module):
    def __init__(self, fin, fout):
        super().__init__()
        self.lin_self = nn.Linear(fin, fout)
        self.lin_nb = nn.Linear(fin, fout, bias=False)

    def forward(self, x, ei):
        src, dst = ei
        agg = torch.zeros(x.size(0), x.size(1)).index_reduce_(0, dst, x[src], 'mean', include_self=False)
        return self.lin_self(x) + self.lin_nb(agg)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.s1 = SAGE(4, 8)
        self.s2 = SAGE(8, 8)
        self.head = nn.Linear(16, 1)

    def forward(self, x, ei, batch, num_graphs):
        h = F.relu(self.s1(x, ei))
        h = F.relu(self.s2(h, ei))
        counts = torch.bincount(batch, minlength=num_graphs).clamp_min(1).unsqueeze(1)
        mean_pool = torch.zeros(num_graphs, h.size(1)).index_add(0, batch, h) / counts
        max_pool = torch.full((num_graphs, h.size(1)), -1e9).scatter_reduce(
            0, batch[:, None].expand_as(h), h, reduce='amax', include_self=True)
        return self.head(torch.cat([mean_pool, max_pool], 1)).squeeze(1)

net = Net()
target = torch.tensor([1.0, -1.0, 0.5])
opt = torch.optim.Adam(net.parameters(), lr=0.02)
for it in range(25):
    opt.zero_grad()
    out = net(x, edge_index, batch, 3)
    loss = F.mse_loss(out, target)
    loss.backward()
    opt.step()
    if it % 6 == 0:
        print(it, f"{loss.item():.5f}")
numeric(out)
numeric(net.s1.lin_nb.weight.grad)
# %%
# segment sums with torch.segment_reduce and with cumsum differences
vals = torch.arange(12.0).requires_grad_()
lengths = torch.tensor(sizes)
seg = torch.segment_reduce(vals, 'sum', lengths=lengths)
cs = torch.cat([torch.zeros(1), vals.cumsum(0)])
ends = lengths.cumsum(0)
seg2 = cs[ends] - cs[ends - lengths]
print(seg, seg2)
(seg * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print(vals.grad)
print(torch.segment_reduce(vals.detach(), 'max', lengths=lengths), torch.segment_reduce(vals.detach(), 'mean', lengths=lengths))
# %%
# PageRank by power iteration on a directed graph
src = torch.tensor([0, 0, 1, 2, 2, 3, 4, 4])
dst = torch.tensor([1, 2, 2, 0, 3, 4, 0, 3])
n = 5
outdeg = torch.bincount(src, minlength=n).float()
P = torch.zeros(n, n)
P[dst, src] = 1.0 / outdeg[src]
r = torch.full((n,), 1.0 / n)
for i in range(100):
    r_new = 0.15 / n + 0.85 * P @ r
    if (r_new - r).abs().sum() < 1e-7:
        break
    r = r_new
print(i, r_new, r_new.sum())
print(torch.argsort(r_new, descending=True))
# %%
# spectral embedding from the normalized Laplacian (eigh) and its gradient wrt edge weights
torch.set_default_dtype(torch.float64)
wts = torch.tensor([1.0, 2.0, 1.0, 0.5, 1.5, 1.0], requires_grad=True)
ei = torch.tensor([[0, 1, 2, 3, 4, 0], [1, 2, 3, 4, 5, 5]])
A = torch.zeros(6, 6).index_put((ei[0], ei[1]), wts)
A = A + A.t()
d = A.sum(1)
L = torch.eye(6) - A / torch.sqrt(d[:, None] * d[None, :])
evals, evecs = torch.linalg.eigh(L)
print(evals)
fiedler = evals[1]
fiedler.backward()
print(wts.grad)
print(torch.sign(evecs[:, 1] * evecs[0, 1]))
# %%
# per-segment means with an initial value (it is added, not counted)
print(torch.segment_reduce(torch.arange(6.0), 'mean', lengths=torch.tensor([2, 0, 4]), initial=1.0))
# %%
x.index_select(0, torch.tensor([N]))
# %%
x.index_select(1, torch.tensor([7]))
