import torch
from torch.autograd import Function
from torch.autograd.function import once_differentiable

class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x ** 2 * g

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = Cube.apply(x)
gx, = torch.autograd.grad(y.sum(), x, create_graph=True)
print(gx, gx.requires_grad, gx.grad_fn)
try:
    gx.sum().backward()
except RuntimeError as e:
    print(e)
# %%
class SaveIntermediate(Function):
    @staticmethod
    def forward(ctx, x):
        e = x.exp()
        ctx.save_for_backward(e)
        return e + 1

    @staticmethod
    def backward(ctx, g):
        e, = ctx.saved_tensors
        return g * e

x = torch.tensor([0.0, 1.0], requires_grad=True)
y = SaveIntermediate.apply(x)
y.sum().backward(retain_graph=True)
print(x.grad)
y.sum().backward()
print(x.grad)
try:
    y.sum().backward()
except RuntimeError as e:
    print(e)
# %%
class Legacy(Function):
    def forward(self, x):
        return x * 2

try:
    Legacy()(torch.ones(2))
except RuntimeError as e:
    print(e)
class Kw(Function):
    @staticmethod
    def forward(ctx, x, scale=2.0):
        return x * scale

    @staticmethod
    def backward(ctx, g):
        return g * 2.0, None

print(Kw.apply(torch.ones(2)))
try:
    Kw.apply(torch.ones(2), scale=3.0)
except TypeError as e:
    print(e)
# %%
class ReturnsInput(Function):
    @staticmethod
    def forward(ctx, x):
        return x

    @staticmethod
    def backward(ctx, g):
        return g * 10

x = torch.ones(2, requires_grad=True)
y = ReturnsInput.apply(x)
print(y is x, y.grad_fn.name())
y.sum().backward()
print(x.grad)
class NoBackward(Function):
    @staticmethod
    def forward(ctx, x):
        return x + 1

try:
    NoBackward.apply(torch.ones(1, requires_grad=True)).backward()
except NotImplementedError as e:
    print(e)
class IntOut(Function):
    @staticmethod
    def forward(ctx, x):
        return x.argmax()

    @staticmethod
    def backward(ctx, g):
        return None

o = IntOut.apply(torch.tensor([1.0, 3.0], requires_grad=True))
print(o, o.requires_grad)
