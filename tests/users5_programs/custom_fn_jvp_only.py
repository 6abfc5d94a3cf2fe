import torch
class JvpOnly(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x.sin()
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_forward(inputs[0])
    @staticmethod
    def jvp(ctx, t):
        x, = ctx.saved_tensors
        return t * x.cos()
x = torch.tensor([0.1, 0.5], dtype=torch.float64)
print(torch.func.jvp(JvpOnly.apply, (x,), (torch.ones(2, dtype=torch.float64),)))
print(torch.func.jacfwd(JvpOnly.apply)(x))
# %%
torch.func.grad(lambda a: JvpOnly.apply(a).sum())(x)
# %%
class S(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x.sin()
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])
        ctx.save_for_forward(inputs[0])
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * x.cos()
    @staticmethod
    def jvp(ctx, t):
        x, = ctx.saved_tensors
        return t * x.cos()
print(torch.func.jacrev(S.apply)(x))
print(torch.func.jvp(S.apply, (x,), (x,)), torch.func.vjp(S.apply, x)[1](x))
# %%
torch.func.hessian(lambda a: S.apply(a).sum())(x)
