import torch
from torch import nn
import torch.nn.functional as F
# seeded randomness a user checks for reproducibility: dropout variants, rrelu, init
torch.manual_seed(0)
d = nn.Dropout(0.5)
print(d(torch.ones(10)))
print(F.dropout(torch.ones(2, 4), 0.25))
print(nn.AlphaDropout(0.2)(torch.ones(5)))
print(F.dropout1d(torch.ones(1, 3, 2), 0.5))
print(nn.Dropout2d(0.3)(torch.ones(2, 3, 2, 2))[:, :, 0, 0])
print(F.feature_alpha_dropout(torch.ones(2, 4, 3), 0.5, training=True)[:, :, 0])
# %%
torch.manual_seed(0)
x = torch.randn(3, 4, requires_grad=True)
y = F.alpha_dropout(x, 0.5, True)
y.sum().backward()
print(y)
print(x.grad)
torch.manual_seed(0)
x = torch.randn(3, 4, 2, requires_grad=True)
y = nn.Dropout1d(0.4)(x)
y.sum().backward()
print(x.grad[:, :, 0], nn.Dropout1d(0.4))
# %%
torch.manual_seed(0)
x = torch.randn(8, requires_grad=True)
y = F.rrelu(x, training=True)
y.sum().backward()
print(y)
print(x.grad)
m = nn.RReLU(0.1, 0.3)
print(m, m(torch.randn(6, dtype=torch.float64)))
m.eval()
print(m(torch.tensor([-1.0, 2.0])))
# %%
w = torch.empty(3, 4)
for f in [nn.init.xavier_uniform_, nn.init.xavier_normal_, nn.init.kaiming_uniform_, nn.init.kaiming_normal_,
          nn.init.orthogonal_, nn.init.trunc_normal_, nn.init.uniform_, nn.init.normal_, nn.init.eye_]:
    torch.manual_seed(0)
    print(f.__name__, f(w).round(decimals=4))
torch.manual_seed(0)
print(nn.init.sparse_(torch.empty(4, 3), sparsity=0.5))
print(nn.init.calculate_gain("leaky_relu", 0.2), nn.init.calculate_gain("tanh"), nn.init.calculate_gain("selu"))
# %%
# a model trained twice from the same seed gives the same numbers
def run():
    torch.manual_seed(1)
    m = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.3), nn.Linear(8, 1), nn.AlphaDropout(0.1))
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    X = torch.randn(16, 4)
    for _ in range(3):
        opt.zero_grad()
        loss = m(X).pow(2).mean()
        loss.backward()
        opt.step()
    return loss.item(), m[0].weight[0, 0].item()
a, b = run(), run()
print(a == b, round(a[0], 4))
