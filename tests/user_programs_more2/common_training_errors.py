import torch
import torch.nn as nn
model = nn.Linear(3, 1)
x = torch.randn(10, 3, dtype=torch.float64)
try:
    model(x)
except RuntimeError as e:
    print(e)
# %%
y = torch.randn(10)
out = model(torch.randn(10, 3))
loss = nn.functional.mse_loss(out, y)      # broadcasting warning
print(loss.shape)
# %%
logits = torch.randn(4, 3)
try:
    nn.functional.cross_entropy(logits, torch.tensor([0.0, 1.0, 2.0, 1.0]).long().float()[:3])
except (RuntimeError, ValueError) as e:
    print(type(e).__name__, e)
try:
    nn.functional.cross_entropy(logits, torch.tensor([0, 1, 3, 1]))
except (RuntimeError, IndexError) as e:
    print(type(e).__name__, e)
try:
    nn.functional.binary_cross_entropy(torch.tensor([0.5, 1.2]), torch.tensor([0.0, 1.0]))
except RuntimeError as e:
    print(e)
try:
    nn.functional.nll_loss(logits.log_softmax(1), torch.tensor([0, 1, 2, 1]).int())
except RuntimeError as e:
    print(e)
# %%
w = torch.ones(3, requires_grad=True)
try:
    w.numpy()
except RuntimeError as e:
    print(e)
try:
    w += 1
except RuntimeError as e:
    print(e)
with torch.no_grad():
    pred = model(torch.ones(2, 3))
try:
    pred.sum().backward()
except RuntimeError as e:
    print(e)
try:
    torch.optim.SGD(model.parameters())
    torch.optim.Adam([], lr=0.1)
except ValueError as e:
    print(e)
try:
    torch.optim.Adam(model.parameters(), lr=-1)
except ValueError as e:
    print(e)
# %%
# truth values of tensors in control flow
history = torch.tensor([])
for candidate in (history, torch.tensor([0.5, 0.2]), torch.tensor([0.0]), torch.tensor(3.0)):
    try:
        print("truthy" if candidate else "falsy")
    except RuntimeError as e:
        print(e)
