import numpy as np
import torch

arr = np.array([[1, 2], [3, 4]], dtype=np.int32)
t = torch.from_numpy(arr)
print(t, t.dtype)
arr[0, 0] = 100
print(t[0, 0])
print(torch.tensor(arr).dtype, torch.as_tensor(np.float32(1.5)), torch.tensor(np.arange(3.0)).dtype)
# %%
f = torch.tensor([1.5, 2.5])
n = f.numpy()
n[1] = -1
print(f, n.dtype, f.numpy().flags["C_CONTIGUOUS"])
print(torch.tensor(np.array([True, False])), torch.from_numpy(np.zeros(2, dtype=np.uint8)).dtype)
# %%
w = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    w.numpy()
except RuntimeError as e:
    print(e)
print(w.detach().numpy(), np.asarray(w.detach()) * 2, (w * 2).detach().numpy().tolist())
print(np.float64(2.0) * torch.tensor([1.0, 3.0]), torch.tensor([1.0]) + np.array([2.0]))
# %%
print(torch.tensor(np.float64(3.25)).dtype, torch.tensor([np.int64(3)]).dtype)
s = torch.from_numpy(np.array([[1.0, 2.0, 3.0]]).T)
print(s.stride(), s.is_contiguous())
# %%
# mixing a NumPy target array into tensor arithmetic
targets = np.array([0.5, 1.0])
pred = torch.tensor([1.0, 2.0])
print(pred - targets, (pred - targets).dtype)
try:
    print(targets - pred)
except TypeError as e:
    print(e)
print(pred == targets, pred.numpy() == targets, pred - torch.from_numpy(targets))
