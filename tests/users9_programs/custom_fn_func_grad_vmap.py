import torch
from torch.func import grad, vmap, jacrev

class SoftplusFn(torch.autograd.Function):
    @staticmethod
    def forward(x, beta):
        return torch.log1p(torch.exp(beta * x)) / beta

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, beta = inputs
        ctx.save_for_backward(x)
        ctx.beta = beta

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * torch.sigmoid(ctx.beta * x), None

    @staticmethod
    def vmap(info, in_dims, x, beta):
        return SoftplusFn.apply(x, beta), in_dims[0]

xs = torch.linspace(-3, 3, 7)
f = lambda x: SoftplusFn.apply(x, 2.0)
print(vmap(grad(f))(xs))
print(torch.sigmoid(2.0 * xs))
print(jacrev(lambda v: SoftplusFn.apply(v, 1.0))(xs[:3]))
per_row = vmap(lambda r: SoftplusFn.apply(r, 0.5).sum())(xs.reshape(7, 1).expand(7, 2))
print(per_row)
