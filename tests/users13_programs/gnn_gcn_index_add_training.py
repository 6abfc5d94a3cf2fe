import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
# a small undirected graph: two triangles joined by an edge, plus a pendant node
edges = torch.tensor([[0, 1], [1, 2], [2, 0], [2, 3], [3, 4], [4, 5], [5, 3], [5, 6]])
edge_index = torch.cat([edges.t(), edges.t().flip(0)], dim=1)
num_nodes = 7
self_loops = torch.arange(num_nodes).unsqueeze(0).repeat(2, 1)
edge_index = torch.cat([edge_index, self_loops], dim=1)
src, dst = edge_index
print(edge_index.shape, edge_index.dtype)
deg = torch.zeros(num_nodes).index_add_(0, dst, torch.ones(dst.numel()))
print(deg)
deg_inv_sqrt = deg.pow(-0.5)
deg_inv_sqrt[deg_inv_sqrt == float('inf')] = 0
norm = deg_inv_sqrt[src] * deg_inv_sqrt[dst]
print(norm[:6])

class GCNLayer(nn.Module):
    def __init__(self, fin, fout):
        super().__init__()
        self.lin = nn.Linear(fin, fout, bias=False)
        self.bias = nn.Parameter(torch.zeros(fout))

    def forward(self, x, edge_index, norm):
        h = self.lin(x)
        msg = h.index_select(0, edge_index[0]) * norm.unsqueeze(-1)
        out = torch.zeros(x.size(0), h.size(1), dtype=h.dtype).index_add(0, edge_index[1], msg)
        return out + self.bias

class GCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = GCNLayer(4, 8)
        self.c2 = GCNLayer(8, 2)

    def forward(self, x, ei, norm):
        x = F.relu(self.c1(x, ei, norm))
        x = F.dropout(x, p=0.0, training=self.training)
        return self.c2(x, ei, norm)

x = torch.randn(num_nodes, 4)
y = torch.tensor([0, 0, 0, 1, 1, 1, 1])
train_mask = torch.tensor([True, False, True, True, False, True, False])
model = GCN()
print(model)
opt = torch.optim.Adam(model.parameters(), lr=0.05, weight_decay=5e-4)
for epoch in range(30):
    model.train()
    opt.zero_grad()
    out = model(x, edge_index, norm)
    loss = F.cross_entropy(out[train_mask], y[train_mask])
    loss.backward()
    opt.step()
    if epoch % 5 == 0:
        model.eval()
        with torch.no_grad():
            pred = model(x, edge_index, norm).argmax(dim=1)
            acc = (pred == y).float().mean()
        print(f"epoch {epoch:02d} loss {loss.item():.4f} acc {acc:.3f}")
numeric(model.c1.lin.weight.grad)
numeric(out)
print(pred)
# %%
# the same aggregation with scatter_add_ and with a sparse-free adjacency matmul
h = torch.randn(num_nodes, 3, requires_grad=True)
msg = h[src] * norm[:, None]
agg1 = torch.zeros(num_nodes, 3).scatter_add(0, dst.unsqueeze(1).expand(-1, 3), msg)
A = torch.zeros(num_nodes, num_nodes)
A[dst, src] = norm
agg2 = A @ h
print(torch.allclose(agg1, agg2, atol=1e-6))
g1, = torch.autograd.grad(agg1.square().sum(), h)
g2, = torch.autograd.grad(agg2.square().sum(), h)
numeric(g1)
numeric(g2)
print((g1 - g2).abs().max() < 1e-5)
# %%
# common mistake: index_add_ with a float index
torch.zeros(3).index_add_(0, torch.tensor([0.0, 1.0]), torch.ones(2))
# %%
torch.zeros(3, 2).index_add_(0, torch.tensor([0, 1]), torch.ones(2, 3))
# %%
torch.zeros(3).index_add_(0, torch.tensor([0, 5]), torch.ones(2))
