import torch
import torch.nn as nn

torch.manual_seed(3)
lin = nn.Linear(3, 2)
opt = torch.optim.SGD(lin.parameters(), lr=0.1)
x = torch.tensor([[10.0, -20.0, 5.0]])
lin(x).pow(2).sum().backward()
print(lin.weight.grad)
nn.utils.clip_grad_value_(lin.parameters(), clip_value=1.5)
print(lin.weight.grad, lin.bias.grad)
# %%
opt.zero_grad(set_to_none=False)
print(lin.weight.grad, lin.bias.grad)
opt.zero_grad()
print(lin.weight.grad, lin.bias.grad)
# %%
lin(x).sum().backward()
n = nn.utils.clip_grad_norm_(lin.parameters(), max_norm=1.0)
print(n, sum(p.grad.pow(2).sum() for p in lin.parameters()).sqrt())
lin.zero_grad()
print(nn.utils.clip_grad_norm_(lin.parameters(), 1.0))
# %%
lin(x).sum().backward()
gn = nn.utils.clip_grad_norm_(lin.parameters(), max_norm=0.5, norm_type=float("inf"))
print(gn, lin.weight.grad.abs().max())
print(nn.utils.parameters_to_vector(lin.parameters()).shape)
