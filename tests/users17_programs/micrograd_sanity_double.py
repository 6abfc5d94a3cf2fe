import torch

x = torch.Tensor([-4.0]).double()
x.requires_grad = True
z = 2 * x + 2 + x
q = z.relu() + z * x
h = (z * z).relu()
y = h + q + q * x
y.backward()
xpt, ypt = x, y
print(ypt.data.item(), xpt.grad.item())
print(y, x.grad, y.grad_fn)
# %%
a = torch.Tensor([-4.0]).double()
b = torch.Tensor([2.0]).double()
a.requires_grad = True
b.requires_grad = True
c = a + b
d = a * b + b**3
c = c + c + 1
c = c + 1 + c + (-a)
d = d + d * 2 + (b + a).relu()
d = d + 3 * d + (b - a).relu()
e = c - d
f = e**2
g = f / 2.0
g = g + 10.0 / f
g.backward()
apt, bpt, gpt = a, b, g
tol = 1e-6
print(gpt.data.item(), apt.grad.item(), bpt.grad.item())
print(abs(gpt.data.item() - 24.70408163265306) < tol)
print(g.grad_fn, g.grad_fn.next_functions)
# %%
print(torch.Tensor([1, 2]).dtype, torch.Tensor(2, 3).shape, torch.Tensor([[1]]).double().requires_grad)
t = torch.Tensor([3.0])
t.requires_grad_()
(t ** 2 + t.tanh()).backward()
print(t.grad, t.grad.dtype)
print(torch.Tensor([1.5]).long(), torch.DoubleTensor([1.0]).requires_grad_(), torch.FloatTensor(2).shape)
# %%
class Neuron:
    def __init__(self, nin):
        self.w = [torch.tensor(float(i % 3) - 1.0, requires_grad=True) for i in range(nin)]
        self.b = torch.tensor(0.5, requires_grad=True)
    def __call__(self, xs):
        act = sum((wi * xi for wi, xi in zip(self.w, xs)), self.b)
        return act.tanh()
n = Neuron(3)
out = n([2.0, 3.0, -1.0])
out.backward()
print(out, [w.grad for w in n.w], n.b.grad)
print(sum([torch.tensor(1.0), torch.tensor(2.0)]), type(sum([1.0, torch.tensor(2.0, requires_grad=True)])))
