import torch
from torch import nn
import torch.nn.utils.parametrize as P
torch.manual_seed(4)
class Positive(nn.Module):
    def forward(self, X):
        return X.exp()
    def right_inverse(self, Y):
        return Y.log()
m = nn.Linear(3, 2)
P.register_parametrization(m, "bias", Positive())
print(m.bias.min() > 0, m.parametrizations.bias.original.shape)
m.bias = torch.tensor([1.0, 2.0])
print(m.parametrizations.bias.original)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
m(torch.ones(1, 3)).sum().backward()
opt.step()
print(m.bias)
print([n for n, _ in m.named_parameters()])
# %%
P.remove_parametrizations(m, "bias", leave_parametrized=True)
print(m.bias, P.is_parametrized(m))
