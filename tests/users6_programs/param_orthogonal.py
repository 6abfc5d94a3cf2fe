import torch
from torch import nn
from torch.nn.utils import parametrizations as PZ
torch.manual_seed(0)
lin = nn.Linear(4, 4).double()
PZ.orthogonal(lin)
W = lin.weight
print(type(lin.parametrizations.weight[0]).__name__)
print(torch.allclose(W @ W.T, torch.eye(4, dtype=torch.float64)))
print(lin)
# %%
opt = torch.optim.SGD(lin.parameters(), lr=0.1)
x = torch.randn(5, 4, dtype=torch.float64)
for _ in range(3):
    opt.zero_grad()
    loss = lin(x).pow(2).sum()
    loss.backward()
    opt.step()
W = lin.weight
print(torch.allclose(W @ W.T, torch.eye(4, dtype=torch.float64), atol=1e-10))
print([n for n, _ in lin.named_parameters()])
# %%
rect = nn.Linear(5, 3).double()
PZ.orthogonal(rect, orthogonal_map="cayley")
Wr = rect.weight
print(Wr.shape, torch.allclose(Wr @ Wr.T, torch.eye(3, dtype=torch.float64)))
rect2 = nn.Linear(5, 3).double()
PZ.orthogonal(rect2, orthogonal_map="householder")
print(torch.allclose(rect2.weight @ rect2.weight.T, torch.eye(3, dtype=torch.float64)))
