import torch
class SaveInt(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x, 3)
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g * 2
try:
    SaveInt.apply(torch.ones(2, requires_grad=True))
except TypeError as e:
    print(e)
class Mod(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clone()
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * x
a = torch.ones(2, requires_grad=True)
b = a * 1
out = Mod.apply(b)
b.mul_(2)
try:
    out.sum().backward()
except RuntimeError as e:
    print(e)
class NoTensor(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return 3
    @staticmethod
    def backward(ctx, g):
        return g
print(NoTensor.apply(torch.ones(1, requires_grad=True)))
class BadGradType(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1
    @staticmethod
    def backward(ctx, g):
        return 1.0
try:
    BadGradType.apply(torch.ones(2, requires_grad=True)).sum().backward()
except (TypeError, RuntimeError) as e:
    print(type(e).__name__, e)
class ReturnsDouble(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1
    @staticmethod
    def backward(ctx, g):
        return g.double()
x = torch.ones(2, requires_grad=True)
ReturnsDouble.apply(x).sum().backward()
print(x.grad, x.grad.dtype)
class ReturnsNone(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        return x * y
    @staticmethod
    def backward(ctx, g):
        return None, g
p = torch.ones(2, requires_grad=True); q = torch.ones(2, requires_grad=True)
ReturnsNone.apply(p, q).sum().backward()
print(p.grad, q.grad)
class KwFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale=2.0):
        return x * scale
    @staticmethod
    def backward(ctx, g):
        return g * 2.0, None
try:
    print(KwFn.apply(torch.ones(1, requires_grad=True), scale=3.0))
except TypeError as e:
    print(e)
print(KwFn.apply(torch.ones(1, requires_grad=True)))
# %%
print(SaveInt.apply(torch.ones(2)))
with torch.no_grad():
    print(SaveInt.apply(torch.ones(2, requires_grad=True)))
