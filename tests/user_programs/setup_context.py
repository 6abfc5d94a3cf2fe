import torch
class MulConst(torch.autograd.Function):
    @staticmethod
    def forward(x, c):
        return x * c
    @staticmethod
    def setup_context(ctx, inputs, output):
        x, c = inputs
        ctx.c = c
    @staticmethod
    def backward(ctx, g):
        return g * ctx.c, None
    @staticmethod
    def vmap(info, in_dims, x, c):
        return x * c, in_dims[0]
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = MulConst.apply(x, 3.0)
y.backward(torch.ones(2))
print(y, x.grad)
print(torch.func.grad(lambda t: MulConst.apply(t, 4.0).sum())(x))
print(torch.func.vmap(lambda t: MulConst.apply(t, 2.0))(torch.ones(3, 2)))
