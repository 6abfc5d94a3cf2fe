import math
import numpy as np
import torch
a = torch.tensor(1.5, requires_grad=True)
b = torch.tensor(-0.5, requires_grad=True)
c = torch.tensor([a.item(), b.item()])
print(c, c.requires_grad)
s = sum([a * i for i in range(4)])
print(s)
m = max(a, b)
print(m, abs(b), round(a.item(), 3), a ** 0.5, 2 ** a, -a, +a, a % 1.0)
print(math.sin(a.detach()), float(a.detach()), int(torch.tensor(3.9)), list(range(int(torch.tensor(3)))))
print(torch.sqrt(torch.tensor(2)), torch.exp(torch.tensor(1)), torch.tensor(3) / 2, torch.tensor([1, 2]).mean(dtype=torch.float32))
print([v for v in torch.tensor([1.0, 2.0])], [v.item() for v in torch.arange(3)], *torch.tensor([4, 5]))
print(torch.tensor(np.float64(1.0)).dtype, torch.tensor(np.int32(2)).dtype, torch.tensor([np.float32(1.0)]).dtype, torch.tensor(True).dtype)
print(torch.tensor([[1, 2], [3, 4]]).tolist(), torch.tensor(2.5).tolist(), torch.zeros(0).tolist())
try:
    a.numpy()
except Exception as e:
    print(type(e).__name__, e)
print(np.asarray(a.detach()), np.float64(a.detach()), a.detach().numpy().dtype)
d = {}
d[a] = 1
print(len(d), a in d, bool(torch.tensor([1.0])), bool(torch.tensor(0.0)))
total = torch.tensor(0.0)
for v in torch.tensor([0.5, 1.5]):
    total += v ** 2
print(total, total.item() == 2.5)
e = (a * b).sum()
e.backward()
print(a.grad, b.grad)
x = torch.tensor(2.0, requires_grad=True)
print(f"{x.item():.4f} {x:.2f}" if False else f"{x.item():.4f}", str(x.item()), repr(x.detach()), format(x.detach(), ".3f"))
print(torch.tensor([1.0, 2.0]) == torch.tensor([1.0, 3.0]), torch.tensor(1.0) == 1, torch.tensor(1) == 1.0, 1 < torch.tensor(2))
try:
    bool(torch.tensor([1.0, 2.0]))
except RuntimeError as e:
    print(e)
