import torch
from torch.func import vmap, jacfwd
class SoftClamp(torch.autograd.Function):
    generate_vmap_rule = True
    @staticmethod
    def forward(x, limit):
        return limit * torch.tanh(x / limit)
    @staticmethod
    def setup_context(ctx, inputs, output):
        x, limit = inputs
        ctx.save_for_backward(x)
        ctx.limit = limit
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * (1 - torch.tanh(x / ctx.limit) ** 2), None
    @staticmethod
    def jvp(ctx, tx, _):
        x, = ctx.saved_tensors
        return tx * (1 - torch.tanh(x / ctx.limit) ** 2)
x = torch.tensor([[0.5, 3.0], [-4.0, 0.1]], dtype=torch.float64)
print(vmap(lambda r: SoftClamp.apply(r, 2.0))(x))
r = x[0].clone().requires_grad_()
SoftClamp.apply(r, 2.0).sum().backward()
print(r.grad)
print(jacfwd(lambda r: SoftClamp.apply(r, 2.0))(x[1]))
