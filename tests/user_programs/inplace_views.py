import torch
x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
y = x * 1
y[1:3] *= 2
y[0] = y[3].detach() ** 2
v = y.view(2, 2)
v[:, 0] += 1
z = (y ** 2).sum()
z.backward()
print(y, x.grad)
a = torch.zeros(3, 3)
a[torch.arange(3), torch.arange(3)] = torch.tensor([1.0, 2.0, 3.0])
a.diagonal().mul_(2)
print(a)
w = torch.tensor([1.0, -1.0], requires_grad=True)
h = w.exp()
h.add_(1)
try:
    h.sum().backward()
    print(w.grad)
except RuntimeError as e:
    print(e)
q = torch.tensor([1.0, 2.0], requires_grad=True)
r = q.sigmoid()
r.mul_(2)
try:
    r.sum().backward()
except RuntimeError as e:
    print(str(e)[:120])
m = torch.ones(2, 3)
m.masked_fill_(torch.tensor([[True, False, True], [False, False, True]]), 0.0)
m.clamp_(max=0.5).add_(torch.arange(3.0))
print(m)
t = torch.tensor([3.0, 1.0, 2.0])
t.sort()
t.copy_(torch.tensor([9.0, 8.0, 7.0]))
t.zero_()
print(t, t.fill_(2.5), t.unsqueeze_(0).shape, t.t_().shape)
