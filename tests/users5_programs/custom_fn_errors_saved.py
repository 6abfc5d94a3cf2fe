import torch
class SaveOut(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y
    @staticmethod
    def backward(ctx, g):
        y, = ctx.saved_tensors
        return g * y
x = torch.tensor([0.0, 1.0], requires_grad=True)
y = SaveOut.apply(x)
y.sum().backward()
print(x.grad)
# %%
y.sum().backward()
# %%
y2 = SaveOut.apply(x)
y2.mul_(2)
y2.sum().backward()
# %%
class Flags(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, n, b, flag):
        print("needs", ctx.needs_input_grad)
        return a * n + b
    @staticmethod
    def backward(ctx, g):
        return g * 2, None, g, None
a = torch.ones(2, requires_grad=True)
b = torch.ones(2)
out = Flags.apply(a, 2, b, True)
out.sum().backward()
print(a.grad)
# %%
class BadNone(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a * 2
    @staticmethod
    def backward(ctx, g):
        return 3
BadNone.apply(torch.ones(2, requires_grad=True)).sum().backward()
# %%
class SaveNonTensor(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a, None)
        return a * 2
    @staticmethod
    def backward(ctx, g):
        a, none = ctx.saved_tensors
        print(none)
        return g * 2
SaveNonTensor.apply(torch.ones(2, requires_grad=True)).sum().backward()
# %%
class SaveInt(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(3)
        return a
    @staticmethod
    def backward(ctx, g):
        return g
SaveInt.apply(torch.ones(2, requires_grad=True))
# %%
class GradForInt(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, k):
        return a * k
    @staticmethod
    def backward(ctx, g):
        return g * 2, g
GradForInt.apply(torch.ones(2, requires_grad=True), 2).sum().backward()
# %%
class GradForConst(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, c):
        return a * c
    @staticmethod
    def backward(ctx, g):
        return g * 2, g * 5
a = torch.ones(2, requires_grad=True)
GradForConst.apply(a, torch.ones(2)).sum().backward()
print(a.grad)
