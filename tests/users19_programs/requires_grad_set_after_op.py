import torch

# requires_grad set after the computation
x = torch.tensor([1.0, 2.0, 3.0])
y = (x ** 2).sum()
x.requires_grad = True
try:
    y.backward()
except RuntimeError as e:
    print(e)
print(y.requires_grad, y.grad_fn)
# %%
# answer: set it first
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x ** 2).sum()
y.backward()
print(x.grad)
# %%
# same error from autograd.grad and from a loss computed under no_grad
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    loss = (x * 3).sum()
try:
    torch.autograd.grad(loss, x)
except RuntimeError as e:
    print(e)
try:
    loss.backward()
except RuntimeError as e:
    print(e)
# %%
# detaching the prediction also cuts it: the loss depends only on constants
w = torch.tensor([0.5, 0.5], requires_grad=True)
pred = (w * torch.tensor([2.0, 4.0])).detach()
loss = torch.nn.functional.mse_loss(pred, torch.tensor([1.0, 1.0]))
print(loss, loss.requires_grad)
try:
    loss.backward()
except RuntimeError as e:
    print(type(e).__name__, e)
# %%
# requires_grad_ on a non-leaf is refused
h = w * 2
try:
    h.requires_grad_(False)
except RuntimeError as e:
    print(e)
h2 = h.detach()
h2.requires_grad_(True)
print(h2.is_leaf, h2.requires_grad)
