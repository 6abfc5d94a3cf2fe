import torch
x = torch.arange(12.0).reshape(3, 4).requires_grad_()
mask = x > 5
y = x[mask]
print(y)
idx = torch.tensor([0, 2, 2])
z = x[idx]
w = x[:, [1, 3]]
v = x[idx, torch.tensor([0, 1, 3])]
loss = y.sum() + (z ** 2).sum() + w.prod() * 0 + v.sum()
loss.backward()
print(x.grad)
out = torch.zeros(5).scatter_add(0, torch.tensor([0, 1, 0, 4]), torch.tensor([1., 2., 3., 4.]))
print(out)
src = torch.tensor([1., 2., 3.], requires_grad=True)
acc = torch.zeros(4).index_add(0, torch.tensor([1, 1, 3]), src * 2)
acc.sum().backward()
print(acc, src.grad)
print(torch.where(mask, x, torch.zeros_like(x)))
print(x[x.detach() % 2 == 0])
