import torch
from torch.autograd import Variable
x = Variable(torch.tensor([1.0, 2.0]), requires_grad=True)
w = Variable(torch.tensor([0.5, -0.5]), requires_grad=True)
for i in range(3):
    y = (x * w).sum() ** 2
    y.backward()
    w.data -= 0.1 * w.grad.data
    w.grad.data.zero_()
print(w, x.grad, type(x).__name__)
print(y.data, y.data.item(), x.data.numpy())
v = Variable(torch.ones(2))
print(v.requires_grad, v)
