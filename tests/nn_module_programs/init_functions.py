import torch
from torch import nn
for nl, p in [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2), ("selu", None)]:
    print(nl, nn.init.calculate_gain(nl, p))
# %%
nn.init.calculate_gain("foo")
# %%
nn.init.calculate_gain("leaky_relu", "x")
# %%
w = torch.empty(3, 5)
print(nn.init.eye_(w))
w4 = torch.empty(4, 2, 3)
print(nn.init.dirac_(w4))
print(nn.init.dirac_(torch.empty(6, 2, 3, 3), groups=2)[:, :, 1, 1])
print(nn.init.constant_(torch.empty(2), 0.3), nn.init.ones_(torch.empty(2)), nn.init.zeros_(torch.empty(1, 2)))
# %%
nn.init.eye_(torch.empty(2, 2, 2))
# %%
nn.init.dirac_(torch.empty(2, 2))
# %%
nn.init.xavier_uniform_(torch.empty(3))
# %%
g = torch.Generator().manual_seed(0)
q = nn.init.orthogonal_(torch.empty(4, 6), gain=2.0, generator=g)
print(torch.allclose(q @ q.T, 4 * torch.eye(4), atol=1e-5))
t = nn.init.trunc_normal_(torch.empty(1000), mean=1.0, std=2.0, a=-1.0, b=2.0, generator=g)
print(bool(t.min() >= -1.0), bool(t.max() <= 2.0))
s = nn.init.sparse_(torch.empty(10, 4), sparsity=0.3, std=0.5, generator=g)
print((s == 0).sum(0))
k = nn.init.kaiming_normal_(torch.empty(50, 40), mode="fan_out", nonlinearity="relu", generator=g)
print(k.shape, k.requires_grad)
u = nn.init.uniform_(torch.empty(1000), -2, 3, generator=g)
print(bool(u.min() >= -2), bool(u.max() <= 3))
x = nn.init.xavier_normal_(torch.empty(30, 20), gain=0.5, generator=g)
print(x.dtype)
# %%
nn.init.sparse_(torch.empty(2, 3, 4), 0.1)
# %%
w = torch.empty(3, 3)
nn.init.uniform(w)
nn.init.normal(w)
nn.init.constant(w, 2.0)
print(w)
nn.init.xavier_uniform(w); nn.init.xavier_normal(w); nn.init.kaiming_uniform(w); nn.init.kaiming_normal(w); nn.init.orthogonal(w); nn.init.sparse(w, 0.5); nn.init.eye(w); nn.init.dirac(torch.empty(2, 2, 2))
print(w.shape)
# %%
for fn in (nn.init.kaiming_uniform_, nn.init.xavier_normal_, nn.init.orthogonal_, nn.init.trunc_normal_, nn.init.normal_):
    a = fn(torch.empty(4, 3), generator=torch.Generator().manual_seed(5))
    b = fn(torch.empty(4, 3), generator=torch.Generator().manual_seed(5))
    c = fn(torch.empty(4, 3), generator=torch.Generator().manual_seed(6))
    print(fn.__name__, torch.equal(a, b), torch.equal(a, c))
torch.manual_seed(3)
a = nn.init.sparse_(torch.empty(6, 3), 0.5)
torch.manual_seed(3)
print(torch.equal(a, nn.init.sparse_(torch.empty(6, 3), 0.5)), (a == 0).sum(0))
