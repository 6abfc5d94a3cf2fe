import torch
from torch import nn
from torch.nn.utils.parametrizations import orthogonal
torch.manual_seed(0)
rnn = nn.RNN(3, 4, batch_first=True).double()
orthogonal(rnn, "weight_hh_l0")
W = rnn.weight_hh_l0
print(torch.allclose(W.T @ W, torch.eye(4, dtype=torch.float64)))
print(sorted(n for n, _ in rnn.named_parameters()))
opt = torch.optim.Adam(rnn.parameters(), lr=0.05)
x = torch.randn(2, 5, 3, dtype=torch.float64)
for step in range(3):
    opt.zero_grad()
    out, h = rnn(x)
    loss = out.pow(2).mean()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 8))
W = rnn.weight_hh_l0
print(torch.allclose(W.T @ W, torch.eye(4, dtype=torch.float64)))
# %%
lin = nn.Linear(3, 3, bias=False).double()
orthogonal(lin, orthogonal_map="cayley", use_trivialization=False)
print(hasattr(lin.parametrizations.weight[0], "base"))
try:
    lin.weight = torch.eye(3, dtype=torch.float64)
except NotImplementedError as e:
    print(type(e).__name__, e)
try:
    orthogonal(nn.Linear(3, 3), orthogonal_map="qr")
except ValueError as e:
    print(type(e).__name__, e)
try:
    orthogonal(nn.Linear(3, 3), name="bias")
except ValueError as e:
    print(type(e).__name__, e)
hh = nn.Linear(4, 2, bias=False).double()
orthogonal(hh, orthogonal_map="householder", use_trivialization=False)
print(torch.allclose(hh.weight @ hh.weight.T, torch.eye(2, dtype=torch.float64)))
