import torch
from torch import nn
import torch.nn.utils.parametrize as P
class Sym(nn.Module):
    def forward(self, X):
        return (X + X.T) / 2
torch.manual_seed(0)
m = nn.Linear(3, 3).double()
P.register_parametrization(m, "weight", Sym())
sd = m.state_dict()
print(sorted(sd))
m2 = nn.Linear(3, 3).double()
P.register_parametrization(m2, "weight", Sym())
print(m2.load_state_dict(sd))
print(torch.equal(m2.weight, m.weight))
try:
    nn.Linear(3, 3).double().load_state_dict(sd)
except RuntimeError as e:
    print(type(e).__name__, str(e).split("\n")[0])
# %%
with torch.no_grad():
    m.weight = torch.eye(3, dtype=torch.float64) * 2
print(m.parametrizations.weight.original)
print(m.weight)
