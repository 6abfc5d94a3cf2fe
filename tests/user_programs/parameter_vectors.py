import torch
import torch.nn as nn
from torch.nn.utils import parameters_to_vector, vector_to_parameters
m = nn.Linear(3, 2)
v = torch.arange(8.0)
vector_to_parameters(v, m.parameters())
print(m.weight, m.bias)
print(parameters_to_vector(m.parameters()))
with torch.no_grad():
    m.weight.mul_(0.5)
print(m(torch.ones(1, 3)))
m.zero_grad()
print(m.weight.grad)
m(torch.ones(1, 3)).sum().backward()
print(m.weight.grad)
m.zero_grad(set_to_none=False)
print(m.weight.grad)
m.requires_grad_(False)
print(m.weight.requires_grad)
print(m.weight.data.norm(), m.weight.norm().item())
print({k: v.shape for k, v in m.state_dict().items()})
m2 = nn.Linear(3, 2, bias=False)
print(m2, m2.bias)
