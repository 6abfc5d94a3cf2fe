import torch
import torch.nn as nn

# beginners assign to tensor attributes they should call methods for
x = torch.arange(6.0)
try:
    x.shape = (2, 3)
except AttributeError as e:
    print("AttributeError:", e)
print(x.reshape(2, 3).shape, x.view(3, 2).shape)
# %%
w = torch.ones(3, requires_grad=True)
try:
    w.is_leaf = False
except AttributeError as e:
    print(e)
try:
    w.data = [0.5, 0.5, 0.5]
except TypeError as e:
    print(e)
w.data = torch.full((3,), 0.5)
print(w, w.is_leaf, w.requires_grad)
# %%
# resizing a parameter in place (network surgery) and the stale .grad
torch.manual_seed(0)
layer = nn.Linear(3, 2)
layer(torch.ones(1, 3)).sum().backward()
print(layer.bias.grad)
layer.bias.data = torch.zeros(4)
try:
    (layer.bias * 2).sum().backward()
except RuntimeError as e:
    print(e)
layer.bias.grad = None
(layer.bias * 2).sum().backward()
print(layer.bias.grad)
