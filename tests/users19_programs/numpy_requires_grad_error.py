import numpy as np
import torch

# "Can't call numpy() on Tensor that requires grad"
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
try:
    y.numpy()
except RuntimeError as e:
    print(e)
try:
    x.numpy()
except RuntimeError as e:
    print(e)
# %%
# answers
print(y.detach().numpy())
print(y.detach().cpu().numpy().dtype)
print(y.tolist(), x.tolist())
with torch.no_grad():
    print((x * 2).numpy())
# %%
# np.array on a tensor that requires grad goes through numpy() too
try:
    np.array(y)
except RuntimeError as e:
    print(e)
print(np.array(y.detach()))
# %%
# scalars: item() and float() work on tensors that require grad
s = (x ** 2).sum()
print(s.item(), float(s), type(s.item()))
losses = []
for i in range(3):
    loss = (x * (i + 1)).pow(2).mean()
    losses.append(loss.item())
print(losses)
print(np.mean(losses))
# %%
# from_numpy shares memory; the resulting tensor can require grad
arr = np.array([0.5, 1.5])
t = torch.from_numpy(arr).requires_grad_()
(t.sin()).sum().backward()
print(t.dtype, t.grad)
