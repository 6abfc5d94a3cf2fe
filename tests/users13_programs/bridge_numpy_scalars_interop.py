import numpy as np
import torch

t = torch.tensor([1.0, 2.0, 3.0])
print((t * np.float64(2.0)).dtype, (t * np.float32(2.0)).dtype, (t + np.int64(1)).dtype)
print((torch.tensor([1, 2]) * np.float64(0.5)).dtype, (torch.tensor([1, 2]) + np.int32(3)).dtype)
print(type(t.sum().item()), type(torch.tensor(3).item()), type(torch.tensor(True).item()))
print(float(t[0]), int(t[1]), bool(t[2]), t[0].item() + 1)
print(np.asarray(t).dtype, np.array(t * 2), np.mean(t.numpy()), t.numpy().sum())
print(torch.tensor(np.array([1.5, 2.5])).dtype, torch.tensor(np.array([1, 2], dtype=np.int16)).dtype, torch.tensor(np.float32(3.0)).dtype)
print(torch.from_numpy(np.array([True, False])).dtype, torch.from_numpy(np.zeros((2, 3), dtype=np.uint8)).shape)
print(torch.tensor([np.float32(1.0), np.float32(2.0)]).dtype, torch.tensor([np.int64(1), 2.5]).dtype)
a = np.arange(6.0).reshape(2, 3)
print(torch.from_numpy(a).t(), torch.from_numpy(a.T).is_contiguous(), torch.from_numpy(a[:, ::2]).stride())
print(t.tolist(), t.view(3, 1).tolist(), torch.tensor(2.5).tolist(), t.int().tolist())
# %%
# numpy functions called on tensors (via __array__) and tensors from numpy results
x = torch.linspace(0, 1, 5)
print(np.sin(x), np.exp(x) > 1.5, np.linalg.norm(x), np.sum(x.numpy()))
print(torch.as_tensor(np.cumsum(x.numpy())), torch.from_numpy(np.polyval([1.0, -2.0, 1.0], x.numpy())))
m = torch.tensor(np.random.default_rng(0).standard_normal((3, 3)), dtype=torch.float32)
print(m.dtype, torch.allclose(torch.from_numpy(np.linalg.inv(m.double().numpy())).float(), torch.linalg.inv(m), atol=1e-5))
w = torch.ones(3, requires_grad=True)
print(np.array(w.detach()) + 1, w.detach().numpy().flags.writeable)
arr = w.detach().numpy()
arr[0] = 5.0
print(w)
# %%
torch.from_numpy(np.array(['a', 'b']))
# %%
torch.from_numpy([1.0, 2.0])
# %%
np.asarray(torch.ones(2, requires_grad=True))
