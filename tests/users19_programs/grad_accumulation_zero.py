import torch

# "why does my gradient keep growing?" -- gradients accumulate
weights = torch.ones(4, requires_grad=True)
for epoch in range(3):
    model_output = (weights * 3).sum()
    model_output.backward()
    print(weights.grad)
# %%
# answers: zero_() the grad, zero .grad.data, or set it to None
weights = torch.ones(4, requires_grad=True)
for epoch in range(3):
    (weights * 3).sum().backward()
    print(epoch, weights.grad)
    weights.grad.zero_()
for epoch in range(2):
    (weights * 2).sum().backward()
    print(epoch, weights.grad)
    weights.grad.data.zero_()
for epoch in range(2):
    (weights ** 2).sum().backward()
    print(epoch, weights.grad)
    weights.grad = None
print(weights.grad)
# %%
# the grad tensor is reused in place by accumulation, so a saved reference changes
w = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
(w * w).sum().backward()
saved = w.grad
(w * w).sum().backward()
print(saved, saved is w.grad)
kept = w.grad.clone()
w.grad.zero_()
print(kept, w.grad)
# %%
# assigning a grad of the wrong shape or dtype is refused
try:
    w.grad = torch.zeros(3, dtype=torch.float64)
except RuntimeError as e:
    print(e)
try:
    w.grad = torch.zeros(2)
except RuntimeError as e:
    print(e)
w.grad = torch.full((2,), 10.0, dtype=torch.float64)
(w * 1).sum().backward()
print(w.grad)
