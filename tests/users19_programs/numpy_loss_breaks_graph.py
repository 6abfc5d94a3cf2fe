import numpy as np
import torch
import torch.nn as nn

# "my loss goes through numpy and now backward fails"
torch.manual_seed(0)
model = nn.Linear(2, 1)
x = torch.randn(4, 2)
y = torch.randn(4, 1)
pred = model(x)
loss_np = np.mean((pred.detach().numpy() - y.numpy()) ** 2)
loss = torch.tensor(loss_np)
print(type(loss_np).__name__, loss.dtype, loss.requires_grad)
try:
    loss.backward()
except RuntimeError as e:
    print(e)
# %%
# the wrong "fix": requires_grad=True on the new tensor, nothing reaches the model
loss = torch.tensor(loss_np, requires_grad=True)
loss.backward()
print(loss.grad, model.weight.grad)
# %%
# the right fix: write the loss with torch ops
loss = ((pred - y) ** 2).mean()
print(abs(loss.item() - float(loss_np)) < 1e-6)
loss.backward()
print(model.weight.grad.shape, model.weight.grad is not None)
# %%
# the same trap with item() in the loss formula
model.zero_grad()
pred = model(x)
scale = pred.abs().max().item()
loss = (pred / scale).pow(2).mean()
loss.backward()
g_item = model.weight.grad.clone()
model.zero_grad()
pred = model(x)
loss = (pred / pred.abs().max()).pow(2).mean()
loss.backward()
print(torch.allclose(g_item, model.weight.grad))
