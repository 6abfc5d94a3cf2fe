import torch
x = torch.tensor([1., 2.])
print(torch.FloatTensor(2, 3).shape, torch.LongTensor([1.7, 2]), x.type(torch.DoubleTensor), x.type('torch.DoubleTensor'))
print(isinstance(x, torch.FloatTensor), isinstance(x, torch.DoubleTensor), torch.FloatTensor, torch.BoolTensor([1, 0]))
print(torch.FloatTensor([[1]]).requires_grad, torch.IntTensor([1]), torch.FloatTensor(torch.tensor([1., 2])))
print(torch.FloatTensor(3).dtype, torch.FloatTensor().shape, type(torch.FloatTensor([1.])), x.type())
print(torch.FloatTensor(torch.Size([2])).shape, torch.DoubleTensor([[1, 2]]).dtype)
w = torch.FloatTensor([0.5, -0.5]).requires_grad_()
(w ** 2).sum().backward()
print(w.grad)
try:
    torch.FloatTensor(torch.tensor([1, 2]))
except TypeError as e:
    print(e)
