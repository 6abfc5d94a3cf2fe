import torch
x = torch.tensor([[1., 2.], [3., 4.]])
print(x.is_signed(), torch.tensor([1], dtype=torch.uint8).is_signed(), x.get_device(), x.is_cpu, x.nbytes, x.itemsize, x.ndimension(), x.is_inference(), x.is_complex())
y = x.clone(); y.eq_(torch.tensor([[1., 0.], [3., 0.]])); print(y)
y = x.clone(); y.lt_(2.5); print(y)
y = x.clone(); y.ge_(torch.tensor([2.0, 2.0])); print(y, y.dtype)
print(x.unfold(0, 1, 1).shape, torch.arange(6.).unfold(0, 3, 2), x.unfold(1, 2, 1), x.sum_to_size(1, 2), x.sum_to_size(2, 1), x.sum_to_size(2))
print(x.split_with_sizes([1, 1], dim=1), x.new(2).shape, x.new([1, 2]), x.new(torch.Size([3])).dtype)
a = torch.tensor([1., 2., 3.], requires_grad=True)
b = a * 1
b.cumsum_(0)
b.lerp_(torch.zeros(3), 0.5)
b.sum().backward()
print(b, a.grad)
c = a * 2
c.cumprod_(0)
c.tril_() if c.ndim == 2 else None
c.sum().backward()
print(c, a.grad)
z = torch.ones(2, 3); z.unsqueeze_(0); print(z.shape); z.squeeze_(); print(z.shape); z.t_(); print(z.shape); z.transpose_(0, 1); print(z.shape)
s = torch.tensor(2.0); s.unsqueeze_(0); print(s, s.shape); s.squeeze_(); print(s, s.shape)
m = torch.tensor([[1., 2., 3.], [4., 5., 6.], [7., 8., 9.]], requires_grad=True)
u = m.unfold(1, 2, 1)
(u ** 2).sum().backward()
print(u.shape, u.grad_fn.name(), m.grad)
print(x.tril_(), x.triu_(1), torch.tensor([True, False]).logical_and_(torch.tensor([True, True])), torch.tensor([True, False]).logical_not_())
try:
    x.sum_to_size(3)
except RuntimeError as e:
    print(e)
