import torch
class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g
x = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    Square()(x)
except RuntimeError as e:
    print(type(e).__name__, str(e)[:120])
try:
    Square.forward(None, x)
except AttributeError as e:
    print(type(e).__name__, e)
y = Square.apply(x)
print(y, y.grad_fn.name(), type(y.grad_fn).__name__)
y.sum().backward()
print(x.grad)
# %%
class WrongCount(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        return a * b
    @staticmethod
    def backward(ctx, g):
        return g
try:
    WrongCount.apply(x, x).sum().backward()
except RuntimeError as e:
    print(type(e).__name__, e)
class WrongShape(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a.sum()
    @staticmethod
    def backward(ctx, g):
        return torch.ones(3)
try:
    WrongShape.apply(x).backward()
except RuntimeError as e:
    print(type(e).__name__, e)
# %%
class NoBackward(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a + 1
try:
    NoBackward.apply(x).sum().backward()
except NotImplementedError as e:
    print(type(e).__name__, e)
