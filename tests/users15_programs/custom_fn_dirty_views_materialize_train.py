import torch
from torch.autograd import Function

class InplaceRelu(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_dirty(x)
        x.clamp_(min=0)
        ctx.save_for_backward(x)
        return x

    @staticmethod
    def backward(ctx, g):
        y, = ctx.saved_tensors
        return g * (y > 0).to(g.dtype)

a = torch.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
b = a * 1.0
c = InplaceRelu.apply(b)
print(c is b, c.grad_fn.name(), b._version)
(c * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
print(a.grad)
try:
    InplaceRelu.apply(a)
except RuntimeError as e:
    print(e)
# %%
class ViewOut(Function):
    @staticmethod
    def forward(ctx, x):
        return x.view(-1)

    @staticmethod
    def backward(ctx, g):
        return g.view(2, 2)

x = torch.ones(2, 2, requires_grad=True)
v = ViewOut.apply(x)
print(v.shape, v.grad_fn.name(), v._base is None)
v.sum().backward()
print(x.grad)
# %%
# a custom Function used inside a training loop with an nn.Module
class ScaledTanh(Function):
    @staticmethod
    def forward(ctx, x, alpha):
        t = torch.tanh(x)
        ctx.save_for_backward(t, alpha)
        return alpha * t

    @staticmethod
    def backward(ctx, g):
        t, alpha = ctx.saved_tensors
        gx = g * alpha * (1 - t ** 2) if ctx.needs_input_grad[0] else None
        ga = (g * t).sum().view_as(alpha) if ctx.needs_input_grad[1] else None
        return gx, ga

class Layer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(2, 2)
        self.alpha = torch.nn.Parameter(torch.tensor([1.0]))

    def forward(self, x):
        return ScaledTanh.apply(self.lin(x), self.alpha)

torch.manual_seed(0)
layer = Layer()
opt = torch.optim.SGD(layer.parameters(), lr=0.1)
X = torch.randn(16, 2)
Y = 2.5 * torch.tanh(X @ torch.tensor([[1.0, -1.0], [0.5, 0.5]]))
for it in range(30):
    loss = ((layer(X) - Y) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 10 == 0:
        print(it, round(loss.item(), 4), layer.alpha.grad)
print(layer.alpha.data)
print(torch.autograd.gradcheck(ScaledTanh.apply, (torch.randn(3, dtype=torch.double, requires_grad=True), torch.tensor([1.5], dtype=torch.double, requires_grad=True))))
