import torch
x = torch.tensor([3.14159, -2.71828, 1e-4], requires_grad=True)
s = (x ** 2).sum()
print(f"{s.item():.3f} {s.item():10.4e} {s.item():g}")
print(f"{s:.3f}")
print("loss: {:.4f}".format(s))
print("%.2f" % s.item())
print(f"{x}")
print(f"{x[0]:.2f}", format(x[1], ".1f"))
print(str(s), repr(s))
print(round(s.item(), 2), float(x[0].detach()), int(x[2].detach() * 1e5))     # (float() of a grad tensor warns once per process)
# %%
f"{x:.2f}"
# %%
t = torch.tensor([[1.23456789, 100.5], [0.0001, -7.0]])
print(t)
print(t.double())
print(t.int(), t.long(), t.bool())
print(t * 1e6)
print(t * 1e-6)
print(t.tolist())
print(t.numpy().round(3))
print(t[0], t[:, 1], t[1, 1])
print(torch.tensor([1e20, 1.0]), torch.tensor([1e-20, 1.0]))
print(torch.tensor(1e-5), torch.tensor(123456789.0), torch.tensor([0.1, 0.25, 100]))
# %%
import numpy as np
a = np.array([[1.5, 2.5], [3.5, 4.5]])
ta = torch.from_numpy(a)
ta[0, 0] = 100.0
print(a, ta.dtype)
tb = torch.tensor(a)
tb[0, 0] = -1.0
print(a[0, 0], tb)
print(torch.as_tensor(a).dtype, torch.tensor(a, dtype=torch.float32).dtype, torch.from_numpy(a.astype(np.float32)).dtype)
print(np.asarray(torch.ones(2)), torch.ones(2).numpy().dtype)
print(torch.tensor(np.float64(2.5)), torch.tensor(np.int32(3)), torch.tensor([np.float32(1.5)]))
# %%
g = torch.tensor([1.0, 2.0], requires_grad=True)
h = (g * 2).sum()
print(h.grad_fn, h.grad_fn.next_functions)
print(type(h.grad_fn).__name__, g.grad_fn)
print(h)
print([h], (h,), {"h": h})
print(torch.zeros(3, dtype=torch.int64), torch.ones(2, 2, dtype=torch.float64) / 3)
print(torch.arange(12).reshape(3, 4) - 5)
print(torch.tensor([1.0, 2.0, 3.0]) / 3)
print(torch.tensor([[1e-3, 1e3]]))
