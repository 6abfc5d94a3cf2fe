import torch
from torch import nn
torch.manual_seed(0)
lin = nn.Linear(2, 2)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    lin.bias.fill_(0.5)
x = torch.tensor([[10.0, -20.0]])
out = lin(x).pow(2).sum()
out.backward()
print(lin.weight.grad)
total = nn.utils.clip_grad_norm_(lin.parameters(), max_norm=1.0)
print(total)
print(lin.weight.grad, lin.bias.grad)
nn.utils.clip_grad_value_(lin.parameters(), 0.1)
print(lin.weight.grad)
