import torch
import torch.nn as nn

# optimizer.zero_grad() sets grads to None by default now
torch.manual_seed(0)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
model(torch.ones(1, 2)).sum().backward()
print(model.weight.grad)
opt.zero_grad()
print(model.weight.grad, model.bias.grad)
# %%
model(torch.ones(1, 2)).sum().backward()
opt.zero_grad(set_to_none=False)
print(model.weight.grad, model.bias.grad)
# %%
# code that reads grads after zero_grad breaks with None
opt.zero_grad()
try:
    total = sum(p.grad.norm() for p in model.parameters())
except AttributeError as e:
    print(e)
total = sum(p.grad.norm() for p in model.parameters() if p.grad is not None)
print(total)
# %%
# step() skips parameters whose grad is None
before = model.weight.detach().clone()
opt.step()
print(torch.equal(before, model.weight))
# %%
# module.zero_grad behaves the same way
model(torch.ones(1, 2)).sum().backward()
model.zero_grad()
print(model.weight.grad)
model(torch.ones(1, 2)).sum().backward()
model.zero_grad(set_to_none=False)
print(model.weight.grad)
# %%
# momentum buffers are kept even when grads are reset
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for i in range(2):
    opt.zero_grad()
    model(torch.ones(1, 2)).sum().backward()
    opt.step()
print(opt.state[model.bias]["momentum_buffer"])
print(model.bias)
