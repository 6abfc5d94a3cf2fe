import torch

class WrongCount(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        return x * y
    @staticmethod
    def backward(ctx, g):
        return g

class WrongShape(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.sum()
    @staticmethod
    def backward(ctx, g):
        return g.expand(2)

class ReturnsInput(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x
    @staticmethod
    def backward(ctx, g):
        return 2 * g

a = torch.ones(3, requires_grad=True)
b = torch.ones(3, requires_grad=True)
try:
    WrongCount.apply(a, b).sum().backward()
except RuntimeError as e:
    print(e)
try:
    WrongShape.apply(a).backward()
except RuntimeError as e:
    print(e)
r = ReturnsInput.apply(a)
print(r is a, r.grad_fn)
r.sum().backward()
print(a.grad)
try:
    WrongCount(a, b)
except Exception as e:
    print(type(e).__name__, e)
# %%
class NoBackward(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x + 1
try:
    NoBackward.apply(a).sum().backward()
except NotImplementedError as e:
    print(e)
class Saved(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * 2
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * 2
out = Saved.apply(a)
out.sum().backward()
try:
    out.sum().backward()
except RuntimeError as e:
    print(e)
